// The fake AWS endpoint's Athena: StartQueryExecution, GetQueryExecution, GetQueryResults and
// StopQueryExecution over a real embedded DuckDB, so rule results are real. Tables come from the fake Glue
// catalog (created by `CREATE EXTERNAL TABLE`, changed by `ALTER TABLE … SET TBLPROPERTIES` or Glue
// UpdateTable); a query over one reads, as Athena's partition projection does, only the files under the
// table's storage.location.template for the listed accounts and regions and the days in range, narrowed
// by literal predicates on the partition columns (bound parameters do not prune). Buckets are local
// folders. Athena databases are DuckDB schemas. Only what trailwatch sends is translated: the CTAS
// `WITH (...)` properties are dropped, Hive DDL backticks become double quotes, and ExecutionParameters
// (SQL literals) are parsed back into bound values. Athena's limits are enforced: the query string's
// length, each parameter's length, and parameters only in a WHERE clause of a DML statement.
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { rawRelationSql } from '../../src/engine/staging-sql.js';
import { maskSql } from '../../src/shared/sql-text.js';
import { listLogFiles, type LogFile } from '../../src/engine/log-files.js';
import { TRINO_COMPAT_MACROS } from '../../src/engine/trino-compat.js';
import { startFakeGlue, type FakeGlue, type FakeGlueTable } from './glue.js';

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
  /** S3 buckets as local folders: bucket name → the folder that is the bucket's root. */
  buckets: Record<string, string>;
  /** Databases that exist from the start (default: default and trailwatch_staging). */
  databases?: string[];
  /** Workgroups by name and their result location (default: primary, with one). */
  workgroups?: Record<string, { outputLocation?: string }>;
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
  /** Whether it reads a raw CloudTrail table (the expensive scan). */
  readsRaw: boolean;
  /** The partitions it read, as `table:account/region/yyyy/MM/dd`, sorted (files present only). */
  partitionsRead: string[];
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  /** DataScannedInBytes as reported: a raw read's files, or the named columns of CTAS-made tables. */
  bytes: number;
  /** Compressed bytes of the raw CloudTrail files the query read (0 when it read none). */
  filesBytes: number;
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
  /** The catalog its tables live in (shared with the fake Glue service). */
  glue: FakeGlue;
  /** Bytes of every CloudTrail file in the buckets (a query over a raw table reports the files it read). */
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

// Athena's own limits (StartQueryExecution, as its API reference states them), kept apart from the
// product's copy so that a wrong product constant is caught here: the query string and each parameter.
const MAX_QUERY_BYTES = 262_144;
const MAX_PARAMETER_CHARS = 1024;
const PARTITION_KEYS = ['account', 'region', 'day'] as const;
type PartitionKey = (typeof PARTITION_KEYS)[number];

/** A file of a bucket with the partition values its key gives under a table's template. */
interface TableFile extends LogFile {
  url: string;
  partition: Record<PartitionKey, string>;
}

/** The SQL text with comments and the insides of literals blanked (same length), identifiers kept. */
function codeOnly(sql: string): string {
  return maskSql(sql, { keepIdentifiers: true });
}

/**
 * Why Athena would refuse these parameters, or null: execution parameters exist only for DML (SELECT,
 * CTAS, INSERT INTO), each `?` must sit in a WHERE clause, and there must be one value per `?`.
 */
