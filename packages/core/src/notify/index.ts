// The face of notify: mail notifications planned from the features' events, gathered and digested, reminders from
// the clock, a person's mail settings, unsubscribe links and calendar feeds (docs/decisions/023-mail-notifications.md).
// Other features never import it: they record events (shared/notification-events.ts) and notify reads them.

export { calendarFeed, createCalendarFeed, revokeCalendarFeed } from './calendar-feed.ts';
export { calendarFile } from './calendar.ts';
export { composeDue, type ComposeResult } from './compose.ts';
export { MAIL_TEXTS, type MailTexts } from './mail-texts.ts';
export {
  councilMeetingReminderDue, DEFAULT_MAIL_MODE, DIGEST_HOUR, dueAt, dueRoundReminder, GATHER_MS, helsinkiAt, isMailKind, isMailMode,
  MAIL_KINDS, MAIL_LANGUAGES, MAIL_MODES, mailLanguage, REMINDER_HOUR, reminderAt, ROUND_REMINDER_DAYS, type MailKind, type MailMode, type RoundReminderDays,
} from './notify.rules.ts';
export { detectStaleApprovals, planEvents, planReminders, type NotifyOptions } from './planner.ts';
export { getMailSettings, getUnsubscribe, mailSettingsInput, unsubscribe, updateMailSettings, type MailSettings, type UnsubscribeView } from './preferences.ts';
export { renderMail, type CalendarEntry, type MailItem, type RenderedMail } from './render.ts';
export { pruneNotifications, runMailWork, type MailWorkOptions, type MailWorkResult } from './worker.ts';
