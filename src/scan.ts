// The pipeline behind `scan`, `demo` and the daily run: an engine (the embedded one over logs on disk unless
// the caller opened another) → rules → classify → outputs.
import { randomBytes } from 'node:crypto';
import { classify } from './classify/classify.js';
import { groupingOfRules } from './classify/group.js';
import { historyDay, lookback, nextHistory } from './classify/history.js';
import type { Config } from './config/schema.js';
import { checkConfigRuleIds } from './config/rule-ids.js';
import { detect } from './detect.js';
import { COVERAGE_CHECKS } from './trails/evaluate.js';
import {
  findingListHashes,
  writeFindingFormats,
  writeFindingsJson,
  writeManifest,
  writeQueriesRun,
} from './deliver/bundle.js';
import { folderHistory, loadHistory, writeHistory, type HistorySource } from './deliver/history-file.js';
import type { DigestModel } from './report/model/index.js';
import type { DigestEmail } from './report/email.js';
import { openDuckDbEngine } from './engine/duckdb.js';
import type { QueryEngine, TimeWindow } from './engine/types.js';
import type { AthenaTableFacts, CoverageFinding, CoverageSummary, FindingsFile, RunFacts } from './model.js';
import type { CoverageCell } from './trails/evaluate.js';
import { loadRules } from './rules/load.js';
import { ruleParameterProblems } from './rules/parameters.js';
import type { RuleDefinition } from './rules/types.js';
import { isIncomplete, type RunErrorEntry } from './shared/errors.js';
import type { Logger } from './shared/log.js';
import { VERSION } from './shared/version.js';

/** Trail coverage results to include in the run (from a live collection or a snapshot). */
export interface CoverageInput {
  findings: CoverageFinding[];
  summary: CoverageSummary;
  errors: RunErrorEntry[];
  /** The accounts × regions picture for the evidence. */
  matrix: CoverageCell[];
  accounts: { id: string; name: string | null }[];
  /** Audited accounts a logging trail covers: the logs read must hold events of each (else the run says so). */
  loggingAccounts?: string[];
  /** Files the coverage audit wrote into the output folder (the org snapshot), for the manifest. */
  files?: string[];
}

/** What a report writer gets: the run as written to findings.json, plus what only the report shows. */
export interface ReportContext {
  outDir: string;
  doc: FindingsFile;
  rules: readonly RuleDefinition[];
  findingsSha256: string;
  /** SHA-256 of findings.csv and findings.jsonl (the full finding list), printed by the evidence. */
  findingList?: { csv: string; jsonl: string };
  coverage?: CoverageInput;
}

/** What a report writer produced: its files and problems, and the digest to deliver. */
export interface ReportOutput {
  files: string[];
  errors: RunErrorEntry[];
  email?: DigestEmail | null;
  model?: DigestModel;
}

/** A report writer plugged in by the caller (the digest and evidence renderer), with its known problems. */
export type ReportWriter = ((context: ReportContext) => Promise<ReportOutput>) & {
  /** Problems known before rendering (no browser for the PDF), recorded in findings.json itself. */
  preflight?: () => RunErrorEntry[];
};

/** Options of one local scan. */
export interface LocalScanOptions {
  logs: string;
  window: TimeWindow;
  config: Config;
  outDir: string;
  log: Logger;
  coverage?: CoverageInput;
  report?: ReportWriter;
  /** "today" for suppression expiry (YYYY-MM-DD); defaults to the current UTC date. */
  today?: string;
  /** An engine the caller opened (the daily run's Athena); scanLocal closes it. Unset: DuckDB over `logs`. */
  engine?: QueryEngine;
  /** What the engine reads, for the evidence (default: `logs`). */
  source?: string;
  /** The run's id (default: a new one), the same as its evidence bundle's. */
  runId?: string;
  /** Where the bundle ends up (--out): never read as logs, even inside the logs folder. */
  finalOutDir?: string;
  /** On Athena: the CloudTrail tables' projection compared with the organization, for the evidence. */
  athenaTables?: AthenaTableFacts[];
  /** Where the previous history is (default: history.json of the previous bundle in finalOutDir). */
  history?: HistorySource;
}

