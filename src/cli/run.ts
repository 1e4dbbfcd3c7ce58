import { Option, type Command } from 'commander';
import { resolveAwsRegion } from '../aws/clients.js';
import { checkDailyConfig } from '../config/daily.js';
import { loadConfig } from '../config/load.js';
import { findingsDocument } from '../model.js';
import { runAudit } from '../run.js';
import { createLogger } from '../shared/log.js';
import { checkCalendarDay, dayWindow, yesterdayUtc } from '../shared/window.js';
import { exitCodeFor, type SetExit } from './exit-code.js';
import { printRunSummary } from './summary.js';

/** `trailwatch run`: the daily job. */
export function registerRun(program: Command, setExit: SetExit): void {
  program
    .command('run')
    .description('The daily job: trail coverage, every rule over one UTC day, digest, evidence, email')
    .requiredOption('--config <file>', 'configuration file')
    .option('--date <yyyy-mm-dd>', 'UTC day to audit (default: yesterday)')
    .option('--json', 'print the run summary as JSON on stdout (logs stay on stderr)')
    .option('--out <dir>', 'output folder (default: outDir from the config)')
    .option('--org-snapshot <file>', 'evaluate trail coverage from a saved org snapshot instead of AWS')
    .option('--no-email', 'do not send the digest even when the config has an email section')
    .addOption(
      new Option(
        '--fail-on <when>',
        'exit 1 when there are alerts (alert) or not (never); overrides failOn',
      ).choices(['alert', 'never']),
    )
    .action(
      async (opts: {
        config: string;
        date?: string;
        out?: string;
        json?: boolean;
        orgSnapshot?: string;
        email: boolean;
        failOn?: 'alert' | 'never';
      }) => {
        const loaded = await loadConfig(opts.config);
        const config = opts.failOn ? { ...loaded.config, failOn: opts.failOn } : loaded.config;
        const date = checkCalendarDay(opts.date ?? yesterdayUtc(), '--date');
        const outDir = opts.out ?? config.outDir;
        const log = createLogger();
        checkDailyConfig(config, opts.orgSnapshot);
        const { run } = await runAudit(
          {
            config: await resolveAwsRegion(config),
            window: dayWindow(date),
            date,
            coverage: opts.orgSnapshot ? { from: 'snapshot', file: opts.orgSnapshot } : { from: 'aws' },
            logs: config.engine.duckdb.logs ?? '',
            outDir,
            output: 'bundle',
            report: true,
            deliveries: { email: opts.email, s3: true, webhook: true, jobSummary: true },
          },
          { log },
        );
        const doc = findingsDocument(run);
        const code = exitCodeFor(doc, config);
        printRunSummary(doc, outDir, code, opts.json);
        setExit(code);
      },
    );
}
