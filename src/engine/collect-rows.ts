import type { QueryStats, Row } from './types.js';

/** Drains a query's row stream into an array, keeping the stats the stream returns at its end. */
export async function collectRows(
  stream: AsyncGenerator<Row, QueryStats>,
): Promise<{ rows: Row[]; stats: QueryStats }> {
  const rows: Row[] = [];
  for (;;) {
    const next = await stream.next();
    if (next.done) return { rows, stats: next.value };
    rows.push(next.value);
  }
}