export function parameterProblem(sql: string, count: number): string | null {
  const code = codeOnly(sql);
  const marks = [...code.matchAll(/\?/g)].map((m) => m.index);
  if (count === 0 && marks.length === 0) return null;
  if (!/^\s*(SELECT|WITH|INSERT|CREATE\s+TABLE\s+\S+\s+(WITH\s*\(|AS\b))/i.test(code)) {
    return 'execution parameters are supported only for SELECT, CTAS and INSERT INTO statements';
  }
  if (marks.length !== count) {
    return `Incorrect number of parameters: expected ${marks.length} but found ${count}`;
  }
  const clause = /\b(SELECT|FROM|WHERE|GROUP\s+BY|HAVING|ORDER\s+BY|LIMIT|JOIN|ON|WITH|UNION|VALUES)\b/gi;
  for (const at of marks) {
    let last = '';
    for (const m of code.slice(0, at).matchAll(clause)) last = m[1]!.toUpperCase();
    if (last !== 'WHERE') {
      return `line ${code.slice(0, at).split('\n').length}: a parameter (?) is allowed only in a WHERE clause, found one in ${last || 'the statement head'}`;
    }
  }
  return null;
}

/** The literal predicates on one partition column (bound parameters do not prune, as in Athena). */
function literalFilter(code: string, sql: string, key: PartitionKey): ((value: string) => boolean) | null {
  const tests: ((value: string) => boolean)[] = [];
  const col = `(?<![a-z0-9_$])"?${key}"?\\s*`;
  const lit = (i: number, len: number) =>
    sql
      .slice(i, i + len)
      .replace(/^'|'$/g, '')
      .replace(/''/g, "'");
  // Predicates are found in the code-only text (so a comment does not count) and read from the original.
  for (const m of code.matchAll(new RegExp(`${col}BETWEEN\\s+(\\s*)`, 'gi'))) {
    const rest = sql.slice(m.index + m[0].length);
    const two = /^'((?:[^']|'')*)'\s+AND\s+'((?:[^']|'')*)'/i.exec(rest);
    if (two) {
      const [low, high] = [two[1]!.replace(/''/g, "'"), two[2]!.replace(/''/g, "'")];
      tests.push((v) => v >= low && v <= high);
    }
  }
  for (const m of code.matchAll(new RegExp(`${col}(>=|<=|>|<)\\s*`, 'gi'))) {
    const one = /^'((?:[^']|'')*)'/.exec(sql.slice(m.index + m[0].length));
    if (!one) continue;
    const bound = one[1]!.replace(/''/g, "'");
    const op = m[1];
    tests.push((v) =>
      op === '>=' ? v >= bound : op === '<=' ? v <= bound : op === '>' ? v > bound : v < bound,
    );
  }
  for (const m of code.matchAll(new RegExp(`${col}(=|IN\\s*\\()`, 'gi'))) {
    const start = m.index + m[0].length;
    if (m[1] === '=') {
      const one = /^\s*('(?:[^']|'')*')/.exec(sql.slice(start));
      if (one) {
        const value = lit(start + one[0].length - one[1]!.length, one[1]!.length);
        tests.push((v) => v === value);
      }
    } else {
      const list = /^((?:\s*'(?:[^']|'')*'\s*,?)+)\)/.exec(sql.slice(start));
      if (list) {
        const values = [...list[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((x) => x[1]!.replace(/''/g, "'"));
        tests.push((v) => values.includes(v));
      }
    }
  }
  return tests.length === 0 ? null : (v) => tests.every((t) => t(v));
}

/** The object URLs a query excludes with `"$path" <> ?` (values bound in order of the `?`). */
function excludedPaths(code: string, values: readonly unknown[]): Set<string> {
  const out = new Set<string>();
  for (const m of code.matchAll(/"\$path"\s*(?:<>|!=)\s*\?/gi)) {
    const before = (code.slice(0, m.index + m[0].length).match(/\?/g) ?? []).length - 1;
    const value = values[before];
    if (typeof value === 'string') out.add(value);
  }
  return out;
}

/** A yyyy/MM/dd day of a projection.day.range bound (`NOW` is today, UTC). */
function rangeDay(text: string | undefined, fallback: string): string {
  const t = (text ?? '').trim();
  if (/^NOW$/i.test(t)) return new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return /^\d{4}\/\d{2}\/\d{2}$/.test(t) ? t : fallback;
}

