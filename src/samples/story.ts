// The scripted part of a sample day: events written one by one, each listed under the rules it is meant to
// fire (or, as a near-miss, meant not to), and the routine ones also listed as routine, so the demo can
// check that yesterday's routine comes back as `recurring` and the incident as `new`.
import type { CloudTrailRecord, EventInput } from './cloudtrail.js';
import { buildRecord } from './cloudtrail.js';
import type { Rng } from './random.js';

/** The rule ids the two sample days are built to fire. */
export const SAMPLE_RULE_IDS = [
  'trail-tampering',
  'root-usage',
  'iam-critical-change',
  'console-login-failure',
  'console-login',
  'security-group-change',
  'security-group-open-world',
  'db-security-group-change',
  'unapproved-region-activity',
  'kms-key-deletion',
  'unauthorized-api-calls',
  's3-bucket-policy-change',
  'sqs-permission-change',
  'route53-change',
  'rds-snapshot-activity',
  'vpc-change',
  'unapproved-image',
  'iam-change',
  'config-change',
  'organizations-change',
  'log-delivery-gap',
] as const;

/** One of the rule ids the sample days fire. */
export type SampleRuleId = (typeof SAMPLE_RULE_IDS)[number];

/** A day's scripted records plus, per rule id, the events meant to fire it and the near-misses meant not to. */
export interface DayStory {
  records: CloudTrailRecord[];
  incident: Record<string, string[]>;
  nearMisses: Record<string, string[]>;
  /** The ids of events that are the organization's routine (they happen every day). */
  routine: string[];
}

/** Writes a day's scripted events. */
export interface StoryWriter {
  /** Epoch ms of hh:mm:ss on the story's day (UTC). */
  at(h: number, m: number, s?: number): number;
  rng: Rng;
  /** Adds one event, listed under the rules it fires and the rules it is a near-miss of; returns its eventID. */
  add(input: EventInput, rules?: readonly SampleRuleId[], near?: readonly SampleRuleId[]): string;
  /** Like add, and lists the event as routine. */
  routine(input: EventInput, rules?: readonly SampleRuleId[], near?: readonly SampleRuleId[]): string;
  story: DayStory;
}

/** A writer for the day that starts at `dayStart` (epoch ms, 00:00 UTC). */
export function storyWriter(rng: Rng, dayStart: number): StoryWriter {
  const story: DayStory = { records: [], incident: {}, nearMisses: {}, routine: [] };
  const add = (input: EventInput, rules: readonly SampleRuleId[] = [], near: readonly SampleRuleId[] = []): string => {
    const record = buildRecord(rng, input);
    story.records.push(record);
    for (const rule of rules) (story.incident[rule] ??= []).push(record.eventID);
    for (const rule of near) (story.nearMisses[rule] ??= []).push(record.eventID);
    return record.eventID;
  };
  return {
    at: (h, m, s = 0) => dayStart + ((h * 60 + m) * 60 + s) * 1000,
    rng,
    add,
    routine(input, rules = [], near = []) {
      const id = add(input, rules, near);
      story.routine.push(id);
      return id;
    },
    story,
  };
}