/** What a local scan wrote and found. */
export interface LocalScanResult {
  doc: FindingsFile;
  files: string[];
  /** Problems that came after findings.json was written, as manifest.json lists them. */
  late: RunErrorEntry[];
  report?: ReportOutput;
}

/** A run id that sorts by time and is unique enough to name an evidence bundle. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z-${randomBytes(3).toString('hex')}`;
}

/**
 * The accounts coverage says a trail logs, of which the logs read held no event. Each is an error, not a
 * warning: trailwatch cannot tell a quiet account from logs that never reached the source (a sync that
 * skips the account, a table whose partitions miss it), and a blind spot is never clean. When the logs held
 * no event at all, `no-events-in-window` already says so.
 */
function silentAccounts(
  detected: Awaited<ReturnType<typeof detect>>,
  loggingAccounts: readonly string[],
  window: TimeWindow,
): RunErrorEntry[] {
  const counts = detected.eventsByAccount;
  if (!counts || !detected.stage || detected.stage.events === 0) return [];
  const span =
    window.since || window.until
      ? ` between ${window.since ?? 'the start'} and ${window.until ?? 'the end'}`
      : '';
  return loggingAccounts
    .filter((id) => !counts[id])
    .map((id) => ({
      scope: 'account' as const,
      id,
      code: 'account-no-events',
      message: `a logging trail covers this account, yet the logs read held none of its events${span}: its activity was not audited (are its logs missing from the source?)`,
    }));
}

