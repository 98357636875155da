import { sql, type Database, type OutboxRow, type Transaction } from '@sopu/db';
import type { ExpressionBuilder } from 'kysely';
import { requireAreaAccess } from './access.ts';
import type { Actor, CoreDeps } from './deps.ts';
import { isLoopbackAddress, mailDelivery, type MailDelivery } from './deployment.ts';
import { DomainError } from './errors.ts';
import { newId } from './ids.ts';

/**
 * Where a message stands. `dev_mailbox`: no mail server, the development mailbox shows it; `undeliverable`: no mail
 * server and no development mailbox (not a local address); `queued`/`retrying`/`failed`: waiting for SMTP, after
 * failed attempts, or given up; `sending`: a process is handing it to the mail server now; `interrupted`: that
 * process stopped before it knew whether the server took it, so it is not tried again (sent at most once); `sent`.
 */
export type OutboxStatus = 'sent' | 'queued' | 'retrying' | 'failed' | 'sending' | 'interrupted' | 'dev_mailbox' | 'undeliverable';

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  /** The text as sent, with every link that carries a token replaced by a placeholder. */
  body: string;
  /** The notification kind ('digest' for a daily digest), or null for invitations and unlock links. */
  kind: string | null;
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
/**
 * How long a process may take to hand a claimed message to the mail server (nodemailer's three 30 s timeouts fit in it
 * many times). A claim older than this whose process never said how it went is `interrupted`: it may have been
 * delivered, so it is not sent again (docs/decisions/023-mail-notifications.md).
 */
export const MAIL_SEND_LEASE_MS = 10 * 60_000;

