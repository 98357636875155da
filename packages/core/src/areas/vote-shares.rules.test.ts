import demoContent from '@sopu/migrations/seeds/demo-content.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { voteShares, type JointBodyMember } from './vote-shares.rules.ts';

const body = (...votes: Array<[string, number, number]>): JointBodyMember[] => votes.map(([code, seats, votesPerSeat]) => ({ code, seats, votesPerSeat }));

describe('voteShares at the 50 % boundary', () => {
  it('50.01 % is over half: fail, whoever chairs', () => {
    for (const chair of [null, 'A', 'B', 'C']) {
      const r = voteShares(body(['A', 1, 5001], ['B', 1, 2500], ['C', 1, 2499]), chair);
      expect(r, String(chair)).toMatchObject({ verdict: 'fail', reason: 'majority', subject: 'A' });
      expect(r.shares[0]).toMatchObject({ overHalf: true, exactlyHalf: false, percentHundredths: 5001 });
    }
  });

  it('exactly 50.00 % fails only when that municipality holds the chair; otherwise a warning about the tie rule', () => {
    const half = body(['A', 1, 5000], ['B', 1, 2500], ['C', 1, 2500]);
    expect(voteShares(half, 'A')).toMatchObject({ verdict: 'fail', reason: 'half_with_chair', subject: 'A' });
    for (const chair of [null, 'B', 'C']) expect(voteShares(half, chair), String(chair)).toMatchObject({ verdict: 'warning', reason: 'half_without_chair', subject: 'A' });
    expect(voteShares(half, null).shares[0]).toMatchObject({ overHalf: false, exactlyHalf: true, percentHundredths: 5000 });
  });

  it('49.99 % passes', () => {
    for (const chair of [null, 'A', 'B']) expect(voteShares(body(['A', 1, 4999], ['B', 1, 2501], ['C', 1, 2500]), chair), String(chair)).toMatchObject({ verdict: 'pass', reason: 'no_majority', subject: 'A' });
  });

  it('two municipalities of exactly half each: the chair decides which one fails', () => {
    const even = body(['A', 3, 1], ['B', 3, 1]);
    expect(voteShares(even, 'B')).toMatchObject({ verdict: 'fail', reason: 'half_with_chair', subject: 'B' });
    expect(voteShares(even, null)).toMatchObject({ verdict: 'warning', subject: 'A' });
  });

  it('exact with weighted votes: 3 × 1.5 is exactly half of 9, a share just over half that rounds to 50.00 % still fails', () => {
    expect(voteShares(body(['A', 3, 1.5], ['B', 2, 1.25], ['C', 2, 1]), 'A')).toMatchObject({ verdict: 'fail', reason: 'half_with_chair' });
    // 12,501 of 25,000 votes is 50.004 %: shown as 50.00 %, still over half.
    const r = voteShares(body(['A', 1, 12_501], ['B', 1, 12_499]), null);
    expect(r).toMatchObject({ verdict: 'fail', reason: 'majority', subject: 'A' });
    expect(r.shares[0]!.percentHundredths).toBe(5000);
  });
});

describe('voteShares bookkeeping', () => {
  it('totals, and per cents that sum to exactly 100.00 (a third each: 33.34 + 33.33 + 33.33)', () => {
    const r = voteShares(body(['A', 1, 1], ['B', 1, 1], ['C', 1, 1]), null);
    expect(r).toMatchObject({ totalSeats: 3, totalVotes: 3, verdict: 'pass' });
    expect(r.shares.map((s) => s.percentHundredths)).toEqual([3334, 3333, 3333]);
  });

  it('a municipality without a seat counts as no votes; one not entered makes the verdict incomplete', () => {
    expect(voteShares([{ code: 'A', seats: 2, votesPerSeat: 1 }, { code: 'B', seats: 0, votesPerSeat: null }, { code: 'C', seats: 1, votesPerSeat: 1 }], null)).toMatchObject({ verdict: 'fail', reason: 'majority', subject: 'A', missing: [] });
    const missing = voteShares([{ code: 'A', seats: 9, votesPerSeat: 1 }, { code: 'B', seats: null, votesPerSeat: null }, { code: 'C', seats: 1, votesPerSeat: null }], null);
    expect(missing).toMatchObject({ verdict: 'incomplete', reason: 'not_entered', missing: ['B', 'C'] });
    expect(voteShares(body(['A', 0, 1], ['B', 0, 1]), null)).toMatchObject({ verdict: 'incomplete', reason: 'no_votes' });
  });

  it("the Kainuu-Koillismaa demo text's table: Kajaani 39 of 100 votes, nobody over half", () => {
    const table = demoContent.areas['kainuu-koillismaa'].cooperation_agreement.body_composition.find((b) => b.type === 'table')! as unknown as { rows: string[][] };
    const members = table.rows.slice(1, -1).map(([name, seats, perSeat]) => ({ code: name!, seats: Number(seats), votesPerSeat: Number(perSeat) }));
    const r = voteShares(members, 'Kajaani');
    expect(r).toMatchObject({ verdict: 'pass', totalSeats: 13, totalVotes: 100, subject: 'Kajaani' });
    expect(r.shares.map((s) => `${s.code} ${s.percentHundredths / 100} %`)).toEqual(table.rows.slice(1, -1).map((row) => `${row[0]} ${row[4]}`));
    expect(r.shares.reduce((a, s) => a + s.percentHundredths, 0)).toBe(10_000);
  });

  it('refuses votes per seat with more than two decimals', () => {
    expect(() => voteShares(body(['A', 1, 1.005]), null)).toThrow(RangeError);
  });
});
