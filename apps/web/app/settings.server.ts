// Reading the settings page's forms (routes/areas.$slug.settings.tsx): repeated rows, and words for a rule's complaint
// about a field. Numbers go to core as typed: core reads "20 333" and "1,5" and refuses "20.333" in a whole-number
// field (areas/typed-number.rules.ts), so the rule lives once.

import { isDomainError } from '@sopu/core';
import { municipalityName } from './format.ts';
import type { Language } from './i18n.ts';

export const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};

/** Words for a rule's complaint about one field (core's messages are for programs). */
function problemKey(code: string, message: string): string {
  if (code === 'invalid_type' || code === 'not_a_number' || code === 'invalid_union') return 'settings.problem.number';
  if (code === 'not_whole') return 'settings.problem.notWhole';
  if (code === 'too_many_decimals') return 'settings.problem.decimals';
  if (code === 'too_small' || code === 'too_big') return 'settings.problem.range';
  if (message.includes('source and year')) return 'settings.problem.sourceAndYear';
  if (code === 'no_seats') return 'settings.problem.noSeats';
  if (code === 'no_seat') return 'settings.problem.chairSeat';
  if (code === 'too_few' || code === 'too_many') return 'settings.problem.rotationMembers';
  if (code === 'all_zero') return 'settings.problem.allZero';
  if (code === 'invalid_amount') return 'settings.problem.amount';
  if (code === 'invalid_format' || message.includes('calendar date')) return 'settings.problem.date';
  return 'settings.problem.invalid';
}

/** Rows of a repeated group: `prefix.<i>.<field>` fields, in index order; `row` is the number the form labels it with (i + 1). */
export function rows(form: FormData, prefix: string, fields: readonly string[]): Array<{ row: number; values: Record<string, string> }> {
  const found = new Map<number, Record<string, string>>();
  for (const [name, value] of form.entries()) {
    const m = new RegExp(`^${prefix}\\.(\\d{1,3})\\.(\\w+)$`).exec(name);
    if (!m || !fields.includes(m[2]!) || typeof value !== 'string') continue;
    const i = Number(m[1]);
    found.set(i, { ...(found.get(i) ?? {}), [m[2]!]: value.trim() });
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([i, values]) => ({ row: i + 1, values }));
}

/** For a group sent as a list whose blank rows were left out: the form's row number of each item sent. */
export type FormRows = Partial<Record<string, number[]>>;

/** A part of the place a complaint is about: a translation key with its values, or words as they are (a name). */
export type IssuePart = string | { key: string; values: Record<string, string | number> };

/**
 * A rule's complaints about the input, each naming its place as the form labels it: the municipality's row by its
 * name ("Kuhmo: lähde"; also a figure keyed by municipality code), another table's row by its number as the row's
 * own label says ("Rivi 8", counting the rows left blank); null for any other error.
 */
export function namedIssues(error: unknown, municipalities: ReadonlyArray<{ code: string; name: { fi: string; sv: string } }>, lang: Language, formRows: FormRows = {}) {
  if (!(isDomainError(error) && error.code === 'invalid_input' && Array.isArray(error.details.issues))) return null;
  const issues = error.details.issues as Array<{ path?: string[]; code?: string; message?: string }>;
  return issues.slice(0, 6).map((i) => {
    const [group, index, field] = i.path ?? [];
    const row = index === undefined ? undefined : group === 'municipalities' ? municipalities[Number(index)] : municipalities.find((m) => m.code === index);
    const rowNumber = index !== undefined && !row && /^\d+$/.test(index) ? (formRows[group ?? '']?.[Number(index)] ?? Number(index) + 1) : null;
    const where: IssuePart[] = [
      ...(row ? [municipalityName(row.name, lang)] : []),
      ...(rowNumber !== null ? [{ key: 'settings.row', values: { row: rowNumber } }] : []),
      ...(field ? [`settings.field.${field}`] : row || rowNumber !== null ? [] : [`settings.field.${group}`]),
    ];
    return { key: 'settings.issue', values: { where: where.map((p) => (typeof p === 'string' ? p : p.key)).join(' ') }, parts: where, problem: problemKey(i.code ?? '', i.message ?? '') };
  });
}
