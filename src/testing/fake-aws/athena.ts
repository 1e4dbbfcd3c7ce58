// The fake AWS endpoint's Athena: StartQueryExecution, GetQueryExecution, GetQueryResults and
// StopQueryExecution over a real embedded DuckDB, so rule results are real. The configured Athena table is
// a DuckDB view over a folder of CloudTrail files (the embedded engine's own raw relation and Trino
// macros); Athena databases are DuckDB schemas. Only what trailwatch sends is translated: the CTAS
// `WITH (...)` properties are dropped, Hive DDL backticks become double quotes, and ExecutionParameters
// (SQL literals) are parsed back into bound values.
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { rawRelationSql } from '../../engine/duckdb.js';
import { listLogFiles } from '../../engine/log-files.js';
import { TRINO_COMPAT_MACROS } from '../../engine/trino-compat.js';

/** A query-level fault, chosen by the query text. */
export interface FakeQueryFault {
  /** Applies to queries whose text matches. */
  match: RegExp;
  /** fail: the query ends FAILED with `reason`; hang: it stays RUNNING until stopped; bad-page: result pages after the first have rows one value short. */
  kind: 'fail' | 'hang' | 'bad-page';
  reason?: string;
  /** Apply to this many matching queries (default: all). */
  times?: number;
}

/** Settings of the fake Athena. */
export interface FakeAthenaOptions {
  /** The folder of CloudTrail files behind the Athena table. */
  logs: string;
  /** The database and table of the raw CloudTrail table (defaults: default, cloudtrail_logs). */
  database?: string;
  table?: string;
  /** Further databases that exist (default: trailwatch_staging). */
  databases?: string[];
  /** GetQueryExecution polls before a finished query shows its end state (QUEUED, RUNNING…, default 3). */
  pollsToFinish?: number;
  faults?: FakeQueryFault[];
}

/** One query as the fake saw it. */
export interface FakeQueryRecord {
  id: string;
  sql: string;
  database: string | undefined;
  workgroup: string;
  parameters: string[];
  outputLocation: string | undefined;
  /** Whether it reads the raw CloudTrail table (the expensive scan). */
  readsRaw: boolean;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason?: string;
  stopped: boolean;
  polls: number;
}

/** An Athena API error the server turns into a JSON 1.1 error answer. */
export class FakeAthenaError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The fake Athena service behind the fake endpoint. */
export interface FakeAthena {
  queries: FakeQueryRecord[];
  faults: FakeQueryFault[];
  /** Bytes a query over the raw table reports scanned (the files' size). */
  rawBytes: number;
  handle(operation: string, body: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

interface Result {
  columns: { name: string; type: string }[];
  rows: (string | undefined)[][];
  isSelect: boolean;
}

interface Query extends FakeQueryRecord {
  done: Promise<void>;
  finished: boolean;
  result?: Result;
  fault?: FakeQueryFault;
  submitted: number;
  completed?: number;
  bytes: number;
}

const invalid = (message: string) => new FakeAthenaError(400, 'InvalidRequestException', message);

/** Parses one ExecutionParameters entry (a SQL literal) back into a value to bind. */
export function parseSqlLiteral(text: string): string | number | boolean | null {
  const quoted = /^'((?:[^']|'')*)'$/.exec(text);
  if (quoted) return (quoted[1] ?? '').replace(/''/g, "'");
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^-?\d+\.\d+$/.test(text)) return Number(text);
  if (/^null$/i.test(text)) return null;
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  throw new Error(`line 1:1: mismatched input '${text.slice(0, 20)}' (not a SQL literal)`);
}

