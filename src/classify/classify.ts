// The classify stage: rule findings and coverage findings, the suppressions and today's date in; the
// classified findings, ordered, and what every suppression did, out. Pure: no I/O, no clock.
import type { RuleOverride, Suppression } from '../config/schema.js';
import { suppressionLabel } from '../config/suppressions.js';
import type { CoverageFinding, Finding, Risk, SuppressionRef, SuppressionStatus, Tier } from '../model.js';
import type { RawFinding } from '../rules/evaluate.js';
import type { RunErrorEntry } from '../shared/errors.js';
import { DEFAULT_GROUPING, groupFindings, groupKeyOf, type FindingGroup, type GroupingOf } from './group.js';
import { baselineFrom, type HistoryDay } from './history.js';
import { compileSuppression, type MatchSubject } from './match.js';
import { withConfiguredTierAndRisk, type RuleDefaults } from './overrides.js';

const TIER_ORDER: Record<Tier, number> = { alert: 0, review: 1 };
const RISK_ORDER: Record<Risk, number> = { high: 0, medium: 1, low: 2 };

/** Suppressions expiring within this many days are flagged in the digest. */
export const EXPIRY_WARNING_DAYS = 14;

/** Whether a suppression is still in force on `today` (YYYY-MM-DD): it applies through its expiry date. */
export function suppressionActive(suppression: Suppression, today: string): boolean {
  return suppression.expires >= today;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** What classify takes: the run's findings, the configured suppressions, and the day they are judged on. */
export interface ClassifyInput {
  findings: readonly RawFinding[];
  coverage?: readonly CoverageFinding[];
  suppressions: readonly Suppression[];
  /** The config's per-rule settings (`rules`): their tier and risk replace the rule files' defaults. */
  overrides?: Readonly<Record<string, RuleOverride>>;
  /** The catalogue's rules, whose own risk tells a row's escalation (kept) from the default (overridden). */
  rules?: readonly RuleDefaults[];
  /** YYYY-MM-DD: a suppression applies through its expiry date. */
  today: string;
  /** How each rule groups its findings (default: principal, event name, account). */
  grouping?: GroupingOf;
  /** The history's previous days (see lookback): none, and every finding's novelty is `unknown`. */
  previousDays?: readonly HistoryDay[];
}

/** The classified run. */
export interface Classified {
  findings: Finding[];
  /**
   * The findings grouped (each rule with its grouping; tier and suppression apart), in the order of their
   * first finding: the rows the digest and evidence show.
   */
  groups: FindingGroup[];
  coverage: CoverageFinding[];
  suppressions: SuppressionStatus[];
  /** Warnings for the run's errors: every expired suppression, with what it shows again. */
  warnings: RunErrorEntry[];
}

function coverageSubject(c: CoverageFinding): MatchSubject {
  return {
    ruleId: c.checkId,
    accountId: c.accountId,
    region: c.region,
    principal: null,
    eventName: null,
    sourceIp: null,
    userAgent: null,
  };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    TIER_ORDER[a.tier] - TIER_ORDER[b.tier] ||
    RISK_ORDER[a.risk] - RISK_ORDER[b.risk] ||
    a.ruleId.localeCompare(b.ruleId) ||
    (a.eventTime ?? '').localeCompare(b.eventTime ?? '') ||
    (a.eventId ?? '').localeCompare(b.eventId ?? '')
  );
}

/**
 * Gives each rule finding its configured tier and risk; applies suppressions to rule and coverage findings
 * alike (the first active suppression that matches wins; a suppressed finding is kept and marked with it);
 * judges each finding's group new or recurring against the history's previous days (and a watched
 * principal's source IP new or not); orders findings (alerts first, then by risk, rule and time); and reports
 * what each suppression did: how many it hid, or, once expired, how many it shows again; and groups the
 * findings as each rule says (the digest's rows).
 */
export function classify(input: ClassifyInput): Classified {
  const compiled = input.suppressions.map((s, index) => ({
    s,
    index,
    test: compileSuppression(s),
    active: suppressionActive(s, input.today),
    matched: 0,
    shownAgain: 0,
  }));
  const active = compiled.filter((c) => c.active);
  const expired = compiled.filter((c) => !c.active);
  const decide = (subject: MatchSubject): SuppressionRef | null => {
    const hit = active.find((c) => c.test(subject));
    if (!hit) {
      for (const c of expired) if (c.test(subject)) c.shownAgain += 1;
      return null;
    }
    hit.matched += 1;
    return {
      id: suppressionLabel(hit.s, hit.index),
      index: hit.index,
      reason: hit.s.reason,
      owner: hit.s.owner ?? null,
      expires: hit.s.expires,
    };
  };
  const groupingOf = input.grouping ?? (() => DEFAULT_GROUPING);
  const baseline = baselineFrom(input.previousDays ?? []);
  const defaults = new Map((input.rules ?? []).map((r) => [r.id, r]));
  const findings = input.findings
    .map((f) => withConfiguredTierAndRisk(f, input.overrides ?? {}, defaults))
    .map((f): Finding => {
      const ref = decide(f);
      const grouping = groupingOf(f.ruleId);
      const seen: Pick<Finding, 'novelty' | 'newSourceIp'> = {
        novelty: baseline.novelty(groupKeyOf(f, grouping.by)),
        ...(grouping.newSourceIp && baseline.newSourceIp(f.principal, f.sourceIp)
          ? { newSourceIp: true }
          : {}),
      };
      return ref
        ? { ...f, suppressed: true, suppression: ref, ...seen }
        : { ...f, suppressed: false, ...seen };
    })
    .sort(compareFindings);
  const coverage = (input.coverage ?? []).map((c): CoverageFinding => {
    const { suppression: _previous, ...rest } = c;
    const ref = decide(coverageSubject(c));
    return ref ? { ...rest, suppressed: true, suppression: ref } : { ...rest, suppressed: false };
  });
  const suppressions = compiled.map(
    ({ s, index, active: isActive, matched, shownAgain }): SuppressionStatus => {
      const match: Record<string, string> = {};
      for (const key of ['accountId', 'region', 'principal', 'eventName', 'sourceIp', 'userAgent'] as const) {
        const value = s[key];
        if (value !== undefined) match[key] = value;
      }
      return {
        id: suppressionLabel(s, index),
        index,
        rule: s.rule,
        match,
        reason: s.reason,
        owner: s.owner ?? null,
        expires: s.expires,
        state: isActive ? 'active' : 'expired',
        matched,
        shownAgain,
        daysLeft: daysBetween(input.today, s.expires),
      };
    },
  );
  const warnings = suppressions
    .filter((s) => s.state === 'expired')
    .map((s): RunErrorEntry => ({
      scope: 'run',
      id: `suppression:${s.id}`,
      code: 'suppression-expired',
      message: `suppression ${s.id} (${s.rule}) expired on ${s.expires} — ${s.shownAgain} finding${s.shownAgain === 1 ? '' : 's'} shown again (${s.reason})`,
      severity: 'warning',
    }));
  return { findings, groups: groupFindings(findings, groupingOf), coverage, suppressions, warnings };
}

/** Suppressions that expire within EXPIRY_WARNING_DAYS of the run's date (still active). */
export function expiringSoon(statuses: readonly SuppressionStatus[]): SuppressionStatus[] {
  return statuses.filter((s) => s.state === 'active' && s.daysLeft <= EXPIRY_WARNING_DAYS);
}
