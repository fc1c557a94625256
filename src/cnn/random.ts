/**
 * A small seeded PRNG (mulberry32): the same seed gives the same numbers in every engine and
 * browser, so initial weights, dropout masks and shuffles can be reproduced exactly.
 */
export interface Rng {
  /** Uniform in [0, 1), with 32 bits of randomness. */
  uniform(): number;
  /** Standard normal (Box–Muller; consumes two uniforms per call, no cached spare). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed))
    throw new RangeError(`createRng: seed must be a finite number, got ${seed}`);
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal() {
      const u1 = 1 - uniform(); // in (0, 1]: log is finite
      const u2 = uniform();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    int(n) {
      return Math.floor(uniform() * n);
    },
  };
}
