import { CLOUDTRAIL_COLUMNS, CLOUDTRAIL_FIELDS } from '../engine/cloudtrail-schema.js';
import { maskSql } from '../shared/sql-text.js';
import type { RuleDefinition } from './types.js';

/** Whether the SQL selects every column of the table itself (`SELECT * FROM cloudtrail_logs`, `t.*`). */
function selectsAllOfTable(sql: string): boolean {
  if (/select\s+(distinct\s+)?\*\s+from\s+cloudtrail_logs\b/.test(sql) || /\bcloudtrail_logs\.\*/.test(sql)) return true;
  const aliases = [...sql.matchAll(/\bcloudtrail_logs\s+(?:as\s+)?([a-z_][a-z0-9_]*)/g)].map((m) => m[1]);
  return aliases.some((alias) => alias !== 'where' && new RegExp(`\\b${alias}\\.\\*`).test(sql));
}

// The struct columns (userIdentity, addendum, tlsDetails): staged with only the sub-fields the rules name.
const STRUCT_COLUMNS = CLOUDTRAIL_FIELDS.filter((f) => f.kind === 'struct').map((f) => f.name.toLowerCase());

/**
 * The CloudTrail columns the rules read (every column name they mention), so staging keeps only those, then,
 * for a struct column that every rule reads only through its sub-fields (`useridentity.arn`), those
 * sub-fields as dotted paths, so the DuckDB engine stages only them. A struct column named on its own
 * anywhere is kept whole (no paths). Returns undefined (stage everything) when a rule selects all the
 * table's columns itself. The inline cases of every rule run on a table staged this way, so a column or
 * sub-field this misses fails that rule's tests (a missing sub-field is a binder error, never a NULL).
 */
export function columnsReadBy(rules: readonly RuleDefinition[]): string[] | undefined {
  const used = new Set<string>();
  const whole = new Set<string>();
  const paths = new Set<string>();
  for (const rule of rules) {
    // Literals and comments must not count as column references; quoted identifiers do.
    const sql = maskSql(rule.sql, { keepIdentifiers: true }).toLowerCase();
    if (selectsAllOfTable(sql)) return undefined;
    for (const word of sql.match(/"?[a-z_][a-z0-9_]*"?/g) ?? []) {
      const name = word.replace(/"/g, '');
      if (CLOUDTRAIL_COLUMNS.includes(name)) used.add(name);
    }
    for (const column of STRUCT_COLUMNS) {
      const reference = new RegExp(`(?<![a-z0-9_"$])"?${column}"?((?:\\s*\\.\\s*"?[a-z_][a-z0-9_]*"?)*)`, 'g');
      for (const match of sql.matchAll(reference)) {
        const path = (match[1] ?? '').replace(/[\s"]/g, '');
        if (path === '') whole.add(column);
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

