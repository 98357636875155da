import { describe, expect, it } from 'vitest';
import { approvedTextStatus, type CouncilApproval } from './summary.rules.ts';

// Approved is not in force (docs/decisions/017): from a text every council approved to the day it enters into force.
const approvals = (finalDates: Array<string | null>, signed: Array<string | null> = []): CouncilApproval[] =>
  finalDates.map((finalDate, i) => ({ code: String(100 + i), decisionDate: `2026-11-1${i}`, finalDate, signedDate: signed[i] ?? null }));
const status = (list: CouncilApproval[], entryIntoForce: string | null, today: string) => approvedTextStatus({ version: 4, hash: 'h', approvals: list, entryIntoForce, today });

describe('how far an approved text is from being in force', () => {
  it('is not in force while a decision is not final, whatever the stated date', () => {
    expect(status(approvals(['2026-12-05', null, '2026-12-07']), '2027-01-01', '2027-03-01')).toMatchObject({ approvedOn: '2026-11-12', finalOn: null, notFinal: ['101'], inForceFrom: null, inForce: false });
  });

  it('enters into force on the stated date once every decision is final before it', () => {
    const all = approvals(['2026-12-05', '2026-12-09', '2026-12-07']);
    expect(status(all, '2027-01-01', '2026-12-31')).toMatchObject({ finalOn: '2026-12-09', inForceFrom: '2027-01-01', inForce: false });
    expect(status(all, '2027-01-01', '2027-01-01')).toMatchObject({ inForceFrom: '2027-01-01', inForce: true });
  });

  it('enters into force when the last decision becomes final, if that is after the stated date, or no date is stated', () => {
    const late = approvals(['2026-12-05', '2027-01-15', '2026-12-07']);
    expect(status(late, '2027-01-01', '2027-01-14')).toMatchObject({ finalOn: '2027-01-15', inForceFrom: '2027-01-15', inForce: false });
    expect(status(late, '2027-01-01', '2027-01-15')).toMatchObject({ inForce: true });
    expect(status(late, null, '2027-01-15')).toMatchObject({ entryIntoForce: null, inForceFrom: '2027-01-15', inForce: true });
  });

  it('counts signatures, which do not hold up the entry into force', () => {
    const all = approvals(['2026-12-05', '2026-12-09', '2026-12-07'], ['2026-12-10', null, '2026-12-12']);
    expect(status(all, '2027-01-01', '2027-01-02')).toMatchObject({ signedCount: 2, signedOn: null, inForce: true });
    const everyone = approvals(['2026-12-05', '2026-12-09'], ['2026-12-10', '2026-12-20']);
    expect(status(everyone, '2027-01-01', '2027-01-02')).toMatchObject({ signedCount: 2, signedOn: '2026-12-20' });
  });
});
