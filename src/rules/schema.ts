import { z } from 'zod';
import { MITRE_TACTICS, type MitreTactic } from './mitre.js';

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case id');

/** A parameter a rule takes from the config. */
export const ruleParameterSchema = z.strictObject({
  name: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'a camelCase name'),
  type: z.enum(['string', 'integer', 'string-list']),
  description: z.string().min(1),
  default: z.union([z.string(), z.number(), z.array(z.string())]).optional(),
  /** The smallest value an integer parameter takes (a threshold of 0 would report everything). */
  minimum: z.number().int().optional(),
  configKey: z.string().optional(),
});

/** One inline test case: `event` (one record) or `events` (several), and the expected outcome. */
export const ruleTestSchema = z
  .strictObject({
    name: z.string().min(1),
    expect: z.enum(['match', 'no-match']),
    event: z.record(z.string(), z.unknown()).optional(),
    events: z.array(z.record(z.string(), z.unknown())).min(1).optional(),
    /** Repeat the events N times (threshold rules), each copy with its own eventID. */
    repeat: z.number().int().positive().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    /**
     * Fields to delete from every filled record (dotted paths such as readOnly or userIdentity.arn), so a
     * case can prove a rule does not depend on a field CloudTrail leaves out for some events.
     */
    omit: z.array(z.string().regex(/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/, 'a dotted field path')).min(1).optional(),
  })
  .refine((t) => (t.event === undefined) !== (t.events === undefined), {
    message: 'exactly one of "event" or "events"',
  });

/** A MITRE ATT&CK technique the rule detects; a sub-technique's name reads `Technique — Sub-technique`. */
export const mitreTechniqueSchema = z
  .strictObject({
    technique: z.string().regex(/^T\d{4}(\.\d{3})?$/, 'an ATT&CK technique id (T1234 or T1234.001)'),
    name: z.string().min(1),
    tactics: z
      .array(z.enum(Object.keys(MITRE_TACTICS) as [MitreTactic, ...MitreTactic[]]))
      .min(1),
  })
  .refine((m) => m.technique.includes('.') === m.name.includes(' — '), {
    message: 'a sub-technique (T1234.001) is named "Technique — Sub-technique", a technique by its name alone',
    path: ['name'],
  });

/**
 * How a rule's findings are grouped in the digest and remembered in the history. Absent: by principal
 * (the role for assumed-role sessions), event name and account. Threshold rules group by principal and
 * source IP; `newSourceIp` remembers each principal's addresses and calls out one never seen before.
 */
export const ruleGroupingSchema = z.strictObject({
  by: z
    .array(z.enum(['principal', 'eventName', 'accountId', 'sourceIp', 'region']))
    .min(1)
    .refine((list) => new Set(list).size === list.length, 'no field twice')
    .optional(),
  newSourceIp: z.boolean().default(false),
});

/** A rule file (rules/<id>.yaml). Keys in this order: id, title, tier, risk, why, next, references, mitre, parameters, grouping, query, tests. */
export const ruleFileSchema = z.strictObject({
  id: kebab,
  title: z.string().min(1).max(80),
  tier: z.enum(['alert', 'review']),
  risk: z.enum(['high', 'medium', 'low']),
  why: z.string().min(1),
  next: z.string().min(1),
  references: z.array(z.strictObject({ title: z.string().min(1), url: z.url().optional() })).min(1),
  mitre: z.array(mitreTechniqueSchema).default([]),
  parameters: z.array(ruleParameterSchema).default([]),
  grouping: ruleGroupingSchema.optional(),
  query: z.strictObject({
    /** What each `?` of the SQL is bound to, in order: windowStart, windowEnd, or a parameter name. */
    bind: z.array(z.string()).default([]),
  }),
  tests: z.array(ruleTestSchema).default([]),
});

/** A validated rule file. */
export type RuleFile = z.infer<typeof ruleFileSchema>;
