import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { findingsDocument } from '../model.js';
import { runAudit } from '../run.js';
import { createLogger } from '../shared/log.js';
import { parseWindow } from '../shared/window.js';
import { exitCodeFor, type SetExit } from './exit-code.js';
import { printRunSummary } from './summary.js';

/** `trailwatch scan --logs DIR`: every rule over local CloudTrail files with the embedded engine. */
export function registerScan(program: Command, setExit: SetExit): void {
  program
    .command('scan')
    .description('Run every rule over a folder of CloudTrail files with the embedded DuckDB engine')
    .requiredOption('--logs <dir>', 'folder of CloudTrail files (AWSLogs/... layout or loose *.json[.gz])')
    .option('--since <iso>', 'start of the window (inclusive); default: every event in the files')
    .option('--until <iso>', 'end of the window (exclusive)')
    .option('--config <file>', 'configuration file (default: trailwatch.config.yaml when present)')
    .option('--json', 'print the run summary as JSON on stdout (logs stay on stderr)')
    .option('--out <dir>', 'output folder (default: outDir from the config, or out)')
    .option('--report', 'also write the digest (digest.html, digest.txt) and evidence.pdf')
    .action(
      async (opts: {
        logs: string;
        since?: string;
        until?: string;
        config?: string;
        out?: string;
        json?: boolean;
        report?: boolean;
      }) => {
        const { config } = await loadConfig(opts.config);
        const window = parseWindow(opts.since, opts.until);
        const outDir = opts.out ?? config.outDir;
        const log = createLogger();
        const { run } = await runAudit(
          {
            // A scan reads local files with the embedded engine, whatever engine the config names.
            config: { ...config, engine: { ...config.engine, type: 'duckdb' } },
            window,
            coverage: { from: 'none' },
            logs: opts.logs,
            outDir,
            output: 'bundle',
            report: Boolean(opts.report),
            deliveries: { email: false, s3: false, webhook: false, jobSummary: false },
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
