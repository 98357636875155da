import { DomainError } from '@sopu/core';
import { describe, expect, it } from 'vitest';
import { namedIssues, rows } from './settings.server.ts';

const MUNICIPALITIES = [
  { code: '205', name: { fi: 'Kajaani', sv: 'Kajana' } },
  { code: '290', name: { fi: 'Kuhmo', sv: 'Kuhmo' } },
];
const refused = (...issues: Array<{ path: string[]; code: string }>) => new DomainError('invalid_input', 'invalid input', { issues: issues.map((i) => ({ ...i, message: '' })) });

describe('the settings forms’ complaints name the place as the form labels it', () => {
  it('a typed number refused: the municipality’s row by name, the problem in words', () => {
    expect(namedIssues(refused({ path: ['municipalities', '0', 'seats'], code: 'not_whole' }, { path: ['municipalities', '1', 'votesPerSeat'], code: 'too_many_decimals' }), MUNICIPALITIES, 'sv')).toEqual([
      { key: 'settings.issue', values: { where: 'Kajana settings.field.seats' }, parts: ['Kajana', 'settings.field.seats'], problem: 'settings.problem.notWhole' },
      { key: 'settings.issue', values: { where: 'Kuhmo settings.field.votesPerSeat' }, parts: ['Kuhmo', 'settings.field.votesPerSeat'], problem: 'settings.problem.decimals' },
    ]);
  });

  it('a figure keyed by municipality code (job seekers, weights) names the municipality, not "#206"', () => {
    expect(namedIssues(refused({ path: ['jobSeekers', '290'], code: 'not_whole' }), MUNICIPALITIES, 'fi')![0]!.parts).toEqual(['Kuhmo']);
  });

  it('the 7th milestone sent is the form’s row 8 when a blank row was left out: "Rivi 8", not "#7"', () => {
    const form = new FormData();
    for (const [i, label] of ['a', 'b', 'c', '', 'e', 'f', 'g', 'h'].entries()) form.set(`m.${i}.fi`, label);
    const kept = rows(form, 'm', ['fi']).filter((r) => r.values.fi);
    expect(kept.map((r) => r.row)).toEqual([1, 2, 3, 5, 6, 7, 8]);
    const named = namedIssues(refused({ path: ['milestones', '6', 'date'], code: 'invalid_format' }), MUNICIPALITIES, 'fi', { milestones: kept.map((r) => r.row) });
    expect(named![0]!.parts).toEqual([{ key: 'settings.row', values: { row: 8 } }, 'settings.field.date']);
    // Without the form's rows, the index counts from one.
    expect(namedIssues(refused({ path: ['facts', '6', 'fi'], code: 'too_big' }), MUNICIPALITIES, 'fi')![0]!.parts).toEqual([{ key: 'settings.row', values: { row: 7 } }, 'settings.field.fi']);
  });

  it('any other error is not a complaint about the form', () => {
    expect(namedIssues(new DomainError('forbidden', 'no'), MUNICIPALITIES, 'fi')).toBeNull();
  });
});
