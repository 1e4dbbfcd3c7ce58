// The embedded engine's limits: sizes in DuckDB's notation, the reader's buffer sizes under a memory limit,
// and running out of memory or disk turned into an error that names the setting to change.
import { errorMessage } from '../shared/errors.js';
import { EngineLimitError } from './types.js';

// One CloudTrail file is one JSON object. The reader's buffers are sized by this limit: 64 MB reads a
// million events about 15% faster than 256 MB (measured); a larger file fails that first read and is retried
// alone with the larger limit, so it is still read.
export const MAX_OBJECT_BYTES = 256 * 1024 * 1024;
export const FAST_OBJECT_BYTES = 64 * 1024 * 1024;
const MIN_OBJECT_BYTES = 2 * 1024 * 1024;

const UNITS: Record<string, number> = {
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  KI: 2 ** 10,
  MI: 2 ** 20,
  GI: 2 ** 30,
  TI: 2 ** 40,
};

/** Bytes of a DuckDB size such as "1GB" or "512 MiB" (the config schema's form). */
export function sizeBytes(size: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]i?)B$/i.exec(size.trim());
  if (!m) return Number.NaN;
  return Number(m[1]) * (UNITS[m[2]!.toUpperCase()] ?? Number.NaN);
}

/**
 * The fast read's object size under a memory limit: each reading thread holds about twice this in buffers
 * (measured: 64 MB per file asks DuckDB for 128 MB), beside a fixed ~32 MB and the staged columns' blocks.
 * A twelfth of each thread's share keeps the reader well inside the limit (80 MB with one thread worked).
 */
export function readerObjectBytes(memoryLimit: string, threads: number): number {
  const share = sizeBytes(memoryLimit) / Math.max(1, threads) / 12;
  if (!Number.isFinite(share)) return FAST_OBJECT_BYTES;
  return Math.max(MIN_OBJECT_BYTES, Math.min(FAST_OBJECT_BYTES, Math.floor(share)));
}

/** The memory the embedded engine may use when the config does not say: peak RSS stays under 2 GB. */
export const DEFAULT_MEMORY_LIMIT = '1GB';

/**
 * Turns DuckDB running out of memory or disk into an EngineLimitError that names the setting to change;
 * other errors are returned unchanged. (With a very low memory_limit DuckDB's reader reports "Out of Memory"
 * as a read error: that is the limit, not a bad file.)
 */
export function explainLimit(
  error: unknown,
  limits: { memoryLimit: string; tempDirectory: string },
): unknown {
  if (error instanceof EngineLimitError) return error;
  const message = errorMessage(error);
  if (/no space left on device|disk is full|ENOSPC|max_temp_directory_size/i.test(message)) {
    return new EngineLimitError(
      'engine-out-of-disk',
      `the embedded engine ran out of disk space in ${limits.tempDirectory} (engine.duckdb.tempDirectory) while holding the window's events; free space there or set engine.duckdb.tempDirectory to a folder on a larger disk (${firstLine(message)})`,
      { cause: error },
    );
  }
  if (/out of memory/i.test(message)) {
    return new EngineLimitError(
      'engine-out-of-memory',
      `the embedded engine ran out of memory at its limit of ${limits.memoryLimit} (engine.duckdb.memoryLimit); raise engine.duckdb.memoryLimit (beyond the limit the engine spills to disk, so it only needs room for the reader's working set) (${firstLine(message)})`,
      { cause: error },
    );
  }
  return error;
}

export function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
