// The rules of mail notifications, pure: which kinds there are, a person's choices, when a notification may go
// (gathered, in a digest, a reminder's hour), in Europe/Helsinki. No database and no Node modules: the UI may import it.
import { Temporal } from 'temporal-polyfill';
import { HELSINKI, helsinkiDate } from '../shared/helsinki.ts';
import type { Lang } from '../shared/language.ts';

/**
 * What people may be mailed about (docs/decisions/023-mail-notifications.md), each one its own choice: the person
 * takes part in a thread (mention, reply), drafted a section (suggestion), answers a round for a municipality
 * (round_opened, round_reminder: the deadline's and the host's own), runs a round (statement_submitted), records a council's decision (approval_requested, approval_stale, council_meeting),
 * or runs the area (decision_recorded).
 */
export const MAIL_KINDS = [
  'mention',
  'reply',
  'suggestion',
  'round_opened',
  'round_reminder',
  'statement_submitted',
  'approval_requested',
  'decision_recorded',
  'approval_stale',
  'council_meeting',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export const isMailKind = (value: unknown): value is MailKind => typeof value === 'string' && (MAIL_KINDS as readonly string[]).includes(value);

/** Each kind: mailed at once (gathered for a few minutes), once a day in a digest, or not at all. */
export const MAIL_MODES = ['immediate', 'daily', 'off'] as const;
export type MailMode = (typeof MAIL_MODES)[number];
export const DEFAULT_MAIL_MODE: MailMode = 'immediate';
export const isMailMode = (value: unknown): value is MailMode => typeof value === 'string' && (MAIL_MODES as readonly string[]).includes(value);

export const MAIL_LANGUAGES = ['fi', 'sv', 'en'] as const satisfies readonly Lang[];
export const isMailLanguage = (value: unknown): value is Lang => typeof value === 'string' && (MAIL_LANGUAGES as readonly string[]).includes(value);
/** A stored locale as a mail language: Finnish unless it is one of ours. */
export const mailLanguage = (locale: string | null | undefined): Lang => (isMailLanguage(locale) ? locale : 'fi');

/** How long notifications of one kind for one person wait for more before they go as one mail. */
export const GATHER_MS = 3 * 60_000;
/** The Helsinki hour at which a daily digest goes. */
export const DIGEST_HOUR = 7;
/** The Helsinki hour at which a reminder is due on its day. */
export const REMINDER_HOUR = 9;
/** A round's deadline is reminded of this many days before (to municipalities that have not answered). */
export const ROUND_REMINDER_DAYS = [7, 1] as const;
export type RoundReminderDays = (typeof ROUND_REMINDER_DAYS)[number];
/** A council meeting (a milestone) is reminded of this many days before, to that council's secretary. */
export const COUNCIL_MEETING_REMINDER_DAYS = 7;

/** The instant the Helsinki wall clock reads `hour`:00 on a date (a day is a day, whatever the clocks do). */
export function helsinkiAt(date: string, hour: number): number {
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: HELSINKI, plainTime: Temporal.PlainTime.from({ hour }) }).epochMilliseconds;
}

/** When a reminder `daysBefore` a date is due: REMINDER_HOUR in Helsinki on the calendar day that many days before. */
export function reminderAt(date: string, daysBefore: number): number {
  return helsinkiAt(Temporal.PlainDate.from(date).subtract({ days: daysBefore }).toString(), REMINDER_HOUR);
}

/** When a notification planned at `at` may be mailed: after the gathering window, or at the next digest hour. */
export function dueAt(delivery: 'immediate' | 'digest', at: number, gatherMs: number = GATHER_MS): number {
  if (delivery === 'immediate') return at + gatherMs;
  const today = helsinkiAt(helsinkiDate(at), DIGEST_HOUR);
  return today > at ? today : helsinkiAt(Temporal.PlainDate.from(helsinkiDate(at)).add({ days: 1 }).toString(), DIGEST_HOUR);
}

/**
 * Which reminder of an open round is due now, if any: 7 days before its deadline's Helsinki date at REMINDER_HOUR,
 * then 1 day before. Only the latest one due is sent (a server that was down for a week does not send the 7-day one
 * the day before), none after the deadline, and none that fell before the round opened (its opening mail told them).
 */
export function dueRoundReminder(round: { deadline: number; openedAt: number }, now: number): RoundReminderDays | null {
  if (now >= round.deadline) return null;
  const date = helsinkiDate(round.deadline);
  for (const days of [...ROUND_REMINDER_DAYS].sort((a, b) => a - b)) {
    const at = reminderAt(date, days);
    if (now >= at) return round.openedAt < at ? days : null;
  }
  return null;
}

/**
 * Whether a council meeting's reminder is due now: from REMINDER_HOUR seven days before the meeting's date until the
 * day begins, if the meeting was known by then (one entered later is on the dashboard, not "in a week").
 */
export function councilMeetingReminderDue(meeting: { date: string; createdAt: number }, now: number): boolean {
  const at = reminderAt(meeting.date, COUNCIL_MEETING_REMINDER_DAYS);
  return now >= at && now < helsinkiAt(meeting.date, 0) && meeting.createdAt < at;
}

/** The unique key of one person's notification: the same thing is planned for them once, whoever plans it. */
export function jobKey(kind: MailKind, subject: string, userId: string): string {
  return `${kind}:${subject}:${userId}`;
}
