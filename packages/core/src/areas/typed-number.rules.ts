import { z } from 'zod';

/**
 * Numbers as people type them into the settings (issue 21): blanks group thousands ("20 333", also no-break and
 * narrow no-break spaces); one decimal comma or point where decimals are allowed ("1,5", "1.5"). A point or a comma
 * in a whole-number field is refused, not guessed: "20.333" and "20,333" may mean twenty thousand (a Finnish thousands
 * point, an English thousands comma) or twenty and a third, and a labour-force figure or a seat count read the wrong
 * way would silently change a verdict. Pure and browser-safe: the forms' live previews read with the same rule.
 */

export type NumberProblem = 'not_a_number' | 'not_whole' | 'too_many_decimals';
export type TypedNumber = { ok: true; value: number } | { ok: false; problem: NumberProblem };

const BLANKS = /[\s\u00a0\u202f]/g;

/** A typed number with at most `decimals` decimals (0: a whole number), or why it is not one. */
export function readTypedNumber(value: number | string, decimals: number): TypedNumber {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return { ok: false, problem: 'not_a_number' };
    if (decimals === 0) return Number.isInteger(value) ? { ok: true, value } : { ok: false, problem: 'not_whole' };
    return readTypedNumber(String(value), decimals);
  }
  const text = value.replace(BLANKS, '');
  const match = /^(\d{1,15})(?:([.,])(\d+))?$/.exec(text);
  if (!match) return { ok: false, problem: 'not_a_number' };
  const fraction = match[3];
  if (fraction !== undefined && decimals === 0) return { ok: false, problem: 'not_whole' };
  if (fraction !== undefined && fraction.replace(/0+$/, '').length > decimals) return { ok: false, problem: 'too_many_decimals' };
  return { ok: true, value: Number(fraction === undefined ? match[1] : `${match[1]}.${fraction}`) };
}

const PROBLEM_MESSAGES: Record<NumberProblem, (decimals: number) => string> = {
  not_a_number: () => 'not a number',
  not_whole: () => 'a whole number, without a decimal point or comma',
  too_many_decimals: (d) => `at most ${d} decimal${d === 1 ? '' : 's'}`,
};

/**
 * A zod field for a number typed in a form or sent as JSON (a number, or a string as typed), between `min` and `max`.
 * A refusal's issue code is the problem (`not_whole`, `too_many_decimals`, `not_a_number`; parseInput passes it on).
 */
export function typedNumber(decimals: number, min: number, max: number) {
  return z
    .union([z.number(), z.string().max(32)])
    .transform((raw, ctx) => {
      const read = readTypedNumber(raw, decimals);
      if (!read.ok) {
        ctx.addIssue({ code: 'custom', message: PROBLEM_MESSAGES[read.problem](decimals), params: { code: read.problem, decimals } });
        return z.NEVER;
      }
      return read.value;
    })
    .pipe(z.number().min(min).max(max));
}
