// `trailwatch coverage`: collect (or load) the org snapshot, evaluate trail coverage, print the summary and
// the problems, and write org-snapshot.json and coverage.json.
import { loadCatalogue } from '../rules/catalogue.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { classify } from '../classify/classify.js';
import { loadConfig } from '../config/load.js';
import { safeForTerminal } from '../shared/escape.js';
import { inertJson } from './summary.js';
import { createLogger, type Logger } from '../shared/log.js';
import { startProgress } from '../shared/progress.js';
import { resolveAwsRegion, type AwsDeps } from '../aws/clients.js';
import { auditCoverage, coverageLine, saveOrgSnapshot, type CoverageAudit } from '../trails/index.js';
import type { SetExit } from './exit-code.js';

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
export function formatCoverageReport(audit: CoverageAudit): string[] {
  const { summary, findings, errors } = audit.result;
  const lines: string[] = [];
  const org =
    audit.snapshot.organizationId ??
    (audit.snapshot.accounts.length > 0 ? 'static account list' : 'the organization (discovery failed)');
  lines.push(
    `Trail coverage of ${safeForTerminal(org)}, collected ${safeForTerminal(audit.snapshot.collectedAt)}`,
  );
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
  const today = new Date().toISOString().slice(0, 10);
  // The suppressions are checked as a run checks them: a bad entry is exit 3 here too.
  await loadCatalogue(config, today);
  const outDir = options.out ?? config.outDir;
  const collected = await auditCoverage(config, log, {
    ...(options.orgSnapshot ? { snapshotFile: options.orgSnapshot } : {}),
    ...(io.deps ? { deps: io.deps } : {}),
    progress: (total) => startProgress('auditing accounts', total, log),
  });
  // Coverage findings pass through the same suppressions as in a run (kept, marked, never dropped).
  const classified = classify({
    findings: [],
    coverage: collected.result.findings,
    suppressions: config.suppressions,
    today,
  });
  const audit: CoverageAudit = {
    ...collected,
    result: { ...collected.result, findings: classified.coverage },
  };
  await mkdir(outDir, { recursive: true });
  const snapshotFile = join(outDir, 'org-snapshot.json');
  const coverageFile = join(outDir, 'coverage.json');
  await saveOrgSnapshot(snapshotFile, audit.snapshot);
  const document = {
    collectedAt: audit.snapshot.collectedAt,
    organizationId: audit.snapshot.organizationId,
    complete: audit.complete,
    summary: audit.result.summary,
    coverage: audit.result.findings,
    errors: audit.result.errors,
    matrix: audit.result.matrix,
  };
  await writeFile(coverageFile, `${JSON.stringify(document, null, 2)}\n`, 'utf8');
  const alerts = audit.result.findings.some((f) => f.tier === 'alert' && !f.suppressed);
  const code = !audit.complete ? 2 : alerts && config.failOn === 'alert' ? 1 : 0;
  if (options.json) {
    // The matrix (every account × region) stays in coverage.json; the summary says what it adds up to.
    const { matrix: _matrix, ...summary } = document;
    print(inertJson({ ...summary, exitCode: code, outputs: [snapshotFile, coverageFile] }));
    return code;
  }
  for (const line of formatCoverageReport(audit)) print(line);
  print('');
  print(`Wrote ${safeForTerminal(snapshotFile)} and ${safeForTerminal(coverageFile)}`);
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
