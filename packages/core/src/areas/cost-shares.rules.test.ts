import demoData from '@sopu/migrations/seeds/demo-areas.json' with { type: 'json' };
import demoContent from '@sopu/migrations/seeds/demo-content.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { computeCostShares, NET_COSTS_MAX_CENTS } from './cost-shares.rules.ts';

describe('computeCostShares', () => {
  it('shares that must round: 100.00 € among three equal members is 33.34 + 33.33 + 33.33, and 33.34 % + 33.33 % + 33.33 %', () => {
    const r = computeCostShares(10_000, [{ code: 'A', value: 1 }, { code: 'B', value: 1 }, { code: 'C', value: 1 }]);
    expect(r.rows.map((x) => x.cents)).toEqual([3334, 3333, 3333]);
    expect(r.rows.map((x) => x.percentHundredths)).toEqual([3334, 3333, 3333]);
    expect(r).toMatchObject({ totalCents: 10_000, totalPercentHundredths: 10_000, totalValue: 3 });
  });

  it('one cent between two equal members goes to the first; the larger figure wins a tie of remainders', () => {
    expect(computeCostShares(1, [{ code: 'A', value: 5 }, { code: 'B', value: 5 }]).rows.map((x) => x.cents)).toEqual([1, 0]);
    expect(computeCostShares(2, [{ code: 'A', value: 1 }, { code: 'B', value: 3 }]).rows.map((x) => x.cents)).toEqual([0, 2]);
  });

  it("Kainuu-Koillismaa by labour force: the per cents of the demo agreement's table, the euros exact to the cent", () => {
    const area = demoData.areas.find((a) => a.slug === 'kainuu-koillismaa')!;
    const figures = area.municipalities.map((m) => ({ code: m.name.fi, value: m.labourForce }));
    const r = computeCostShares(1_000_000_001, figures);
    expect(r.totalCents).toBe(1_000_000_001);
    expect(r.totalValue).toBe(40_350);
    const table = demoContent.areas['kainuu-koillismaa'].cooperation_agreement.finance_administration.find((b) => b.type === 'table')! as unknown as { rows: string[][] };
    const shown = new Map(table.rows.slice(1, -1).map((row) => [row[0]!, row[2]!]));
    for (const row of r.rows) expect(`${(row.percentHundredths / 100).toFixed(2).replace('.', ',')} %`, row.code).toBe(shown.get(row.code));
  });

  it('custom weights with decimals (70/30 of two keys), and a member of weight zero', () => {
    const r = computeCostShares(100_000, [{ code: 'A', value: 0.7 }, { code: 'B', value: 0.2999 }, { code: 'C', value: 0.0001 }, { code: 'D', value: 0 }]);
    expect(r.rows.map((x) => x.cents)).toEqual([70_000, 29_990, 10, 0]);
    expect(r.rows.map((x) => x.percentHundredths)).toEqual([7000, 2999, 1, 0]);
  });

  it('1,000 seeded budgets and keys: the euros sum to the cent and the per cents to 100.00', () => {
    let seed = 42;
    const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let c = 0; c < 1_000; c++) {
      const n = 2 + Math.floor(next() * 11);
      const figures = Array.from({ length: n }, (_, i) => ({ code: String(i), value: Math.floor(next() * 60_000) + (i === 0 ? 1 : 0) }));
      const cents = Math.floor(next() * 5e11);
      const r = computeCostShares(cents, figures);
      expect(r.totalCents, `case ${c}`).toBe(cents);
      expect(r.totalPercentHundredths, `case ${c}`).toBe(10_000);
      for (const row of r.rows) expect(Math.abs(row.cents - (cents * row.value) / r.totalValue), `case ${c}`).toBeLessThan(1);
    }
  });

  it('zero net costs share nothing; bad input is refused', () => {
    expect(computeCostShares(0, [{ code: 'A', value: 1 }, { code: 'B', value: 2 }]).rows.map((x) => x.cents)).toEqual([0, 0]);
    expect(() => computeCostShares(1.5, [{ code: 'A', value: 1 }])).toThrow(RangeError);
    expect(() => computeCostShares(-1, [{ code: 'A', value: 1 }])).toThrow(RangeError);
    expect(() => computeCostShares(NET_COSTS_MAX_CENTS + 1, [{ code: 'A', value: 1 }])).toThrow(RangeError);
    expect(() => computeCostShares(100, [])).toThrow(RangeError);
    expect(() => computeCostShares(100, [{ code: 'A', value: 0 }])).toThrow(RangeError);
    expect(() => computeCostShares(100, [{ code: 'A', value: -1 }])).toThrow(RangeError);
    expect(() => computeCostShares(100, [{ code: 'A', value: 0.00001 }])).toThrow(RangeError);
  });
});
