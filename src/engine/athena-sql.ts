// Athena's SQL text and values: literals and identifiers as they may enter a statement, typed cells of a
// result page, the staged relation put in front of a rule, and the limits StartQueryExecution enforces.
import type { ColumnInfo } from '@aws-sdk/client-athena';
import { randomBytes } from 'node:crypto';
import { maskSql } from '../shared/sql-text.js';

/**
 * One bound value as the SQL literal Athena's ExecutionParameters expect: strings in single quotes with
 * quotes doubled, integers as digits, null as NULL. Lists must already be one comma-separated string.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'number' && /^-?\d+\.\d+$/.test(String(value))) return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  throw new TypeError(
    `cannot pass a ${Array.isArray(value) ? 'list' : typeof value} to Athena as a parameter`,
  );
}

/**
 * Parses the text of an Athena array cell (`[a, b]`) into strings. Athena prints elements without quotes,
 * joined by ", ", so an element that itself holds ", " cannot be told apart; the rules return only ids here.
 */
export function parseAthenaArray(text: string): string[] {
  if (!text.startsWith('[') || !text.endsWith(']'))
    throw new Error(`not an Athena array: ${text.slice(0, 40)}`);
  const inner = text.slice(1, -1);
  return inner === '' ? [] : inner.split(', ');
}

const INTEGER_TYPES = new Set(['bigint', 'integer', 'int', 'smallint', 'tinyint']);
const DECIMAL_TYPES = new Set(['double', 'real', 'float', 'decimal']);

/** One cell of a GetQueryResults row, typed by its column: Athena sends every value as text. */
export function athenaValue(text: string | undefined, column: ColumnInfo): unknown {
  if (text === undefined) return null;
  const type = (column.Type ?? 'varchar').toLowerCase();
  if (INTEGER_TYPES.has(type) || DECIMAL_TYPES.has(type)) {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) {
      throw new Error(`column ${column.Name ?? '?'} (${type}) holds ${JSON.stringify(text.slice(0, 40))}`);
    }
    return n;
  }
  if (type === 'boolean') return text === 'true';
  if (type === 'array') return parseAthenaArray(text);
  return text;
}

/** Puts `WITH cloudtrail_logs AS (SELECT * FROM <table>)` in front of a rule, merging with its own WITH. */
export function withStagedRelation(sql: string, table: string): string {
  // Leading comments stay where they are (they say what the rule is); the CTE goes before the statement.
  const lead = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/.exec(sql)?.[0] ?? '';
  const body = sql.slice(lead.length);
  const cte = `cloudtrail_logs AS (SELECT * FROM ${table})`;
  const own = /^with(\s+recursive)?\s+/i.exec(body);
  if (own) return `${lead}WITH${own[1] ? ' RECURSIVE' : ''} ${cte},\n${body.slice(own[0].length)}`;
  return `${lead}WITH ${cte}\n${body}`;
}

/** Athena's limits on StartQueryExecution: one ExecutionParameters value (as its SQL literal) and the text. */
export const ATHENA_LIMITS = { parameterChars: 1024, queryBytes: 262_144 } as const;

/**
 * Fits bound values to Athena's 1,024-character limit per parameter: a list bound as one comma-separated
 * string for `split(?, ',')` (approvedImages, approvedRegions) whose literal is longer is bound as several
 * chunks, `(split(?, ',') || split(?, ','))`, which is the same array. Any other value over the limit, and a
 * text over Athena's query length, is refused with a message instead of failing at Athena.
 */
export function fitToAthenaLimits(
  sql: string,
  params: readonly unknown[],
): { sql: string; params: unknown[] } {
  const masked = maskSql(sql, { keepIdentifiers: true });
  const marks = [...masked.matchAll(/\?/g)].map((m) => m.index);
  const values: unknown[] = [];
  let text = '';
  let from = 0;
  marks.forEach((at, i) => {
    const value = params[i];
    if (typeof value !== 'string' || sqlLiteral(value).length <= ATHENA_LIMITS.parameterChars) {
      values.push(value);
      return;
    }
    const open = /split\s*\(\s*$/i.exec(masked.slice(0, at));
    const close = /^\s*,\s*','\s*\)/.exec(sql.slice(at + 1));
    if (!open || !close) {
      throw new Error(
        `parameter ${i + 1} is ${sqlLiteral(value).length} characters as an Athena literal, over Athena's limit of ${ATHENA_LIMITS.parameterChars}, and is not a list the query splits`,
      );
    }
    const chunks: string[] = [];
    for (const item of value.split(',')) {
      const last = chunks.at(-1);
      if (last !== undefined && sqlLiteral(`${last},${item}`).length <= ATHENA_LIMITS.parameterChars) {
        chunks[chunks.length - 1] = `${last},${item}`;
      } else if (sqlLiteral(item).length <= ATHENA_LIMITS.parameterChars) {
        chunks.push(item);
      } else {
        throw new Error(`parameter ${i + 1} holds an item of ${item.length} characters, over Athena's limit`);
      }
    }
    text += `${sql.slice(from, at - open[0].length)}(${chunks.map(() => "split(?, ',')").join(' || ')})`;
    from = at + 1 + close[0].length;
    values.push(...chunks);
  });
  text += sql.slice(from);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > ATHENA_LIMITS.queryBytes) {
    throw new Error(`the query is ${bytes} bytes, over Athena's limit of ${ATHENA_LIMITS.queryBytes}`);
  }
  return { sql: text, params: values.concat(params.slice(marks.length)) };
}

/** A delivery day (YYYY-MM-DD) as a `day` partition literal ('yyyy/MM/dd'), validated before it enters SQL. */
export function dayLiteral(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a day: ${date}`);
  return `'${match[1]}/${match[2]}/${match[3]}'`;
}

// At most this many unreadable objects are left out of one staging before the staging counts as failed.
export const MAX_OBJECTS_LEFT_OUT = 5;

/** The S3 object a failed query names in its reason (Athena's HIVE_* errors quote it), or null. */
export function failedObject(reason: string): string | null {
  const match = /s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[^\s'"`,;()]+/.exec(reason);
  return match && !match[0].endsWith('/') ? match[0] : null;
}

export function quoted(identifier: string): string {
  // The config schema holds database and table names to [a-z0-9_]; column names come from the fixed
  // CloudTrail schema. Checked again here because this is where they enter SQL text.
  if (!/^[a-z0-9_$]+$/.test(identifier)) throw new Error(`not a plain identifier: ${identifier}`);
  return `"${identifier}"`;
}

/** A run id usable in a table name: time plus randomness, so two runs never share a staging table. */
export function newStagingSuffix(now = new Date()): string {
  const time = now.toISOString().replace(/[-:]/g, '').slice(0, 15).toLowerCase();
  return `${time}_${randomBytes(4).toString('hex')}`;
}