// The DuckDB type of a result column, as Athena names it in ColumnInfo.Type.
function athenaType(duckType: string): string {
  if (duckType.endsWith('[]')) return 'array';
  if (duckType.startsWith('STRUCT')) return 'row';
  if (duckType.startsWith('MAP')) return 'map';
  if (duckType.startsWith('TIMESTAMP')) return 'timestamp';
  const known: Record<string, string> = {
    VARCHAR: 'varchar',
    BIGINT: 'bigint',
    HUGEINT: 'bigint',
    INTEGER: 'integer',
    SMALLINT: 'smallint',
    TINYINT: 'tinyint',
    BOOLEAN: 'boolean',
    DOUBLE: 'double',
    FLOAT: 'real',
    DATE: 'date',
    JSON: 'json',
  };
  return known[duckType] ?? (duckType.startsWith('DECIMAL') ? 'decimal' : 'varchar');
}

// A value as Athena prints it in VarCharValue: arrays as [a, b], rows as {a=1, b=x}.
function athenaText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return `[${value.map((v) => athenaText(v) ?? 'null').join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${athenaText(v) ?? 'null'}`)
      .join(', ')}}`;
  }
  return String(value);
}

function bind(statement: DuckDBPreparedStatement, values: (string | number | boolean | null)[]): void {
  values.forEach((value, i) => {
    const index = i + 1;
    if (value === null) statement.bindNull(index);
    else if (typeof value === 'string') statement.bindVarchar(index, value);
    else if (typeof value === 'boolean') statement.bindBoolean(index, value);
    else if (Number.isInteger(value)) statement.bindBigInt(index, BigInt(value));
    else statement.bindDouble(index, value);
  });
}

/** Starts the fake Athena over `options.logs` (a real DuckDB in memory). */
export async function startFakeAthena(options: FakeAthenaOptions): Promise<FakeAthena> {
  const database = options.database ?? 'default';
  const table = options.table ?? 'cloudtrail_logs';
  const pollsToFinish = options.pollsToFinish ?? 3;
  const faults = [...(options.faults ?? [])];
  const faultUses = new Map<FakeQueryFault, number>();
  const queries: Query[] = [];
  const files = await listLogFiles(options.logs);
  const rawBytes = files.reduce((sum, f) => sum + f.bytes, 0);

  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  for (const macro of TRINO_COMPAT_MACROS) await connection.run(macro);
  for (const name of new Set([database, ...(options.databases ?? ['trailwatch_staging'])])) {
    await connection.run(`CREATE SCHEMA IF NOT EXISTS "${name.replace(/"/g, '""')}"`);
  }
  const list = `[${files.map((f) => `'${f.path.replace(/'/g, "''")}'`).join(', ')}]`;
  await connection.run(
    `CREATE VIEW "${database}"."${table}" AS ${files.length > 0 ? rawRelationSql(list) : 'SELECT NULL AS eventtime WHERE false'}`,
  );
  // One DuckDB connection answers every query, one at a time (its search_path is per query).
  let queue: Promise<void> = Promise.resolve();

  const rawPattern = new RegExp(
    `"?${database}"?\\s*\\.\\s*"?${table}"?(?![a-z0-9_])|(?<![a-z0-9_."])"?${table}"?(?![a-z0-9_."])`,
    'i',
  );
  function readsRawTable(sql: string, db: string | undefined): boolean {
    const qualified = new RegExp(`"?${database}"?\\s*\\.\\s*"?${table}"?(?![a-z0-9_])`, 'i').test(sql);
    // An unqualified name reads the raw table only in its own database (and not when a CTE of that name
    // is defined by the query itself).
    const cte = new RegExp(`\\b${table}\\s+AS\\s*\\(`, 'i').test(sql);
    return qualified || (db === database && !cte && rawPattern.test(sql));
  }

  function translate(sql: string): string {
    return sql
      .replace(/^(\s*CREATE\s+TABLE\s+\S+)\s+WITH\s*\((?:[^()']|'(?:[^']|'')*')*\)\s*AS\b/i, '$1 AS')
      .replace(/`([a-z0-9_]+)`/g, '"$1"');
  }

  function matchFault(sql: string): FakeQueryFault | undefined {
    for (const fault of faults) {
      if (!fault.match.test(sql)) continue;
      const used = faultUses.get(fault) ?? 0;
      if (fault.times !== undefined && used >= fault.times) continue;
      faultUses.set(fault, used + 1);
      return fault;
    }
    return undefined;
  }

  async function runQuery(query: Query): Promise<void> {
    try {
      const values = query.parameters.map(parseSqlLiteral);
      const path = query.database ?? database;
      await connection.run(`SET search_path = '${path.replace(/'/g, "''")},main'`);
      const statement = await connection.prepare(translate(query.sql));
      bind(statement, values);
      const reader = await statement.runAndReadAll();
      const isSelect = /^\s*(?:--[^\n]*\n\s*)*(SELECT|WITH)\b/i.test(query.sql);
      query.result = {
        isSelect,
        columns: isSelect
          ? reader.columnNames().map((name, i) => ({
              name,
              type: athenaType(reader.columnTypes()[i]?.toString() ?? 'VARCHAR'),
            }))
          : [],
        rows: isSelect ? reader.getRowsJson().map((row) => row.map(athenaText)) : [],
      };
      if (query.state !== 'CANCELLED') query.state = 'SUCCEEDED';
    } catch (error) {
      if (query.state !== 'CANCELLED') {
        query.state = 'FAILED';
        query.reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      }
    } finally {
      query.finished = true;
      query.completed = Date.now();
    }
  }

  function find(body: Record<string, unknown>): Query {
    const id = String(body.QueryExecutionId ?? '');
    const query = queries.find((q) => q.id === id);
    if (!query) throw invalid(`QueryExecution ${id} was not found`);
    return query;
  }

  // The state a poll shows: QUEUED, then RUNNING, until enough polls have passed and the query is done.
  function shownState(query: Query): FakeQueryRecord['state'] {
    if (query.state === 'CANCELLED') return 'CANCELLED';
    if (query.polls < pollsToFinish || !query.finished || query.fault?.kind === 'hang') {
      return query.polls <= 1 ? 'QUEUED' : 'RUNNING';
    }
    return query.state;
  }

  function start(body: Record<string, unknown>): unknown {
    const sql = typeof body.QueryString === 'string' ? body.QueryString : '';
    if (sql.trim() === '') throw invalid('QueryString is required');
    const params = body.ExecutionParameters;
    if (params !== undefined && (!Array.isArray(params) || params.length === 0)) {
      throw invalid('ExecutionParameters must hold at least one value when present');
    }
    const context = (body.QueryExecutionContext ?? {}) as { Database?: string };
    const result = (body.ResultConfiguration ?? {}) as { OutputLocation?: string };
    const fault = matchFault(sql);
    const query: Query = {
      id: randomUUID(),
      sql,
      database: context.Database,
      workgroup: typeof body.WorkGroup === 'string' ? body.WorkGroup : 'primary',
      parameters: ((params as unknown[] | undefined) ?? []).map(String),
      outputLocation: result.OutputLocation,
      readsRaw: readsRawTable(sql, context.Database),
      state: 'RUNNING',
      stopped: false,
      polls: 0,
      done: Promise.resolve(),
      finished: false,
      submitted: Date.now(),
      bytes: 0,
      ...(fault ? { fault } : {}),
    };
    query.bytes = /^\s*DROP\b/i.test(sql)
      ? 0
      : query.readsRaw
        ? rawBytes
        : Math.max(1, Math.round(rawBytes / 50));
    queries.push(query);
    if (fault?.kind === 'fail') {
      query.state = 'FAILED';
      query.reason = fault.reason ?? 'GENERIC_INTERNAL_ERROR: injected failure';
      query.finished = true;
    } else if (fault?.kind !== 'hang') {
      query.done = queue = queue.then(() => runQuery(query));
    }
    return { QueryExecutionId: query.id };
  }

  function describe(query: Query): unknown {
    const state = shownState(query);
    const final = state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
    const elapsed = (query.completed ?? Date.now()) - query.submitted;
    return {
      QueryExecution: {
        QueryExecutionId: query.id,
        Query: query.sql,
        StatementType: /^\s*(CREATE|DROP)\b/i.test(query.sql) ? 'DDL' : 'DML',
        ...(query.outputLocation
          ? {
              ResultConfiguration: {
                OutputLocation: `${query.outputLocation.replace(/\/$/, '')}/${query.id}.csv`,
              },
            }
          : {}),
        QueryExecutionContext: { Database: query.database, Catalog: 'AwsDataCatalog' },
        Status: {
          State: state,
          ...(state === 'FAILED' || state === 'CANCELLED'
            ? { StateChangeReason: query.reason ?? 'Query cancelled by user' }
            : {}),
          SubmissionDateTime: query.submitted / 1000,
          ...(final ? { CompletionDateTime: (query.completed ?? Date.now()) / 1000 } : {}),
        },
        Statistics: {
          EngineExecutionTimeInMillis: elapsed,
          TotalExecutionTimeInMillis: elapsed + 7,
          QueryQueueTimeInMillis: 7,
          ...(state === 'SUCCEEDED' ? { DataScannedInBytes: query.bytes } : {}),
        },
        WorkGroup: query.workgroup,
        ...(query.parameters.length > 0 ? { ExecutionParameters: query.parameters } : {}),
      },
    };
  }

  function results(query: Query, body: Record<string, unknown>): unknown {
    if (!query.finished || query.state !== 'SUCCEEDED' || !query.result) {
      throw invalid(`Query has not yet finished. Current state: ${shownState(query)}`);
    }
    const max = body.MaxResults === undefined ? 1000 : Number(body.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 1000) {
      throw invalid('MaxResults must be between 1 and 1000');
    }
    let offset = 0;
    if (typeof body.NextToken === 'string') {
      const [id, at] = Buffer.from(body.NextToken, 'base64url').toString('utf8').split(':');
      offset = Number(at);
      if (id !== query.id || !Number.isInteger(offset) || offset < 0) throw invalid('invalid NextToken');
    }
    const { columns, rows, isSelect } = query.result;
    const all = isSelect ? [columns.map((c) => c.name), ...rows] : rows;
    const slice = all.slice(offset, offset + max);
    const short = query.fault?.kind === 'bad-page' && offset > 0;
    const next =
      offset + max < all.length
        ? Buffer.from(`${query.id}:${offset + max}`).toString('base64url')
        : undefined;
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: slice.map((row) => ({
          Data: (short ? row.slice(1) : row).map((v) => (v === undefined ? {} : { VarCharValue: v })),
        })),
        ResultSetMetadata: {
          ColumnInfo: columns.map((c) => ({
            CatalogName: 'hive',
            SchemaName: '',
            TableName: '',
            Name: c.name,
            Label: c.name,
            Type: c.type,
            Precision: 0,
            Scale: 0,
            Nullable: 'UNKNOWN',
            CaseSensitive: c.type === 'varchar',
          })),
        },
      },
      ...(next ? { NextToken: next } : {}),
    };
  }

  return {
    queries,
    faults,
    rawBytes,
    async handle(operation, body) {
      switch (operation) {
        case 'StartQueryExecution':
          return start(body);
        case 'GetQueryExecution': {
          const query = find(body);
          query.polls += 1;
          return describe(query);
        }
        case 'GetQueryResults':
          return results(find(body), body);
        case 'StopQueryExecution': {
          const query = find(body);
          if (!query.finished || query.fault?.kind === 'hang') {
            query.state = 'CANCELLED';
            query.reason = 'Query cancelled by user';
            query.stopped = true;
            query.finished = true;
            query.completed = Date.now();
          }
          return {};
        }
        default:
          throw new FakeAthenaError(400, 'UnknownOperationException', `unknown operation ${operation}`);
      }
    },
    async close() {
      await queue.catch(() => undefined);
      connection.closeSync();
      instance.closeSync();
    },
  };
}
