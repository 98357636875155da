import type { Database, OutboxRow } from '@sopu/db';
import type { ExpressionBuilder } from 'kysely';
import { requireAreaAccess } from './access.ts';
import type { Actor, CoreDeps } from './deps.ts';
import { isLoopbackAddress, mailDelivery, type MailDelivery } from './deployment.ts';
import { DomainError } from './errors.ts';

/**
 * Where a message stands. `dev_mailbox`: no mail server, the development mailbox shows it; `undeliverable`: no mail
 * server and no development mailbox (not a local address); `queued`/`retrying`/`failed`: waiting for SMTP, after
 * failed attempts, or given up; `sent`.
 */
export type OutboxStatus = 'sent' | 'queued' | 'retrying' | 'failed' | 'dev_mailbox' | 'undeliverable';

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  /** The text as sent, with every link that carries a token replaced by a placeholder. */
  body: string;
  createdAt: number;
  sentAt: number | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
}

/** Attempts before a message is given up, and the wait after each failed one (about a day in all). */
export const MAIL_RETRY_DELAYS_MS = [1, 5, 15, 60, 3 * 60, 6 * 60, 12 * 60].map((minutes) => minutes * 60_000);
export const MAIL_MAX_ATTEMPTS = MAIL_RETRY_DELAYS_MS.length + 1;
/** A claimed message whose sender died is tried again after this long. */
const CLAIM_MS = 10 * 60_000;

// A link that signs someone up is a credential: whoever reads it can accept the invitation as the invitee. So is an
// unlock link: whoever opens it becomes a known device of the account (session/login-unlock.ts).
const TOKEN_LINK = /https?:\/\/[^\s<>"]*\/invitations\/[A-Za-z0-9_-]+/g;
const UNLOCK_LINK = /https?:\/\/[^\s<>"]*\/unlock\/[A-Za-z0-9_-]+/g;
export const REDACTED_LINK = '[kutsulinkki piilotettu / inbjudningslänken dold]';
export const REDACTED_UNLOCK_LINK = '[linkki piilotettu / länken dold]';

/** The text with every token-bearing link replaced: what admins see, and what is kept once the mail has gone. */
export function redactMailBody(body: string): string {
  return body.replace(TOKEN_LINK, REDACTED_LINK).replace(UNLOCK_LINK, REDACTED_UNLOCK_LINK);
}

const deliveryOf = (deps: CoreDeps): MailDelivery => deps.mailDelivery ?? mailDelivery({ smtpConfigured: false, publicUrl: deps.publicUrl });

function statusOf(row: OutboxRow, delivery: MailDelivery): OutboxStatus {
  if (row.sent_at !== null) return 'sent';
  if (delivery === 'smtp') return row.attempts >= MAIL_MAX_ATTEMPTS ? 'failed' : row.attempts > 0 ? 'retrying' : 'queued';
  return delivery === 'dev_mailbox' ? 'dev_mailbox' : 'undeliverable';
}

/**
 * Mail the area has sent, for its host admins: who, what and where it stands, never a usable link (an admin who
 * could open an invitee's link could set the invitee's password).
 */
export async function listOutbox(deps: CoreDeps, actor: Actor, slug: string): Promise<OutboxMessage[]> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'outbox.read');
  const rows = await deps.db.selectFrom('outbox').selectAll().where('area_id', '=', area.id).orderBy('created_at', 'desc').limit(200).execute();
  const delivery = deliveryOf(deps);
  return rows.map((r) => ({
    id: r.id,
    to: r.to_email,
    subject: r.subject,
    body: redactMailBody(r.body_text),
    createdAt: r.created_at,
    sentAt: r.sent_at,
    status: statusOf(r, delivery),
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
  }));
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}
/** Hands one message to a mail server; resolves once it was accepted, rejects with the reason otherwise. */
export type SendMail = (mail: OutgoingMail) => Promise<void>;

