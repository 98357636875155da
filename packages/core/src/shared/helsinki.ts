// Time in Europe/Helsinki: councils meet, and deadlines fall, on Finnish days and clocks. The arithmetic is Temporal's
// (the platform's own where it has one, else the polyfill; docs/decisions/020-dates-and-time-zone.md), never ours.
// No database and no Node modules, and nothing runs at import: the UI may import this file as it is.
import { Temporal } from 'temporal-polyfill';

export const HELSINKI = 'Europe/Helsinki';

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const inHelsinki = (ms: number): Temporal.ZonedDateTime => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(HELSINKI);

/** The wall-clock reading in Helsinki at an instant. */
export function helsinkiParts(ms: number): LocalDateTime {
  const z = inHelsinki(ms);
  return { year: z.year, month: z.month, day: z.day, hour: z.hour, minute: z.minute, second: z.second };
}

/** Helsinki's offset from UTC at an instant, in minutes: 120 in winter (EET), 180 in summer (EEST). */
export function helsinkiOffsetMinutes(ms: number): number {
  return inHelsinki(ms).offsetNanoseconds / 60e9;
}

/** The Helsinki calendar date of an instant, YYYY-MM-DD. */
export function helsinkiDate(ms: number): string {
  return inHelsinki(ms).toPlainDate().toString();
}

/** A calendar date `days` after (before, when negative) a YYYY-MM-DD date: whatever the clocks do, a day is a day. */
export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** Calendar days from one YYYY-MM-DD date to another: 0 on the same day, negative when `to` is before `from`. */
export function daysBetween(from: string, to: string): number {
  return Temporal.PlainDate.from(from).until(to, { largestUnit: 'days' }).days;
}

/**
 * The instant as Helsinki reads it, with the offset that makes it exact: "2026-12-15T16:00+02:00"; seconds and
 * milliseconds only when there are any ("2026-12-14T04:07:51.949+02:00").
 */
export function helsinkiLocalIso(ms: number): string {
  return inHelsinki(ms).toString({ timeZoneName: 'never', ...(ms % 60_000 === 0 ? { smallestUnit: 'minute' as const } : {}) });
}

/**
 * The instants at which Helsinki's clocks read the given wall-clock time, earliest first: none in the hour skipped
 * when summer time begins, two in the hour repeated when it ends, one otherwise.
 */
export function helsinkiInstants(local: LocalDateTime & { millisecond?: number }): number[] {
  const wall = Temporal.PlainDateTime.from(local, { overflow: 'reject' });
  const earlier = wall.toZonedDateTime(HELSINKI, { disambiguation: 'earlier' });
  // In the skipped hour the nearest real times read differently from the wall clock asked for.
  if (!earlier.toPlainDateTime().equals(wall)) return [];
  const later = wall.toZonedDateTime(HELSINKI, { disambiguation: 'later' });
  return [...new Set([earlier.epochMilliseconds, later.epochMilliseconds])];
}

/** A calendar date written YYYY-MM-DD (RFC 3339 full-date) that exists: 2026-02-30 does not. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

export type DateTimeProblem = 'format' | 'no_such_time';

// The shape RFC 3339 gives a date-time up to its minutes (full-date, "T" — or "t" or a space — and hh:mm); what follows
// (seconds, any fraction of them, "Z" or an offset) is left to Temporal's parser, which knows the calendar.
const DATE_TIME_START = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}/;
const HAS_OFFSET = /(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * A date-time as entered: RFC 3339 ("2026-12-14T02:07:51.949Z", "2026-12-15T16:00:00+02:00", what
 * `Date.prototype.toISOString` writes), or a wall-clock time without an offset ("2026-12-15T16:00", seconds and their
 * fraction optional), which is read in Europe/Helsinki. A Helsinki time that does not exist (the hour skipped when
 * summer time begins) is `no_such_time`; one that occurs twice (the hour repeated when it ends) is the first, as
 * Temporal's default reads it. Bracketed annotations ("[Europe/Stockholm]") are refused: the time is Helsinki's or
 * carries its offset, and a zone name Sopu would ignore must not be taken as read.
 */
export function parseDateTime(text: unknown): { ok: true; ms: number } | { ok: false; problem: DateTimeProblem } {
  const s = typeof text === 'string' ? text.trim() : '';
  if (s.length > 40 || !DATE_TIME_START.test(s) || s.includes('[')) return { ok: false, problem: 'format' };
  try {
    if (HAS_OFFSET.test(s)) return { ok: true, ms: Temporal.Instant.from(s).epochMilliseconds };
    const wall = Temporal.PlainDateTime.from(s, { overflow: 'reject' });
    const z = wall.toZonedDateTime(HELSINKI, { disambiguation: 'earlier' });
    if (!z.toPlainDateTime().equals(wall)) return { ok: false, problem: 'no_such_time' };
    return { ok: true, ms: z.epochMilliseconds };
  } catch {
    return { ok: false, problem: 'format' };
  }
}
