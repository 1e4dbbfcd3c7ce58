import {
  DuckDBInstance,
  listValue,
  type DuckDBConnection,
  type DuckDBPreparedStatement,
} from '@duckdb/node-api';
import { errorMessage, type RunErrorEntry } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { startProgress } from '../shared/progress.js';
import { athenaProjection, recordsColumnType } from './cloudtrail-schema.js';
import { collectRows } from './collect-rows.js';
import { findLogFiles, literalPath, type LogFile } from './log-files.js';
import {
  FILE_CONTENT_SQL,
  fileContentProblem,
  settleStagedEvents,
  stagingTimeFilter,
} from './staged-events.js';
import { TRINO_COMPAT_MACROS } from './trino-compat.js';
import type { QueryEngine, QueryStats, Row, StageResult, TimeWindow } from './types.js';

/** Settings of the embedded engine. */
export interface DuckDbEngineOptions {
  /** The folder of CloudTrail files. */
  logs: string;
  threads?: number;
  memoryLimit?: string;
  log: Logger;
  /** Show progress while reading files (default true). */
  progress?: boolean;
  /** Folders below `logs` that are not logs (the run's own output folder). */
  exclude?: readonly string[];
}

// One CloudTrail file is one JSON object. The reader's buffers are sized by this limit: 64 MB reads a
// million events about 15% faster than 256 MB (measured); a larger file fails that first read and is retried
// alone with the larger limit, so it is still read.
const MAX_OBJECT_BYTES = 256 * 1024 * 1024;
const FAST_OBJECT_BYTES = 64 * 1024 * 1024;

// Partition columns as the Athena table's partition projection derives them from the S3 key, for both the
// account trail layout (AWSLogs/<account>/CloudTrail/...) and the organization trail layout
// (AWSLogs/<org-id>/<account>/CloudTrail/...). Computed once per file, before its records are unnested.
const PARTITIONS = [
  `NULLIF(regexp_extract(filename, 'AWSLogs/(?:o-[a-z0-9]+/)?([0-9]{12})/CloudTrail/', 1), '') AS account`,
  `NULLIF(regexp_extract(filename, '/CloudTrail/([a-z0-9-]+)/[0-9]{4}/', 1), '') AS region`,
  `NULLIF(regexp_extract(filename, '/CloudTrail/[a-z0-9-]+/([0-9]{4}/[0-9]{2}/[0-9]{2})/', 1), '') AS day`,
];

/** The raw relation over `filesExpr` (a DuckDB list of paths): Athena's columns, before any window. */
export function rawRelationSql(filesExpr: string): string {
  return `SELECT ${athenaProjection('r').join(', ')}, account, region, day, "$path"
FROM (
  SELECT filename AS "$path", ${PARTITIONS.join(', ')}, unnest(Records) AS r
  FROM read_json(${filesExpr}, columns = {'Records': '${recordsColumnType()}'},
                 format = 'unstructured', filename = true, maximum_object_size = ${MAX_OBJECT_BYTES})
)`;
}

function stagingInsert(columns?: ReadonlySet<string>, maxObjectBytes = FAST_OBJECT_BYTES): string {
  return `INSERT INTO cloudtrail_logs
SELECT ${athenaProjection('r', columns).join(',\n       ')},
       account, region, day, "$path"
FROM (
  SELECT filename AS "$path", ${PARTITIONS.join(', ')}, unnest(Records) AS r
  FROM read_json($files, columns = {'Records': '${recordsColumnType(columns)}'},
                 format = 'unstructured', filename = true, maximum_object_size = ${maxObjectBytes})
)
WHERE ${stagingTimeFilter('r')}`;
}

// Staging's own checks (files without records, records missing key fields) read these.
const ALWAYS_STAGED = ['eventtime', 'eventid', 'eventname', 'eventsource'];

