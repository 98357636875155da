// Reading the settings page's forms (routes/areas.$slug.settings.tsx): numbers as people type them, repeated rows,
// and words for a rule's complaint about a field.

import { isDomainError } from '@sopu/core';
import { municipalityName } from './format.ts';
import type { Language } from './i18n.ts';

export const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};

/** A whole number typed as people type them ("6 200"), or null when empty; NaN when it is not one. */
export const integer = (value: string): number | null => (value === '' ? null : /^\d+$/.test(value.replace(/[\s\u00a0]/g, '')) ? Number(value.replace(/[\s\u00a0]/g, '')) : Number.NaN);

/** A decimal typed with a comma or a point, or null when empty. */
export const decimal = (value: string): number | null => (value === '' ? null : /^\d+([.,]\d+)?$/.test(value.replace(/[\s\u00a0]/g, '')) ? Number(value.replace(/[\s\u00a0]/g, '').replace(',', '.')) : Number.NaN);

/** Words for a rule's complaint about one field (core's messages are for programs). */
function problemKey(code: string, message: string): string {
  if (code === 'invalid_type') return 'settings.problem.number';
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

/** Rows of a repeated group: `prefix.<i>.<field>` fields, in index order. */
export function rows(form: FormData, prefix: string, fields: readonly string[]): Array<Record<string, string>> {
  const found = new Map<number, Record<string, string>>();
  for (const [name, value] of form.entries()) {
    const m = new RegExp(`^${prefix}\\.(\\d{1,3})\\.(\\w+)$`).exec(name);
    if (!m || !fields.includes(m[2]!) || typeof value !== 'string') continue;
    const i = Number(m[1]);
    found.set(i, { ...(found.get(i) ?? {}), [m[2]!]: value.trim() });
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
}

/** A rule's complaints about the input, each naming its table's row ("Kuhmo: lähde" rather than a bare field); null for any other error. */
export function namedIssues(error: unknown, municipalities: ReadonlyArray<{ name: { fi: string; sv: string } }>, lang: Language) {
  if (!(isDomainError(error) && error.code === 'invalid_input' && Array.isArray(error.details.issues))) return null;
  const issues = error.details.issues as Array<{ path?: string[]; code?: string; message?: string }>;
  return issues.slice(0, 6).map((i) => {
    const [group, index, field] = i.path ?? [];
    const row = group === 'municipalities' && index !== undefined ? municipalities[Number(index)] : undefined;
    const where = [row ? municipalityName(row.name, lang) : null, field ? `settings.field.${field}` : row ? null : `settings.field.${group}`, index !== undefined && !row ? `#${Number(index) + 1}` : null].filter((x): x is string => Boolean(x));
    return { key: 'settings.issue', values: { where: where.join(' ') }, parts: where, problem: problemKey(i.code ?? '', i.message ?? '') };
  });
}
