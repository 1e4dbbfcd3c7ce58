// The run as a value: how it starts (its id, clock and the one AWS client factory) and how the stages'
// results become one AuditRun (facts, findings, errors in the order findings.json lists them). It is the
// run's own, beside run.ts, which alone calls it: not a stage, and not model.ts (ranked with shared/, which
// may not import the stages' results this assembles, nor the client factory).
import { randomBytes } from 'node:crypto';
import { clientsFor, type AwsDeps, type ClientFactory } from './aws/clients.js';
import type { ClassifiedRun } from './classify/run.js';
import type { Config } from './config/schema.js';
import type { AuditRun } from './model.js';
import type { QueriedWindow } from './rules/query.js';
import type { RunErrorEntry } from './shared/errors.js';
import { VERSION } from './shared/version.js';
import type { CoverageInput } from './trails/coverage.js';

/** A run id that sorts by time and is unique enough to name an evidence bundle. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z-${randomBytes(3).toString('hex')}`;
}

/** A run as it starts. */
export interface RunStart {
  runId: string;
  startedAt: Date;
  /** YYYY-MM-DD: the day suppressions' expiry is judged on. */
  today: string;
  clock: () => Date;
  /** The run's one AWS client factory, which every stage uses (the hub-role chain is built once, here). */
  clients: ClientFactory;
}

/** Starts a run: its id and clock, and the one client factory every stage uses (nothing is called yet). */
export function startRun(
  config: Config,
  options: { today?: string },
  deps: { aws?: AwsDeps; clock?: () => Date },
): RunStart {
  const clock = deps.clock ?? (() => new Date());
  const startedAt = clock();
  return {
    runId: newRunId(startedAt),
    startedAt,
    today: options.today ?? startedAt.toISOString().slice(0, 10),
    clock,
    clients: clientsFor(config, deps.aws),
  };
}

/** The CI run that produced this, when on GitHub Actions. */
function ciRunUrl(): { ciRunUrl?: string } {
  const { GITHUB_RUN_ID: id, GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo } = process.env;
  return id && server && repo ? { ciRunUrl: `${server}/${repo}/actions/runs/${id}` } : {};
}

/** The stages' results as one run value. */
export function recordRun(
  start: RunStart,
  config: Config,
  coverage: CoverageInput | undefined,
  queried: QueriedWindow,
  classified: ClassifiedRun,
  historyProblem: RunErrorEntry | undefined,
): AuditRun {
  return {
    facts: {
      runId: start.runId,
      trailwatchVersion: VERSION,
      organization: config.organization,
      startedAt: start.startedAt.toISOString(),
      finishedAt: start.clock().toISOString(),
      ...queried.facts,
      history: classified.history,
      ...ciRunUrl(),
    },
    findings: classified.findings,
    coverage: classified.coverage,
    ...(coverage ? { coverageSummary: coverage.summary } : {}),
    suppressions: classified.suppressions,
    errors: [
      ...queried.errors,
      ...(coverage?.errors ?? []),
      ...queried.projection,
      ...classified.warnings,
      ...(historyProblem ? [historyProblem] : []),
      ...queried.gaps,
    ],
  };
}
