// Athena's bill: bytes scanned per query, rounded up to the next megabyte, at least 10 MB per query.
import { describe, expect, it } from 'vitest';
import { athenaCost, ATHENA_MIN_BILLED_BYTES } from '../../src/shared/athena-cost.js';

const MB = 1024 * 1024;

describe('athenaCost', () => {
  it('bills every query at least 10 MB, however little it scanned', () => {
    const cost = athenaCost([0, 1, 5 * MB], 5);
    expect(cost.queries).toBe(3);
    expect(cost.scannedBytes).toBe(5 * MB + 1);
    expect(cost.billedBytes).toBe(3 * ATHENA_MIN_BILLED_BYTES);
    expect(cost.usd).toBeCloseTo((30 * MB * 5) / 1e12, 15);
  });

  it('rounds a larger scan up to the next megabyte', () => {
    expect(athenaCost([10 * MB + 1], 5).billedBytes).toBe(11 * MB);
    expect(athenaCost([64 * MB], 5).billedBytes).toBe(64 * MB);
  });

  it('prices terabytes at the given price', () => {
    const cost = athenaCost([1e12], 6.25);
    expect(cost.usdPerTerabyte).toBe(6.25);
    // 1e12 bytes rounded up to whole MiB: a hair over one terabyte.
    expect(cost.usd).toBeGreaterThanOrEqual(6.25);
    expect(cost.usd).toBeLessThan(6.2501);
    expect(athenaCost([1e12], 0).usd).toBe(0);
  });

  it('bills nothing for no query', () => {
    expect(athenaCost([], 5)).toEqual({
      usdPerTerabyte: 5,
      queries: 0,
      scannedBytes: 0,
      billedBytes: 0,
      usd: 0,
    });
  });

  it('refuses a negative or non-finite count or price rather than billing nonsense', () => {
    expect(() => athenaCost([-1], 5)).toThrow(/byte count/);
    expect(() => athenaCost([Number.NaN], 5)).toThrow(/byte count/);
    expect(() => athenaCost([1], -5)).toThrow(/price/);
    expect(() => athenaCost([1], Number.NaN)).toThrow(/price/);
  });
});
