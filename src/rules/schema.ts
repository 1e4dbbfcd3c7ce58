import { z } from 'zod';

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case id');

/** A parameter a rule takes from the config. */
export const ruleParameterSchema = z.strictObject({
  name: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'a camelCase name'),
  type: z.enum(['string', 'integer', 'string-list']),
  description: z.string().min(1),
  default: z.union([z.string(), z.number(), z.array(z.string())]).optional(),
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

/** A rule file (rules/<id>.yaml). Keys in this order: id, title, tier, risk, why, next, references, parameters, query, tests. */
export const ruleFileSchema = z.strictObject({
  id: kebab,
  title: z.string().min(1).max(80),
  tier: z.enum(['alert', 'review']),
  risk: z.enum(['high', 'medium', 'low']),
  why: z.string().min(1),
  next: z.string().min(1),
  references: z.array(z.strictObject({ title: z.string().min(1), url: z.url().optional() })).min(1),
  parameters: z.array(ruleParameterSchema).default([]),
  query: z.strictObject({
    /** What each `?` of the SQL is bound to, in order: windowStart, windowEnd, or a parameter name. */
    bind: z.array(z.string()).default([]),
  }),
  tests: z.array(ruleTestSchema).default([]),
});

/** A validated rule file. */
export type RuleFile = z.infer<typeof ruleFileSchema>;
