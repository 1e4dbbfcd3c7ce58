// Grouping: findings of one rule that are "the same thing happening again" collapse into one group with a
// count, first and last time, and the regions and accounts it spans. The default is rule + principal (the
// role's ARN for assumed-role sessions, so every CI run is one principal) + event name + account; a rule
// can say otherwise in its YAML (`grouping.by`), as the threshold rules do (principal + source IP). The
// group key is also what the history remembers from day to day. Pure: no I/O, no clock.
import { createHash } from 'node:crypto';
import type { Finding, Novelty, Risk, Tier } from '../model.js';
import type { GroupField, RuleDefinition, RuleGrouping } from '../rules/types.js';
import { roleArnOfSession } from './match.js';

export type { GroupField, RuleGrouping };

/** Every group field, in the order keys are written. */
export const GROUP_FIELDS: readonly GroupField[] = [
  'principal',
  'eventName',
  'accountId',
  'sourceIp',
  'region',
];

/** What a rule groups on when its YAML does not say. */
export const DEFAULT_GROUP_BY: readonly GroupField[] = ['principal', 'eventName', 'accountId'];

/** A rule's grouping with its fields spelled out. */
export interface Grouping {
  by: readonly GroupField[];
  newSourceIp: boolean;
}

/** The grouping of a rule without a `grouping` block. */
export const DEFAULT_GROUPING: Grouping = { by: DEFAULT_GROUP_BY, newSourceIp: false };

/** A rule id → its grouping; unknown rules group by default. */
export type GroupingOf = (ruleId: string) => Grouping;

/** The grouping of each of `rules` (their `grouping` blocks, defaults filled in); other ids: the default. */
export function groupingOfRules(rules: readonly Pick<RuleDefinition, 'id' | 'grouping'>[]): GroupingOf {
  const known = new Map<string, Grouping>();
  for (const rule of rules) {
    if (!rule.grouping) continue;
    known.set(rule.id, { by: rule.grouping.by ?? DEFAULT_GROUP_BY, newSourceIp: rule.grouping.newSourceIp });
  }
  return (ruleId) => known.get(ruleId) ?? DEFAULT_GROUPING;
}

/** Values longer than this are kept in a key as their SHA-256: a 10 MB principal must not fill the history. */
export const KEY_VALUE_LIMIT = 256;

/** The rule id and grouped-on values of a group: its identity, today and in the history. */
export interface GroupKey {
  rule: string;
  principal?: string | null;
  eventName?: string | null;
  accountId?: string | null;
  sourceIp?: string | null;
  region?: string | null;
}

/** The principal a group is keyed on: the role behind an assumed-role session, else the principal. */
export function groupPrincipal(principal: string | null): string | null {
  if (principal === null) return null;
  return roleArnOfSession(principal) ?? principal;
}

/** A value as a key holds it: itself, or `sha256:<hex>` when it is very long. */
export function keyValue(value: string | null): string | null {
  if (value === null || value.length <= KEY_VALUE_LIMIT) return value;
  return `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

type Keyed = Pick<Finding, 'ruleId' | GroupField>;

/** The key of the group a finding belongs to. */
export function groupKeyOf(finding: Keyed, by: readonly GroupField[]): GroupKey {
  const key: GroupKey = { rule: finding.ruleId };
  for (const field of GROUP_FIELDS) {
    if (!by.includes(field)) continue;
    key[field] = keyValue(field === 'principal' ? groupPrincipal(finding.principal) : finding[field]);
  }
  return key;
}

/** One string per group key (rule first, fields in a fixed order), for maps and comparisons. */
export function keyString(key: GroupKey): string {
  return JSON.stringify([
    key.rule,
    ...GROUP_FIELDS.map((f) => (f in key ? [f, key[f] ?? null] : null)).filter((v) => v !== null),
  ]);
}

/** A group of findings. */
export interface FindingGroup {
  key: GroupKey;
  /** keyString(key) plus the tier and whether suppressed: one row of the digest. */
  id: string;
  ruleId: string;
  tier: Tier;
  /** The worst risk among its findings. */
  risk: Risk;
  suppressed: boolean;
  /** Its findings, oldest first. */
  findings: Finding[];
  /** Findings in the group. */
  count: number;
  firstTime: string | null;
  lastTime: string | null;
  /** Distinct regions and accounts, sorted. */
  regions: string[];
  accounts: string[];
  /** Every event id behind the group (an aggregate finding's ids included), in time order, no repeats. */
  eventIds: string[];
  novelty: Novelty;
  /** Source IPs of the group never seen for its principal in the history (rules that watch them). */
  newSourceIps: string[];
}

const RISK_ORDER: Record<Risk, number> = { high: 0, medium: 1, low: 2 };

function byTime(a: Finding, b: Finding): number {
  return (
    (a.eventTime ?? '').localeCompare(b.eventTime ?? '') || (a.eventId ?? '').localeCompare(b.eventId ?? '')
  );
}

function distinct(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null && v !== ''))].sort();
}

/**
 * Groups findings: same rule, tier, suppression state and group key (see RuleGrouping) → one group. A
 * group's novelty is its findings' (classify gives a group's findings one novelty); groups come in the
 * order of their first finding.
 */
export function groupFindings(findings: readonly Finding[], groupingOf: GroupingOf): FindingGroup[] {
  const groups = new Map<string, { key: GroupKey; list: Finding[] }>();
  for (const finding of findings) {
    const key = groupKeyOf(finding, groupingOf(finding.ruleId).by);
    const id = JSON.stringify([keyString(key), finding.tier, finding.suppressed]);
    const entry = groups.get(id);
    if (entry) entry.list.push(finding);
    else groups.set(id, { key, list: [finding] });
  }
  const out: FindingGroup[] = [];
  for (const [id, { key, list }] of groups) {
    const sorted = [...list].sort(byTime);
    const first = sorted[0];
    if (!first) continue;
    const times = sorted.map((f) => f.eventTime).filter((t): t is string => t !== null);
    const eventIds = [
      ...new Set(sorted.flatMap((f) => f.eventIds ?? (f.eventId === null ? [] : [f.eventId]))),
    ];
    out.push({
      key,
      id,
      ruleId: first.ruleId,
      tier: first.tier,
      risk: sorted.reduce<Risk>((w, f) => (RISK_ORDER[f.risk] < RISK_ORDER[w] ? f.risk : w), first.risk),
      suppressed: first.suppressed,
      findings: sorted,
      count: sorted.length,
      firstTime: times[0] ?? null,
      lastTime: times[times.length - 1] ?? null,
      regions: distinct(sorted.map((f) => f.region)),
      accounts: distinct(sorted.map((f) => f.accountId)),
      eventIds,
      novelty: first.novelty ?? 'unknown',
      newSourceIps: distinct(sorted.filter((f) => f.newSourceIp).map((f) => f.sourceIp)),
    });
  }
  return out;
}
