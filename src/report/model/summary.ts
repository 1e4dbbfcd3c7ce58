// Section 1 of the digest, "Summary": the counts, the tally and subject line, whether the audit was complete
// and whether the day was clean, and the run's identity (organization, day, run id, findings.json's hash).
import type { RunFacts } from '../../model.js';
import { display, formatTime, plural } from './display.js';
import type { DigestModel, ReportInput } from './types.js';

/** What the summary counts, from the sections already built. */
export type SummarySources = Pick<
  DigestModel,
  'alertGroups' | 'reviewGroups' | 'suppressed' | 'coverage' | 'notAudited'
> & { coverageOk: number };

function auditedDay(facts: RunFacts, generatedAt: string): string {
  for (const candidate of [facts.window.since, facts.window.until, generatedAt]) {
    if (candidate && !Number.isNaN(Date.parse(candidate)))
      return new Date(candidate).toISOString().slice(0, 10);
  }
  return generatedAt.slice(0, 10);
}

function buildTally(counts: DigestModel['counts'], suppressedAlerts: number, known: boolean): string {
  const parts: string[] = [];
  const fresh =
    known && counts.alerts > 0
      ? ` (${counts.newAlerts === 0 ? 'none' : counts.newAlerts.toLocaleString('en-US')} new)`
      : '';
  if (suppressedAlerts > 0 && counts.alerts === 0) {
    // Suppressed alerts are never "All clear": the reader is told they exist and where they are listed.
    parts.push(`0 unsuppressed alerts — ${counts.suppressed.toLocaleString('en-US')} suppressed`);
    if (counts.review > 0) parts.push(`${counts.review.toLocaleString('en-US')} to review`);
    if (counts.coverageProblems > 0)
      parts.push(plural(counts.coverageProblems, 'trail problem', 'trail problems'));
  } else if (counts.alerts === 0 && counts.review === 0 && counts.coverageProblems === 0)
    parts.push('All clear');
  else {
    parts.push(`${plural(counts.alerts, 'alert', 'alerts')}${fresh}`);
    parts.push(`${counts.review.toLocaleString('en-US')} to review`);
    if (counts.coverageProblems > 0)
      parts.push(plural(counts.coverageProblems, 'trail problem', 'trail problems'));
  }
  return parts.join(', ');
}

/** What "new" was judged against: the history's previous days, or the baseline being built. */
function noveltyLine(facts: RunFacts): DigestModel['novelty'] {
  const history = facts.history;
  if (!history) return { known: false, line: '' };
  if (history.previousDays === 0) {
    return {
      known: false,
      line: `No history yet: this run starts the baseline. From the next run on, each finding is marked new or recurring (seen in the previous ${plural(history.days, 'day', 'days')}).`,
    };
  }
  return {
    known: true,
    line: `New: not seen in the previous ${plural(history.days, 'day', 'days')} (history of ${plural(history.previousDays, 'day', 'days')} found); recurring ones are one line each.`,
  };
}

/** The summary section: counts, tally, headline, clean line and subject, and the run's identity. */
export function summarySection(
  input: ReportInput,
  from: SummarySources,
): Pick<
  DigestModel,
  | 'subject'
  | 'tally'
  | 'headline'
  | 'complete'
  | 'clean'
  | 'cleanLine'
  | 'organization'
  | 'date'
  | 'generatedAt'
  | 'runId'
  | 'version'
  | 'findingsSha256'
  | 'evidencePath'
  | 'counts'
  | 'novelty'
> {
  const complete = input.facts.complete && from.notAudited.length === 0;
  const rows = [...from.alertGroups, ...from.reviewGroups];
  const counts: DigestModel['counts'] = {
    alerts: from.alertGroups.reduce((sum, g) => sum + g.rows, 0),
    review: from.reviewGroups.reduce((sum, g) => sum + g.rows, 0),
    alertFindings: from.alertGroups.reduce((sum, g) => sum + g.count, 0),
    reviewFindings: from.reviewGroups.reduce((sum, g) => sum + g.count, 0),
    newRows: rows.reduce((sum, g) => sum + g.newRows, 0),
    newAlerts: from.alertGroups.reduce((sum, g) => sum + g.newRows, 0),
    recurringRows: rows.reduce((sum, g) => sum + g.recurringRows, 0),
    suppressed: from.suppressed.count,
    coverageProblems: from.coverage.problems.length,
    coverageOk: from.coverageOk,
    notAudited: from.notAudited.length,
    rulesEvaluated: input.facts.rules.filter((r) => r.status === 'ran').length,
  };
  const suppressedAlerts = from.suppressed.alerts;
  const clean =
    complete &&
    counts.alerts === 0 &&
    counts.review === 0 &&
    counts.coverageProblems === 0 &&
    suppressedAlerts === 0;
  const date = auditedDay(input.facts, input.generatedAt);
  const novelty = noveltyLine(input.facts);
  const tally = buildTally(counts, suppressedAlerts, novelty.known);
  const headline = complete
    ? `Audit complete: ${counts.rulesEvaluated} rules over every account and region in scope.`
    : `Audit INCOMPLETE: ${plural(counts.notAudited, 'item', 'items')} could not be evaluated — see "Not audited". Absence of findings there proves nothing.`;
  const cleanLine = !clean
    ? ''
    : from.coverage.audited
      ? `All clear: no alerts, nothing to review, and every trail in place (${from.coverage.okLine}).`
      : 'All clear: no alerts and nothing to review. Trail coverage was not audited in this run.';
  return {
    // A subject is one header line: display() leaves no newline or invisible character from the name.
    subject: `${tally}${complete ? '' : ' (audit incomplete)'} — ${display(input.facts.organization, 80)} — ${date}`,
    tally,
    headline,
    complete,
    clean,
    cleanLine,
    organization: display(input.facts.organization, 120),
    date,
    generatedAt: formatTime(input.generatedAt),
    runId: display(input.facts.runId, 100),
    version: display(input.facts.trailwatchVersion, 40),
    findingsSha256: input.findingsSha256 ?? 'not computed',
    evidencePath: input.options.evidencePath ?? 'evidence.pdf',
    counts,
    novelty,
  };
}
