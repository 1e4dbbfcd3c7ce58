// A small seeded PRNG for the sample logs. Same seed, same bytes: the demo, its findings and the tests that
// check them stay stable from run to run and machine to machine, so nothing here may touch Math.random.

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** A deterministic random source with the helpers the log builders need. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One value of a non-empty list of `[value, weight]` pairs, in proportion to the weights. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** `length` lower-case hex digits (resource ids: sg-…, i-…, ami-…). */
  hex(length: number): string;
  /** `length` characters of A-Z and 0-9 (access key ids, S3 request ids). */
  upperAlnum(length: number): string;
  /** `length` characters of A-Z, a-z and 0-9 (the suffix of a CloudTrail file name). */
  alnum(length: number): string;
  /** A version-4-shaped UUID drawn from this generator (eventID, requestID). */
  uuid(): string;
}

/** 32-bit FNV-1a of a string: turns a label (a principal's name, a file's key) into a seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Combines a seed and a label into a new seed, so independent streams (noise, incident, file n) never overlap. */
export function deriveSeed(seed: number, label: string): number {
  return (hashString(label) ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
}

/** Creates a generator (sfc32, seeded through splitmix32) for `seed`. */
export function createRng(seed: number): Rng {
  // splitmix32 spreads a small or similar seed over the four words of sfc32's state.
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();

  function next(): number {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  function int(min: number, max: number): number {
    return min + Math.floor(next() * (max - min + 1));
  }

  function pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(next() * items.length)] as T;
  }

  function weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let roll = next() * total;
    for (const [value, weight] of items) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = items[items.length - 1];
    if (!last) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  function chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(next() * alphabet.length)];
    return out;
  }

  function uuid(): string {
    const h = chars(HEX, 32);
    // Version nibble 4 and variant bits 10xx, as a real v4 UUID has.
    const variant = HEX[8 + Math.floor(next() * 4)] ?? '8';
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  return {
    next,
    int,
    chance: (p) => next() < p,
    pick,
    weighted,
    hex: (length) => chars(HEX, length),
    upperAlnum: (length) => chars(UPPER_ALNUM, length),
    alnum: (length) => chars(ALNUM, length),
    uuid,
  };
}

/** A generator seeded from a label alone: the same principal name always gets the same ids. */
export function stableRng(label: string): Rng {
  return createRng(hashString(label));
}
