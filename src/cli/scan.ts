import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { notePlacement, withBundle } from '../deliver/bundle-folder.js';
import { newRunId, scanLocal } from '../scan.js';
import { createLogger } from '../shared/log.js';
import { parseWindow } from '../shared/window.js';
import { exitCodeFor, type SetExit } from './exit-code.js';
import { reportWriterFor } from './report.js';
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
        const runId = newRunId();
        const { value, placed } = await withBundle(outDir, runId, (bundle) =>
          scanLocal({
            logs: opts.logs,
            window,
            config,
            outDir: bundle.dir,
            finalOutDir: bundle.outDir,
            log,
            runId,
            ...(opts.report ? { report: reportWriterFor(config, log) } : {}),
          }),
        );
        const { doc } = value;
        notePlacement(doc, placed, log);
        const code = exitCodeFor(doc, config);
        printRunSummary(doc, outDir, code, opts.json);
        setExit(code);
      },
    );
}
