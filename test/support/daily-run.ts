// The daily run as `trailwatch run` makes it, for tests that drive it without the CLI: the same inputs
// (coverage from AWS or a snapshot, one UTC day, every delivery) and findings.json's document back.
import { resolveAwsRegion, type AwsDeps } from '../../src/aws/clients.js';
import { checkDailyConfig } from '../../src/config/daily.js';
import type { Config } from '../../src/config/schema.js';
import { findingsDocument, type FindingsFile } from '../../src/model.js';
import { runAudit } from '../../src/run.js';
import type { Logger } from '../../src/shared/log.js';
import { dayWindow } from '../../src/shared/window.js';

/** Options of one daily run. */
export interface DailyRunOptions {
  config: Config;
  date: string;
  outDir: string;
  log: Logger;
  orgSnapshot?: string;
  deps?: AwsDeps;
  /** Send the digest by email when the config has an email section (default true). */
  email?: boolean;
}

/** Runs the daily audit and delivers it, as `trailwatch run` does. */
export async function runDaily(options: DailyRunOptions): Promise<FindingsFile> {
  checkDailyConfig(options.config, options.orgSnapshot);
  const config = await resolveAwsRegion(options.config);
  const { run } = await runAudit(
    {
      config,
      window: dayWindow(options.date),
      date: options.date,
      coverage: options.orgSnapshot ? { from: 'snapshot', file: options.orgSnapshot } : { from: 'aws' },
      logs: config.engine.duckdb.logs ?? '',
      outDir: options.outDir,
      output: 'bundle',
      report: true,
      deliveries: { email: options.email !== false, s3: true, webhook: true, jobSummary: true },
    },
    { log: options.log, ...(options.deps ? { aws: options.deps } : {}) },
  );
  return findingsDocument(run);
}
