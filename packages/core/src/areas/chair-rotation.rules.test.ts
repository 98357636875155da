import { describe, expect, it } from 'vitest';
import { generateChairRotation, ROTATION_MAX_MEMBERS, ROTATION_MAX_YEARS, ROTATION_MIN_MEMBERS, ROTATION_MIN_YEARS } from './chair-rotation.rules.ts';

const spread = (counts: Map<string, number>, members: string[]) => {
  const values = members.map((m) => counts.get(m) ?? 0);
  return Math.max(...values) - Math.min(...values);
};

const combos = Array.from({ length: ROTATION_MAX_MEMBERS - ROTATION_MIN_MEMBERS + 1 }, (_, i) => i + ROTATION_MIN_MEMBERS).flatMap((n) =>
  Array.from({ length: ROTATION_MAX_YEARS - ROTATION_MIN_YEARS + 1 }, (_, j) => ({ n, years: j + ROTATION_MIN_YEARS })),
);

describe('generateChairRotation over every member count 3–12 and period 1–10 years', () => {
  it('covers all 100 combinations', () => expect(combos).toHaveLength(100));

  it.each(combos)('$n members, $years years', ({ n, years }) => {
    const members = Array.from({ length: n }, (_, i) => `m${i}`);
    const rotation = generateChairRotation(members, 2027, years);
    expect(rotation.map((r) => r.year)).toEqual(Array.from({ length: years }, (_, i) => 2027 + i));

    const byRole = { chair: new Map<string, number>(), viceChair: new Map<string, number>(), secretary: new Map<string, number>() };
    const total = new Map<string, number>();
    for (const row of rotation) {
      // Nobody holds two roles in one year.
      expect(new Set([row.chair, row.viceChair, row.secretary]).size, `${row.year}`).toBe(3);
      for (const role of ['chair', 'viceChair', 'secretary'] as const) {
        expect(members).toContain(row[role]);
        byRole[role].set(row[role], (byRole[role].get(row[role]) ?? 0) + 1);
        total.set(row[role], (total.get(row[role]) ?? 0) + 1);
      }
    }
    // Fair: each role, and the roles together, differ by at most one between members over the period.
    for (const role of ['chair', 'viceChair', 'secretary'] as const) expect(spread(byRole[role], members), role).toBeLessThanOrEqual(1);
    expect(spread(total, members)).toBeLessThanOrEqual(1);
    // Every member chairs once before anyone chairs twice, in the order given.
    expect(rotation.map((r) => r.chair)).toEqual(Array.from({ length: years }, (_, i) => members[i % n]));
    // In any n consecutive years each member holds each role exactly once.
    for (let start = 0; start + n <= years; start++) {
      for (const role of ['chair', 'viceChair', 'secretary'] as const) expect(new Set(rotation.slice(start, start + n).map((r) => r[role])).size).toBe(n);
    }
    // Deterministic.
    expect(generateChairRotation(members, 2027, years)).toEqual(rotation);
  });
});

describe('generateChairRotation', () => {
  it('three members rotate all three roles every year: Strandvik, Holmby, Saarela from 2027', () => {
    expect(generateChairRotation(['Strandvik', 'Holmby', 'Saarela'], 2027, 4)).toEqual([
      { year: 2027, chair: 'Strandvik', viceChair: 'Holmby', secretary: 'Saarela' },
      { year: 2028, chair: 'Holmby', viceChair: 'Saarela', secretary: 'Strandvik' },
      { year: 2029, chair: 'Saarela', viceChair: 'Strandvik', secretary: 'Holmby' },
      { year: 2030, chair: 'Strandvik', viceChair: 'Holmby', secretary: 'Saarela' },
    ]);
  });

  it('ten members: the vice-chair is a third of the way round, the secretary two thirds', () => {
    const ten = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
    expect(generateChairRotation(ten, 2027, 2)).toEqual([
      { year: 2027, chair: '0', viceChair: '3', secretary: '6' },
      { year: 2028, chair: '1', viceChair: '4', secretary: '7' },
    ]);
  });

  it('refuses fewer than 3 or more than 12 members, and periods outside 1–10 years', () => {
    expect(() => generateChairRotation(['a', 'b'], 2027, 1)).toThrow(RangeError);
    expect(() => generateChairRotation(Array.from({ length: 13 }, (_, i) => i), 2027, 1)).toThrow(RangeError);
    for (const years of [0, 11, 1.5]) expect(() => generateChairRotation(['a', 'b', 'c'], 2027, years), String(years)).toThrow(RangeError);
    expect(() => generateChairRotation(['a', 'b', 'c'], 2027.5, 1)).toThrow(RangeError);
  });
});
