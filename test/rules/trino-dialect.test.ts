import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/shared/version.js';
import { PORTABLE_FUNCTIONS } from '../support/portable-functions.js';
import { maskSql, placeholdersOutsideWhere } from '../support/sql-mutate.js';

// Words followed by "(" that are syntax, not function calls.
const SYNTAX = new Set(['decimal', 'varchar', 'in', 'as', 'cast', 'array', 'exists', 'values', 'over', 'on', 'using', 'from', 'and', 'or', 'not', 'when', 'then', 'else', 'select', 'where', 'by', 'join', 'with', 'partition', 'case', 'is', 'like', 'filter']);

const dir = join(PROJECT_ROOT, 'queries');
// cloudtrail-table.sql is the table's DDL, which Athena takes in Hive's dialect; the rule queries are Trino.
const files = (await readdir(dir)).filter((f) => f.endsWith('.sql') && f !== 'cloudtrail-table.sql').sort();
const parser = new TrinoSQL();

describe('queries are Athena (Trino) SQL', () => {
  it.each(files)('%s parses with the Trino grammar', async (file) => {
    const sql = await readFile(join(dir, file), 'utf8');
    expect(parser.validate(sql).map((e) => `${e.startLine}:${e.startColumn} ${e.message}`)).toEqual([]);
  });

  it.each(files)('%s calls only portable Trino functions', async (file) => {
    // "AS alias (columns)" names a derived table's columns; it is not a call.
    const masked = maskSql(await readFile(join(dir, file), 'utf8')).replace(/\bAS\s+[A-Za-z_][A-Za-z0-9_]*\s*\(/gi, 'AS x ');
    const called = [...masked.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)].map((m) => m[1]!.toLowerCase());
    const unknown = [...new Set(called.filter((n) => !SYNTAX.has(n) && !(n in PORTABLE_FUNCTIONS)))];
    expect(unknown).toEqual([]);
  });

  // Athena binds execution parameters only inside WHERE clauses ("SELECT ? FROM table is not supported").
  it.each(files)('%s places every ? parameter in a WHERE clause', async (file) => {
    const sql = await readFile(join(dir, file), 'utf8');
    const lines = placeholdersOutsideWhere(sql).map((offset) => sql.slice(0, offset).split('\n').length);
    expect(lines).toEqual([]);
  });

  it('the grammar check rejects DuckDB-only syntax (so the test above can fail)', () => {
    expect(parser.validate('SELECT eventname::varchar FROM cloudtrail_logs').length).toBeGreaterThan(0);
    expect(parser.validate("SELECT 1 FROM cloudtrail_logs WHERE eventname ILIKE 'x'").length).toBeGreaterThan(0);
    expect(parser.validate("SELECT {'a': 1} FROM cloudtrail_logs").length).toBeGreaterThan(0);
  });
});
