// The digest model: plain data built from findings, coverage and run facts, from which the email, the
// plain-text part, the evidence PDF and the job summary are all rendered. Pure: no I/O, no clock. One file per
// section of the evidence, in its order; buildDigestModel reads like its table of contents.
import { coverageSection } from './coverage.js';
import { accountNamer } from './display.js';
import { errorsSection } from './errors.js';
import { findingSections } from './findings.js';
import { scopeSection } from './scope.js';
import { summarySection } from './summary.js';
import { suppressedSection } from './suppressed.js';
import type { RunErrorEntry } from '../../shared/errors.js';
import { withLateProblems } from './errors.js';
import type { DigestModel, ReportInput } from './types.js';

export type * from './types.js';
export {
  display,
  formatBytes,
  formatDuration,
  plural,
  safeUrl,
  FIELD_LIMIT,
  SUMMARY_LIMIT,
} from './display.js';
export { isWarning, withLateProblems } from './errors.js';

/** Builds the digest model from the run's findings, coverage, errors and facts. Pure. */
export function buildDigestModel(input: ReportInput): DigestModel {
  const nameOf = accountNamer(input);
  // The sections the summary counts come first; the model lists them in the evidence's order.
  const coverage = coverageSection(input, nameOf); //                          3. Trail coverage
  const findings = findingSections(input, nameOf); //                          4. Alerts, 5. To review
  const suppressed = suppressedSection(input, nameOf); //                      6. Suppressed
  const errors = errorsSection(input, nameOf); //                              7. Errors and incompleteness
  const summary = summarySection(input, { ...findings, ...coverage, ...suppressed, ...errors }); // 1. Summary
  const scope = scopeSection(input, coverage.matrix, nameOf); //               2. Scope and method
  return { ...summary, ...findings, ...coverage, ...errors, ...suppressed, ...scope };
}

/**
 * The model with the evidence print's outcome, added after printing without building it again: where the
 * full list is (evidence.pdf, or findings.json when none was written) and the print's problems.
 */
export function withPdfOutcome(
  model: DigestModel,
  outcome: { written: boolean; problems: readonly RunErrorEntry[] },
): DigestModel {
  return {
    ...withLateProblems(model, outcome.problems),
    evidencePath: outcome.written ? 'evidence.pdf' : 'findings.json',
  };
}
