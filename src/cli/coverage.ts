// `trailwatch coverage`: the run with trail coverage alone (collect or load the org snapshot, evaluate it,
// classify its findings; no window is queried), printed as a summary and the problems, and delivered as
// org-snapshot.json and coverage.json in the output folder.
import type { Command } from 'commander';
import { resolveAwsRegion, type AwsDeps } from '../aws/clients.js';
import { loadConfig } from '../config/load.js';
import { findingsDocument } from '../model.js';
import { coverageDocument, type CoverageDocument } from '../report/coverage-files.js';
import { runAudit } from '../run.js';
import { safeForTerminal } from '../shared/escape.js';
import { createLogger, type Logger } from '../shared/log.js';
import { coverageLine, type OrgSnapshot } from '../trails/index.js';
import { exitCodeFor, type SetExit } from './exit-code.js';
import { inertJson } from './summary.js';

/** Options of the coverage command. */
export interface CoverageCommandOptions {
  config?: string;
  orgSnapshot?: string;
  out?: string;
  /** Print the summary as JSON instead of the report. */
  json?: boolean;
}

function table(header: string[], rows: string[][]): string[] {
  const cells = [header, ...rows].map((row) => row.map((cell) => safeForTerminal(cell, 200)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return cells.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** The terminal report: the summary line, the problems table and the accounts not audited. Every value is escaped. */
export function formatCoverageReport(
  document: CoverageDocument,
  snapshot: Pick<OrgSnapshot, 'accounts'>,
): string[] {
  const { summary, coverage: findings, errors } = document;
  const lines: string[] = [];
  const org =
    document.organizationId ??
    (snapshot.accounts.length > 0 ? 'static account list' : 'the organization (discovery failed)');
  lines.push(`Trail coverage of ${safeForTerminal(org)}, collected ${safeForTerminal(document.collectedAt)}`);
  lines.push(
    coverageLine(summary) +
      (summary.accountsNotAudited > 0 ? `; ${summary.accountsNotAudited} accounts not audited` : ''),
  );
  const problems = findings.filter((f) => !f.suppressed);
  if (problems.length > 0) {
    lines.push('', `Problems (${problems.length}):`);
    const rank = (f: (typeof problems)[number]) => (f.tier === 'alert' ? 0 : 1);
    const sorted = [...problems].sort((a, b) => rank(a) - rank(b));
    lines.push(
      ...table(
        ['TIER', 'RISK', 'CHECK', 'ACCOUNT', 'NAME', 'REGION', 'SUMMARY'],
        sorted.map((f) => [
          f.tier,
          f.risk,
          f.checkId,
          f.accountId,
          f.accountName ?? '',
          f.region ?? '-',
          f.summary,
        ]),
      ).map((line) => `  ${line}`),
    );
  } else {
    lines.push('', 'No coverage problems.');
  }
  const rows = (list: typeof errors) =>
    table(
      ['SCOPE', 'ID', 'CODE', 'REASON'],
      list.map((e) => [e.scope, e.id, e.code, e.message]),
    ).map((line) => `  ${line}`);
  const blocking = errors.filter((e) => e.severity !== 'warning');
  const warnings = errors.filter((e) => e.severity === 'warning');
  if (blocking.length > 0) {
    lines.push('', `Not audited (${blocking.length}) — the audit is incomplete:`);
    lines.push(...rows(blocking));
  }
  if (warnings.length > 0) {
    lines.push('', `Not audited, by their state, and other warnings (${warnings.length}):`);
    lines.push(...rows(warnings));
  }
  return lines;
}

/** Runs the coverage command and returns its exit code (2 when the audit is incomplete). */
export async function runCoverageCommand(
  options: CoverageCommandOptions,
  io: { log?: Logger; deps?: AwsDeps; print?: (line: string) => void } = {},
): Promise<number> {
  const log = io.log ?? createLogger();
  const print = io.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const loaded = (await loadConfig(options.config)).config;
  const config = options.orgSnapshot ? loaded : await resolveAwsRegion(loaded);
  // The run's catalogue check (a bad suppression is exit 3 here too) and its suppressions, which coverage
  // findings pass through as in a run (kept, marked, never dropped); no window is queried.
  const { run, files, coverage } = await runAudit(
    {
      config,
      coverage: options.orgSnapshot
        ? { from: 'snapshot', file: options.orgSnapshot }
        : { from: 'aws', progress: true },
      window: null,
      outDir: options.out ?? config.outDir,
      output: 'coverage-files',
    },
    { log, ...(io.deps ? { aws: io.deps } : {}) },
  );
  if (!coverage) throw new Error('the coverage run returned no coverage audit');
  const document = coverageDocument(run, coverage);
  const code = exitCodeFor(findingsDocument(run), config);
  if (options.json) {
    // The matrix (every account × region) stays in coverage.json; the summary says what it adds up to.
    const { matrix: _matrix, ...summary } = document;
    print(inertJson({ ...summary, exitCode: code, outputs: files }));
    return code;
  }
  for (const line of formatCoverageReport(document, coverage.snapshot)) print(line);
  print('');
  print(`Wrote ${files.map((file) => safeForTerminal(file)).join(' and ')}`);
  return code;
}

/** Registers `trailwatch coverage`. */
export function registerCoverage(program: Command, setExit: SetExit): void {
  program
    .command('coverage')
    .description('Audit trail coverage in every account and enabled region of the organization')
    .option('--config <file>', 'configuration file (default: trailwatch.config.yaml when present)')
    .option('--org-snapshot <file>', 'evaluate a saved org snapshot instead of calling AWS')
    .option('--out <dir>', 'output folder (default: the config outDir)')
    .option('--json', 'print the coverage summary as JSON on stdout (logs stay on stderr)')
    .action(async (options: CoverageCommandOptions) => {
      setExit(await runCoverageCommand(options));
    });
}
