import { deliverOutbox, inviteMember, listOutbox, MAIL_MAX_ATTEMPTS, MAIL_RETRY_DELAYS_MS, REDACTED_LINK } from '@sopu/core';
import { actorFor, createTestDeps, invitationLink, type TestDeps } from '@sopu/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpSender, type SmtpSender } from './mail.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

const FROM = 'Sopu <no-reply@sopu.test>';
const INVITEE = 'maija.meikalainen@example.fi';

let t: TestDeps;
let sink: SmtpSink;
let sender: SmtpSender;
beforeEach(async () => {
  t = await createTestDeps();
  t.deps.mailDelivery = 'smtp';
  sink = await startSmtpSink();
  sender = createSmtpSender(sink.url, FROM, { timeoutMs: 5_000 });
});
afterEach(async () => {
  sender.close();
  await sink.close();
  await t.cleanup();
});

async function invite(): Promise<string> {
  const admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
  const { invitationId } = await inviteMember(t.deps, admin, 'kainuu-koillismaa', { email: INVITEE, displayName: 'Maija Meikäläinen', municipalityCode: '290', role: 'viewer' });
  return invitationLink(t.db, invitationId);
}
const outboxRow = () => t.db.selectFrom('outbox').selectAll().where('to_email', '=', INVITEE).executeTakeFirstOrThrow();
const outboxStatus = async () => (await listOutbox(t.deps, await actorFor(t.deps, 'admin.kajaani@sopu.example'), 'kainuu-koillismaa'))[0]!;

describe('mail by SMTP (nodemailer to a real SMTP server)', () => {
  it('delivers the invitation with its link; the row is marked sent and keeps no token', async () => {
    const link = await invite();
    expect(await deliverOutbox(t.deps, sender.send)).toEqual({ sent: 1, failed: 0 });

    expect(sink.received).toHaveLength(1);
    const [mail] = sink.received;
    expect(mail!.to).toEqual([INVITEE]);
    expect(mail!.from).toBe('no-reply@sopu.test');
    expect(mail!.text).toContain(link);
    expect(mail!.text).toMatch(/^From: Sopu <no-reply@sopu\.test>$/m);
    expect(mail!.text).toContain('Kunta: Kuhmo. Rooli: lukija.');

    const row = await outboxRow();
    expect(row.sent_at).toBe(t.clock.now());
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBeNull();
    expect(row.body_text).not.toContain(link.split('/').at(-1)!);
    expect(row.body_text).toContain(REDACTED_LINK);
    expect((await outboxStatus()).status).toBe('sent');

    // Sent once only.
    expect(await deliverOutbox(t.deps, sender.send)).toEqual({ sent: 0, failed: 0 });
    expect(sink.received).toHaveLength(1);
  });

  it('a refused recipient: the error is recorded, a retry scheduled by the back-off, and the retry delivers', async () => {
    const link = await invite();
    sink.refuse({ code: 550, message: 'mailbox unavailable' });
    expect(await deliverOutbox(t.deps, sender.send)).toEqual({ sent: 0, failed: 1 });
    let row = await outboxRow();
    expect(row.sent_at).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.next_attempt_at).toBe(t.clock.now() + MAIL_RETRY_DELAYS_MS[0]!);
    expect(row.last_error).toMatch(/550.*mailbox unavailable/);
    expect(row.body_text).toContain(link);
    expect(await outboxStatus()).toMatchObject({ status: 'retrying', lastError: row.last_error });

    // Not due yet: nothing is tried.
    sink.refuse(null);
    t.clock.advance(MAIL_RETRY_DELAYS_MS[0]! - 1);
    expect(await deliverOutbox(t.deps, sender.send)).toEqual({ sent: 0, failed: 0 });
    t.clock.advance(1);
    expect(await deliverOutbox(t.deps, sender.send)).toEqual({ sent: 1, failed: 0 });
    row = await outboxRow();
    expect(row).toMatchObject({ attempts: 2, last_error: null, next_attempt_at: null });
    expect(row.sent_at).toBe(t.clock.now());
    expect(sink.received.map((m) => m.to)).toEqual([[INVITEE]]);
  });

  it('an unreachable server is a failed attempt too, and after the last attempt the mail is given up', async () => {
    await invite();
    const down = createSmtpSender('smtp://127.0.0.1:9', FROM, { timeoutMs: 2_000 });
    try {
      for (let attempt = 1; attempt <= MAIL_MAX_ATTEMPTS; attempt++) {
        expect(await deliverOutbox(t.deps, down.send)).toEqual({ sent: 0, failed: 1 });
        const row = await outboxRow();
        expect(row.attempts).toBe(attempt);
        expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
        const delay = MAIL_RETRY_DELAYS_MS[attempt - 1];
        expect(row.next_attempt_at).toBe(delay === undefined ? null : t.clock.now() + delay);
        t.clock.advance(delay ?? 24 * 3_600_000);
      }
    } finally {
      down.close();
    }
    expect((await outboxStatus()).status).toBe('failed');
    // Given up: not tried again, even with a working server.
    expect(await deliverOutbox(t.deps, sender.send)).toEqual({ sent: 0, failed: 0 });
    expect(sink.received).toEqual([]);
  });
});
