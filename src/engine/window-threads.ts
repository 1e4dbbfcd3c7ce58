// DuckDB's window operator under a memory limit: a rule that computes a window function over a large day
// (log-delivery-gap's lag and row_number over every event, partitioned by account and region) spills far
// more with two threads than with one, each thread holding its own partitions. Measured on 5 M staged events
// at the default 1 GB limit, 2 cores: 57-70 s and 34-36 s of CPU with two threads, 18-26 s and 17-23 s of
// CPU with one (the same with two threads and a 4 GB limit: 38 s); on 1 M events one thread costs the same
// as two. So a query with a window function runs on one thread; every other query keeps them all.
import type { DuckDBConnection } from '@duckdb/node-api';
import { maskSql } from '../shared/sql-text.js';

/** Whether `sql` computes a window function (`… OVER (…)`), words in literals and comments aside. */
export function usesWindowFunction(sql: string): boolean {
  return /\bover\s*\(/i.test(maskSql(sql));
}

/**
 * Puts `connection`'s database on one thread when `sql` computes a window function; returns what puts the
 * thread count back (nothing to do for any other query, or when it already has one thread).
 */
export async function oneThreadForWindows(
  connection: DuckDBConnection,
  sql: string,
): Promise<() => Promise<void>> {
  if (!usesWindowFunction(sql)) return async () => {};
  const current = await connection.runAndReadAll(`SELECT current_setting('threads') AS threads`);
  const threads = Number(current.getRowObjectsJson()[0]?.threads);
  if (!Number.isInteger(threads) || threads <= 1) return async () => {};
  await connection.run('SET threads = 1');
  return async () => {
    await connection.run(`SET threads = ${threads}`);
  };
}
