// Turns a coverage audit into what the local scan and the report take, saving the org snapshot as evidence.
import { join } from 'node:path';
import type { CoverageInput } from './scan.js';
import { saveOrgSnapshot, type CoverageAudit } from './trails/index.js';

/** Saves the audit's org snapshot in the output folder and returns the coverage part of the run. */
export async function coverageForRun(audit: CoverageAudit, outDir: string): Promise<CoverageInput> {
  const snapshotFile = join(outDir, 'org-snapshot.json');
  await saveOrgSnapshot(snapshotFile, audit.snapshot);
  return {
    findings: audit.result.findings,
    summary: audit.result.summary,
    errors: audit.result.errors,
    matrix: audit.result.matrix,
    accounts: audit.snapshot.accounts.map((a) => ({ id: a.id, name: a.name })),
    loggingAccounts: audit.result.loggingAccounts,
    files: [snapshotFile],
  };
}
