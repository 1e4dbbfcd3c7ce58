// The distributed engine: the same rule SQL, run by Amazon Athena over the organization trail's table.
// Staging is one CTAS per run into the staging database; every rule then reads that run's table through a
// `cloudtrail_logs` CTE put in front of its text, so the rule SQL itself is never rewritten.
import { collectRows } from './collect-rows.js';
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import type { Config } from '../config/schema.js';
import { errorMessage, type RunErrorEntry } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { CLOUDTRAIL_COLUMNS, PARTITION_COLUMNS } from './cloudtrail-schema.js';
import {
  athenaValue,
  dayLiteral,
  failedObject,
  fitToAthenaLimits,
  MAX_OBJECTS_LEFT_OUT,
  newStagingSuffix,
  quoted,
  sqlLiteral,
  withStagedRelation,
} from './athena-sql.js';
import { deliveryDays } from './log-files.js';
import type { QueryEngine, QueryStats, Row, StageResult, TimeWindow } from './types.js';

/** The `engine.athena` section of the config. */
export type AthenaSettings = Config['engine']['athena'];

/** What the Athena engine needs. */
export interface AthenaEngineOptions {
  config: AthenaSettings;
  /** Built by the client factory; the engine owns it from here and destroys it on close(). */
  client: AthenaClient;
  log: Logger;
  /** Aborting stops the running query (StopQueryExecution) and fails the call. */
  signal?: AbortSignal;
  /** Names this run's staging table (lower-case letters, digits, _); default: time plus random. */
  runId?: string;
  /** Rows per GetQueryResults page (Athena allows at most 1000). */
  pageSize?: number;
}

// Backoff between GetQueryExecution polls: start at pollSeconds, grow by half, never above this.
const MAX_POLL_MS = 10_000;
// Staging's own checks and the rules' keys always travel, whichever columns the rules name.
const ALWAYS_STAGED = ['eventtime', 'eventid', 'eventname', 'eventsource'];

