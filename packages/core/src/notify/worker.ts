import type { CoreDeps } from '../shared/deps.ts';
import { deliverOutbox, type SendMail } from '../shared/outbox.ts';
import { composeDue } from './compose.ts';
import { detectStaleApprovals, planEvents, planReminders, type NotifyOptions } from './planner.ts';

export interface MailWorkOptions extends NotifyOptions {
  /** The mail server's transport; without one, mail waits in the outbox (the development mailbox shows it). */
  send?: SendMail | null;
  /** This process's name on the messages it claims. */
  sender?: string;
}

export interface MailWorkResult {
  planned: number;
  reminders: number;
  stale: number;
  mails: number;
  skipped: number;
  sent: number;
  failed: number;
}

/**
 * One round of the mail worker, as the server runs it every few seconds (and at once when a use case signals):
 * events become jobs, the clock's reminders and stale approvals are planned, due groups become mail, and mail goes
 * to the mail server. Every step is safe with two processes running it on one database and after a crash at any
 * point (docs/decisions/023-mail-notifications.md).
 */
export async function runMailWork(deps: Pick<CoreDeps, 'db' | 'now' | 'publicUrl'>, options: MailWorkOptions = {}): Promise<MailWorkResult> {
  let planned = await planEvents(deps, options);
  const stale = await detectStaleApprovals(deps);
  if (stale > 0) planned += await planEvents(deps, options);
  const reminders = await planReminders(deps, options);
  const composed = await composeDue(deps);
  const delivered = options.send ? await deliverOutbox(deps, options.send, options.sender ? { sender: options.sender } : {}) : { sent: 0, failed: 0 };
  return { planned, reminders, stale, mails: composed.mails, skipped: composed.skipped, ...delivered };
}

const DAY = 86_400_000;

/**
 * Forgets what the mail worker no longer needs: planned events and finished jobs after 30 days (a reminder's key
 * is needed only until its deadline or meeting has passed, at most 8 days after it was planned), unsubscribe links
 * after a year.
 */
export async function pruneNotifications(deps: Pick<CoreDeps, 'db' | 'now'>): Promise<number> {
  const now = deps.now();
  const events = await deps.db.deleteFrom('notification_events').where('planned_at', '<', now - 30 * DAY).executeTakeFirst();
  const jobs = await deps.db.deleteFrom('notification_jobs').where('state', '!=', 'pending').where('finished_at', '<', now - 30 * DAY).executeTakeFirst();
  const tokens = await deps.db.deleteFrom('unsubscribe_tokens').where('created_at', '<', now - 365 * DAY).executeTakeFirst();
  return Number(events.numDeletedRows + jobs.numDeletedRows + tokens.numDeletedRows);
}
