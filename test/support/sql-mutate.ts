// Test helpers over rule SQL: mask literals and comments, and remove WHERE/HAVING filters while keeping the
// placeholders bindable, to prove that a rule's negative cases depend on its filters.

/** The SQL with string literals, quoted identifiers and comments blanked out (same length). */
export function maskSql(sql: string): string {
  const out = sql.split('');
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k += 1) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < sql.length) {
    if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      blank(i, stop);
      i = stop;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (sql[i] === "'" || sql[i] === '"') {
      const quote = sql[i];
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === quote && sql[j + 1] === quote) j += 2;
        else if (sql[j] === quote) break;
        else j += 1;
      }
      blank(i + 1, j);
      i = j + 1;
    } else {
      i += 1;
    }
  }
  return out.join('');
}

const CLAUSE_END = /^(GROUP\s+BY|HAVING|ORDER\s+BY|LIMIT|UNION|WINDOW|EXCEPT|INTERSECT)\b/i;

/** Replaces the body of every WHERE and HAVING clause with TRUE, keeping one bindable `?` per removed one. */
export function removeFilters(sql: string): string {
  const masked = maskSql(sql);
  const spans: [number, number, number][] = [];
  const keyword = /\b(WHERE|HAVING)\b/gi;
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
    const placeholders = (masked.slice(start, end).match(/\?/g) ?? []).length;
    spans.push([start, end, placeholders]);
  }
  let result = sql;
  for (const [start, end, placeholders] of spans.reverse()) {
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
  const inWhere: [number, number][] = [];
  const keyword = /\bWHERE\b/gi;
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
    inWhere.push([start, end]);
  }
  const outside: number[] = [];
  for (let i = masked.indexOf('?'); i !== -1; i = masked.indexOf('?', i + 1)) {
    if (!inWhere.some(([a, b]) => i >= a && i < b)) outside.push(i);
  }
  return outside;
}
