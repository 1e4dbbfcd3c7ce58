import { describe, expect, it } from 'vitest';
import { fanOut } from '../../src/shared/fan-out.js';

describe('fanOut', () => {
  it('returns a result or an error per item, in input order, and never rejects', async () => {
    const results = await fanOut([3, 1, 2], 2, async (n) => {
      await new Promise((r) => setTimeout(r, n * 5));
      if (n === 1) throw new Error('one failed');
      return n * 10;
    });
    expect(results.map((r) => (r.ok ? r.value : (r.error as Error).message))).toEqual([30, 'one failed', 20]);
  });

  it('never runs more than the concurrency at once', async () => {
    let running = 0;
    let peak = 0;
    await fanOut(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running -= 1;
      },
    );
    expect(peak).toBe(3);
  });
});