/** Thrown when Athena reports a query FAILED or CANCELLED, or when trailwatch stopped it. */
export class AthenaQueryError extends Error {
  constructor(
    message: string,
    readonly queryId: string,
    readonly state: string,
  ) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

/** What running one Athena statement needs. */
export interface AthenaRunnerOptions {
  config: AthenaSettings;
  client: AthenaClient;
  log: Logger;
  /** Aborting stops the running query (StopQueryExecution) and fails the call. */
  signal?: AbortSignal;
  /** Rows per GetQueryResults page (Athena allows at most 1000). */
  pageSize?: number;
}

/** Runs statements in the configured workgroup: start, poll with backoff, page results, stop on abort. */
export interface AthenaRunner {
  /** Starts a query and waits for it to finish; returns its execution when it SUCCEEDED. */
  execute(
    sql: string,
    params: readonly unknown[],
    database: string,
    abortable?: boolean,
  ): Promise<{ queryId: string; execution: QueryExecution; wallMs: number }>;
  /** Pages through a SELECT's results as typed rows. */
  results(queryId: string): AsyncGenerator<Row>;
}

/** The statement runner shared by the engine, `athena setup` and `athena check`. */
export function createAthenaRunner(options: AthenaRunnerOptions): AthenaRunner {
  const { config, client, log, signal } = options;
  const pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));

  async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async function stop(queryId: string, why: string): Promise<void> {
    try {
      // Not tied to the abort signal: the stop must go out precisely when the run is being aborted.
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId }));
      log.warn('athena query stopped', { queryId, why });
    } catch (error) {
      log.error('stopping an athena query failed', { queryId, error: errorMessage(error) });
    }
  }

  /** Starts a query and waits for it to finish; returns its execution when it SUCCEEDED. */
  async function execute(
    sql: string,
    params: readonly unknown[],
    database: string,
    abortable = true,
  ): Promise<{ queryId: string; execution: QueryExecution; wallMs: number }> {
    const signal = abortable ? options.signal : undefined;
    const started = Date.now();
    signal?.throwIfAborted();
    // Athena's limits are met (a long list split) or refused here, with a message, before anything is sent.
    const fitted = fitToAthenaLimits(sql, params);
    const parameters = fitted.params.map(sqlLiteral);
    const start = await client.send(
      new StartQueryExecutionCommand({
        QueryString: fitted.sql,
        WorkGroup: config.workgroup,
        QueryExecutionContext: { Database: database },
        ...(config.outputLocation ? { ResultConfiguration: { OutputLocation: config.outputLocation } } : {}),
        ...(parameters.length > 0 ? { ExecutionParameters: parameters } : {}),
      }),
      // Not abortable: an abort while the start is in flight would leave a query running in Athena whose id
      // we never learned. An abort meanwhile is seen by the first poll, which then stops the query.
    );
    const queryId = start.QueryExecutionId;
    if (!queryId) throw new Error('StartQueryExecution returned no QueryExecutionId');
    const deadline = started + config.queryTimeoutSeconds * 1000;
    let delay = config.pollSeconds * 1000;
    try {
      for (;;) {
        const { QueryExecution: execution } = await client.send(
          new GetQueryExecutionCommand({ QueryExecutionId: queryId }),
          { abortSignal: signal },
        );
        const state = execution?.Status?.State;
        if (state === 'SUCCEEDED' && execution) return { queryId, execution, wallMs: Date.now() - started };
        if (state === 'FAILED' || state === 'CANCELLED') {
          const reason = execution?.Status?.StateChangeReason ?? execution?.Status?.AthenaError?.ErrorMessage;
          throw new AthenaQueryError(
            `Athena query ${queryId} ${state}: ${reason ?? 'no reason given'}`,
            queryId,
            state,
          );
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          await stop(queryId, 'timeout');
          throw new AthenaQueryError(
            `Athena query ${queryId} did not finish within ${config.queryTimeoutSeconds} s; stopped`,
            queryId,
            'TIMEOUT',
          );
        }
        await sleep(Math.min(delay, remaining), signal);
        signal?.throwIfAborted();
        delay = Math.min(delay * 1.5, MAX_POLL_MS);
      }
    } catch (error) {
      if (signal?.aborted && !(error instanceof AthenaQueryError)) {
        await stop(queryId, 'aborted');
        throw new AthenaQueryError(`Athena query ${queryId} aborted; stopped`, queryId, 'ABORTED');
      }
      throw error;
    }
  }

  /** Pages through a SELECT's results; the first row of the first page is the header. */
  async function* results(queryId: string): AsyncGenerator<Row> {
    let token: string | undefined;
    let columns: ColumnInfo[] | undefined;
    let first = true;
    do {
      const page = await client.send(
        new GetQueryResultsCommand({ QueryExecutionId: queryId, MaxResults: pageSize, NextToken: token }),
        { abortSignal: signal },
      );
      const info = page.ResultSet?.ResultSetMetadata?.ColumnInfo;
      if (!info) throw new Error(`Athena query ${queryId}: a result page without column metadata`);
      columns ??= info;
      let rows = page.ResultSet?.Rows ?? [];
      if (first) {
        const header = rows[0]?.Data?.map((d) => d.VarCharValue);
        if (!header || header.join('\u0000') !== columns.map((c) => c.Name).join('\u0000')) {
          throw new Error(`Athena query ${queryId}: the first result row is not the header row`);
        }
        rows = rows.slice(1);
        first = false;
      }
      for (const row of rows) {
        const data = row.Data ?? [];
        if (data.length !== columns.length) {
          throw new Error(
            `Athena query ${queryId}: a result row has ${data.length} values for ${columns.length} columns`,
          );
        }
        const out: Row = {};
        columns.forEach((column, i) => {
          out[column.Name ?? `_col${i}`] = athenaValue(data[i]?.VarCharValue, column);
        });
        yield out;
      }
      token = page.NextToken;
    } while (token);
  }

  return { execute, results };
}

