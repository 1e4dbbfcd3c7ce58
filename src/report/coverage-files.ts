// What `trailwatch coverage` delivers instead of an evidence bundle: the org snapshot it evaluated and
// coverage.json (the coverage findings as classified, the summary, what could not be audited, the matrix).
import { isComplete, type AuditRun, type CoverageFinding, type CoverageSummary } from '../model.js';
import type { RunErrorEntry } from '../shared/errors.js';
import type { CoverageInput } from '../trails/coverage.js';
import type { CoverageCell } from '../trails/evaluate.js';
import { orgSnapshotText } from '../trails/snapshot.js';
import type { RenderedFile } from './index.js';

/** The coverage.json document. */
export interface CoverageDocument {
  collectedAt: string;
  organizationId: string | null;
  complete: boolean;
  summary: CoverageSummary;
  coverage: CoverageFinding[];
  /** What the coverage audit could not audit (the run's other warnings, such as expired suppressions, are not here). */
  errors: RunErrorEntry[];
  matrix: CoverageCell[];
}

/** The coverage.json document of a run: its classified coverage findings, and the audit it came from. */
export function coverageDocument(run: AuditRun, coverage: CoverageInput): CoverageDocument {
  return {
    collectedAt: coverage.snapshot.collectedAt,
    organizationId: coverage.snapshot.organizationId,
    complete: isComplete(run),
    summary: coverage.summary,
    coverage: run.coverage,
    errors: coverage.errors,
    matrix: coverage.matrix,
  };
}

/** org-snapshot.json and coverage.json, in that order, in memory. */
export function renderCoverageFiles(run: AuditRun, coverage: CoverageInput): RenderedFile[] {
  return [
    { name: 'org-snapshot.json', bytes: orgSnapshotText(coverage.snapshot) },
    { name: 'coverage.json', bytes: `${JSON.stringify(coverageDocument(run, coverage), null, 2)}\n` },
  ];
}