/** Starts the fake Athena over `options.buckets` (a real DuckDB in memory). */
export async function startFakeAthena(
  options: FakeAthenaOptions,
  glue: FakeGlue = startFakeGlue(),
): Promise<FakeAthena> {
  const pollsToFinish = options.pollsToFinish ?? 3;
  const workgroups = options.workgroups ?? { primary: { outputLocation: 's3://fake-athena-results/' } };
  const faults = [...(options.faults ?? [])];
  const faultUses = new Map<FakeQueryFault, number>();
  const queries: Query[] = [];
  const buckets = new Map<string, { root: string; files: LogFile[] }>();
  for (const [name, root] of Object.entries(options.buckets)) {
    buckets.set(name, { root, files: await listLogFiles(root) });
  }
  const rawBytes = [...buckets.values()].reduce(
    (sum, b) => sum + b.files.reduce((s, f) => s + f.bytes, 0),
    0,
  );

  const scratch = await mkdtemp(join(tmpdir(), 'tw-fake-athena-'));
  const emptyFile = join(scratch, 'empty.json');
  await writeFile(emptyFile, '{"Records":[]}');
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  for (const macro of TRINO_COMPAT_MACROS) await connection.run(macro);
  const schemaSql = (name: string) => `CREATE SCHEMA IF NOT EXISTS "${name.replace(/"/g, '""')}"`;
  for (const name of options.databases ?? ['default', 'trailwatch_staging']) glue.databases.add(name);
  for (const name of glue.databases) await connection.run(schemaSql(name));
  // One DuckDB connection answers every query, one at a time (its search_path is per query).
  let queue: Promise<void> = Promise.resolve();

  /** The catalog tables a query reads: named with their database, or bare in the query's database. */
  function tablesRead(sql: string, db: string | undefined): FakeGlueTable[] {
    const code = codeOnly(sql);
    return [...glue.tables.values()].filter((t) => {
      const qualified = new RegExp(
        `"?\`?${t.DatabaseName}\`?"?\\s*\\.\\s*"?\`?${t.Name}\`?"?(?![a-z0-9_])`,
        'i',
      ).test(code);
      if (qualified) return true;
      // A bare name reads the table only in its own database, and not when the query defines a CTE so named.
      if (db !== t.DatabaseName || new RegExp(`\\b${t.Name}\\s+AS\\s*\\(`, 'i').test(code)) return false;
      return new RegExp(`(?<![a-z0-9_."])"?${t.Name}"?(?![a-z0-9_."])`, 'i').test(code);
    });
  }

  /** The files a table's projection lets a query read, pruned by the query's literal predicates. */
  function projectedFiles(table: FakeGlueTable, sql: string, values: readonly unknown[]): TableFile[] {
    const p = table.Parameters;
    if (p['projection.enabled']?.toLowerCase() !== 'true') return [];
    const template = /^s3:\/\/([^/]+)\/(.*)$/.exec(p['storage.location.template'] ?? '');
    const bucket = template ? buckets.get(template[1]!) : undefined;
    if (!template || !bucket) return [];
    const escaped = template[2]!.replace(/[.*+?^()|[\]\\]/g, '\\$&');
    const keyPattern = new RegExp(
      `^${escaped
        .replace('${account}', '(?<account>[^/]+)')
        .replace('${region}', '(?<region>[^/]+)')
        .replace('${day}', '(?<day>\\d{4}/\\d{2}/\\d{2})')}/[^/]+$`,
    );
    const listed = (key: string) =>
      new Set((p[`projection.${key}.values`] ?? '').split(',').map((v) => v.trim()));
    const accounts = listed('account');
    const regions = listed('region');
    const [from, to] = (p['projection.day.range'] ?? '').split(',');
    const first = rangeDay(from, '0000/00/00');
    const last = rangeDay(to, '9999/99/99');
    const code = codeOnly(sql);
    const filters = Object.fromEntries(PARTITION_KEYS.map((k) => [k, literalFilter(code, sql, k)]));
    const excluded = excludedPaths(code, values);
    const out: TableFile[] = [];
    for (const file of bucket.files) {
      const key = relative(bucket.root, file.path).split(sep).join('/');
      const g = keyPattern.exec(key)?.groups;
      if (!g?.account || !g.region || !g.day) continue;
      const partition = { account: g.account, region: g.region, day: g.day };
      if (!accounts.has(partition.account) || !regions.has(partition.region)) continue;
      if (partition.day < first || partition.day > last) continue;
      if (PARTITION_KEYS.some((k) => filters[k] && !filters[k](partition[k]))) continue;
      const url = `s3://${template[1]}/${key}`;
      if (excluded.has(url)) continue;
      out.push({ ...file, url, partition });
    }
    return out;
  }

  /** Points each read table's DuckDB view at the files projection gives; returns them all. */
  async function bindTables(tables: FakeGlueTable[], sql: string, values: readonly unknown[]) {
    const read: (TableFile & { table: string })[] = [];
    // A bucket is read as it is now (objects come and go between queries, as in S3).
    if (tables.length > 0) {
      for (const bucket of buckets.values()) bucket.files = await listLogFiles(bucket.root);
    }
    for (const table of tables) {
      const files = projectedFiles(table, sql, values);
      read.push(...files.map((f) => ({ ...f, table: table.Name })));
      const list = `[${files.map((f) => `'${f.path.replace(/'/g, "''")}'`).join(', ')}]`;
      // No file: the same relation over one empty CloudTrail file, so the columns keep their types.
      const relation = rawRelationSql(files.length > 0 ? list : `['${emptyFile.replace(/'/g, "''")}']`);
      await connection.run(schemaSql(table.DatabaseName));
      await connection.run(`CREATE OR REPLACE VIEW "${table.DatabaseName}"."${table.Name}" AS ${relation}`);
    }
    return read;
  }

  // Local paths in an error become the objects' S3 URLs, as Athena names the object it could not read.
  function s3Reason(message: string): string {
    let out = message;
    for (const [name, bucket] of buckets) {
      for (const file of bucket.files) {
        if (out.includes(file.path)) {
          const key = relative(bucket.root, file.path).split(sep).join('/');
          out = `HIVE_CURSOR_ERROR: ${out.split(file.path).join(`s3://${name}/${key}`)}`;
        }
      }
    }
    return out;
  }

  /** CREATE DATABASE, CREATE EXTERNAL TABLE and ALTER TABLE SET TBLPROPERTIES act on the catalog. */
  async function runCatalogDdl(sql: string): Promise<boolean> {
    const database = /^\s*CREATE\s+(?:DATABASE|SCHEMA)\s+(IF\s+NOT\s+EXISTS\s+)?`?([a-z0-9_]+)`?\s*$/i.exec(
      sql,
    );
    if (database) {
      if (glue.databases.has(database[2]!) && !database[1]) {
        throw new Error(
          `FAILED: Execution Error, return code 1 from DDLTask. Database ${database[2]} already exists`,
        );
      }
      glue.databases.add(database[2]!);
      await connection.run(schemaSql(database[2]!));
      return true;
    }
    const properties = (text: string) =>
      Object.fromEntries(
        [...text.matchAll(/'((?:[^']|'')*)'\s*=\s*'((?:[^']|'')*)'/g)].map((m) => [
          m[1]!.replace(/''/g, "'"),
          m[2]!.replace(/''/g, "'"),
        ]),
      );
    const create =
      /^\s*CREATE\s+EXTERNAL\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?`?([a-z0-9_]+)`?\.`?([a-z0-9_]+)`?\s*\(/i.exec(
        sql,
      );
    if (create) {
      const [, ifNotExists, db = '', name = ''] = create;
      if (!glue.databases.has(db))
        throw new Error(`FAILED: SemanticException [Error 10072]: Database does not exist: ${db}`);
      if (glue.getTable(db, name)) {
        if (ifNotExists) return true;
        throw new Error(`FAILED: AlreadyExistsException: Table ${name} already exists`);
      }
      const location = /\bLOCATION\s+'([^']*)'/i.exec(sql)?.[1];
      const tblproperties = /\bTBLPROPERTIES\s*\(([\s\S]*)\)\s*;?\s*$/i.exec(sql)?.[1] ?? '';
      const partitions = /\bPARTITIONED\s+BY\s*\(([^)]*)\)/i.exec(sql)?.[1] ?? '';
      glue.createTable(db, {
        Name: name,
        DatabaseName: db,
        TableType: 'EXTERNAL_TABLE',
        Parameters: { EXTERNAL: 'TRUE', ...properties(tblproperties) },
        StorageDescriptor: { ...(location ? { Location: location } : {}) },
        PartitionKeys: partitions
          .split(',')
          .map((c) => c.trim().split(/\s+/))
          .filter((c) => c[0])
          .map(([n, t]) => ({ Name: n!, Type: (t ?? 'string').toLowerCase() })),
      });
      return true;
    }
    const alter =
      /^\s*ALTER\s+TABLE\s+`?([a-z0-9_]+)`?\.`?([a-z0-9_]+)`?\s+SET\s+TBLPROPERTIES\s*\(([\s\S]*)\)\s*$/i.exec(
        sql,
      );
    if (alter) {
      const table = glue.getTable(alter[1]!, alter[2]!);
      if (!table)
        throw new Error(`FAILED: SemanticException [Error 10001]: Table not found ${alter[1]}.${alter[2]}`);
      Object.assign(table.Parameters, properties(alter[3]!));
      table.VersionId = String(Number(table.VersionId) + 1);
      return true;
    }
    return false;
  }

  function translate(sql: string): string {
    return sql
      .replace(/^(\s*CREATE\s+TABLE\s+\S+)\s+WITH\s*\((?:[^()']|'(?:[^']|'')*')*\)\s*AS\b/i, '$1 AS')
      .replace(/`([a-z0-9_]+)`/g, '"$1"');
  }

  // What a query over a table made by CTAS scans, as Athena bills Parquet: the compressed bytes of the
  // columns it names (every row group: an upper bound, since min/max statistics are not used to skip any).
  // Measured by writing the table as Snappy Parquet, the format the staging CTAS asks for.
  const createdTables = new Map<string, Map<string, number>>();

  async function measureCreatedTable(sql: string, database: string): Promise<void> {
    const target = /^\s*CREATE\s+TABLE\s+(?:"?`?([a-z0-9_]+)`?"?\s*\.\s*)?"?`?([a-z0-9_]+)`?"?/i.exec(
      codeOnly(sql),
    );
    if (!target) return;
    const db = target[1] ?? database;
    const name = target[2]!;
    const file = join(scratch, `${name}.parquet`);
    await connection.run(
      `COPY (SELECT * FROM "${db}"."${name}") TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION snappy)`,
    );
    const reader = await connection.runAndReadAll(
      `SELECT path_in_schema AS path, sum(total_compressed_size) AS bytes FROM parquet_metadata('${file.replace(/'/g, "''")}') GROUP BY 1`,
    );
    const columns = new Map<string, number>();
    for (const row of reader.getRowObjectsJson()) {
      // A struct's leaves are "parent, leaf": a query naming the struct is charged all of them.
      const column = String(row.path).split(',')[0]!.trim().toLowerCase();
      columns.set(column, (columns.get(column) ?? 0) + Number(row.bytes));
    }
    createdTables.set(name.toLowerCase(), columns);
    await rm(file, { force: true });
  }

  /** The bytes a query over CTAS-made tables scans, or null when it reads none. */
  function stagedBytes(sql: string): number | null {
    const code = codeOnly(sql).toLowerCase();
    let bytes: number | null = null;
    for (const [table, columns] of createdTables) {
      if (!new RegExp(`(?<![a-z0-9_])${table}(?![a-z0-9_])`).test(code)) continue;
      bytes ??= 0;
      for (const [column, size] of columns) {
        if (new RegExp(`(?<![a-z0-9_])${column.replace(/[$]/g, '\\$')}(?![a-z0-9_])`).test(code))
          bytes += size;
      }
    }
    return bytes;
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
      const misplaced = parameterProblem(query.sql, values.length);
      if (misplaced) throw new Error(`INVALID_FUNCTION_ARGUMENT: ${misplaced}`);
      if (await runCatalogDdl(query.sql)) {
        query.result = { isSelect: false, columns: [], rows: [] };
        if (query.state !== 'CANCELLED') query.state = 'SUCCEEDED';
        return;
      }
      const path = query.database ?? 'default';
      const read = await bindTables(tablesRead(query.sql, query.database), query.sql, values);
      query.partitionsRead = [
        ...new Set(
          read.map((f) => `${f.table}:${f.partition.account}/${f.partition.region}/${f.partition.day}`),
        ),
      ].sort();
      query.filesBytes = read.reduce((sum, f) => sum + f.bytes, 0);
      if (query.readsRaw) query.bytes = query.filesBytes;
      else query.bytes = stagedBytes(query.sql) ?? query.bytes;
      await connection.run(`SET search_path = '${path.replace(/'/g, "''")},main'`);
      const statement = await connection.prepare(translate(query.sql));
      bind(statement, values);
      const reader = await statement.runAndReadAll();
      await measureCreatedTable(query.sql, path);
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
        query.reason = s3Reason(
          error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error),
        );
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
    if (Buffer.byteLength(sql, 'utf8') > MAX_QUERY_BYTES) {
      throw invalid(
        `1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length less than or equal to ${MAX_QUERY_BYTES}`,
      );
    }
    const params = body.ExecutionParameters;
    if (params !== undefined && (!Array.isArray(params) || params.length === 0)) {
      throw invalid('ExecutionParameters must hold at least one value when present');
    }
    if (Array.isArray(params) && params.some((p) => String(p).length > MAX_PARAMETER_CHARS)) {
      throw invalid(
        `1 validation error detected: Value at 'executionParameters' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to ${MAX_PARAMETER_CHARS}]`,
      );
    }
    const context = (body.QueryExecutionContext ?? {}) as { Database?: string };
    const result = (body.ResultConfiguration ?? {}) as { OutputLocation?: string };
    const workgroupName = typeof body.WorkGroup === 'string' ? body.WorkGroup : 'primary';
    const workgroup = workgroups[workgroupName];
    if (!workgroup) throw invalid(`WorkGroup ${workgroupName} is not found.`);
    const outputLocation = result.OutputLocation ?? workgroup.outputLocation;
    if (!outputLocation) {
      throw invalid(
        'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
      );
    }
    const fault = matchFault(sql);
    const query: Query = {
      id: randomUUID(),
      sql,
      database: context.Database,
      workgroup: workgroupName,
      parameters: ((params as unknown[] | undefined) ?? []).map(String),
      outputLocation,
      readsRaw: tablesRead(sql, context.Database).length > 0,
      partitionsRead: [],
      state: 'RUNNING',
      stopped: false,
      polls: 0,
      done: Promise.resolve(),
      finished: false,
      submitted: Date.now(),
      bytes: 0,
      filesBytes: 0,
      ...(fault ? { fault } : {}),
    };
    // A raw read reports the bytes of the files it read (set when it runs); other DML a small scan.
    query.bytes = /^\s*(DROP|CREATE\s+(DATABASE|SCHEMA|EXTERNAL)|ALTER)\b/i.test(sql)
      ? 0
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
    glue,
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
        case 'GetWorkGroup': {
          const name = String(body.WorkGroup ?? '');
          const found = workgroups[name];
          if (!found) throw invalid(`WorkGroup ${name} is not found.`);
          return {
            WorkGroup: {
              Name: name,
              State: 'ENABLED',
              Configuration: {
                ...(found.outputLocation
                  ? { ResultConfiguration: { OutputLocation: found.outputLocation } }
                  : {}),
                EnforceWorkGroupConfiguration: false,
                EngineVersion: {
                  SelectedEngineVersion: 'AUTO',
                  EffectiveEngineVersion: 'Athena engine version 3',
                },
              },
            },
          };
        }
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
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