/** Runs every rule over local CloudTrail files and writes findings.json (and the report when asked). */
export async function scanLocal(options: LocalScanOptions): Promise<LocalScanResult> {
  const { config, log, window } = options;
  const startedAt = new Date();
  const today = options.today ?? startedAt.toISOString().slice(0, 10);
  const rules = await loadRules(config.rulesDirs);
  checkConfigRuleIds(
    config,
    rules.map((r) => r.id),
    Object.keys(COVERAGE_CHECKS),
    today,
    ruleParameterProblems(config, rules),
  );
  const engine =
    options.engine ??
    (await openDuckDbEngine({
      logs: options.logs,
      log,
      // An output folder inside the logs folder holds this tool's own JSON, not CloudTrail.
      exclude: [options.outDir, ...(options.finalOutDir ? [options.finalOutDir] : [])],
      ...(config.engine.duckdb.threads ? { threads: config.engine.duckdb.threads } : {}),
      ...(config.engine.duckdb.memoryLimit ? { memoryLimit: config.engine.duckdb.memoryLimit } : {}),
      ...(config.engine.duckdb.tempDirectory ? { tempDirectory: config.engine.duckdb.tempDirectory } : {}),
    }));
  let detected;
  try {
    detected = await detect(engine, rules, config, window, log, {
      countByAccount: (options.coverage?.loggingAccounts ?? []).length > 0,
    });
  } finally {
    await engine.close();
  }
  // The history is kept per audited day: the window's, or (no window) that of the first event read.
  const historyDate = (window.since ?? detected.stage?.firstEvent ?? startedAt.toISOString()).slice(0, 10);
  const previous = await loadHistory(
    options.history ?? (options.finalOutDir ? folderHistory(options.finalOutDir) : undefined),
  );
  const previousDays = lookback(previous.history, historyDate, config.history.days);
  const grouping = groupingOfRules(rules);
  // Rule and coverage findings pass through the same suppressions; matching never touches the SQL.
  const classified = classify({
    findings: detected.findings,
    coverage: options.coverage?.findings ?? [],
    suppressions: config.suppressions,
    overrides: config.rules,
    rules,
    today,
    grouping,
    previousDays,
  });
  const errors: RunErrorEntry[] = [
    ...detected.errors,
    ...(options.coverage?.errors ?? []),
    ...classified.warnings,
    ...(previous.problem ? [previous.problem] : []),
  ];
  // Nothing to look at is not a clean day: a missing sync, a wrong folder or a stopped organization trail
  // all look like this.
  if (detected.stage && detected.stage.events === 0) {
    errors.push({
      scope: 'engine',
      id: options.source ?? options.logs,
      code: 'no-events-in-window',
      message: `no CloudTrail events were found${window.since || window.until ? ` between ${window.since ?? 'the start'} and ${window.until ?? 'the end'}` : ''}; nothing could be audited`,
    });
  }
  errors.push(...silentAccounts(detected, options.coverage?.loggingAccounts ?? [], window));
  for (const run of detected.runs.filter((r) => r.status === 'not-configured')) {
    errors.push({
      scope: 'rule',
      id: run.ruleId,
      code: 'rule-not-configured',
      message: run.reason ?? 'not configured',
      severity: 'warning',
    });
  }
  const facts: RunFacts = {
    runId: options.runId ?? newRunId(startedAt),
    trailwatchVersion: VERSION,
    organization: config.organization,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    // Without --since/--until the audited span is that of the events themselves.
    window: {
      since: window.since ?? detected.stage?.firstEvent ?? null,
      until: window.until ?? detected.stage?.lastEvent ?? null,
    },
    engine: engine.kind,
    source: options.source ?? options.logs,
    filesRead: detected.stage ? detected.stage.files - detected.stage.filesFailed : 0,
    ...(detected.stage?.filesSkipped !== undefined ? { filesSkipped: detected.stage.filesSkipped } : {}),
    eventsRead: detected.stage?.events ?? 0,
    duplicateEvents: detected.stage?.duplicateEvents ?? 0,
    bytesRead: detected.stage?.bytesRead ?? 0,
    rules: detected.runs,
    complete: !isIncomplete(errors),
    ...(options.athenaTables ? { athenaTables: options.athenaTables } : {}),
    history: {
      date: historyDate,
      days: config.history.days,
      previousDays: previousDays.length,
      source: previous.source,
    },
    ...(process.env.GITHUB_RUN_ID && process.env.GITHUB_SERVER_URL && process.env.GITHUB_REPOSITORY
      ? {
          ciRunUrl: `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`,
        }
      : {}),
  };
  const doc: FindingsFile = {
    run: facts,
    findings: classified.findings,
    coverage: classified.coverage,
    ...(options.coverage ? { coverageSummary: options.coverage.summary } : {}),
    suppressions: classified.suppressions,
    errors,
  };
  const known = options.report?.preflight?.() ?? [];
  if (known.length > 0) {
    doc.errors.push(...known);
    doc.run.complete = false;
  }
  const written = await writeFindingsJson(options.outDir, doc);
  const files = [
    written.path,
    ...(await writeFindingFormats(options.outDir, doc, rules)),
    ...(options.coverage?.files ?? []),
    ...(await writeQueriesRun(options.outDir, detected.runs)),
    // Today's groups join the previous days, carried forward into this bundle for the next run to read.
    await writeHistory(
      options.outDir,
      nextHistory(
        previous.history,
        historyDay(historyDate, classified.findings, grouping),
        config.history.days,
      ),
    ),
  ];
  const late: RunErrorEntry[] = [];
  let report: ReportOutput | undefined;
  if (options.report) {
    report = await options.report({
      outDir: options.outDir,
      doc,
      rules,
      findingsSha256: written.sha256,
      findingList: await findingListHashes(options.outDir),
      ...(options.coverage ? { coverage: options.coverage } : {}),
    });
    files.push(...report.files);
    const fresh = report.errors.filter(
      (e) => !known.some((k) => k.scope === e.scope && k.id === e.id && k.code === e.code),
    );
    if (fresh.length > 0) {
      // Report problems (e.g. no browser for the PDF) come after findings.json (whose hash the evidence
      // quotes) was written: they are said in manifest.json and on the terminal, and make the run incomplete.
      late.push(...fresh);
      doc.errors.push(...fresh);
      doc.run.complete = false;
    }
  }
  files.push(await writeManifest(options.outDir, files, late));
  return { doc, files, late, ...(report ? { report } : {}) };
}
