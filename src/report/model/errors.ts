// Section 7 of the digest, "Errors and incompleteness": what could not be audited (an account, region,
// rule or file, with the reason), the problems producing the report itself, and the warnings.
import type { RunErrorEntry } from '../../shared/errors.js';
import { display, type NameOf } from './display.js';
import type { DigestModel, NotAuditedItem, ReportInput } from './types.js';

/** Error scopes that are gaps in the audit; the others (report, delivery) are problems producing it. */
const AUDIT_SCOPES = new Set(['account', 'region', 'rule', 'file', 'engine', 'run']);

function errorLabel(entry: RunErrorEntry, nameOf: NameOf): string {
  if (entry.scope === 'account') return `account ${entry.id} (${nameOf(entry.id)})`;
  if (entry.scope === 'region') {
    const [account, region] = entry.id.split('/');
    return `account ${account ?? entry.id} (${nameOf(account ?? null)}), region ${region ?? '?'}`;
  }
  return `${entry.scope} ${entry.id}`;
}

/**
 * A warning is said but does not make the audit incomplete.
 */
export function isWarning(entry: RunErrorEntry): boolean {
  return entry.severity === 'warning';
}

/**
 * The model with problems that came after it was built (a failed delivery) added to its report problems,
 * shown like every other run error.
 */
export function withLateProblems(model: DigestModel, entries: readonly RunErrorEntry[]): DigestModel {
  if (entries.length === 0) return model;
  // Late problems are not account- or region-scoped, so no account names are needed to label them.
  const late = entries.map((e) => toItem(e, (id) => id ?? ''));
  return { ...model, reportProblems: [...model.reportProblems, ...late] };
}

function toItem(entry: RunErrorEntry, nameOf: NameOf): NotAuditedItem {
  return {
    scope: entry.scope,
    id: display(entry.id, 120),
    label: display(
      AUDIT_SCOPES.has(entry.scope) ? errorLabel(entry, nameOf) : `${entry.scope} ${entry.id}`,
      200,
    ),
    code: display(entry.code, 80),
    reason: display(entry.message, 500),
  };
}

function buildNotAudited(input: ReportInput, nameOf: NameOf): NotAuditedItem[] {
  const items = new Map<string, NotAuditedItem>();
  const add = (item: NotAuditedItem) => {
    const key = `${item.scope}:${item.id}`;
    if (!items.has(key)) items.set(key, item);
  };
  for (const entry of input.errors) {
    if (!AUDIT_SCOPES.has(entry.scope) || isWarning(entry)) continue;
    add({
      scope: entry.scope,
      id: display(entry.id, 120),
      label: display(errorLabel(entry, nameOf), 200),
      code: display(entry.code, 80),
      reason: display(entry.message, 500),
    });
  }
  // A rule that is not configured is said among the warnings; it does not make the audit incomplete.
  for (const run of input.facts.rules) {
    if (run.status !== 'failed') continue;
    add({
      scope: 'rule',
      id: display(run.ruleId, 80),
      label: display(`rule ${run.ruleId} (${run.title})`, 200),
      code: 'rule-failed',
      reason: display(run.reason ?? run.status, 500),
    });
  }
  for (const cell of input.coverageMatrix ?? []) {
    if (cell.status !== 'not-audited') continue;
    add({
      scope: 'region',
      id: `${cell.accountId}/${cell.region}`,
      label: display(`account ${cell.accountId} (${nameOf(cell.accountId)}), region ${cell.region}`, 200),
      code: 'region-not-audited',
      reason: display(cell.checks.join(', ') || 'the trail audit could not evaluate this region', 500),
    });
  }
  return [...items.values()];
}

/** The errors section: not audited (the audit is incomplete), report problems, and warnings. */
export function errorsSection(
  input: ReportInput,
  nameOf: NameOf,
): Pick<DigestModel, 'notAudited' | 'reportProblems' | 'warnings'> {
  return {
    notAudited: buildNotAudited(input, nameOf),
    reportProblems: input.errors
      .filter((e) => !AUDIT_SCOPES.has(e.scope) && !isWarning(e))
      .map((e) => toItem(e, nameOf)),
    warnings: input.errors.filter(isWarning).map((e) => toItem(e, nameOf)),
  };
}
