import { CLOUDTRAIL_COLUMNS } from '../engine/cloudtrail-schema.js';
import { maskSql } from '../shared/sql-text.js';
import type { RuleDefinition } from './types.js';

/** Whether the SQL selects every column of the table itself (`SELECT * FROM cloudtrail_logs`, `t.*`). */
function selectsAllOfTable(sql: string): boolean {
  if (/select\s+(distinct\s+)?\*\s+from\s+cloudtrail_logs\b/.test(sql) || /\bcloudtrail_logs\.\*/.test(sql)) return true;
  const aliases = [...sql.matchAll(/\bcloudtrail_logs\s+(?:as\s+)?([a-z_][a-z0-9_]*)/g)].map((m) => m[1]);
  return aliases.some((alias) => alias !== 'where' && new RegExp(`\\b${alias}\\.\\*`).test(sql));
}

/**
 * The CloudTrail columns the rules read (every column name they mention), so staging keeps only those.
 * Returns undefined (stage everything) when a rule selects all the table's columns itself. The inline
 * cases of every rule run on a table staged this way, so a column this misses fails that rule's tests.
 */
export function columnsReadBy(rules: readonly RuleDefinition[]): string[] | undefined {
  const used = new Set<string>();
  for (const rule of rules) {
    // Literals and comments must not count as column references; quoted identifiers do.
    const sql = maskSql(rule.sql, { keepIdentifiers: true }).toLowerCase();
    if (selectsAllOfTable(sql)) return undefined;
    for (const word of sql.match(/"?[a-z_][a-z0-9_]*"?/g) ?? []) {
      const name = word.replace(/"/g, '');
      if (CLOUDTRAIL_COLUMNS.includes(name)) used.add(name);
    }
  }
  return CLOUDTRAIL_COLUMNS.filter((c) => used.has(c));
}
