// Time in Europe/Helsinki, pure (Intl only): councils meet, and deadlines fall, on Finnish days and clocks. No
// database and no Node modules: the UI may import this file as it is.

export const HELSINKI = 'Europe/Helsinki';
const MINUTE = 60_000;
const DAY = 86_400_000;

const helsinkiFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: HELSINKI,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading in Helsinki at an instant. */
export function helsinkiParts(ms: number): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const p of helsinkiFormat.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Helsinki's offset from UTC at an instant, in minutes: 120 in winter (EET), 180 in summer (EEST). */
export function helsinkiOffsetMinutes(ms: number): number {
  const p = helsinkiParts(ms);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / MINUTE);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The Helsinki calendar date of an instant, YYYY-MM-DD. */
export function helsinkiDate(ms: number): string {
  const p = helsinkiParts(ms);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The instant as Helsinki reads it, with the offset that makes it exact: "2026-12-15T16:00+02:00". */
export function helsinkiLocalIso(ms: number): string {
  const p = helsinkiParts(ms);
  const offset = helsinkiOffsetMinutes(ms);
  const sign = offset < 0 ? '-' : '+';
  const seconds = p.second === 0 ? '' : `:${pad(p.second)}`;
  return `${helsinkiDate(ms)}T${pad(p.hour)}:${pad(p.minute)}${seconds}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/**
 * The instants at which Helsinki's clocks read the given wall-clock time, earliest first: none in the hour skipped
 * when summer time begins, two in the hour repeated when it ends, one otherwise.
 */
export function helsinkiInstants(local: LocalDateTime): number[] {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const offsets = new Set([helsinkiOffsetMinutes(wall - DAY), helsinkiOffsetMinutes(wall), helsinkiOffsetMinutes(wall + DAY)]);
  return [...offsets]
    .map((offset) => wall - offset * MINUTE)
    .filter((ms) => helsinkiOffsetMinutes(ms) === (wall - ms) / MINUTE)
    .sort((a, b) => a - b);
}
