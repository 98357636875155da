import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendarFile } from './calendar.ts';

const events = (file: string) => new ICAL.Component(ICAL.parse(file)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));

describe('calendar files', () => {
  it('a deadline is an instant (16.00 Helsinki in winter and in summer), a council meeting a whole day; read back by ical.js', () => {
    const file = calendarFile(
      [
        { uid: 'round-1@sopu', title: 'Lausunnon määräaika: Talvi', start: { instant: Date.UTC(2026, 11, 15, 14) }, url: 'http://localhost/areas/a/rounds/1' },
        { uid: 'round-2@sopu', title: 'Lausunnon määräaika: Kesä', start: { instant: Date.UTC(2027, 5, 15, 13) }, url: 'http://localhost/areas/a/rounds/2' },
        { uid: 'meeting-3@sopu', title: 'Valtuuston kokous: Kuhmo', start: { date: '2027-10-31' }, url: 'http://localhost/areas/a', description: 'Kuhmon valtuusto' },
      ],
      { name: 'Sopu – Kainuu', now: Date.UTC(2026, 10, 28, 8) },
    );
    const [winter, summer, meeting] = events(file);
    const helsinki = (ms: number) => new Intl.DateTimeFormat('fi-FI', { timeZone: 'Europe/Helsinki', dateStyle: 'short', timeStyle: 'short' }).format(ms);
    expect(helsinki(winter!.startDate.toJSDate().getTime())).toBe('15.12.2026 klo 16.00');
    expect(helsinki(summer!.startDate.toJSDate().getTime())).toBe('15.6.2027 klo 16.00');
    expect(winter!.uid).toBe('round-1@sopu');
    expect(winter!.summary).toBe('Lausunnon määräaika: Talvi');
    // The day the clocks go back is still one day.
    expect(meeting!.startDate.isDate).toBe(true);
    expect(meeting!.startDate.toString()).toBe('2027-10-31');
    expect(meeting!.endDate.toString()).toBe('2027-11-01');
    expect(meeting!.description).toBe('Kuhmon valtuusto');
    expect(file).toContain('DTSTAMP:20261128T080000Z');
    expect(file).toContain('METHOD:PUBLISH');
  });

  it('text a person wrote cannot add properties or events', () => {
    const file = calendarFile([{ uid: 'round-4@sopu', title: 'Kierros\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Väärä', start: { instant: Date.UTC(2026, 11, 15, 14) }, url: 'http://localhost/' }], { name: 'Sopu', now: 0 });
    const [only, ...rest] = events(file);
    expect(rest).toEqual([]);
    expect(only!.summary).toContain('Väärä');
  });
});
