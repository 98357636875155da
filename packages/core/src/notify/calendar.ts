import { createEvents, type EventAttributes } from 'ics';
import { Temporal } from 'temporal-polyfill';
import type { CalendarEntry } from './render.ts';

/**
 * An iCalendar file (RFC 5545) of the entries, written by `ics`: a deadline is an instant in UTC (calendars show it in
 * their own zone, so a Helsinki deadline at 16.00 reads 16.00 in Finland, summer or winter); a council meeting is a
 * whole day. DTSTAMP is the injected clock's, so the file is the same for the same data and time.
 */
export function calendarFile(entries: CalendarEntry[], options: { name: string; now: number }): string {
  const events: EventAttributes[] = entries.map((e) => {
    const base = { uid: e.uid, title: e.title, url: e.url, timestamp: options.now, ...(e.description ? { description: e.description } : {}) };
    // No end: an instant (RFC 5545 3.6.1: a DATE-TIME DTSTART alone ends where it starts); `ics`'s types want one.
    if ('instant' in e.start) return { ...base, start: e.start.instant, startInputType: 'utc', startOutputType: 'utc' } as unknown as EventAttributes;
    const day = Temporal.PlainDate.from(e.start.date);
    const next = day.add({ days: 1 });
    return { ...base, start: [day.year, day.month, day.day], end: [next.year, next.month, next.day] } as EventAttributes;
  });
  const { error, value } = createEvents(events, { productId: '-//Sopu//Sopu//FI', method: 'PUBLISH', calName: options.name });
  if (error || !value) throw error ?? new Error('could not write the calendar file');
  return value;
}
