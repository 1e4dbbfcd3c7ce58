// Small lexical helpers over SQL text: enough to find placeholders and column names without being fooled
// by string literals, quoted identifiers or comments. (The Trino grammar test parses the SQL for real.)

/**
 * The SQL with comments and the insides of string literals blanked out (same length, newlines kept), so
 * offsets still point into the original. Quoted identifiers are blanked too unless `keepIdentifiers`.
 */
export function maskSql(sql: string, options: { keepIdentifiers?: boolean } = {}): string {
  const out = sql.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k += 1) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
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
    } else if (ch === "'" || ch === '"') {
      // A doubled quote inside a literal or identifier escapes it.
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === ch && sql[j + 1] === ch) j += 2;
        else if (sql[j] === ch) break;
        else j += 1;
      }
      if (ch === "'" || !options.keepIdentifiers) blank(i + 1, j);
      i = j + 1;
    } else {
      i += 1;
    }
  }
  return out.join('');
}

/** Counts `?` placeholders outside literals, quoted identifiers and comments. */
export function countPlaceholders(sql: string): number {
  return (maskSql(sql).match(/\?/g) ?? []).length;
}
