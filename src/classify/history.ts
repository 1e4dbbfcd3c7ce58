// The history behind "what is new": per audited day, the group keys found and how many findings each had,
// and — for the rules that watch them (console sign-ins, root use) — the source IPs seen per principal.
// Nothing else from the logs: no user agents, no request parameters, no summaries. Each run carries the
// previous days forward into its own bundle, pruned to `history.days`, so the next run finds them there.
// Pure: parsing, novelty and merging; reading and writing the file are the deliver stage's.
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import type { Finding, Novelty } from '../model.js';
import { groupKeyOf, groupPrincipal, keyString, keyValue, type GroupKey, type GroupingOf } from './group.js';

/** The history file's name in the evidence bundle. */
export const HISTORY_FILE = 'history.json';
/** The history format written (a reader refuses others rather than misreading them). */
export const HISTORY_FORMAT = 'trailwatch-history/1';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const keyValueSchema = z.string().max(300).nullable().optional();

const historyDaySchema = z.strictObject({
  date: day,
  groups: z.array(
    z.strictObject({
      rule: z.string().min(1).max(200),
      principal: keyValueSchema,
      eventName: keyValueSchema,
      accountId: keyValueSchema,
      sourceIp: keyValueSchema,
      region: keyValueSchema,
      count: z.number().int().nonnegative(),
    }),
  ),
  sourceIps: z.array(z.strictObject({ principal: z.string().max(300), ips: z.array(z.string().max(64)) })),
});

const historySchema = z.strictObject({
  format: z.literal(HISTORY_FORMAT),
  days: z.array(historyDaySchema),
});

/** One audited day in the history. */
export type HistoryDay = z.infer<typeof historyDaySchema>;
/** The history file. */
export type History = z.infer<typeof historySchema>;

/** Parses a history file's text; a problem is returned as a message (the run then has no baseline). */
export function parseHistory(text: string): { history: History } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message})` };
  }
  const parsed = historySchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { problem: `${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}` };
  }
  return { history: parsed.data };
}

/** The date `days` days before `date` (YYYY-MM-DD). */
export function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** The history's days that count as "seen before" for `today`: the `days` days before it (not today). */
export function lookback(history: History | null, today: string, days: number): HistoryDay[] {
  if (!history) return [];
  const from = daysBefore(today, days);
  return history.days.filter((d) => d.date < today && d.date >= from);
}

/** A source IP as the history keeps it: a valid address, normalised; anything else (a service name) is not. */
function normalIp(value: string | null): string | null {
  if (value === null || !ipaddr.isValid(value)) return null;
  return ipaddr.process(value).toString();
}

/** What the previous days say about today's findings. */
export interface Baseline {
  /** Whether there is any previous day to compare with (else every finding is `unknown`). */
  known: boolean;
  novelty(key: GroupKey): Novelty;
  /** Whether a principal's source IP was never seen before (false when it is not an address). */
  newSourceIp(principal: string | null, sourceIp: string | null): boolean;
}

/** The baseline from the previous days (see lookback). */
export function baselineFrom(previous: readonly HistoryDay[]): Baseline {
  const keys = new Set<string>();
  const ips = new Map<string, Set<string>>();
  for (const d of previous) {
    for (const { count: _count, ...key } of d.groups) keys.add(keyString(key));
    for (const entry of d.sourceIps) {
      const set = ips.get(entry.principal) ?? new Set<string>();
      for (const ip of entry.ips) set.add(ip);
      ips.set(entry.principal, set);
    }
  }
  const known = previous.length > 0;
  return {
    known,
    novelty: (key) => (!known ? 'unknown' : keys.has(keyString(key)) ? 'recurring' : 'new'),
    newSourceIp: (principal, sourceIp) => {
      const ip = normalIp(sourceIp);
      const who = keyValue(groupPrincipal(principal));
      if (!known || ip === null || who === null) return false;
      return !(ips.get(who)?.has(ip) ?? false);
    },
  };
}

/** Today's entry: the group keys and finding counts, and the watched principals' source IPs. */
export function historyDay(date: string, findings: readonly Finding[], groupingOf: GroupingOf): HistoryDay {
  const groups = new Map<string, HistoryDay['groups'][number]>();
  const ips = new Map<string, Set<string>>();
  for (const f of findings) {
    const grouping = groupingOf(f.ruleId);
    const key = groupKeyOf(f, grouping.by);
    const id = keyString(key);
    const entry = groups.get(id) ?? { ...key, count: 0 };
    entry.count += 1;
    groups.set(id, entry);
    const ip = normalIp(f.sourceIp);
    const who = keyValue(groupPrincipal(f.principal));
    if (grouping.newSourceIp && ip !== null && who !== null) {
      const set = ips.get(who) ?? new Set<string>();
      set.add(ip);
      ips.set(who, set);
    }
  }
  return {
    date,
    groups: [...groups.values()].sort((a, b) => keyString(a).localeCompare(keyString(b))),
    sourceIps: [...ips.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([principal, set]) => ({ principal, ips: [...set].sort() })),
  };
}

/**
 * The history to write: the previous history's days within `days` before `today`, plus today's entry
 * (replacing an earlier run's entry for the same day), oldest first.
 */
export function nextHistory(previous: History | null, today: HistoryDay, days: number): History {
  const kept = lookback(previous, today.date, days);
  return { format: HISTORY_FORMAT, days: [...kept, today].sort((a, b) => a.date.localeCompare(b.date)) };
}
