import { CLOUDTRAIL_COLUMNS, CLOUDTRAIL_FIELDS } from '../engine/cloudtrail-schema.js';
import { maskSql } from '../shared/sql-text.js';
import type { RuleDefinition } from './types.js';

// Words that may follow the table's name in FROM and are not an alias.
const NOT_ALIASES = new Set([
  'where', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'natural', 'on', 'using', 'group', 'order',
  'limit', 'offset', 'having', 'qualify', 'window', 'union', 'except', 'intersect', 'tablesample',
]);

/**
 * Whether the SQL reads whole rows of the table, so every column must be staged: `SELECT * FROM
 * cloudtrail_logs`, `t.*`, `COLUMNS(...)`, or the table (or its alias) used as a value (`to_json(t)`).
 * Stars over a subset of columns in a CTE are fine: rule rows are read by their named output columns.
 */
function readsWholeRows(sql: string): boolean {
  const table = String.raw`(?:"?[a-z_][a-z0-9_]*"?\s*\.\s*)?"?cloudtrail_logs\b`;
  const star = String.raw`\*(?:\s+(?:exclude|replace)\s*\([^)]*\))?`;
  // SELECT * (EXCLUDE/REPLACE too) FROM the table, and DuckDB's FROM-first form (FROM the table alone).
  if (new RegExp(String.raw`select\s+(?:distinct\s+)?${star}\s+from\s+${table}`).test(sql)) return true;
  if (new RegExp(String.raw`(?:^|[(;])\s*from\s+${table}`).test(sql)) return true;
  if (/\bcloudtrail_logs"?\s*\.\s*\*/.test(sql)) return true;
  if (/\bcolumns\s*\(/.test(sql)) return true;
  // The table itself as a value: anywhere but after FROM or JOIN (or a schema) and before a column.
  for (const match of sql.matchAll(/"?\bcloudtrail_logs\b"?/g)) {
    const before = sql.slice(0, match.index).trimEnd();
    const after = sql.slice(match.index + match[0].length).trimStart();
    if (after.startsWith('.')) continue;
    if (/\b(from|join)$/.test(before) || before.endsWith('.')) continue;
    return true;
  }
  const aliases = [...sql.matchAll(/\bcloudtrail_logs"?\s+(?:as\s+)?([a-z_][a-z0-9_]*)/g)]
    .map((m) => m[1]!)
    .filter((alias) => !NOT_ALIASES.has(alias));
  return aliases.some((alias) => {
    if (new RegExp(`\\b${alias}\\s*\\.\\s*\\*`).test(sql)) return true;
    // Each definition is one use without a following dot; any other such use is the row as a value.
    const bare = [...sql.matchAll(new RegExp(`(?<![a-z0-9_.])${alias}\\b(?!\\s*\\.)`, 'g'))].length;
    const defined = aliases.filter((a) => a === alias).length;
    return bare > defined;
  });
}

// The struct columns (userIdentity, addendum, tlsDetails): staged with only the sub-fields the rules name.
const STRUCT_COLUMNS = CLOUDTRAIL_FIELDS.filter((f) => f.kind === 'struct').map((f) => f.name.toLowerCase());

/**
 * The CloudTrail columns the rules read (every column name they mention), so staging keeps only those, then,
 * for a struct column that every rule reads only through its sub-fields (`useridentity.arn`), those
 * sub-fields as dotted paths, so the DuckDB engine stages only them. A struct column named on its own
 * anywhere, or called like a method (`useridentity.to_json()`), is kept whole (no paths). Returns undefined
 * (stage everything) when a rule reads whole rows of the table (readsWholeRows). The inline cases of every
 * rule run on a table staged this way, so a column or sub-field this misses fails that rule's tests (a
 * missing sub-field is a binder error, never a NULL).
 */
export function columnsReadBy(rules: readonly RuleDefinition[]): string[] | undefined {
  const used = new Set<string>();
  const whole = new Set<string>();
  const paths = new Set<string>();
  for (const rule of rules) {
    // Literals and comments must not count as column references; quoted identifiers do.
    const sql = maskSql(rule.sql, { keepIdentifiers: true }).toLowerCase();
    if (readsWholeRows(sql)) return undefined;
    for (const word of sql.match(/"?[a-z_][a-z0-9_]*"?/g) ?? []) {
      const name = word.replace(/"/g, '');
      if (CLOUDTRAIL_COLUMNS.includes(name)) used.add(name);
    }
    for (const column of STRUCT_COLUMNS) {
      const reference = new RegExp(`(?<![a-z0-9_"$])"?${column}"?((?:\\s*\\.\\s*"?[a-z_][a-z0-9_]*"?)*)`, 'g');
      for (const match of sql.matchAll(reference)) {
        const path = (match[1] ?? '').replace(/[\s"]/g, '');
        const method = sql.slice(match.index + match[0].length).trimStart().startsWith('(');
        if (path === '' || method) whole.add(column);
        else paths.add(`${column}${path}`);
      }
    }
  }
  const fields = [...paths].filter((p) => {
    const column = p.slice(0, p.indexOf('.'));
    return used.has(column) && !whole.has(column);
  });
  return [...CLOUDTRAIL_COLUMNS.filter((c) => used.has(c)), ...fields.sort()];
}

