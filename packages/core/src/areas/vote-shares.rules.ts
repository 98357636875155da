import { apportion, toUnits } from './apportion.rules.ts';

/**
 * Shares of the joint body's votes (DOMAIN.md rule 2): a municipality's votes are its seats × the votes of each of
 * its members' seats, which the agreement may weight. Pure and exact: votes per seat have at most two decimals and are
 * counted in hundredths, so "over half" is decided on integers (2·votes > total), never on a rounded per cent.
 *
 * - Over half of the votes: one municipality decides alone → fail.
 * - Exactly half, and its member chairs the body: in a tie the chair's vote decides (kuntalaki 104 §), so it decides
 *   alone → fail.
 * - Exactly half, without the chair: it cannot decide alone but can block, and would decide in a tie whenever the
 *   chair passes to it; the agreement needs a rule for that → warning.
 */

export const SEATS_MAX = 100;
export const VOTES_PER_SEAT_MAX = 1000;

export interface JointBodyMember {
  code: string;
  /** null: not entered yet. 0 is a real answer (every municipality need not have a seat). */
  seats: number | null;
  /** Votes each of the municipality's members carries; null: not entered. At most two decimals. */
  votesPerSeat: number | null;
}

export interface VoteShare {
  code: string;
  seats: number;
  votesPerSeat: number;
  /** seats × votesPerSeat. */
  votes: number;
  /** Hundredths of a per cent, rounded by largest remainder so that the column sums to exactly 100.00 %. */
  percentHundredths: number;
  overHalf: boolean;
  exactlyHalf: boolean;
  holdsChair: boolean;
}

export type VoteVerdict = 'pass' | 'fail' | 'warning' | 'incomplete';
export type VoteReason = 'no_majority' | 'majority' | 'half_with_chair' | 'half_without_chair' | 'not_entered' | 'no_votes';

export interface VoteShares {
  shares: VoteShare[];
  totalSeats: number;
  totalVotes: number;
  /** Municipalities whose seats or votes are not entered: the shares cannot be judged until they are. */
  missing: string[];
  verdict: VoteVerdict;
  reason: VoteReason;
  /** The municipality the verdict is about (over half, or exactly half), or the largest share when all is well. */
  subject: string | null;
  chairCode: string | null;
}

/** Votes per seat in hundredths of a vote, or null when it has more than two decimals (or is negative). */
export const toVotesPerSeat = (value: number): bigint | null => toUnits(value, 2);

const hundredths = (value: number): bigint => {
  const units = toVotesPerSeat(value);
  if (units === null) throw new RangeError(`votes per seat must be a non-negative number with at most two decimals: ${value}`);
  return units;
};

export function voteShares(members: readonly JointBodyMember[], chairCode: string | null): VoteShares {
  const missing = members.filter((m) => m.seats === null || (m.seats > 0 && m.votesPerSeat === null)).map((m) => m.code);
  const counted = members.map((m) => {
    const seats = m.seats ?? 0;
    const perSeat = seats > 0 ? hundredths(m.votesPerSeat ?? 0) : 0n;
    return { code: m.code, seats, votesPerSeat: m.votesPerSeat ?? 0, votes: BigInt(seats) * perSeat };
  });
  const total = counted.reduce((sum, m) => sum + m.votes, 0n);
  const percents = total > 0n ? apportion(10_000n, counted.map((m) => m.votes)) : counted.map(() => 0n);
  const shares: VoteShare[] = counted.map((m, i) => ({
    code: m.code,
    seats: m.seats,
    votesPerSeat: m.votesPerSeat,
    votes: Number(m.votes) / 100,
    percentHundredths: Number(percents[i]),
    overHalf: total > 0n && 2n * m.votes > total,
    exactlyHalf: total > 0n && 2n * m.votes === total,
    holdsChair: m.code === chairCode,
  }));
  const base = { shares, totalSeats: counted.reduce((sum, m) => sum + m.seats, 0), totalVotes: Number(total) / 100, missing, chairCode };

  if (missing.length > 0) return { ...base, verdict: 'incomplete', reason: 'not_entered', subject: missing[0]! };
  if (total === 0n) return { ...base, verdict: 'incomplete', reason: 'no_votes', subject: null };
  const over = shares.find((s) => s.overHalf);
  if (over) return { ...base, verdict: 'fail', reason: 'majority', subject: over.code };
  const halves = shares.filter((s) => s.exactlyHalf);
  const chaired = halves.find((s) => s.holdsChair);
  if (chaired) return { ...base, verdict: 'fail', reason: 'half_with_chair', subject: chaired.code };
  if (halves.length > 0) return { ...base, verdict: 'warning', reason: 'half_without_chair', subject: halves[0]!.code };
  const largest = shares.reduce((a, b) => (b.votes > a.votes ? b : a));
  return { ...base, verdict: 'pass', reason: 'no_majority', subject: largest.code };
}
