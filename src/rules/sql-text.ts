// Small lexical helpers over SQL text: enough to count placeholders without being fooled by strings,
// quoted identifiers or comments. (The Trino grammar test parses the SQL for real.)

/** Counts `?` placeholders outside literals, quoted identifiers and comments. */
export function countPlaceholders(sql: string): number {
  let count = 0;
  for (let i = 0; i < sql.length; i += 1) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 1;
    } else if (ch === "'" || ch === '"') {
      // A doubled quote inside a literal escapes it; skipping pairs handles that.
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      i = j;
    } else if (ch === '?') {
      count += 1;
    }
  }
  return count;
}