// A link that signs someone up is a credential: whoever reads it can accept the invitation as the invitee. So is an
// unlock link: whoever opens it becomes a known device of the account (session/login-unlock.ts); an unsubscribe link
// (it changes the recipient's preferences) and a calendar feed's address (it reads the recipient's calendar) too.
const TOKEN_LINK = /https?:\/\/[^\s<>"]*\/invitations\/[A-Za-z0-9_-]+/g;
const UNLOCK_LINK = /https?:\/\/[^\s<>"]*\/(?:unlock|unsubscribe|calendar)\/[A-Za-z0-9_-]+/g;
export const REDACTED_LINK = '[kutsulinkki piilotettu / inbjudningslänken dold]';
export const REDACTED_UNLOCK_LINK = '[linkki piilotettu / länken dold]';

/** The text with every token-bearing link replaced: what admins see, and what is kept once the mail has gone. */
export function redactMailBody(body: string): string {
  return body.replace(TOKEN_LINK, REDACTED_LINK).replace(UNLOCK_LINK, REDACTED_UNLOCK_LINK);
}

const deliveryOf = (deps: CoreDeps): MailDelivery => deps.mailDelivery ?? mailDelivery({ smtpConfigured: false, publicUrl: deps.publicUrl });

function statusOf(row: OutboxRow, delivery: MailDelivery, now: number): OutboxStatus {
  if (row.sent_at !== null) return 'sent';
  if (row.sending_at !== null) return now - row.sending_at >= MAIL_SEND_LEASE_MS ? 'interrupted' : 'sending';
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
  const now = deps.now();
  return rows.map((r) => ({
    id: r.id,
    to: r.to_email,
    subject: r.subject,
    body: redactMailBody(r.body_text),
    kind: r.kind,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    status: statusOf(r, delivery, now),
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.sending_at !== null && now - r.sending_at >= MAIL_SEND_LEASE_MS ? (r.last_error ?? 'interrupted while sending') : r.last_error,
  }));
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** An HTML part beside the text (notification mail). */
  html?: string;
  /** Further headers: List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
}
/** Hands one message to a mail server; resolves once it was accepted, rejects with the reason otherwise. */
export type SendMail = (mail: OutgoingMail) => Promise<void>;

/** A message to put in the outbox (inside the use case's transaction). */
export interface NewMail {
  areaId: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  headers?: Record<string, string> | null;
  attachments?: MailAttachment[] | null;
  userId?: string | null;
  kind?: string | null;
}

export async function enqueueMail(trx: Transaction<Database>, mail: NewMail, now: number, id: string = newId()): Promise<string> {
  await trx
    .insertInto('outbox')
    .values({
      id,
      area_id: mail.areaId,
      to_email: mail.to,
      subject: mail.subject,
      body_text: mail.text,
      body_html: mail.html ?? null,
      headers: mail.headers ? JSON.stringify(mail.headers) : null,
      attachments: mail.attachments && mail.attachments.length > 0 ? JSON.stringify(mail.attachments) : null,
      user_id: mail.userId ?? null,
      kind: mail.kind ?? null,
      created_at: now,
      sent_at: null,
    })
    .execute();
  return id;
}

/** How many messages one process claims at a time, and at most how many of one area's among them. */
const CLAIM_BATCH = 20;
const CLAIM_PER_AREA = 5;

/**
 * Sends the messages that are due. A batch is claimed in one UPDATE (attempts counted, `sending_at` and the process
 * named), so two processes never hold the same message; each area's oldest first, a few of each area per batch, so
 * that one area's burst does not hold up the others. A message is marked sent, with its links redacted and its
 * HTML, headers and attachment dropped, once the server took it; rescheduled after a refusal by MAIL_RETRY_DELAYS_MS
 * with the error kept, until MAIL_MAX_ATTEMPTS. A claim whose process died before it could say is never taken again:
 * the message may have been delivered (sent at most once; listOutbox shows it `interrupted`).
 */
export async function deliverOutbox(deps: Pick<CoreDeps, 'db' | 'now'>, send: SendMail, options: { limit?: number; sender?: string } = {}): Promise<{ sent: number; failed: number }> {
  let budget = options.limit ?? 50;
  const sender = options.sender ?? `sender-${newId()}`;
  const result = { sent: 0, failed: 0 };
  while (budget > 0) {
    const claimedAt = deps.now();
    const batch = Math.min(budget, CLAIM_BATCH);
    const claimed = await sql<OutboxRow>`
      UPDATE outbox SET attempts = attempts + 1, sending_at = ${claimedAt}, sender = ${sender}
      WHERE id IN (
        SELECT id FROM (
          SELECT id, created_at, ROW_NUMBER() OVER (PARTITION BY area_id ORDER BY created_at, id) AS n
          FROM outbox
          WHERE sent_at IS NULL AND sending_at IS NULL AND attempts < ${MAIL_MAX_ATTEMPTS}
            AND (next_attempt_at IS NULL OR next_attempt_at <= ${claimedAt})
        ) WHERE n <= ${CLAIM_PER_AREA} ORDER BY n, created_at, id LIMIT ${batch}
      ) AND sent_at IS NULL AND sending_at IS NULL
      RETURNING *`.execute(deps.db);
    if (claimed.rows.length === 0) break;
    budget -= claimed.rows.length;
    const rows = [...claimed.rows].sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
    for (const row of rows) {
      const mine = (eb: ExpressionBuilder<Database, 'outbox'>) => eb.and([eb('id', '=', row.id), eb('sender', '=', sender), eb('sending_at', '=', claimedAt)]);
      try {
        await send(outgoing(row));
      } catch (error) {
        const delay = MAIL_RETRY_DELAYS_MS[row.attempts - 1];
        await deps.db
          .updateTable('outbox')
          .set({ sending_at: null, sender: null, next_attempt_at: delay === undefined ? null : deps.now() + delay, last_error: describe(error) })
          .where(mine)
          .execute();
        result.failed++;
        continue;
      }
      await deps.db
        .updateTable('outbox')
        .set({ sent_at: deps.now(), sending_at: null, sender: null, next_attempt_at: null, last_error: null, body_text: redactMailBody(row.body_text), body_html: null, headers: null, attachments: null })
        .where(mine)
        .execute();
      result.sent++;
    }
  }
  return result;
}

function outgoing(row: OutboxRow): OutgoingMail {
  return {
    to: row.to_email,
    subject: row.subject,
    text: row.body_text,
    ...(row.body_html ? { html: row.body_html } : {}),
    ...(row.headers ? { headers: JSON.parse(row.headers) as Record<string, string> } : {}),
    ...(row.attachments ? { attachments: JSON.parse(row.attachments) as MailAttachment[] } : {}),
  };
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
  /** The one-click unsubscribe address of a notification mail (its List-Unsubscribe header), if it has one. */
  unsubscribe: string | null;
  /** The names of its attachments (an .ics file). */
  attachments: string[];
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
    .select(['outbox.id', 'outbox.to_email', 'outbox.subject', 'outbox.body_text', 'outbox.headers', 'outbox.attachments', 'outbox.created_at', 'areas.slug'])
    .where('outbox.sent_at', 'is', null)
    .orderBy('outbox.created_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => {
    const headers = r.headers ? (JSON.parse(r.headers) as Record<string, string>) : {};
    const unsubscribe = /^<([^>]+)>/.exec(headers['List-Unsubscribe'] ?? '')?.[1] ?? null;
    const attachments = r.attachments ? (JSON.parse(r.attachments) as MailAttachment[]).map((a) => a.filename) : [];
    return { id: r.id, areaSlug: r.slug, to: r.to_email, subject: r.subject, body: r.body_text, unsubscribe, attachments, createdAt: r.created_at };
  });
}
