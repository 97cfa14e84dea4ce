/**
 * Injected randomness for the core and the simulator: a seeded generator (SplitMix32 seeding a
 * xoshiro128**), so that one seed reproduces a whole run. The core never calls Math.random.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [low, high] inclusive. */
  int(low: number, high: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A new generator whose stream is independent of this one's continuation. */
  fork(): Random;
}

export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return xoshiro(splitmix(), splitmix(), splitmix(), splitmix());
}

function xoshiro(a0: number, b0: number, c0: number, d0: number): Random {
  let a = a0 | 1;
  let b = b0;
  let c = c0;
  let d = d0;
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const random: Random = {
    next: () => nextUint32() / 0x1_0000_0000,
    int: (low, high) => low + Math.floor(random.next() * (high - low + 1)),
    chance: (p) => random.next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError("pick from an empty array");
      return items[Math.floor(random.next() * items.length)] as (typeof items)[number];
    },
    fork: () => xoshiro(nextUint32(), nextUint32(), nextUint32(), nextUint32()),
  };
  return random;
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));