/** Opens the Athena engine. No AWS call is made until the first query. */
export function openAthenaEngine(options: AthenaEngineOptions): QueryEngine {
  const { config, client, log } = options;
  // execute() takes the signal per call: dropping the staging table in close() must still run after an abort.
  const { execute, results } = createAthenaRunner(options);
  const suffix = options.runId ?? newStagingSuffix();
  if (!/^[a-z0-9_]+$/.test(suffix))
    throw new Error(`runId must be lower-case letters, digits and _: ${suffix}`);
  const stagingTable = `cloudtrail_logs_${suffix}`;
  const stagedName = `${quoted(config.stagingDatabase)}.${quoted(stagingTable)}`;
  let staged = false;

  function stats(queryId: string, execution: QueryExecution, wallMs: number): QueryStats {
    return {
      queryId,
      durationMs: execution.Statistics?.TotalExecutionTimeInMillis ?? wallMs,
      bytesScanned: execution.Statistics?.DataScannedInBytes ?? 0,
    };
  }

  async function* stream(sql: string, params: readonly unknown[]): AsyncGenerator<Row, QueryStats> {
    // Once staged, rules read this run's table under the name they use; before that, the raw table.
    const text = staged ? withStagedRelation(sql, stagedName) : sql;
    const database = staged ? config.stagingDatabase : config.database;
    const { queryId, execution, wallMs } = await execute(text, params, database);
    yield* results(queryId);
    return stats(queryId, execution, wallMs);
  }

  function run(sql: string, params: readonly unknown[]): Promise<{ rows: Row[]; stats: QueryStats }> {
    return collectRows(stream(sql, params));
  }

  async function stage(window: TimeWindow, columns?: readonly string[]): Promise<StageResult> {
    const started = Date.now();
    const wanted = columns
      ? CLOUDTRAIL_COLUMNS.filter((c) => ALWAYS_STAGED.includes(c) || columns.includes(c))
      : undefined;
    const select = wanted ? [...wanted, ...PARTITION_COLUMNS].map(quoted).join(', ') : '*';
    const errors: RunErrorEntry[] = [];
    const excluded: string[] = [];
    let created: Awaited<ReturnType<typeof execute>> | undefined;
    log.info('staging the window in athena', { table: `${config.stagingDatabase}.${stagingTable}` });
    // One object Athena cannot read fails the whole CTAS: it is named in the failure reason, so it is left
    // out ("$path" <> ?) and the rest staged again, a few times at most; the run lists each object left out.
    for (;;) {
      const { sql, params } = stagingQuery(window, select, excluded);
      try {
        created = await execute(sql, params, config.stagingDatabase);
        break;
      } catch (error) {
        const object = error instanceof AthenaQueryError ? failedObject(error.message) : null;
        if (!object || excluded.includes(object) || excluded.length >= MAX_OBJECTS_LEFT_OUT) throw error;
        excluded.push(object);
        errors.push({
          scope: 'file',
          id: object,
          code: 'object-unreadable',
          message: `Athena could not read this object; the window was staged without it: ${errorMessage(error).slice(0, 500)}`,
        });
        log.warn('staging left out an object athena could not read', { object });
      }
    }
    staged = true;
    const counted = await execute(`SELECT count(*) AS events FROM ${stagedName}`, [], config.stagingDatabase);
    let events = 0;
    for await (const row of results(counted.queryId)) events = Number(row.events ?? 0);
    const bytesRead =
      (created.execution.Statistics?.DataScannedInBytes ?? 0) +
      (counted.execution.Statistics?.DataScannedInBytes ?? 0);
    log.info('staged', { events, bytesRead, queryId: created.queryId });
    return {
      files: 0,
      filesFailed: excluded.length,
      events,
      bytesRead,
      durationMs: Date.now() - started,
      errors,
      queryId: created.queryId,
    };
  }

  /** The staging CTAS: every layout's table, pruned to the delivery days, bounded by eventtime. */
  function stagingQuery(
    window: TimeWindow,
    select: string,
    excluded: readonly string[],
  ): { sql: string; params: string[] } {
    const where: string[] = [];
    const params: string[] = [];
    // Partition pruning: the same delivery days the local engine reads (the window's days and one either
    // side, for late and early deliveries). The days are inlined, validated, rather than bound: a literal
    // predicate on a partition column is what projection prunes by.
    const { first, last } = deliveryDays(window);
    if (first) where.push(`day >= ${dayLiteral(first)}`);
    if (last) where.push(`day <= ${dayLiteral(last)}`);
    if (window.since) {
      where.push('eventtime >= ?');
      params.push(window.since);
    }
    if (window.until) {
      where.push('eventtime < ?');
      params.push(window.until);
    }
    for (const object of excluded) {
      where.push('"$path" <> ?');
      params.push(object);
    }
    const tables = config.layouts.map((l) => (l === 'organization' ? config.table : config.accountTable));
    const branches = tables.map(
      (table) =>
        `SELECT ${select}\nFROM ${quoted(config.database)}.${quoted(table)}${where.length > 0 ? `\nWHERE ${where.join('\n  AND ')}` : ''}`,
    );
    return {
      sql: `CREATE TABLE ${stagedName}\nWITH (format = 'PARQUET', write_compression = 'SNAPPY')\nAS ${branches.join('\nUNION ALL\n')}`,
      // Each branch binds its own copy of the values, in order.
      params: tables.flatMap(() => params),
    };
  }

  return {
    kind: 'athena',
    stage,
    stream,
    run,
    async close() {
      try {
        if (staged) {
          // DROP TABLE is Hive DDL in Athena: backticks, not double quotes. The table's Parquet files stay
          // under the results location (Athena does not delete them); a lifecycle rule there removes them.
          await execute(
            `DROP TABLE IF EXISTS \`${config.stagingDatabase}\`.\`${stagingTable}\``,
            [],
            config.stagingDatabase,
            false,
          );
          staged = false;
        }
      } catch (error) {
        log.warn('dropping the staging table failed', {
          table: `${config.stagingDatabase}.${stagingTable}`,
          error: errorMessage(error),
        });
      } finally {
        client.destroy();
      }
    },
  };
}
