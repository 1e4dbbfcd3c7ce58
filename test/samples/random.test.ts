import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, hashString } from '../../src/samples/random.js';

describe('createRng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => rng.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('keeps int within its inclusive bounds and reaches both ends', () => {
    const rng = createRng(1);
    const seen = new Set(Array.from({ length: 2000 }, () => rng.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('picks by weight', () => {
    const rng = createRng(2);
    let heavy = 0;
    for (let i = 0; i < 10_000; i += 1) if (rng.weighted([['a', 9], ['b', 1]] as const) === 'a') heavy += 1;
    expect(heavy / 10_000).toBeGreaterThan(0.87);
    expect(heavy / 10_000).toBeLessThan(0.93);
  });

  it('draws v4-shaped uuids and ids from the right alphabets', () => {
    const rng = createRng(3);
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rng.hex(17)).toMatch(/^[0-9a-f]{17}$/);
    expect(rng.upperAlnum(16)).toMatch(/^[A-Z0-9]{16}$/);
    expect(rng.alnum(16)).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  it('derives distinct seeds for distinct labels', () => {
    expect(deriveSeed(1, 'noise')).not.toBe(deriveSeed(1, 'incident'));
    expect(hashString('abc')).toBe(hashString('abc'));
  });
});
