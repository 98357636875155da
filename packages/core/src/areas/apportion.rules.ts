/**
 * Largest-remainder apportionment (Hamilton's method) in exact integers: `total` units divided in proportion to
 * `weights`, every share a whole unit, the shares summing to `total` exactly. Each member first gets the whole part of
 * its quota; the units left over (fewer than the members) go one each to the largest remainders, ties to the larger
 * weight, then to the earlier member, so the result is deterministic. A member of weight 0 gets nothing.
 * Pure (BigInt only): cents of a budget times labour-force figures overflow doubles.
 */
export function apportion(total: bigint, weights: readonly bigint[]): bigint[] {
  if (total < 0n) throw new RangeError('apportion: the total is negative');
  if (weights.some((w) => w < 0n)) throw new RangeError('apportion: a weight is negative');
  const sum = weights.reduce((a, w) => a + w, 0n);
  if (sum === 0n) throw new RangeError('apportion: the weights sum to zero');
  const shares = weights.map((w) => (total * w) / sum);
  let left = total - shares.reduce((a, s) => a + s, 0n);
  const order = weights
    .map((w, i) => ({ i, w, remainder: (total * w) % sum }))
    .sort((a, b) => (a.remainder !== b.remainder ? (b.remainder > a.remainder ? 1 : -1) : a.w !== b.w ? (b.w > a.w ? 1 : -1) : a.i - b.i));
  for (const { i } of order) {
    if (left === 0n) break;
    shares[i] = shares[i]! + 1n;
    left -= 1n;
  }
  return shares;
}

/**
 * A non-negative decimal with at most `places` decimals as an integer count of 10^-places units (1234567.89 € →
 * 123456789n cents); null when it is not one. Read from the number's shortest decimal form, which is what was written
 * in the JSON or the form, so 0.07 is 7 hundredths, not 7.000000000000001.
 */
export function toUnits(value: number | string, places: number): bigint | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const decimals = match[2] ?? '';
  if (decimals.replace(/0+$/, '').length > places) return null;
  return BigInt(match[1]!) * 10n ** BigInt(places) + BigInt(decimals.padEnd(places, '0').slice(0, places) || '0');
}
