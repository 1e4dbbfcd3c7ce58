// One run of trailwatch, as the design reads: discover and audit trails (or replay a snapshot) → query the
// window once → classify → render the digest and evidence → deliver. `demo`, `scan` and `run` differ only in
// the inputs they pass.
import type { AwsDeps } from './aws/clients.js';
import { classifyRun } from './classify/run.js';
import type { Config } from './config/schema.js';
import { openBundle } from './deliver/bundle-folder.js';
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
import { auditTrails, type CoverageSource } from './trails/coverage.js';

/** What one run takes; `demo`, `scan` and `run` fill it differently. */
export interface RunInput {
  config: Config;
  window: TimeWindow;
  /** The audited day (YYYY-MM-DD), which names the bundle in the evidence bucket. */
  date?: string;
  coverage: CoverageSource;
  /** The folder of CloudTrail files the embedded engine reads. */
  logs: string;
  outDir: string;
  /** Render the digest and evidence PDF (`scan` without --report writes only the data files). */
  report: boolean;
  /** The daily run's deliveries beyond the output folder: email, the evidence bucket, the job summary. */
  deliveries: Deliveries;
  /** "Today" for suppression expiry (YYYY-MM-DD); default: the clock's day. */
  today?: string;
  /** Where the previous history is (default: history.json of the previous bundle in outDir). */
  history?: HistorySource;
}

/** Runs the audit and delivers it; failures of accounts, files, rules or delivery are data in `errors`. */
export async function runAudit(
  input: RunInput,
  deps: { log: Logger; aws?: AwsDeps; clock?: () => Date },
): Promise<{ run: AuditRun; files: string[]; report: Pick<RenderedRun, 'model' | 'email'> }> {
  const { config, log } = { ...input, log: deps.log };
  const start = startRun(config, input, deps); // its id, clock and one AWS client factory
  const stage = { log, clients: start.aws.clients };
  const bundle = await openBundle(input.outDir, start.runId); // the evidence's private folder, locked
  try {
    const rules = await loadCatalogue(config, start.today);
    const coverage = await auditTrails(config, input.coverage, { log, aws: start.aws });
    const where = { ...input, exclude: [bundle.dir, bundle.outDir], coverage };
    const queried = await queryWindow(where, rules, stage);
    const day = input.date ?? auditedDay(queried.facts.window.since, start.startedAt);
    const history =
      input.history ?? previousHistory(bundle.outDir, config, { ...stage, ...input.deliveries, date: day });
    const previous = await loadHistory(history);
    const classified = classifyRun({ ...queried, ...start, coverage, config, rules, day, previous });
    const run = recordRun(start, config, coverage, queried, classified, previous.problem);
    const rendered = await renderRun(run, { ...input, ...start, rules, coverage, classified }, stage);
    const files = await deliverRun(run, rendered, { ...input.deliveries, bundle, config, date: day }, stage);
    return { run, files, report: rendered };
  } catch (error) {
    await bundle.discard();
    throw error;
  }
}
