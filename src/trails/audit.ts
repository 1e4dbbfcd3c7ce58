// The coverage audit as one step, which every run with trail coverage takes (trails/coverage.ts): collect an
// org snapshot (or load a saved one), then evaluate it.
import type { Config } from '../config/schema.js';
import type { ClientFactory } from '../aws/clients.js';
import { isIncomplete } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { collectOrgSnapshot, type ProgressFactory } from './collect.js';
import { evaluateCoverage, type CoverageResult } from './evaluate.js';
import { loadOrgSnapshot, type OrgSnapshot } from './snapshot.js';

/** Where the snapshot comes from: a saved org snapshot evaluated offline, or AWS, with the run's clients. */
export type CoverageAuditOptions =
  { snapshotFile: string } | { clients: ClientFactory; progress?: ProgressFactory };

/**
 * A coverage audit's snapshot and evaluation; complete is false when anything could not be audited (a
 * warning, such as a SUSPENDED account named as not audited, leaves it complete).
 */
export interface CoverageAudit {
  snapshot: OrgSnapshot;
  result: CoverageResult;
  complete: boolean;
}

/**
 * Evaluates a snapshot with the config's thresholds. "Now" is the snapshot's collection time, so a replayed
 * snapshot gives the same answer as on the day it was taken.
 */
export function evaluateSnapshot(snapshot: OrgSnapshot, config: Pick<Config, 'coverage'>): CoverageAudit {
  const result = evaluateCoverage(snapshot, {
    now: snapshot.collectedAt,
    deliveryLagHours: config.coverage.deliveryLagHours,
    ...(config.coverage.logArchiveAccountId
      ? { logArchiveAccountId: config.coverage.logArchiveAccountId }
      : {}),
  });
  return { snapshot, result, complete: !isIncomplete(result.errors) };
}

/** Collects (or loads) the org snapshot and evaluates it. Throws InputError for an unusable snapshot file. */
export async function auditCoverage(
  config: Config,
  log: Logger,
  options: CoverageAuditOptions,
): Promise<CoverageAudit> {
  if ('snapshotFile' in options) {
    const snapshot = await loadOrgSnapshot(options.snapshotFile);
    log.info('org snapshot loaded', { accounts: snapshot.accounts.length });
    return evaluateSnapshot(snapshot, config);
  }
  return evaluateSnapshot(await collectOrgSnapshot(config, options.clients, log, options.progress), config);
}
