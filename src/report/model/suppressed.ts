// Section 6 of the digest, "Suppressed": the suppressed findings grouped by rule, the suppressed coverage
// problems, and every configured suppression with what it did (expired, expiring soon, unused).
import { EXPIRY_WARNING_DAYS } from '../../classify/classify.js';
import type { SuppressionStatus } from '../../model.js';
import { toCoverageProblem } from './coverage.js';
import { display, type NameOf } from './display.js';
import { buildGroups, rulesById } from './findings.js';
import type { DigestModel, DigestSuppression, ReportInput } from './types.js';

function toDigestSuppression(s: SuppressionStatus): DigestSuppression {
  const match = Object.entries(s.match)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  return {
    id: display(s.id, 80),
    rule: display(s.rule, 80),
    match: display(match, 400),
    reason: display(s.reason),
    owner: display(s.owner, 120),
    expires: display(s.expires, 40),
    state: s.state,
    matched: s.matched,
    shownAgain: s.shownAgain,
    daysLeft: s.daysLeft,
  };
}

/** The suppressed section, and how many suppressed items were alerts (a day with any is never "All clear"). */
export function suppressedSection(
  input: ReportInput,
  nameOf: NameOf,
): Pick<DigestModel, 'suppressed' | 'suppressedGroups'> {
  const maxEvents = Math.max(0, Math.floor(input.options.maxEventsPerGroup));
  const suppressedFindings = input.findings.filter((f) => f.suppressed);
  const suppressedGroups = buildGroups(
    input.groups.filter((g) => g.suppressed),
    rulesById(input),
    nameOf,
    maxEvents,
  );
  const suppressedCoverage = input.coverage
    .filter((c) => c.suppressed)
    .map((c) => toCoverageProblem(c, nameOf));
  const alerts =
    suppressedFindings.filter((f) => f.tier === 'alert').length +
    input.coverage.filter((c) => c.suppressed && c.tier === 'alert').length;
  const all = (input.suppressions ?? []).map(toDigestSuppression);
  return {
    suppressed: {
      count: suppressedFindings.length + suppressedCoverage.length,
      alerts,
      ruleIds: suppressedGroups.map((g) => g.ruleId),
      coverage: suppressedCoverage,
      all,
      expired: all.filter((s) => s.state === 'expired'),
      expiringSoon: all.filter((s) => s.state === 'active' && s.daysLeft <= EXPIRY_WARNING_DAYS),
      unused: all.filter((s) => s.state === 'active' && s.matched === 0),
    },
    suppressedGroups,
  };
}
