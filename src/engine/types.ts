import type { RunErrorEntry } from '../shared/errors.js';

/** One row of a query result, keyed by column name. */
export type Row = Record<string, unknown>;

export type { TimeWindow } from '../shared/window.js';
import type { TimeWindow } from '../shared/window.js';

/** What staging the window's events cost: the single pass over the raw logs. */
export interface StageResult {
  files: number;
  filesFailed: number;
  /** Files not opened because their S3 key puts them more than a day away from the window. */
  filesSkipped?: number;
  events: number;
  bytesRead: number;
  durationMs: number;
  /** The earliest and latest eventTime staged (null when nothing was staged or the engine does not say). */
  firstEvent?: string | null;
  lastEvent?: string | null;
  /** Records dropped because the same event (eventID) was already staged from an earlier file or record. */
  duplicateEvents?: number;
  /** Bad files and other problems: the good files are still evaluated. */
  errors: RunErrorEntry[];
  queryId?: string;
}

/** Facts about one query, for the evidence. */
export interface QueryStats {
  queryId: string;
  durationMs: number;
  bytesScanned: number;
}

/** A query engine over the CloudTrail table `cloudtrail_logs` (Athena's names and types). */
export interface QueryEngine {
  readonly kind: 'duckdb' | 'athena';
  /**
   * Reads the raw logs of the window once and keeps them as the `cloudtrail_logs` relation that rule
   * queries run against (DuckDB: a table in a database file of its own; Athena: a CTAS table in the staging database).
   * `columns` (Athena's lower-case names) limits the staged columns to those the rules read; unset: all.
   */
  stage(window: TimeWindow, columns?: readonly string[]): Promise<StageResult>;
  /** Runs one SQL text with positional `?` parameters bound, streaming rows. */
  stream(sql: string, params: readonly unknown[]): AsyncGenerator<Row, QueryStats>;
  /** Runs one SQL text with bound parameters and collects every row. */
  run(sql: string, params: readonly unknown[]): Promise<{ rows: Row[]; stats: QueryStats }>;
  close(): Promise<void>;
}

/** The engine needed more memory or disk than it was given: the run cannot be evaluated, and says why. */
export class EngineLimitError extends Error {
  override readonly name = 'EngineLimitError';
  constructor(
    readonly code: 'engine-out-of-memory' | 'engine-out-of-disk',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
