import type { Suppression } from '../config/schema.js';
import type { Finding, Risk, Tier } from '../model.js';
import type { RawFinding } from '../rules/evaluate.js';

const TIER_ORDER: Record<Tier, number> = { alert: 0, review: 1 };
const RISK_ORDER: Record<Risk, number> = { high: 0, medium: 1, low: 2 };

/** Whether a suppression is still in force on `today` (YYYY-MM-DD): it applies through its expiry date. */
export function suppressionActive(suppression: Suppression, today: string): boolean {
  return suppression.expires === undefined || suppression.expires.slice(0, 10) >= today;
}

function matches(s: Suppression, f: RawFinding): boolean {
  if (s.rule !== f.ruleId && s.rule !== '*') return false;
  if (s.accountId !== undefined && s.accountId !== f.accountId) return false;
  if (s.region !== undefined && s.region !== f.region) return false;
  if (s.principal !== undefined && s.principal !== f.principal) return false;
  if (s.eventName !== undefined && s.eventName !== f.eventName) return false;
  if (s.sourceIp !== undefined && s.sourceIp !== f.sourceIp) return false;
  return true;
}

/**
 * Applies suppressions (a suppressed finding is kept, marked, and carries the reason) and orders findings:
 * alerts first, then by risk, rule and time.
 */
export function classifyFindings(
  raw: readonly RawFinding[],
  suppressions: readonly Suppression[],
  today: string,
): Finding[] {
  const active = suppressions.filter((s) => suppressionActive(s, today));
  return raw
    .map((f): Finding => {
      const hit = active.find((s) => matches(s, f));
      return hit
        ? { ...f, suppressed: true, suppression: { reason: hit.reason, expires: hit.expires ?? null } }
        : { ...f, suppressed: false };
    })
    .sort(
      (a, b) =>
        TIER_ORDER[a.tier] - TIER_ORDER[b.tier] ||
        RISK_ORDER[a.risk] - RISK_ORDER[b.risk] ||
        a.ruleId.localeCompare(b.ruleId) ||
        (a.eventTime ?? '').localeCompare(b.eventTime ?? '') ||
        (a.eventId ?? '').localeCompare(b.eventId ?? ''),
    );
}

/** Suppressions whose expiry has passed: listed in the run so nobody believes they still apply. */
export function expiredSuppressions(suppressions: readonly Suppression[], today: string): Suppression[] {
  return suppressions.filter((s) => !suppressionActive(s, today));
}