/** Opens the embedded DuckDB engine over a folder of CloudTrail files. */
export async function openDuckDbEngine(options: DuckDbEngineOptions): Promise<QueryEngine> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  // Query progress feeds the progress line while the logs are read (no bar is printed by DuckDB itself).
  await connection.run('SET enable_progress_bar = true');
  await connection.run('SET enable_progress_bar_print = false');
  // Row order of the staged table does not matter; not preserving it lets DuckDB stream with less memory.
  await connection.run('SET preserve_insertion_order = false');
  if (options.threads) await connection.run(`SET threads = ${Math.floor(options.threads)}`);
  if (options.memoryLimit) {
    // The config schema allows only sizes such as "4GB" here, so the value cannot carry SQL.
    await connection.run(`SET memory_limit = '${options.memoryLimit.replace(/[^0-9A-Za-z. ]/g, '')}'`);
  }
  for (const macro of TRINO_COMPAT_MACROS) await connection.run(macro);
  let queryCount = 0;

  async function createEmptyTable(): Promise<void> {
    const columns = stagedColumns;
    // The staged relation has exactly the projection's columns: create it from a read of zero files' shape.
    await connection.run(`CREATE OR REPLACE TABLE cloudtrail_logs AS
SELECT ${athenaProjection('r', columns).join(', ')}, account, region, day, "$path"
FROM (SELECT CAST(NULL AS VARCHAR) AS "$path", CAST(NULL AS VARCHAR) AS account, CAST(NULL AS VARCHAR) AS region,
             CAST(NULL AS VARCHAR) AS day, unnest(CAST([] AS ${recordsColumnType(columns)})) AS r)`);
  }

  async function insertFiles(
    files: LogFile[],
    window: TimeWindow,
    onProgress?: (percent: number) => void,
    maxObjectBytes = FAST_OBJECT_BYTES,
  ): Promise<void> {
    const statement = await connection.prepare(stagingInsert(stagedColumns, maxObjectBytes));
    statement.bindValue(statement.parameterIndex('files'), listValue(files.map((f) => literalPath(f.path))));
    bindNullableVarchar(statement, 'since', window.since);
    bindNullableVarchar(statement, 'until', window.until);
    if (!onProgress) {
      await statement.run();
      return;
    }
    // One statement over every file lets DuckDB spread the files over its threads (separate statements per
    // batch measured 4x slower); DuckDB's own query progress drives the progress line meanwhile.
    const timer = setInterval(() => onProgress(connection.progress.percentage), 500);
    try {
      await statement.run();
    } finally {
      clearInterval(timer);
    }
  }

  /** Whether a file is empty, white space or {} (so, nothing to read rather than unreadable). */
  async function holdsNothing(file: LogFile): Promise<boolean> {
    try {
      return (
        fileContentProblem(file.path, (await sql(FILE_CONTENT_SQL, {}, [file]))[0])?.code === 'file-empty'
      );
    } catch {
      return false;
    }
  }

  /** Inserts a batch; when it fails, halves it until the bad files are isolated and named. */
  async function insertIsolatingFailures(
    files: LogFile[],
    window: TimeWindow,
    errors: RunErrorEntry[],
  ): Promise<number> {
    try {
      await insertFiles(files, window);
      return 0;
    } catch (error) {
      if (files.length === 1) {
        let reason = errorMessage(error);
        // A file larger than the fast read's buffer gets one more try with the full limit.
        if (/maximum_object_size/i.test(reason)) {
          try {
            await insertFiles(files, window, undefined, MAX_OBJECT_BYTES);
            return 0;
          } catch (retryError) {
            reason = errorMessage(retryError);
          }
        }
        // A file holding only {} fails the typed read alone; it is an empty file, named as such after staging.
        if (await holdsNothing(files[0]!)) return 0;
        errors.push({
          scope: 'file',
          id: files[0]!.path,
          code: 'file-unreadable',
          message: firstLine(reason),
        });
        return 1;
      }
      const middle = Math.ceil(files.length / 2);
      return (
        (await insertIsolatingFailures(files.slice(0, middle), window, errors)) +
        (await insertIsolatingFailures(files.slice(middle), window, errors))
      );
    }
  }

  /** Runs SQL on the staging connection with named VARCHAR parameters (and `$files` from `files`). */
  async function sql(text: string, params: Record<string, string | null> = {}, files?: LogFile[]) {
    const statement = await connection.prepare(text);
    for (const [name, value] of Object.entries(params)) bindNullableVarchar(statement, name, value);
    if (files) {
      statement.bindValue(
        statement.parameterIndex('files'),
        listValue(files.map((f) => literalPath(f.path))),
      );
    }
    return (await statement.runAndReadAll()).getRowObjectsJson();
  }

  // The columns the staged table keeps (all when unset); the fields the engine itself checks always stay.
  let stagedColumns: ReadonlySet<string> | undefined;

  async function stage(window: TimeWindow, columns?: readonly string[]): Promise<StageResult> {
    stagedColumns = columns ? new Set([...columns, ...ALWAYS_STAGED]) : undefined;
    const started = Date.now();
    const found = await findLogFiles(options.logs, { window, exclude: options.exclude ?? [] });
    const files = found.files;
    const errors: RunErrorEntry[] = [...found.errors];
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
    try {
      if (files.length > 0) await insertFiles(files, window, progress ? onProgress : undefined);
    } catch {
      // Some file is unreadable: find which by halving the list, so every good file is still staged.
      options.log.warn('a log file could not be read; isolating it', { files: files.length });
      await createEmptyTable();
      filesFailed += await insertIsolatingFailures(files, window, errors);
    }
    onProgress(100);
    // A file that gave no records is either an empty CloudTrail file or not CloudTrail at all: ask only those.
    const seen = await connection.runAndReadAll('SELECT DISTINCT "$path" AS path FROM cloudtrail_logs');
    const withRecords = new Set(seen.getRowObjectsJson().map((r) => String(r.path)));
    const failed = new Set(errors.map((e) => e.id));
    for (const file of files.filter((f) => !withRecords.has(f.path) && !failed.has(f.path))) {
      const problem = fileContentProblem(file.path, (await sql(FILE_CONTENT_SQL, {}, [file]))[0]);
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
    const incomplete = await connection.runAndReadAll(
      `SELECT "$path" AS path, count(*) AS n FROM cloudtrail_logs
       WHERE eventname IS NULL OR eventsource IS NULL OR eventid IS NULL GROUP BY 1 ORDER BY 1`,
    );
    for (const row of incomplete.getRowObjectsJson()) {
      errors.push({
        scope: 'file',
        id: String(row.path),
        code: 'records-incomplete',
        severity: 'warning',
        message: `${String(row.n)} record(s) lack eventName, eventSource or eventID; evaluated with those fields empty`,
      });
    }
    const count = await connection.runAndReadAll(
      'SELECT count(*) AS n, min(eventtime) AS first_event, max(eventtime) AS last_event FROM cloudtrail_logs',
    );
    const totals = count.getRowObjectsJson()[0];
    const events = Number(totals?.n ?? 0);
    const result: StageResult = {
      files: files.length,
      filesFailed,
      events,
      bytesRead: files.reduce((sum, f) => sum + f.bytes, 0),
      durationMs: Date.now() - started,
      firstEvent:
        totals?.first_event === null || totals?.first_event === undefined ? null : String(totals.first_event),
      lastEvent:
        totals?.last_event === null || totals?.last_event === undefined ? null : String(totals.last_event),
      duplicateEvents: settled.duplicates,
      errors,
      queryId: `duckdb-stage`,
    };
    progress?.done({ events, filesFailed });
    return result;
  }

  async function* stream(sql: string, params: readonly unknown[]): AsyncGenerator<Row, QueryStats> {
    const started = Date.now();
    queryCount += 1;
    const statement = await connection.prepare(sql);
    bindPositional(statement, params);
    const result = await statement.stream();
    for await (const rows of result.yieldRowObjectJson()) {
      for (const row of rows) yield row;
    }
    return { queryId: `duckdb-${queryCount}`, durationMs: Date.now() - started, bytesScanned: 0 };
  }

  return {
    kind: 'duckdb',
    stage,
    stream,
    run: (sql, params) => collectRows(stream(sql, params)),
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function bindNullableVarchar(statement: DuckDBPreparedStatement, name: string, value: string | null): void {
  if (value === null) statement.bindNull(statement.parameterIndex(name));
  else statement.bindVarchar(statement.parameterIndex(name), value);
}

/** Binds `?` parameters: strings as VARCHAR, integers as BIGINT, string arrays as VARCHAR[]. */
function bindPositional(statement: DuckDBPreparedStatement, params: readonly unknown[]): void {
  params.forEach((value, i) => {
    const index = i + 1;
    if (value === null || value === undefined) statement.bindNull(index);
    else if (typeof value === 'string') statement.bindVarchar(index, value);
    else if (typeof value === 'number' && Number.isInteger(value)) statement.bindBigInt(index, BigInt(value));
    else if (typeof value === 'number') statement.bindDouble(index, value);
    else if (typeof value === 'boolean') statement.bindBoolean(index, value);
    else if (Array.isArray(value)) statement.bindValue(index, listValue(value.map(String)));
    else throw new TypeError(`cannot bind parameter ${index} of type ${typeof value}`);
  });
}

/** The engine's connection type, for tests that need raw access. */
export type { DuckDBConnection };
