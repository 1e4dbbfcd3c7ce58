import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { findingsDocument, type FindingsFile } from '../model.js';
import type { RenderedRun } from '../report/render.js';
import { runAudit } from '../run.js';
import { generateSampleOrg, DEFAULT_DATE, FIRST_DATE } from '../samples/generate.js';
import { createLogger, type Logger } from '../shared/log.js';
import { PROJECT_ROOT } from '../shared/version.js';
import { dayWindow } from '../shared/window.js';
import { exitCodeFor, type SetExit } from './exit-code.js';
import { SAMPLE_LOGS_DIR } from './samples.js';
import { formatRunSummary } from './summary.js';

/** The demo organization's configuration and org snapshot, shipped in samples/. */
export const DEMO_CONFIG = join(PROJECT_ROOT, 'samples', 'trailwatch.demo.yaml');
export const DEMO_SNAPSHOT = join(PROJECT_ROOT, 'samples', 'org-snapshot.json');

/** The demo's days, in order: the first builds the history the second's "new" and "recurring" rest on. */
export const DEMO_DAYS = [FIRST_DATE, DEFAULT_DATE] as const;

/** One day of the demo as it ran. */
export interface DemoDay {
  date: string;
  doc: FindingsFile;
  /** The digest as rendered (its model and email). */
  report: Pick<RenderedRun, 'model' | 'email'>;
  /** The files of the bundle, where they are once in place. */
  files: string[];
}

/** Whether `dir` holds the two-day sample (an older one-day sample is generated again). */
function hasTwoDaySample(dir: string): boolean {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest)) return false;
  try {
    return Array.isArray((JSON.parse(readFileSync(manifest, 'utf8')) as { days?: unknown }).days);
  } catch {
    return false;
  }
}

/** The day after `date` (YYYY-MM-DD): the morning the demo reads it, so suppression expiry never drifts. */
function morningAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

async function runDemoDay(
  date: string,
  out: string,
  logs: string,
  config: Config,
  log: Logger,
): Promise<DemoDay> {
  const { run, files, report } = await runAudit(
    {
      config,
      window: dayWindow(date),
      date,
      coverage: { from: 'snapshot', file: DEMO_SNAPSHOT },
      // manifest.json beside AWSLogs/ describes the story; it is not a log file.
      logs: join(logs, 'AWSLogs'),
      // The previous day's bundle is still in --out: its history.json is read before this one replaces it.
      outDir: out,
      output: 'bundle',
      report: true,
      deliveries: { email: false, s3: false, webhook: false, jobSummary: false },
      today: morningAfter(date),
    },
    { log },
  );
  return { date, doc: findingsDocument(run), report, files };
}

/**
 * The whole pipeline on the sample organization, one day after the other into the same output folder, as a
 * daily job would run: the second day's bundle replaces the first and carries its history forward.
 */
export async function runDemo(options: { out: string; logs?: string; log: Logger }): Promise<DemoDay[]> {
  const logs = options.logs ?? SAMPLE_LOGS_DIR;
  if (!hasTwoDaySample(logs)) {
    options.log.info('generating the sample organization (first run only)', { dir: logs });
    await generateSampleOrg(logs);
  }
  const { config } = await loadConfig(DEMO_CONFIG);
  const days: DemoDay[] = [];
  for (const date of DEMO_DAYS) days.push(await runDemoDay(date, options.out, logs, config, options.log));
  return days;
}

/** `trailwatch demo`: the whole pipeline on the bundled sample organization, offline. */
export function registerDemo(program: Command, setExit: SetExit): void {
  program
    .command('demo')
    .description(
      'Run the whole pipeline on the bundled sample organization, offline: two days in order, so the second shows what is new',
    )
    .option('--out <dir>', 'output folder', 'out')
    .action(async (opts: { out: string }) => {
      const log = createLogger();
      const days = await runDemo({ out: opts.out, log });
      for (const day of days) {
        process.stdout.write(`\n${day.date}:\n${formatRunSummary(day.doc, opts.out)}\n`);
      }
      const last = days[days.length - 1];
      if (!last) return;
      process.stdout.write(
        `wrote (the last day; the first day's bundle was replaced by it):\n${last.files.map((f) => `  ${f}`).join('\n')}\n`,
      );
      const { config } = await loadConfig(DEMO_CONFIG);
      setExit(exitCodeFor(last.doc, config));
    });
}
