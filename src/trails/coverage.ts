// The trail coverage part of a run: discover and audit every account (or replay a saved org snapshot), and
// keep what the later stages and the evidence need. Nothing is written here: the org snapshot is rendered
// into the bundle with everything else.
import type { ClientFactory } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import type { CoverageFinding, CoverageSummary } from '../model.js';
import type { RunErrorEntry } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { startProgress } from '../shared/progress.js';
import { auditCoverage } from './audit.js';
import type { CoverageCell } from './evaluate.js';
import type { OrgSnapshot } from './snapshot.js';

/**
 * Where a run's trail coverage comes from: AWS (reporting the accounts audited as it goes when `progress`, as
 * `trailwatch coverage` does), a saved org snapshot, or nowhere (a scan of local files).
 */
export type CoverageSource =
  { from: 'aws'; progress?: boolean } | { from: 'snapshot'; file: string } | { from: 'none' };

/** Trail coverage results of the run (from a live collection or a snapshot). */
export interface CoverageInput {
  findings: CoverageFinding[];
  summary: CoverageSummary;
  errors: RunErrorEntry[];
  /** The accounts × regions picture for the evidence. */
  matrix: CoverageCell[];
  accounts: { id: string; name: string | null }[];
  /** Audited accounts a logging trail covers: the logs read must hold events of each (else the run says so). */
  loggingAccounts?: string[];
  /** The org snapshot evaluated: saved in the bundle as evidence, and what Athena's tables must project. */
  snapshot: OrgSnapshot;
}

/** Audits trail coverage as `source` says; undefined when the run has none (scanning local files). */
export async function auditTrails(
  config: Config,
  source: CoverageSource,
  deps: { log: Logger; clients: ClientFactory },
): Promise<CoverageInput | undefined> {
  if (source.from === 'none') return undefined;
  const audit = await auditCoverage(
    config,
    deps.log,
    source.from === 'snapshot'
      ? { snapshotFile: source.file }
      : {
          clients: deps.clients,
          ...(source.progress
            ? { progress: (total: number) => startProgress('auditing accounts', total, deps.log) }
            : {}),
        },
  );
  return {
    findings: audit.result.findings,
    summary: audit.result.summary,
    errors: audit.result.errors,
    matrix: audit.result.matrix,
    accounts: audit.snapshot.accounts.map((a) => ({ id: a.id, name: a.name })),
    loggingAccounts: audit.result.loggingAccounts,
    snapshot: audit.snapshot,
  };
}
