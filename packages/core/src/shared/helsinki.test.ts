import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, helsinkiDate, helsinkiInstants, helsinkiLocalIso, helsinkiOffsetMinutes, helsinkiParts, isCalendarDate, parseDateTime } from './helsinki.ts';

// Time in Helsinki through Temporal (docs/decisions/020). The deadline rules built on it are tested in
// consultation/consultation.rules.test.ts; here the helpers themselves, around the clock changes of 2026 and 2027 (the last
// Sundays of March and October).
const utc = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

describe('Helsinki time', () => {
  it('knows the offset on each side of each change, to the millisecond', () => {
    expect(helsinkiOffsetMinutes(utc('2026-03-29T00:59:59.999Z'))).toBe(120);
    expect(helsinkiOffsetMinutes(utc('2026-03-29T01:00:00.000Z'))).toBe(180);
    expect(helsinkiOffsetMinutes(utc('2026-10-25T00:59:59.999Z'))).toBe(180);
    expect(helsinkiOffsetMinutes(utc('2026-10-25T01:00:00.000Z'))).toBe(120);
    expect(helsinkiOffsetMinutes(utc('2027-03-28T01:00:00.000Z'))).toBe(180);
    expect(helsinkiOffsetMinutes(utc('2027-10-31T01:00:00.000Z'))).toBe(120);
    expect(helsinkiParts(utc('2026-10-25T00:30:00Z'))).toEqual({ year: 2026, month: 10, day: 25, hour: 3, minute: 30, second: 0 });
    expect(helsinkiParts(utc('2026-10-25T01:30:00Z'))).toEqual({ year: 2026, month: 10, day: 25, hour: 3, minute: 30, second: 0 });
  });

  it('finds no instant in the skipped hour, two in the repeated one, one elsewhere', () => {
    const at = (day: number, month: number, hour: number, minute = 0) => helsinkiInstants({ year: 2026, month, day, hour, minute, second: 0 });
    expect(at(29, 3, 3)).toEqual([]);
    expect(at(29, 3, 3, 59)).toEqual([]);
    expect(at(29, 3, 4)).toEqual([utc('2026-03-29T01:00:00Z')]);
    expect(at(25, 10, 3)).toEqual([utc('2026-10-25T00:00:00Z'), utc('2026-10-25T01:00:00Z')]);
    expect(at(25, 10, 4)).toEqual([utc('2026-10-25T02:00:00Z')]);
    expect(at(25, 10, 23, 59)).toEqual([utc('2026-10-25T21:59:00Z')]);
  });

  it('counts calendar days, not 24-hour spans, across the changes', () => {
    // 00.30 on the day summer time ends, plus 24 hours, is 23.30 the same day: a day added is the next date.
    const firstMinutes = utc('2026-10-24T21:30:00Z');
    expect(helsinkiDate(firstMinutes)).toBe('2026-10-25');
    expect(helsinkiDate(firstMinutes + DAY)).toBe('2026-10-25');
    expect(addDays(helsinkiDate(firstMinutes), 1)).toBe('2026-10-26');
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(daysBetween('2026-12-24', '2026-11-20')).toBe(-34);
    expect(daysBetween('2026-11-20', '2027-11-20')).toBe(365);
  });

  it('writes an instant as Helsinki reads it, exact in the repeated hour, minutes unless there is more', () => {
    expect(helsinkiLocalIso(utc('2026-10-25T00:30:00Z'))).toBe('2026-10-25T03:30+03:00');
    expect(helsinkiLocalIso(utc('2026-10-25T01:30:00Z'))).toBe('2026-10-25T03:30+02:00');
    expect(helsinkiLocalIso(utc('2026-10-25T21:59:00Z'))).toBe('2026-10-25T23:59+02:00');
    expect(helsinkiLocalIso(utc('2026-03-29T20:59:59Z'))).toBe('2026-03-29T23:59:59+03:00');
    expect(helsinkiLocalIso(utc('2026-03-29T20:59:59.5Z'))).toBe('2026-03-29T23:59:59.5+03:00');
  });

  it('takes calendar dates as RFC 3339 full-dates that exist, nothing else', () => {
    for (const ok of ['2026-11-12', '2024-02-29', '2000-01-01', '0001-01-01']) expect(isCalendarDate(ok), ok).toBe(true);
    for (const bad of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '2026-11-12T00:00:00Z', '2026-11-12T10:00', '+002026-11-12', '20261112', '2026-W46-4', '12.11.2026', '']) {
      expect(isCalendarDate(bad), bad).toBe(false);
    }
  });

  it('reads RFC 3339 date-times and Helsinki wall-clock times; names the hour that does not exist', () => {
    expect(parseDateTime('2026-12-14T02:07:51.949Z')).toEqual({ ok: true, ms: utc('2026-12-14T02:07:51.949Z') });
    expect(parseDateTime('2026-10-25T23:59')).toEqual({ ok: true, ms: utc('2026-10-25T21:59:00Z') });
    expect(parseDateTime('2026-03-29T23:59')).toEqual({ ok: true, ms: utc('2026-03-29T20:59:00Z') });
    expect(parseDateTime('2026-03-29T03:30')).toEqual({ ok: false, problem: 'no_such_time' });
    expect(parseDateTime('2026-03-29T03:30:00.000')).toEqual({ ok: false, problem: 'no_such_time' });
    // With its offset the same wall-clock reading is an instant like any other (it is 02:30 winter time there).
    expect(parseDateTime('2026-03-29T03:30+03:00')).toEqual({ ok: true, ms: utc('2026-03-29T00:30:00Z') });
    expect(parseDateTime(` 2026-12-15T16:00 `)).toEqual({ ok: true, ms: utc('2026-12-15T14:00:00Z') });
    for (const bad of ['2026-12-15', '2026-12-15T25:00', '2026-02-29T10:00', '2026-12-15T16:00Z[Europe/Helsinki]', 'x'.repeat(100), 'today']) {
      expect(parseDateTime(bad), bad).toEqual({ ok: false, problem: 'format' });
    }
  });
});
