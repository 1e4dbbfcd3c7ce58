// One run of trailwatch, as the design reads: discover and audit trails (or replay a snapshot) → query the
// window once → classify → render the digest and evidence → deliver. `demo`, `scan`, `run` and `coverage`
// differ only in the inputs they pass.
import type { AwsDeps } from './aws/clients.js';
import { classifyRun } from './classify/run.js';
import type { Config } from './config/schema.js';
import { openOutput } from './deliver/bundle-folder.js';
import { loadHistory, type HistorySource } from './deliver/history-file.js';
import { previousHistory } from './deliver/s3-history.js';
import { deliverRun, type Deliveries } from './deliver/index.js';
import type { TimeWindow } from './engine/types.js';
import type { AuditRun } from './model.js';
import { renderRun, type RenderedRun } from './report/render.js';
import { recordRun, startRun } from './run-facts.js';
import { loadCatalogue } from './rules/catalogue.js';
import { queryWindow } from './rules/query.js';
import type { Logger } from './shared/log.js';
import { auditedDay } from './shared/window.js';
import { auditTrails, type CoverageInput, type CoverageSource } from './trails/coverage.js';

/** What every run takes. */
interface RunCommon {
  config: Config;
  coverage: CoverageSource;
  outDir: string;
  /** The audited day (YYYY-MM-DD), which names the bundle in the evidence bucket. */
  date?: string;
  /** "Today" for suppression expiry (YYYY-MM-DD); default: the clock's day. */
  today?: string;
}

/** `demo`, `scan` and `run`: every rule over a window of CloudTrail logs, delivered as the evidence bundle. */
export interface BundleRunInput extends RunCommon {
  window: TimeWindow;
  /** The folder of CloudTrail files the embedded engine reads. */
  logs: string;
  output: 'bundle';
  /** Render the digest and evidence PDF (`scan` without --report writes only the data files). */
  report: boolean;
  /** The daily run's deliveries beyond the output folder: email, the evidence bucket, the job summary. */
  deliveries: Deliveries;
  /** Where the previous history is (default: history.json of the previous bundle in outDir). */
  history?: HistorySource;
}

/** `coverage`: the trails alone. No window is queried (no rule runs); org-snapshot.json and coverage.json are written into outDir. */
export interface CoverageRunInput extends RunCommon {
  window: null;
  output: 'coverage-files';
}

/** What one run takes; `demo`, `scan`, `run` and `coverage` fill it differently. */
export type RunInput = BundleRunInput | CoverageRunInput;

/** The run as delivered: its value, the files written (where they are now), the digest, the coverage audit. */
export interface RunResult {
  run: AuditRun;
  files: string[];
  report: Pick<RenderedRun, 'model' | 'email'>;
  coverage: CoverageInput | undefined;
}

/** Runs the audit and delivers it; failures of accounts, files, rules or delivery are data in `errors`. */
export async function runAudit(
  input: RunInput,
  deps: { log: Logger; aws?: AwsDeps; clock?: () => Date },
): Promise<RunResult> {
  const { config, log } = { ...input, log: deps.log };
  const start = startRun(config, input, deps); // its id, clock and one AWS client factory
  const stage = { log, clients: start.clients };
  const out = await openOutput(input, start.runId); // the evidence's private folder, locked (coverage: --out)
  try {
    const rules = await loadCatalogue(config, start.today);
    const coverage = await auditTrails(config, input.coverage, stage);
    const where = { ...input, exclude: [out.dir, out.outDir], coverage }; // the window (if any) and its logs
    const queried = await queryWindow(where, rules, stage);
    const day = input.date ?? auditedDay(queried.facts.window.since, start.startedAt);
    const previous = await loadHistory(previousHistory(input, config, { ...stage, date: day }));
    const classified = classifyRun({ ...queried, ...start, coverage, config, rules, day, previous });
    const run = recordRun(start, config, coverage, queried, classified, previous.problem);
    const rendered = await renderRun(run, { ...input, ...start, rules, coverage, classified }, stage);
    const files = await deliverRun(run, rendered, { ...input, bundle: out, date: day }, stage);
    return { run, files, report: rendered, coverage };
  } catch (error) {
    await out.discard();
    throw error;
  }
}
