import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readTypedNumber, typedNumber } from './typed-number.rules.ts';
import { parseInput } from '../shared/validation.ts';
import { isDomainError } from '../shared/errors.ts';

describe('readTypedNumber', () => {
  it('whole numbers: blanks group thousands; a point or a comma is refused, never guessed', () => {
    expect(readTypedNumber('20333', 0)).toEqual({ ok: true, value: 20_333 });
    expect(readTypedNumber('20 333', 0)).toEqual({ ok: true, value: 20_333 });
    expect(readTypedNumber('20\u00a0333', 0)).toEqual({ ok: true, value: 20_333 });
    expect(readTypedNumber('20\u202f333', 0)).toEqual({ ok: true, value: 20_333 });
    expect(readTypedNumber(' 0 ', 0)).toEqual({ ok: true, value: 0 });
    expect(readTypedNumber('20.333', 0)).toEqual({ ok: false, problem: 'not_whole' });
    expect(readTypedNumber('20,333', 0)).toEqual({ ok: false, problem: 'not_whole' });
    expect(readTypedNumber('20,0', 0)).toEqual({ ok: false, problem: 'not_whole' });
    expect(readTypedNumber(20.333, 0)).toEqual({ ok: false, problem: 'not_whole' });
    expect(readTypedNumber(20, 0)).toEqual({ ok: true, value: 20 });
  });

  it('decimals: a comma or a point, as many decimals as allowed (trailing zeros do not count)', () => {
    expect(readTypedNumber('1,5', 2)).toEqual({ ok: true, value: 1.5 });
    expect(readTypedNumber('1.5', 2)).toEqual({ ok: true, value: 1.5 });
    expect(readTypedNumber('20,33', 2)).toEqual({ ok: true, value: 20.33 });
    expect(readTypedNumber('20,330', 2)).toEqual({ ok: true, value: 20.33 });
    expect(readTypedNumber('20.333', 2)).toEqual({ ok: false, problem: 'too_many_decimals' });
    expect(readTypedNumber('20,333', 2)).toEqual({ ok: false, problem: 'too_many_decimals' });
    expect(readTypedNumber(20.333, 2)).toEqual({ ok: false, problem: 'too_many_decimals' });
    expect(readTypedNumber(0.07, 2)).toEqual({ ok: true, value: 0.07 });
  });

  it('what is no number at all', () => {
    for (const text of ['', ' ', 'abc', '-5', '1.000,5', '1,000.5', '1e3', '٣', '0x10', '1,', ',5']) expect(readTypedNumber(text, 2), JSON.stringify(text)).toEqual({ ok: false, problem: 'not_a_number' });
    expect(readTypedNumber(Number.NaN, 0)).toEqual({ ok: false, problem: 'not_a_number' });
    expect(readTypedNumber(-1, 0)).toEqual({ ok: false, problem: 'not_a_number' });
  });
});

describe('typedNumber', () => {
  const schema = z.object({ n: typedNumber(0, 0, 100) });
  const codeOf = (input: unknown) => {
    try {
      parseInput(schema, input);
      return 'none';
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return (error.details.issues as Array<{ code: string; path: string[] }>).map((i) => `${i.path.join('.')}:${i.code}`).join(' ');
    }
  };
  it('reads numbers and strings; refusals name the problem as the issue code; the range holds', () => {
    expect(parseInput(schema, { n: '1 00' })).toEqual({ n: 100 });
    expect(parseInput(schema, { n: 7 })).toEqual({ n: 7 });
    expect(codeOf({ n: '20.333' })).toBe('n:not_whole');
    expect(codeOf({ n: 'x' })).toBe('n:not_a_number');
    expect(codeOf({ n: '101' })).toBe('n:too_big');
    expect(codeOf({ n: true })).toBe('n:invalid_union');
  });
});
