import { describe, expect, it } from 'vitest';
import { apportion, toUnits } from './apportion.rules.ts';

/** A small seeded generator (mulberry32): the same cases on every run, and a failing seed can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('apportion (largest remainder)', () => {
  it('divides exactly: 100 among three equal weights is 34, 33, 33 (the tie goes to the first)', () => {
    expect(apportion(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(apportion(1n, [1n, 1n])).toEqual([1n, 0n]);
    expect(apportion(2n, [1n, 1n, 1n])).toEqual([1n, 1n, 0n]);
  });

  it('a tie of remainders goes to the larger weight before the earlier member', () => {
    // Quotas 0.5 and 0.5 of one unit after whole parts: weights 1 and 3 of 4 units over … (remainders equal)
    expect(apportion(2n, [1n, 3n])).toEqual([0n, 2n]);
    expect(apportion(1n, [2n, 2n, 4n])).toEqual([0n, 0n, 1n]);
  });

  it('a member of weight zero gets nothing', () => {
    expect(apportion(7n, [0n, 1n, 0n, 1n])).toEqual([0n, 4n, 0n, 3n]);
  });

  it('refuses a negative total, a negative weight and weights summing to zero', () => {
    expect(() => apportion(-1n, [1n])).toThrow(RangeError);
    expect(() => apportion(1n, [1n, -1n])).toThrow(RangeError);
    expect(() => apportion(1n, [0n, 0n])).toThrow(RangeError);
  });

  it('2,000 seeded cases: the sum is exact, each share is its quota rounded down or up, and the larger remainders won', () => {
    const next = random(20261203);
    for (let c = 0; c < 2_000; c++) {
      const n = 1 + Math.floor(next() * 12);
      const weights: bigint[] = Array.from({ length: n }, () => BigInt(Math.floor(next() * (next() < 0.1 ? 3 : 100_000))));
      if (!weights.some((w) => w > 0n)) weights[0] = 1n;
      const total = BigInt(Math.floor(next() * 1e12));
      const shares = apportion(total, weights);
      const sum = weights.reduce((a, w) => a + w, 0n);
      expect(shares.reduce((a, s) => a + s, 0n), `case ${c}`).toBe(total);
      const up: bigint[] = [];
      const down: bigint[] = [];
      shares.forEach((s, i) => {
        const floor = (total * weights[i]!) / sum;
        expect(s === floor || s === floor + 1n, `case ${c} member ${i}`).toBe(true);
        (s === floor + 1n ? up : down).push((total * weights[i]!) % sum);
      });
      if (up.length > 0 && down.length > 0) {
        const least = up.reduce((a, b) => (b < a ? b : a));
        const most = down.reduce((a, b) => (b > a ? b : a));
        expect(least >= most, `case ${c}`).toBe(true);
      }
    }
  });
});

describe('toUnits', () => {
  it('reads decimals as written, not as binary floating point holds them', () => {
    expect(toUnits(0.07, 2)).toBe(7n);
    expect(toUnits(1_234_567.89, 2)).toBe(123_456_789n);
    expect(toUnits(0.1 + 0.2, 2)).toBeNull(); // 0.30000000000000004: not two decimals
    expect(toUnits(12, 2)).toBe(1200n);
    expect(toUnits(1.5, 4)).toBe(15_000n);
    expect(toUnits('1 234 567,89', 2)).toBe(123_456_789n);
    expect(toUnits('1\u00a0000,5', 2)).toBe(100_050n);
    expect(toUnits('12.50', 1)).toBe(125n);
  });

  it('refuses more decimals, negatives, exponents and anything else', () => {
    for (const bad of [0.123, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e21, '1e3', '', '12,3,4', 'abc', '-5']) expect(toUnits(bad, 2), String(bad)).toBeNull();
  });
});
