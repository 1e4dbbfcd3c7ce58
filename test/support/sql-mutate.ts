// Test helpers over rule SQL: find WHERE/HAVING clause bodies, remove filters while keeping the
// placeholders bindable (to prove that a rule's negative cases depend on its filters), and find placeholders
// Athena could not bind.
import { maskSql } from '../../src/shared/sql-text.js';

export { maskSql };

const CLAUSE_END = /^(GROUP\s+BY|HAVING|ORDER\s+BY|LIMIT|UNION|WINDOW|EXCEPT|INTERSECT)\b/i;

/** The [start, end) offsets of the bodies of every clause opened by `keyword` (WHERE, HAVING…). */
function clauseBodies(sql: string, keyword: RegExp): [number, number][] {
  const masked = maskSql(sql);
  const spans: [number, number][] = [];
  for (let m = keyword.exec(masked); m; m = keyword.exec(masked)) {
    const start = m.index + m[0].length;
    let depth = 0;
    let end = masked.length;
    for (let k = start; k < masked.length; k += 1) {
      const ch = masked[k];
      if (ch === '(') depth += 1;
      else if (ch === ')') {
        depth -= 1;
        if (depth < 0) {
          end = k;
          break;
        }
      } else if (depth === 0 && /\s/.test(masked[k - 1] ?? ' ') && CLAUSE_END.test(masked.slice(k, k + 12))) {
        end = k;
        break;
      }
    }
    spans.push([start, end]);
  }
  return spans;
}

/** Replaces the body of every WHERE and HAVING clause with TRUE, keeping one bindable `?` per removed one. */
export function removeFilters(sql: string): string {
  const masked = maskSql(sql);
  let result = sql;
  for (const [start, end] of clauseBodies(sql, /\b(WHERE|HAVING)\b/gi).reverse()) {
    const placeholders = (masked.slice(start, end).match(/\?/g) ?? []).length;
    const keep = Array.from({ length: placeholders }, () => ' AND (CAST(? AS varchar) IS NULL OR TRUE)').join(
      '',
    );
    result = `${result.slice(0, start)} TRUE${keep}\n${result.slice(end)}`;
  }
  return result;
}

/** The offsets of `?` placeholders that are not inside a WHERE clause (Athena binds them only there). */
export function placeholdersOutsideWhere(sql: string): number[] {
  const masked = maskSql(sql);
  const inWhere = clauseBodies(sql, /\bWHERE\b/gi);
  const outside: number[] = [];
  for (let i = masked.indexOf('?'); i !== -1; i = masked.indexOf('?', i + 1)) {
    if (!inWhere.some(([a, b]) => i >= a && i < b)) outside.push(i);
  }
  return outside;
}
