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
 * One round of the mail worker, as the server runs it every few seconds: events become jobs, the clock's reminders
 * and stale approvals are planned, due groups become mail, and mail goes to the mail server. Every step is safe with
 * two processes running it on one database and after a crash at any point (docs/decisions/023-mail-notifications.md).
 * A step that fails does not hold up the others (an invitation still goes when planning fails): the round finishes
 * and then rejects with the first failure, for the server's log.
 */
export async function runMailWork(deps: Pick<CoreDeps, 'db' | 'now' | 'publicUrl'>, options: MailWorkOptions = {}): Promise<MailWorkResult> {
  const failures: unknown[] = [];
  const step = async <T>(work: () => Promise<T>, otherwise: T): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      failures.push(error);
      return otherwise;
    }
  };
  let planned = await step(() => planEvents(deps, options), 0);
  const stale = await step(() => detectStaleApprovals(deps), 0);
  if (stale > 0) planned += await step(() => planEvents(deps, options), 0);
  const reminders = await step(() => planReminders(deps, options), 0);
  const composed = await step(() => composeDue(deps), { mails: 0, skipped: 0 });
  const send = options.send;
  const delivered = send ? await step(() => deliverOutbox(deps, send, options.sender ? { sender: options.sender } : {}), { sent: 0, failed: 0 }) : { sent: 0, failed: 0 };
  if (failures.length > 0) throw failures[0];
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