/**
 * Sends the messages that are due, one by one, each area's in turn. A message is claimed before it is handed over
 * (so that two processes do not both send it), marked sent with its links redacted once the server took it, or
 * rescheduled after a failure by MAIL_RETRY_DELAYS_MS with the error kept, until MAIL_MAX_ATTEMPTS.
 */
export async function deliverOutbox(deps: Pick<CoreDeps, 'db' | 'now'>, send: SendMail, options: { limit?: number } = {}): Promise<{ sent: number; failed: number }> {
  let budget = options.limit ?? 50;
  const result = { sent: 0, failed: 0 };
  const areas = await deps.db.selectFrom('areas').select('id').orderBy('created_at').execute();
  // Each area's mail in turn, then the mail of no area (a person's unlock link).
  for (const areaId of [...areas.map((a) => a.id), null]) {
    if (budget <= 0) break;
    const inArea = (eb: ExpressionBuilder<Database, 'outbox'>) => (areaId === null ? eb('area_id', 'is', null) : eb('area_id', '=', areaId));
    const due = await deps.db
      .selectFrom('outbox')
      .selectAll()
      .where(inArea)
      .where('sent_at', 'is', null)
      .where('attempts', '<', MAIL_MAX_ATTEMPTS)
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', deps.now())]))
      .orderBy('created_at')
      .limit(budget)
      .execute();
    for (const row of due) {
      budget--;
      const claimedAt = deps.now();
      const claim = await deps.db
        .updateTable('outbox')
        .set({ attempts: row.attempts + 1, next_attempt_at: claimedAt + CLAIM_MS })
        .where(inArea)
        .where('id', '=', row.id)
        .where('attempts', '=', row.attempts)
        .where('sent_at', 'is', null)
        .executeTakeFirst();
      if (claim.numUpdatedRows === 0n) continue;
      const attempts = row.attempts + 1;
      try {
        await send({ to: row.to_email, subject: row.subject, text: row.body_text });
      } catch (error) {
        const delay = MAIL_RETRY_DELAYS_MS[attempts - 1];
        await deps.db
          .updateTable('outbox')
          .set({ next_attempt_at: delay === undefined ? null : deps.now() + delay, last_error: describe(error) })
          .where(inArea)
          .where('id', '=', row.id)
          .execute();
        result.failed++;
        continue;
      }
      await deps.db
        .updateTable('outbox')
        .set({ sent_at: deps.now(), next_attempt_at: null, last_error: null, body_text: redactMailBody(row.body_text) })
        .where(inArea)
        .where('id', '=', row.id)
        .execute();
      result.sent++;
    }
  }
  return result;
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 500) || 'unknown error';
}

export interface DevMailboxMessage {
  id: string;
  /** Null for mail of no area (an unlock link). */
  areaSlug: string | null;
  to: string;
  subject: string;
  /** The text with its working links: this mailbox stands in for the invitee's own. */
  body: string;
  createdAt: number;
}

/**
 * The development mailbox: every message not sent by SMTP, with working links, so that a local demo can invite
 * and accept without a mail server. It exists only when mail goes nowhere else and the address is local, and answers
 * only requests from this machine; anywhere else it is not_found, as if there were no such page.
 */
export async function listDevMailbox(deps: CoreDeps, request: { clientIp: string | null }): Promise<DevMailboxMessage[]> {
  if (deliveryOf(deps) !== 'dev_mailbox' || !isLoopbackAddress(request.clientIp)) throw new DomainError('not_found', 'no such page');
  // The one read across areas: this mailbox is the developer's own, standing in for every invitee's.
  const rows = await deps.db
    .selectFrom('outbox')
    .leftJoin('areas', 'areas.id', 'outbox.area_id')
    .select(['outbox.id', 'outbox.to_email', 'outbox.subject', 'outbox.body_text', 'outbox.created_at', 'areas.slug'])
    .where('outbox.sent_at', 'is', null)
    .orderBy('outbox.created_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({ id: r.id, areaSlug: r.slug, to: r.to_email, subject: r.subject, body: r.body_text, createdAt: r.created_at }));
}
