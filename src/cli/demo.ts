import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { coverageForRun } from '../coverage-input.js';
import { generateSampleOrg, DEFAULT_DATE } from '../samples/generate.js';
import { notePlacement, withBundle } from '../deliver/bundle-folder.js';
import { newRunId, scanLocal } from '../scan.js';
import { createLogger } from '../shared/log.js';
import { PROJECT_ROOT } from '../shared/version.js';
import { dayWindow } from '../shared/window.js';
import { auditCoverage } from '../trails/index.js';
import { exitCodeFor, type SetExit } from './exit-code.js';
import { reportWriterFor } from './report.js';
import { SAMPLE_LOGS_DIR } from './samples.js';
import { formatRunSummary } from './summary.js';

/** The demo organization's configuration and org snapshot, shipped in samples/. */
export const DEMO_CONFIG = join(PROJECT_ROOT, 'samples', 'trailwatch.demo.yaml');
export const DEMO_SNAPSHOT = join(PROJECT_ROOT, 'samples', 'org-snapshot.json');

/** `trailwatch demo`: the whole pipeline on the bundled sample organization, offline. */
export function registerDemo(program: Command, setExit: SetExit): void {
  program
    .command('demo')
    .description('Run the whole pipeline on the bundled sample organization, offline')
    .option('--out <dir>', 'output folder', 'out')
    .action(async (opts: { out: string }) => {
      const log = createLogger();
      if (!existsSync(join(SAMPLE_LOGS_DIR, 'manifest.json'))) {
        log.info('generating the sample organization (first run only)', { dir: SAMPLE_LOGS_DIR });
        await generateSampleOrg(SAMPLE_LOGS_DIR);
      }
      const { config } = await loadConfig(DEMO_CONFIG);
      const audit = await auditCoverage(config, log, { snapshotFile: DEMO_SNAPSHOT });
      const runId = newRunId();
      const { value, placed, bundle } = await withBundle(opts.out, runId, async ({ dir }) =>
        scanLocal({
          // manifest.json beside AWSLogs/ describes the story; it is not a log file.
          logs: join(SAMPLE_LOGS_DIR, 'AWSLogs'),
          window: dayWindow(DEFAULT_DATE),
          config,
          outDir: dir,
          log,
          runId,
          coverage: await coverageForRun(audit, dir),
          report: reportWriterFor(config, log),
          // The demo is read the morning after its sample day, so its suppressions' expiry never drifts.
          today: new Date(Date.parse(`${DEFAULT_DATE}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
        }),
      );
      const { doc } = value;
      notePlacement(doc, placed, log);
      const files = value.files.map((f) => bundle.finalPath(f));
      process.stdout.write(`${formatRunSummary(doc, opts.out)}\n`);
      process.stdout.write(`wrote:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
      setExit(exitCodeFor(doc, config));
    });
}
