/**
 * A yearly rotation of the joint body's chair, vice-chair and secretary among the member municipalities (DOMAIN.md
 * rule 3). Pure and deterministic: the members in the order given (the first chairs the first year).
 *
 * Each role walks the members in that order, one step a year, the three roles a fixed distance apart: the chair is
 * member i, the vice-chair member i + ⌊n/3⌋, the secretary member i + ⌊2n/3⌋ (mod n). So
 * - nobody holds two roles in one year (the three offsets differ for n ≥ 3);
 * - each role passes every member in turn: in any n consecutive years each member holds each role once, and over
 *   any period from the start the counts of a role differ by at most one between members;
 * - the roles are spread over the members: over any period from the start, the number of roles members held differs
 *   by at most one (the offsets a third of the circle apart keep the three walks from crowding onto the same members;
 *   the test checks every member count 3–12 and period 1–10 years);
 * - the vice-chair of a year chairs ⌊n/3⌋ years later.
 */

export const ROTATION_MIN_MEMBERS = 3;
export const ROTATION_MAX_MEMBERS = 12;
export const ROTATION_MIN_YEARS = 1;
export const ROTATION_MAX_YEARS = 10;

export interface RotationYear<T> {
  year: number;
  chair: T;
  viceChair: T;
  secretary: T;
}

export function generateChairRotation<T>(members: readonly T[], startYear: number, years: number): Array<RotationYear<T>> {
  const n = members.length;
  if (n < ROTATION_MIN_MEMBERS || n > ROTATION_MAX_MEMBERS) throw new RangeError(`a rotation needs ${ROTATION_MIN_MEMBERS}–${ROTATION_MAX_MEMBERS} members, not ${n}`);
  if (!Number.isInteger(years) || years < ROTATION_MIN_YEARS || years > ROTATION_MAX_YEARS) throw new RangeError(`a rotation is ${ROTATION_MIN_YEARS}–${ROTATION_MAX_YEARS} years, not ${years}`);
  if (!Number.isInteger(startYear)) throw new RangeError('the first year must be a whole year');
  const vice = Math.floor(n / 3);
  const secretary = Math.floor((2 * n) / 3);
  return Array.from({ length: years }, (_, i) => ({
    year: startYear + i,
    chair: members[i % n]!,
    viceChair: members[(i + vice) % n]!,
    secretary: members[(i + secretary) % n]!,
  }));
}
