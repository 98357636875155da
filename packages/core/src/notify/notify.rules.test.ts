import { describe, expect, it } from 'vitest';
import { formatCalendarDate, formatInstant } from './mail-texts.ts';
import { councilMeetingReminderDue, dueAt, dueRoundReminder, GATHER_MS, helsinkiAt, reminderAt } from './notify.rules.ts';

// Summer time ends on Sunday 31.10.2027 at 4.00 EEST (+03:00), clocks back to 3.00 EET (+02:00).
const utc = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h, min);

describe('the Helsinki hours of reminders and digests', () => {
  it('9.00 Helsinki is 06:00 UTC in summer time and 07:00 UTC in winter time, the day the clocks go back included', () => {
    expect(reminderAt('2027-11-04', 7)).toBe(utc(2027, 10, 28, 6));
    expect(reminderAt('2027-11-07', 7)).toBe(utc(2027, 10, 31, 7));
    expect(reminderAt('2027-11-04', 1)).toBe(utc(2027, 11, 3, 7));
    expect(helsinkiAt('2027-10-31', 0)).toBe(utc(2027, 10, 30, 21));
  });

  it('immediate notifications wait out the gathering; a digest goes at 7.00 Helsinki, today if not yet past, else tomorrow', () => {
    const at = utc(2026, 11, 28, 8, 3);
    expect(dueAt('immediate', at)).toBe(at + GATHER_MS);
    expect(dueAt('digest', at)).toBe(utc(2026, 11, 29, 5));
    expect(dueAt('digest', utc(2026, 11, 29, 4, 59))).toBe(utc(2026, 11, 29, 5));
    expect(dueAt('digest', utc(2026, 11, 29, 5))).toBe(utc(2026, 11, 30, 5));
  });
});

describe('which reminder is due', () => {
  const round = { deadline: utc(2027, 11, 4, 14), openedAt: utc(2027, 10, 1, 8) };

  it('none before 7 days ahead, the 7-day one from 9.00 that day, the 1-day one from 9.00 the day before, none at the deadline', () => {
    expect(dueRoundReminder(round, utc(2027, 10, 28, 6) - 1)).toBeNull();
    expect(dueRoundReminder(round, utc(2027, 10, 28, 6))).toBe(7);
    expect(dueRoundReminder(round, utc(2027, 11, 3, 7) - 1)).toBe(7);
    expect(dueRoundReminder(round, utc(2027, 11, 3, 7))).toBe(1);
    expect(dueRoundReminder(round, round.deadline)).toBeNull();
  });

  it('a reminder that fell before the round opened is not sent (the opening mail said it)', () => {
    expect(dueRoundReminder({ ...round, openedAt: utc(2027, 10, 30, 12) }, utc(2027, 10, 30, 12))).toBeNull();
    expect(dueRoundReminder({ ...round, openedAt: utc(2027, 10, 30, 12) }, utc(2027, 11, 3, 7))).toBe(1);
  });

  it('a council meeting a week ahead, from 9.00 until the day begins, if it was known by then', () => {
    const meeting = { date: '2027-11-07', createdAt: utc(2027, 10, 1) };
    expect(councilMeetingReminderDue(meeting, utc(2027, 10, 31, 7) - 1)).toBe(false);
    expect(councilMeetingReminderDue(meeting, utc(2027, 10, 31, 7))).toBe(true);
    expect(councilMeetingReminderDue(meeting, utc(2027, 11, 6, 22) - 1)).toBe(true);
    expect(councilMeetingReminderDue(meeting, utc(2027, 11, 6, 22))).toBe(false);
    expect(councilMeetingReminderDue({ ...meeting, createdAt: utc(2027, 11, 2) }, utc(2027, 11, 2, 12))).toBe(false);
  });
});

describe('dates in mail', () => {
  it('an instant in Helsinki time in the mail language, summer and winter; a calendar date as a day', () => {
    expect(formatInstant(utc(2026, 12, 15, 14), 'fi')).toBe('15. joulukuuta 2026 klo 16.00');
    expect(formatInstant(utc(2027, 7, 15, 14), 'sv')).toBe('15 juli 2027 kl. 17.00');
    expect(formatInstant(utc(2027, 7, 15, 14), 'en')).toBe('15 July 2027 at 17:00');
    expect(formatCalendarDate('2027-11-07', 'fi')).toBe('7. marraskuuta 2027');
    expect(formatCalendarDate('2027-11-07', 'sv')).toBe('7 november 2027');
  });
});
