import { rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { errorMessage, type RunErrorEntry } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { startProgress } from '../shared/progress.js';
import { athenaProjection, recordsColumnType } from './cloudtrail-schema.js';
import {
  DEFAULT_MEMORY_LIMIT,
  explainLimit,
  firstLine,
  MAX_OBJECT_BYTES,
  readerObjectBytes,
  sizeBytes,
} from './engine-limits.js';
import { collectRows } from './collect-rows.js';
import { findLogFiles, literalPath, mayHoldWindow, type LogFile } from './log-files.js';
import { FILE_CONTENT_SQL, fileContentProblem, settleStagedEvents } from './staged-events.js';
import { batchBySize, stagedColumnSet, stagingInsert } from './staging-sql.js';
import {
  childStagingConnection,
  localStagingConnection,
  StagingCrash,
  type StagingConnection,
} from './staging-process.js';
import { TRINO_COMPAT_MACROS } from './trino-compat.js';
import { bindPositional } from './duckdb-params.js';
import { createWorkDir, removeStaleWorkDirs } from './work-dir.js';
import {
  EngineLimitError,
  type QueryEngine,
  type QueryStats,
  type Row,
  type StageResult,
  type TimeWindow,
} from './types.js';

/** Settings of the embedded engine. */
export interface DuckDbEngineOptions {
  /** The folder of CloudTrail files. */
  logs: string;
  threads?: number;
  /** DuckDB's memory_limit (default DEFAULT_MEMORY_LIMIT); beyond it DuckDB spills to `tempDirectory`. */
  memoryLimit?: string;
  /** Where the staged database and DuckDB's spill files go (default: the OS temp folder). */
  tempDirectory?: string;
  /** Folders below `logs` that are not logs (the run's own output folder). */
  exclude?: readonly string[];
  /**
   * Parse the logs in a child process so that a file crashing DuckDB's reader is named, not fatal (default
   * true). Off only for the rule test cases: our own tiny generated files, where a process each costs more.
   */
  isolate?: boolean;
  log: Logger;
  /** Show progress while reading files (default true). */
  progress?: boolean;
}

// Signals that mean the reader itself crashed on its input (as opposed to being killed from outside).
const CRASH_SIGNALS = new Set<string>(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGABRT', 'SIGTRAP']);

/** Opens the embedded DuckDB engine over a folder of CloudTrail files. */
export async function openDuckDbEngine(options: DuckDbEngineOptions): Promise<QueryEngine> {
  // The config schema allows only sizes such as "4GB" here, so the value cannot carry SQL or options.
  const memoryLimit = (options.memoryLimit ?? DEFAULT_MEMORY_LIMIT).replace(/[^0-9A-Za-z. ]/g, '');
  const isolate = options.isolate !== false;
  // The window is staged into a database file in a private folder (the OS temp folder unless configured);
  // DuckDB spills what does not fit in memory_limit beside it. Both are removed when the engine closes.
  // A run killed with SIGKILL could not remove its folder: the folders of dead runs go first.
  const parent = options.tempDirectory ?? tmpdir();
  await removeStaleWorkDirs(parent, options.log);
  const workDir = await createWorkDir(parent);
  const databasePath = join(workDir, 'window.duckdb');
  const limits = { memoryLimit, tempDirectory: workDir };
  const fastObjectBytes = readerObjectBytes(memoryLimit, options.threads ?? availableParallelism());
  // Compressed bytes of log files per insert statement: about a tenth of the limit (JSON is ~10x its gzip).
  const batchBytes = Math.max(1, Math.floor((sizeBytes(memoryLimit) || 2 ** 30) / 10));
  const settings: Record<string, string> = {
    memory_limit: memoryLimit,
    temp_directory: join(workDir, 'spill'),
    // Row order of the staged table does not matter; not preserving it lets DuckDB stream with less memory.
    preserve_insertion_order: 'false',
    ...(options.threads ? { threads: String(Math.floor(options.threads)) } : {}),
  };
  let instance: DuckDBInstance | null = null;
  let connection: DuckDBConnection | null = null;

  /** The query connection over the staged database (opened after staging, when the file is complete). */
  async function queryConnection(): Promise<DuckDBConnection> {
    if (connection) return connection;
    instance = await DuckDBInstance.create(isolate ? databasePath : ':memory:', settings);
    connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    // Query progress feeds the progress line while the logs are read (no bar is printed by DuckDB itself).
    await connection.run('SET enable_progress_bar = true');
    await connection.run('SET enable_progress_bar_print = false');
    for (const macro of TRINO_COMPAT_MACROS) await connection.run(macro);
    return connection;
  }

  function closeQueryConnection(): void {
    connection?.closeSync();
    instance?.closeSync();
    connection = null;
    instance = null;
  }

  let queryCount = 0;
  // The columns the staged table keeps (all when unset); the fields the engine itself checks always stay.
  let stagedColumns: ReadonlySet<string> | undefined;

  async function stage(window: TimeWindow, columns?: readonly string[]): Promise<StageResult> {
    stagedColumns = stagedColumnSet(columns);
    const started = Date.now();
    // Files whose S3 key puts them days away from the window are not opened; they are counted.
    // One walk of the folder; files whose S3 key puts them days away from the window are counted, not read.
    const found = await findLogFiles(options.logs, { exclude: options.exclude ?? [] });
    const files = found.files.filter((f) => mayHoldWindow(f.path, window));
    let staging: StagingConnection;
    if (isolate) {
      // The child process writes the database file alone; the query connection opens it afterwards.
      closeQueryConnection();
      await rm(databasePath, { force: true });
      await rm(`${databasePath}.wal`, { force: true });
      staging = childStagingConnection(databasePath, settings, [`SET TimeZone = 'UTC'`]);
    } else {
      staging = localStagingConnection(await queryConnection());
    }
    let result: StageResult;
    try {
      result = await stageFiles(staging, files, window, started, found.errors);
    } catch (error) {
      throw explainLimit(error, limits);
    } finally {
      await staging.close();
    }
    return { ...result, filesSkipped: found.files.length - files.length };
  }

  async function stageFiles(
    staging: StagingConnection,
    files: LogFile[],
    window: TimeWindow,
    started: number,
    walkErrors: readonly RunErrorEntry[],
  ): Promise<StageResult> {
    const errors: RunErrorEntry[] = [...walkErrors];

    /** Runs a staging statement with named VARCHAR parameters (and `$files`, literal paths, from `batch`). */
    async function sql(text: string, params: Record<string, string | null> = {}, batch?: LogFile[]) {
      return staging.run(text, batch ? { ...params, files: batch.map((f) => literalPath(f.path)) } : params);
    }

    /** Whether a file is empty, white space or {} (so, nothing to read rather than unreadable). */
    async function holdsNothing(file: LogFile): Promise<boolean> {
      try {
        return (
          fileContentProblem(file.path, (await sql(FILE_CONTENT_SQL, {}, [file]))[0])?.code === 'file-empty'
        );
      } catch (error) {
        failIfNotTheFiles(error);
        return false;
      }
    }

    async function createEmptyTable(): Promise<void> {
      const columns = stagedColumns;
      // The staged relation has exactly the projection's columns: create it from a read of zero files' shape.
      await staging.run(`CREATE OR REPLACE TABLE cloudtrail_logs AS
SELECT ${athenaProjection('r', columns).join(', ')}, account, region, day, "$path"
FROM (SELECT CAST(NULL AS VARCHAR) AS "$path", CAST(NULL AS VARCHAR) AS account, CAST(NULL AS VARCHAR) AS region,
             CAST(NULL AS VARCHAR) AS day, unnest(CAST([] AS ${recordsColumnType(columns)})) AS r)`);
    }

    async function insertFiles(
      batch: LogFile[],
      onProgress?: (percent: number) => void,
      maxObjectBytes = fastObjectBytes,
    ): Promise<void> {
      // One statement over every file lets DuckDB spread the files over its threads (separate statements per
      // batch measured 4x slower); DuckDB's own query progress drives the progress line meanwhile.
      await staging.run(
        stagingInsert(stagedColumns, maxObjectBytes),
        { files: batch.map((f) => literalPath(f.path)), since: window.since, until: window.until },
        onProgress,
      );
    }

    /** Inserts a batch; when it fails (or crashes the reader), halves it until the bad files are named. */
    async function insertIsolatingFailures(batch: LogFile[]): Promise<number> {
      try {
        await insertFiles(batch);
        return 0;
      } catch (error) {
        failIfNotTheFiles(error);
        if (batch.length === 1) {
          let reason = errorMessage(error);
          let cause = error;
          // A file larger than the fast read's buffer gets one more try with the full limit.
          if (/maximum_object_size/i.test(reason)) {
            try {
              await insertFiles(batch, undefined, MAX_OBJECT_BYTES);
              return 0;
            } catch (retryError) {
              failIfNotTheFiles(retryError);
              reason = errorMessage(retryError);
              cause = retryError;
            }
          }
          // A file holding only {} fails the typed read alone; it is an empty file, named as such after staging.
          if (!(cause instanceof StagingCrash) && (await holdsNothing(batch[0]!))) return 0;
          errors.push(
            cause instanceof StagingCrash
              ? {
                  scope: 'file',
                  id: batch[0]!.path,
                  code: 'file-crashed-reader',
                  message: `${firstLine(reason)} while reading this file (for example a record nested too deeply); its events were not evaluated`,
                }
              : { scope: 'file', id: batch[0]!.path, code: 'file-unreadable', message: firstLine(reason) },
          );
          return 1;
        }
        const middle = Math.ceil(batch.length / 2);
        return (
          (await insertIsolatingFailures(batch.slice(0, middle))) +
          (await insertIsolatingFailures(batch.slice(middle)))
        );
      }
    }

    await createEmptyTable();
    const progress =
      options.progress === false
        ? null
        : startProgress(
            `reading ${files.length} CloudTrail files`,
            100,
            options.log,
            process.stderr,
            'percent',
          );
    let shown = 0;
    const onProgress = (percent: number) => {
      const whole = Math.min(100, Math.floor(percent));
      if (whole > shown) {
        progress?.tick(whole - shown);
        shown = whole;
      }
    };
    let filesFailed = 0;
    // Each batch is its own statement and commit: DuckDB holds an uncommitted insert's string blocks in
    // memory, so one statement over a whole day grows with the day (measured: 80 MB of long strings did not
    // fit an 80 MB limit as one insert). A batch of a few hundred MB of JSON keeps every thread busy.
    const totalBytes = Math.max(
      1,
      files.reduce((sum, f) => sum + f.bytes, 0),
    );
    let doneBytes = 0;
    for (const batch of batchBySize(files, batchBytes)) {
      const bytes = batch.reduce((sum, f) => sum + f.bytes, 0);
      const base = doneBytes;
      try {
        await insertFiles(
          batch,
          progress
            ? (percent) => onProgress(((base + (percent / 100) * bytes) / totalBytes) * 100)
            : undefined,
        );
      } catch (error) {
        failIfNotTheFiles(error);
        // Some file is unreadable: find which by halving the batch, so every good file is still staged.
        options.log.warn('a log file could not be read; isolating it', { files: batch.length });
        filesFailed += await insertIsolatingFailures(batch);
      }
      doneBytes += bytes;
    }
    onProgress(100);
    // A file that gave no records is either an empty CloudTrail file or not CloudTrail at all: ask only those.
    const seen = await staging.run('SELECT DISTINCT "$path" AS path FROM cloudtrail_logs');
    const withRecords = new Set(seen.map((r) => String(r.path)));
    const failed = new Set(errors.map((e) => e.id));
    for (const file of files.filter((f) => !withRecords.has(f.path) && !failed.has(f.path))) {
      let problem: RunErrorEntry | null;
      try {
        problem = fileContentProblem(file.path, (await sql(FILE_CONTENT_SQL, {}, [file]))[0]);
      } catch (error) {
        failIfNotTheFiles(error);
        problem = {
          scope: 'file',
          id: file.path,
          code: 'file-not-cloudtrail',
          message: 'no "Records" list of CloudTrail events in this file',
        };
      }
      if (problem) errors.push(problem);
      if (problem && problem.severity !== 'warning') filesFailed += 1;
    }
    const settled = await settleStagedEvents(sql, window);
    errors.push(...settled.errors);
    if (settled.duplicates > 0) {
      options.log.info('events delivered more than once were evaluated once', {
        duplicates: settled.duplicates,
      });
    }
    // Records missing the other fields every rule keys on are kept (and evaluated), but said.
    const incomplete = await staging.run(
      `SELECT "$path" AS path, count(*) AS n FROM cloudtrail_logs
       WHERE eventname IS NULL OR eventsource IS NULL OR eventid IS NULL GROUP BY 1 ORDER BY 1`,
    );
    for (const row of incomplete) {
      errors.push({
        scope: 'file',
        id: String(row.path),
        code: 'records-incomplete',
        severity: 'warning',
        message: `${String(row.n)} record(s) lack eventName, eventSource or eventID; evaluated with those fields empty`,
      });
    }
    const count = await staging.run(
      'SELECT count(*) AS n, min(eventtime) AS first_event, max(eventtime) AS last_event FROM cloudtrail_logs',
    );
    const totals = count[0];
    const events = Number(totals?.n ?? 0);
    progress?.done({ events, filesFailed });
    return {
      files: files.length,
      filesFailed,
      events,
      duplicateEvents: settled.duplicates,
      bytesRead: files.reduce((sum, f) => sum + f.bytes, 0),
      durationMs: Date.now() - started,
      firstEvent:
        totals?.first_event === null || totals?.first_event === undefined ? null : String(totals.first_event),
      lastEvent:
        totals?.last_event === null || totals?.last_event === undefined ? null : String(totals.last_event),
      errors,
      queryId: `duckdb-stage`,
    };
  }

  /** Running out of memory or disk, or being killed from outside, is the engine's problem, not a file's. */
  function failIfNotTheFiles(error: unknown): void {
    const explained = explainLimit(error, limits);
    if (explained instanceof EngineLimitError) throw explained;
    if (error instanceof StagingCrash && error.signal === 'SIGKILL') {
      // The kernel's out-of-memory killer sends SIGKILL: the limit is above what the machine can give.
      throw new EngineLimitError(
        'engine-out-of-memory',
        `${error.message}; when the system kills it for lack of memory, lower engine.duckdb.memoryLimit (now ${memoryLimit}) so DuckDB spills to disk sooner`,
        { cause: error },
      );
    }
    // Any other death that is not the reader crashing on its input (a setup failure, another signal) ends
    // staging: isolating files would name good files as bad.
    if (error instanceof StagingCrash && !(error.signal && CRASH_SIGNALS.has(error.signal))) throw error;
  }

  async function* stream(sql: string, params: readonly unknown[]): AsyncGenerator<Row, QueryStats> {
    const started = Date.now();
    queryCount += 1;
    const db = await queryConnection();
    try {
      const statement = await db.prepare(sql);
      bindPositional(statement, params);
      const result = await statement.stream();
      for await (const rows of result.yieldRowObjectJson()) {
        for (const row of rows) yield row;
      }
    } catch (error) {
      throw explainLimit(error, limits);
    }
    return { queryId: `duckdb-${queryCount}`, durationMs: Date.now() - started, bytesScanned: 0 };
  }

  return {
    kind: 'duckdb',
    stage,
    stream,
    run: (sql, params) => collectRows(stream(sql, params)),
    async close() {
      closeQueryConnection();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** The engine's connection type, for tests that need raw access. */
export type { DuckDBConnection };
