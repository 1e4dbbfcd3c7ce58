import type { FindingsFile, Risk } from '../model.js';

const RISK_RANK: Record<Risk, number> = { high: 0, medium: 1, low: 2 };
import { safeForTerminal } from '../shared/escape.js';
import { redactSecrets } from '../shared/log.js';

/** A short, escaped terminal summary of a run: counts by tier and rule, coverage, and what was not audited. */
export function formatRunSummary(doc: FindingsFile, outDir: string): string {
  const lines: string[] = [];
  const active = doc.findings.filter((f) => !f.suppressed);
  const alerts = active.filter((f) => f.tier === 'alert');
  const review = active.filter((f) => f.tier === 'review');
  const suppressed = doc.findings.length - active.length;
  lines.push(
    `${alerts.length} alert${alerts.length === 1 ? '' : 's'}, ${review.length} to review, ${suppressed} suppressed` +
      ` — ${doc.run.eventsRead.toLocaleString('en-US')} events in ${doc.run.filesRead} files` +
      (doc.run.duplicateEvents > 0
        ? ` (${doc.run.duplicateEvents.toLocaleString('en-US')} duplicate deliveries evaluated once)`
        : ''),
  );
  const byRule = new Map<string, { rule: string; tier: string; risk: string; count: number }>();
  for (const f of active) {
    // By tier and rule: a row-escalated finding counts with the alerts, its siblings with the review items.
    const key = `${f.tier === 'alert' ? 0 : 1}\u0000${f.ruleId}`;
    const entry = byRule.get(key) ?? { rule: f.ruleId, tier: f.tier, risk: f.risk, count: 0 };
    entry.count += 1;
    // Show the rule's highest risk among its findings.
    if (RISK_RANK[f.risk] < RISK_RANK[entry.risk as Risk]) entry.risk = f.risk;
    byRule.set(key, entry);
  }
  // Findings arrive sorted (alerts first, then risk and rule), so insertion order reads right.
  for (const e of byRule.values()) {
    lines.push(`  ${e.tier.padEnd(6)} ${e.risk.padEnd(6)} ${String(e.count).padStart(5)}  ${e.rule}`);
  }
  const history = doc.run.history;
  if (history && history.previousDays === 0)
    lines.push('what is new: no history yet, this run starts the baseline');
  else if (history) {
    const count = (n: string) => active.filter((f) => f.novelty === n).length;
    lines.push(
      `what is new: ${count('new')} new, ${count('recurring')} recurring (against ${history.previousDays} previous day${history.previousDays === 1 ? '' : 's'} of history)`,
    );
  }
  if (doc.coverageSummary) {
    const s = doc.coverageSummary;
    lines.push(
      `coverage: ${s.accountsCovered} of ${s.accountsTotal} accounts and ${s.regionsCovered} of ${s.regionsTotal} account-regions fully covered`,
    );
  }
  const blocking = doc.errors.filter((e) => e.severity !== 'warning');
  const warnings = doc.errors.length - blocking.length;
  if (blocking.length > 0) {
    lines.push(`NOT AUDITED (${blocking.length}):`);
    for (const e of blocking.slice(0, 20)) lines.push(`  ${e.scope} ${e.id}: ${e.code} — ${e.message}`);
    if (blocking.length > 20) lines.push(`  … ${blocking.length - 20} more in findings.json`);
  }
  if (warnings > 0) lines.push(`${warnings} warning${warnings === 1 ? '' : 's'} in findings.json`);
  const stored = doc.run.delivery?.s3;
  if (stored?.status === 'uploaded') lines.push(`evidence stored in ${stored.location}`);
  lines.push(doc.run.complete ? 'audit complete' : 'AUDIT INCOMPLETE');
  lines.push(`outputs in ${outDir}`);
  // Error messages can quote what a server said: credentials are redacted here as at the log sink.
  return lines.map((l) => safeForTerminal(redactSecrets(l))).join('\n');
}

/**
 * JSON for stdout that parses to the same data but is inert on a terminal and in a GitHub Actions log: C1
 * controls and invisible Unicode (which JSON.stringify leaves raw) become `\uXXXX`, and `::` becomes `:\u003a`
 * (a `::` can only occur inside a JSON string, where the escape means the same).
 */
export function inertJson(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replace(
      /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
    )
    .replace(/::/g, ':\\u003a');
}

/** The run summary as data (`--json`): counts, completeness, the run's facts without the SQL, errors, outputs. */
export function runSummaryJson(doc: FindingsFile, outDir: string, exitCode: number): Record<string, unknown> {
  const active = doc.findings.filter((f) => !f.suppressed);
  const { rules, ...facts } = doc.run;
  return {
    runId: doc.run.runId,
    complete: doc.run.complete,
    exitCode,
    counts: {
      alerts: active.filter((f) => f.tier === 'alert').length,
      review: active.filter((f) => f.tier === 'review').length,
      suppressed: doc.findings.length - active.length,
      new: active.filter((f) => f.novelty === 'new').length,
      coverageAlerts: doc.coverage.filter((c) => c.tier === 'alert' && !c.suppressed).length,
      coverageProblems: doc.coverage.filter((c) => !c.suppressed).length,
      errors: doc.errors.filter((e) => e.severity !== 'warning').length,
      warnings: doc.errors.filter((e) => e.severity === 'warning').length,
    },
    run: facts,
    rules: rules.map((r) => ({ ruleId: r.ruleId, status: r.status, findings: r.findings })),
    ...(doc.coverageSummary ? { coverageSummary: doc.coverageSummary } : {}),
    errors: doc.errors,
    outDir,
  };
}

/** Prints the run summary on stdout: the escaped text, or with `json` the data (logs stay on stderr). */
export function printRunSummary(doc: FindingsFile, outDir: string, exitCode: number, json = false): void {
  process.stdout.write(
    `${json ? inertJson(runSummaryJson(doc, outDir, exitCode)) : formatRunSummary(doc, outDir)}\n`,
  );
}
