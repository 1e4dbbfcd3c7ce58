// What Athena bills for a run's queries: the bytes each query scanned, rounded up to the next megabyte with a
// 10 MB minimum per query, at the configured price per terabyte (us-east-1 list price: $5). DDL and failed
// queries are not billed. A query stopped at its timeout is billed for what it scanned, which trailwatch does
// not read back: such a rule is failed in the run, and its scan is missing from this figure.

/** Athena's billing unit and its minimum per query. */
const MB = 1024 * 1024;
export const ATHENA_MIN_BILLED_BYTES = 10 * MB;

/** Athena's list price in us-east-1, in US dollars per terabyte scanned. */
export const ATHENA_DEFAULT_USD_PER_TERABYTE = 5;

/** The cost of a run's Athena queries, as findings.json and the evidence state it. */
export interface AthenaCost {
  /** The price used, in US dollars per terabyte (10^12 bytes) scanned. */
  usdPerTerabyte: number;
  /** Queries billed (the staging read and every rule query that scanned data). */
  queries: number;
  /** Bytes the queries scanned, as Athena reported them. */
  scannedBytes: number;
  /** Bytes billed: each query's scan rounded up to the next megabyte, at least 10 MB. */
  billedBytes: number;
  usd: number;
}

/** Bills each query's scanned bytes as Athena does. `scanned` holds one entry per billed query. */
export function athenaCost(scanned: readonly number[], usdPerTerabyte: number): AthenaCost {
  if (!(usdPerTerabyte >= 0)) throw new RangeError(`not a price: ${usdPerTerabyte}`);
  let scannedBytes = 0;
  let billedBytes = 0;
  for (const bytes of scanned) {
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`not a byte count: ${bytes}`);
    scannedBytes += bytes;
    billedBytes += Math.max(ATHENA_MIN_BILLED_BYTES, Math.ceil(bytes / MB) * MB);
  }
  return {
    usdPerTerabyte,
    queries: scanned.length,
    scannedBytes,
    billedBytes,
    usd: (billedBytes * usdPerTerabyte) / 1e12,
  };
}
