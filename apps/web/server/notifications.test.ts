import {
  addComment, createThread, deliverOutbox, GATHER_MS, getMailSettings, listOutbox, MAIL_RETRY_DELAYS_MS, MAIL_SEND_LEASE_MS, mentionToken, openConsultationRound,
  recordCouncilDecision, recordNotificationEvent, runMailWork, saveVersion, sendForApproval, submitStatement, unsubscribe, updateMailSettings, updateMilestones, type Actor, type CoreDeps, type MailWorkResult,
} from '@sopu/core';
import { actorFor, changeDocument, createTestDeps, documentIdOf, writeSection, type TestDeps } from '@sopu/core/testing';
import { createDb, migrateToLatest } from '@sopu/db';
import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpSender, type SmtpSender } from './mail.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

/*
 * Notification mail end to end below the web server: the use cases record events, the worker (runMailWork, as the
 * server runs it) plans, gathers and writes mail, and nodemailer hands it to a real SMTP server (smtp-server) on
 * port 0, whose messages are read back with a real MIME parser (mailparser) and the calendar files with ical.js.
 */

const FROM = 'Sopu <no-reply@sopu.test>';
const KAINUU = 'kainuu-koillismaa';
const SAARISTO = 'saaristo-skargard';
const email = (who: string) => `${who}@sopu.example`;

let t: TestDeps;
let sink: SmtpSink;
let sender: SmtpSender;
const people: Record<string, Actor> = {};
const as = async (who: string) => (people[who] ??= await actorFor(t.deps, email(who)));

async function setUp(now?: number) {
  t = await createTestDeps(now === undefined ? {} : { now });
  t.deps.mailDelivery = 'smtp';
  for (const key of Object.keys(people)) delete people[key];
}
beforeEach(async () => {
  sink = await startSmtpSink();
  sender = createSmtpSender(sink.url, FROM, { timeoutMs: 5_000 });
});
afterEach(async () => {
  sender.close();
  await sink.close();
  await t?.cleanup();
});

const work = (deps: CoreDeps = t.deps) => runMailWork(deps, { send: sender.send });
/** What the worker does when a use case has recorded something: plan now, then mail once the gathering is over. */
async function settle() {
  await work();
  t.clock.advance(GATHER_MS);
  await work();
}

interface Received {
  to: string;
  mail: ParsedMail;
}
async function received(): Promise<Received[]> {
  return Promise.all(sink.received.map(async (m) => ({ to: m.to.join(','), mail: await simpleParser(m.raw) })));
}
/** Who got mail, each address with the subjects it got, sorted. */
async function inbox(): Promise<Record<string, string[]>> {
  const byTo: Record<string, string[]> = {};
  for (const r of await received()) (byTo[r.to.replace('@sopu.example', '')] ??= []).push(r.mail.subject ?? '');
  for (const list of Object.values(byTo)) list.sort();
  return byTo;
}
/** A run of the worker at the clock's reading plans no reminder and writes no mail (the run is the signal that it looked). */
async function nothingPlanned() {
  expect(await work()).toMatchObject({ reminders: 0, mails: 0, sent: 0 });
}
/** A header as it was written (mailparser turns List-* headers into objects). */
const header = (mail: ParsedMail, name: string) => {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? '';
  return line.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim();
};

async function rulesVersion(slug: string): Promise<{ rules: string }> {
  const rules = await documentIdOf(t.db, slug, 'administrative_rules');
  await changeDocument(t.db, rules, (doc) => writeSection(doc, 'scope', ['Lautakunta on yhteinen toimielin.']));
  await saveVersion(t.deps, await as(slug === KAINUU ? 'admin.kajaani' : 'admin.rantala'), rules, { label: 'Lausunnolle' });
  return { rules };
}
async function agreementVersion(slug: string): Promise<{ agreement: string }> {
  const agreement = await documentIdOf(t.db, slug, 'cooperation_agreement');
  await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Kajaani on vastuukunta.']));
  await saveVersion(t.deps, await as(slug === KAINUU ? 'admin.kajaani' : 'admin.rantala'), agreement, { label: 'Valtuustoille' });
  return { agreement };
}

describe('each kind arrives once, in the recipient language, to exactly its people', () => {
  beforeEach(() => setUp());

  it('mentions and replies: the mentioned and those who take part in the thread, never the writer, never the other area', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const kuhmo = await as('rep.kuhmo');
    const thread = await createThread(t.deps, await as('drafter.sotkamo'), agreement, { section: 'parties', body: `Mitä mieltä ${mentionToken(kuhmo.userId)}?` });
    await settle();
    expect(Object.keys(await inbox())).toEqual(['rep.kuhmo']);
    const [mention] = await received();
    expect(mention!.to).toBe(email('rep.kuhmo'));
    expect(mention!.mail.subject).toMatch(/^Sopu – .+: .+ mainitsi sinut: /);
    expect(mention!.mail.text).toContain('Mitä mieltä @');
    expect(mention!.mail.text).toContain(`http://localhost/areas/${KAINUU}/documents/${agreement}?thread=${thread.id}`);

    // Kuhmo's rep replies: the thread's starter hears of it; the writer does not.
    sink.received.length = 0;
    await addComment(t.deps, kuhmo, thread.id, { body: 'Hyvä ehdotus.' });
    await settle();
    expect(Object.keys(await inbox())).toEqual(['drafter.sotkamo']);
    expect((await received())[0]!.mail.subject).toMatch(/vastasi keskusteluun/);

    // Saaristo (Swedish for Holmpy): a reply there reaches Saaristo's people only, in their language.
    sink.received.length = 0;
    const saaristoAgreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
    const saaristoThread = await createThread(t.deps, await as('drafter.holmpy'), saaristoAgreement, { section: 'parties', body: 'Hur gör vi?' });
    await addComment(t.deps, await as('rep.saarela'), saaristoThread.id, { body: 'Så här.' });
    await settle();
    const mails = await received();
    expect(mails.map((m) => m.to)).toEqual([email('drafter.holmpy')]);
    expect(mails[0]!.mail.subject).toMatch(/svarade i diskussionen/);
    expect(mails[0]!.mail.text).toContain('Öppna diskussionen');
  });

  it('a round opened: every invited municipality’s reps (not the host’s, not the other area), with the deadline as an .ics in Helsinki time', async () => {
    const { rules } = await rulesVersion(KAINUU);
    const round = await openConsultationRound(t.deps, await as('admin.kajaani'), rules, { version: 1, title: 'Hallintosäännön muutos', questions: ['Hyväksyttekö?'], deadline: '2026-12-15T16:00', invited: ['290', '578'] });
    await settle();
    expect(await inbox()).toEqual({
      'rep.kuhmo': ['Sopu – Kainuu-Koillismaan työllisyysalue: Lausuntokierros avattiin: Hallintosäännön muutos'],
      'rep.paltamo': ['Sopu – Kainuu-Koillismaan työllisyysalue: Lausuntokierros avattiin: Hallintosäännön muutos'],
    });
    const { mail } = (await received())[0]!;
    expect(mail.text).toContain('Määräaika: 15. joulukuuta 2026 klo 16.00 (Suomen aikaa).');
    expect(mail.text).toContain(`http://localhost/areas/${KAINUU}/rounds/${round.id}`);
    const ics = mail.attachments.find((a) => a.filename === 'sopu.ics')!;
    expect(ics.contentType).toBe('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(ics.content.toString('utf8')));
    const [event] = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(event!.uid).toBe(`round-${round.id}@sopu`);
    expect(event!.summary).toBe('Lausunnon määräaika: Hallintosäännön muutos');
    const start = event!.startDate.toJSDate().getTime();
    expect(start).toBe(Date.UTC(2026, 11, 15, 14, 0));
    expect(new Intl.DateTimeFormat('fi-FI', { timeZone: 'Europe/Helsinki', hour: '2-digit', minute: '2-digit' }).format(start)).toBe('16.00');
  });

  it('an approval request to each party council’s secretary; a recorded decision to the host admins; a stale approval to the secretaries whose council approved', async () => {
    const { agreement } = await agreementVersion(SAARISTO);
    const request = await sendForApproval(t.deps, await as('admin.rantala'), agreement, { version: 1 });
    await settle();
    const requested = await inbox();
    expect(Object.keys(requested).sort()).toEqual(['secretary.holmpy', 'secretary.rantala', 'secretary.saarela']);
    // Rantala (sv-fi) and Holmpy (sv) read Swedish; Saarela (fi) Finnish.
    expect(requested['secretary.holmpy']![0]).toContain('har skickats till fullmäktige för godkännande');
    expect(requested['secretary.rantala']![0]).toContain('har skickats till fullmäktige för godkännande');
    expect(requested['secretary.saarela']![0]).toContain('on lähetetty valtuustojen hyväksyttäväksi');
    const links = (await received()).map((r) => r.mail.text ?? '');
    // The link opens the approvals page at the council's decision proposal, which the mail names.
    for (const text of links) expect(text).toContain(`http://localhost/areas/${SAARISTO}/approvals?document=${agreement}#proposals-heading`);
    const saarela = (await received()).find((r) => r.to === email('secretary.saarela'))!.mail.text ?? '';
    expect(saarela).toContain('Valtuuston päätösehdotus (Saarela) Word-tiedostona');
    expect(saarela).toContain('Avaa päätösehdotus:');

    sink.received.length = 0;
    await recordCouncilDecision(t.deps, await as('secretary.holmpy'), request.id, { municipalityCode: '902', state: 'approved', decisionDate: '2026-11-28', minutesSection: '12' });
    await settle();
    expect(Object.keys(await inbox())).toEqual(['admin.rantala']);
    expect((await received())[0]!.mail.subject).toMatch(/Holmby: godkänt$/);

    // The approved text is edited: only Holmpy (whose council approved) hears, once, however often it is edited.
    sink.received.length = 0;
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Rantala on vastuukunta.']));
    await settle();
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Rantala on vastuukunta, Holmpy jäsen.']));
    await settle();
    const stale = await received();
    expect(stale.map((s) => s.to)).toEqual([email('secretary.holmpy')]);
    expect(stale[0]!.mail.text).toContain('godkännandet gäller inte längre den nuvarande texten');
    expect(stale[0]!.mail.text).toContain(`http://localhost/areas/${SAARISTO}/documents/${agreement}/compare?from=1&to=current`);
  });

  it('a suggestion (recorded by the collab room): those who wrote the section, never the suggester, never another area', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const sotkamo = await as('drafter.sotkamo');
    const writers = [(await as('drafter.kajaani')).userId, sotkamo.userId, (await as('drafter.holmpy')).userId];
    const { id: areaId } = await t.db.selectFrom('areas').select('id').where('slug', '=', KAINUU).executeTakeFirstOrThrow();
    await t.db.transaction().execute((trx) =>
      recordNotificationEvent(trx, { areaId, kind: 'suggestion.created', subjectId: 'ins-000777', actorId: sotkamo.userId, details: { documentId: agreement, section: 'equipment', drafters: writers } }, t.clock.now()),
    );
    await settle();
    const mails = await received();
    expect(mails.map((m) => m.to)).toEqual([email('drafter.kajaani')]);
    expect(mails[0]!.mail.subject).toMatch(/ehdotti muutosta: /);
    expect(mails[0]!.mail.text).toContain(`http://localhost/areas/${KAINUU}/documents/${agreement}?section=equipment`);
  });

  it('English when the person chose it; the HTML part escapes what people wrote', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const kuhmo = await as('rep.kuhmo');
    await updateMailSettings(t.deps, kuhmo, { language: 'en' });
    await createThread(t.deps, await as('drafter.sotkamo'), agreement, { section: 'parties', body: `<script>alert(1)</script> & <b>bold</b> ${mentionToken(kuhmo.userId)}` });
    await settle();
    const [first] = await received();
    const mail = first!.mail;
    expect(mail.subject).toMatch(/mentioned you/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(mail.html).not.toMatch(/<script|<b>/);
    expect(mail.text).toContain('<script>alert(1)</script> & <b>bold</b>');
  });
});

describe('gathering, digests and switching off', () => {
  beforeEach(() => setUp());

  it('a burst of 10 mentions is one mail', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const kuhmo = await as('rep.kuhmo');
    const sotkamo = await as('drafter.sotkamo');
    const thread = await createThread(t.deps, sotkamo, agreement, { section: 'parties', body: `Ensimmäinen ${mentionToken(kuhmo.userId)}` });
    for (let i = 2; i <= 10; i++) {
      t.clock.advance(10_000);
      await addComment(t.deps, sotkamo, thread.id, { body: `Maininta ${i} ${mentionToken(kuhmo.userId)}` });
      await work();
    }
    expect(sink.received).toEqual([]);
    t.clock.advance(GATHER_MS);
    await work();
    await work();
    const mails = await received();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.mail.subject).toMatch(/^Sopu – .+: 10 mainintaa$/);
    expect((mails[0]!.mail.text ?? '').match(/Avaa keskustelu:/g)).toHaveLength(10);
  });

  it('a daily digest at 7.00 Helsinki instead; a kind switched off is not mailed', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const kuhmo = await as('rep.kuhmo');
    const sotkamo = await as('drafter.sotkamo');
    await updateMailSettings(t.deps, kuhmo, { modes: { mention: 'daily' } });
    await updateMailSettings(t.deps, sotkamo, { modes: { reply: 'off' } });
    const thread = await createThread(t.deps, sotkamo, agreement, { section: 'parties', body: `Huomio ${mentionToken(kuhmo.userId)}` });
    await addComment(t.deps, kuhmo, thread.id, { body: 'Vastaus' });
    await settle();
    expect(sink.received).toEqual([]);
    // The clock is 28.11.2026 10.03 Helsinki: the digest goes at 7.00 the next morning (05:00 UTC), not a minute before.
    t.clock.set(Date.UTC(2026, 10, 29, 4, 59, 59, 999));
    await work();
    expect(sink.received).toEqual([]);
    t.clock.set(Date.UTC(2026, 10, 29, 5, 0));
    await work();
    const mails = await received();
    expect(mails.map((m) => [m.to, m.mail.subject])).toEqual([[email('rep.kuhmo'), expect.stringMatching(/päivän kooste 29\. marraskuuta 2026$/)]]);
    expect(mails[0]!.mail.text).toContain('MAININNAT');
    const skipped = await t.db.selectFrom('notification_jobs').select(['kind', 'skip_reason']).where('state', '=', 'skipped').execute();
    expect(skipped).toEqual([{ kind: 'reply', skip_reason: 'off' }]);
  });
});

describe('unsubscribe', () => {
  beforeEach(() => setUp());

  it('every mail has RFC 8058 headers; the link needs no login and switches off only its kind, for its person', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const kuhmo = await as('rep.kuhmo');
    const paltamo = await as('rep.paltamo');
    await createThread(t.deps, await as('drafter.sotkamo'), agreement, { section: 'parties', body: `${mentionToken(kuhmo.userId)} ${mentionToken(paltamo.userId)}` });
    await settle();
    const mails = await received();
    expect(mails).toHaveLength(2);
    const kuhmoMail = mails.find((m) => m.to === email('rep.kuhmo'))!.mail;
    expect(header(kuhmoMail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const link = /^<(http:\/\/localhost\/unsubscribe\/([a-z2-7]+))>$/.exec(header(kuhmoMail, 'List-Unsubscribe'))!;
    expect(link).not.toBeNull();
    expect(kuhmoMail.text).toContain(link[1]);

    const before = await getMailSettings(t.deps, paltamo);
    // The use case takes the token alone: no actor, no session.
    const result = await unsubscribe(t.deps, link[2]);
    expect(result).toEqual({ email: 'r•••@sopu.example', kinds: ['mention'], done: true });
    const after = await getMailSettings(t.deps, kuhmo);
    expect(after.modes.filter((m) => m.mode !== 'immediate')).toEqual([{ kind: 'mention', mode: 'off' }]);
    expect(await getMailSettings(t.deps, paltamo)).toEqual(before);

    // The stored mail keeps no working link once sent.
    const rows = await t.db.selectFrom('outbox').select(['body_text', 'body_html', 'headers']).where('to_email', '=', email('rep.kuhmo')).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body_text).not.toContain(link[2]);
    expect(rows[0]!).toMatchObject({ body_html: null, headers: null });
  });
});

describe('sent once: restarts, refusals, two processes', () => {
  beforeEach(() => setUp());

  async function secondProcess(): Promise<{ deps: CoreDeps; close(): Promise<void> }> {
    const db = await createDb({ url: `file:${t.path}` });
    await migrateToLatest(db);
    return { deps: { ...t.deps, db }, close: () => db.destroy() };
  }

  /** The mail worker in a child process on the same database file (fixture: mail-worker.fixture.ts). */
  async function otherProcess(): Promise<{ run(now: number): Promise<MailWorkResult>; stop(): Promise<void> }> {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./mail-worker.fixture.ts', import.meta.url)), t.path, sink.url], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const next = async () => {
      const line = await lines.next();
      if (line.done) throw new Error('the second process stopped');
      return line.value;
    };
    expect(await next()).toBe('ready');
    return {
      async run(now) {
        child.stdin!.write(`run ${now}\n`);
        const answer = await next();
        expect(answer).toMatch(/^done /);
        return JSON.parse(answer.slice(5)) as MailWorkResult;
      },
      async stop() {
        child.stdin!.end();
        await new Promise((resolve) => child.once('exit', resolve));
      },
    };
  }

  it('a restart between planning and sending sends it once', async () => {
    const { rules } = await rulesVersion(KAINUU);
    await openConsultationRound(t.deps, await as('admin.kajaani'), rules, { version: 1, title: 'Kierros', questions: [], deadline: '2026-12-15T16:00', invited: ['290'] });
    // The first process plans the job and stops (nothing mailed yet).
    await runMailWork(t.deps, {});
    expect(await t.db.selectFrom('notification_jobs').select('state').execute()).toEqual([{ state: 'pending' }]);
    // A new process on the same database, past the gathering: one mail; again and again: nothing more.
    const next = await secondProcess();
    try {
      t.clock.advance(GATHER_MS);
      await work(next.deps);
      await work(next.deps);
      await work(t.deps);
    } finally {
      await next.close();
    }
    expect(sink.received.map((m) => m.to)).toEqual([[email('rep.kuhmo')]]);
  });

  it('a process that dies while handing a mail over: never sent again; the outbox says it was interrupted', async () => {
    const { rules } = await rulesVersion(KAINUU);
    await openConsultationRound(t.deps, await as('admin.kajaani'), rules, { version: 1, title: 'Kierros', questions: [], deadline: '2026-12-15T16:00', invited: ['290'] });
    // Planned and written, not yet handed to the mail server.
    await runMailWork(t.deps, {});
    t.clock.advance(GATHER_MS);
    await runMailWork(t.deps, {});
    expect(await t.db.selectFrom('outbox').select(['sent_at', 'attempts']).execute()).toEqual([{ sent_at: null, attempts: 0 }]);
    let handed = 0;
    // The dying process: it claims the message and never comes back from the mail server.
    void deliverOutbox(t.deps, () => {
      handed++;
      return new Promise<void>(() => {});
    });
    await expect.poll(() => handed).toBe(1);
    expect(await deliverOutbox(t.deps, sender.send)).toEqual({ sent: 0, failed: 0 });
    t.clock.advance(MAIL_SEND_LEASE_MS + 1);
    expect(await deliverOutbox(t.deps, sender.send)).toEqual({ sent: 0, failed: 0 });
    expect(sink.received).toEqual([]);
    const [message] = await listOutbox(t.deps, await as('admin.kajaani'), KAINUU);
    expect(message).toMatchObject({ status: 'interrupted', lastError: 'interrupted while sending' });
  });

  it('the SMTP server refuses three times, then accepts: delivered once, the errors shown meanwhile', async () => {
    const { rules } = await rulesVersion(KAINUU);
    await openConsultationRound(t.deps, await as('admin.kajaani'), rules, { version: 1, title: 'Kierros', questions: [], deadline: '2026-12-15T16:00', invited: ['290'] });
    sink.refuseTimes(3, { code: 451, message: 'try again later' });
    await settle();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [message] = await listOutbox(t.deps, await as('admin.kajaani'), KAINUU);
      expect(message).toMatchObject({ status: 'retrying', attempts: attempt, lastError: expect.stringMatching(/451.*try again later/) });
      t.clock.advance(MAIL_RETRY_DELAYS_MS[attempt - 1]!);
      await work();
    }
    expect(sink.refusals()).toBe(3);
    expect(sink.received.map((m) => m.to)).toEqual([[email('rep.kuhmo')]]);
    const [message] = await listOutbox(t.deps, await as('admin.kajaani'), KAINUU);
    expect(message).toMatchObject({ status: 'sent', attempts: 4, lastError: null });
    await work();
    expect(sink.received).toHaveLength(1);
  });

  it('two processes on one database racing: each person gets each mail once', async () => {
    const { agreement } = await agreementVersion(KAINUU);
    const { rules } = await rulesVersion(KAINUU);
    await sendForApproval(t.deps, await as('admin.kajaani'), agreement, { version: 1 });
    await openConsultationRound(t.deps, await as('admin.kajaani'), rules, { version: 1, title: 'Kierros', questions: [], deadline: '2026-12-15T16:00' });
    const other = await otherProcess();
    try {
      // Both plan, write and send at the same clock readings, at the same moments.
      for (let round = 0; round < 4; round++) {
        const before = sink.received.length;
        const [mine, theirs] = await Promise.all([runMailWork(t.deps, { send: sender.send, sender: 'parent' }), other.run(t.clock.now())]);
        // What the two say they sent is what arrived: no mail went twice behind a count of one.
        expect(mine.sent + theirs.sent).toBe(sink.received.length - before);
        t.clock.advance(GATHER_MS);
      }
    } finally {
      await other.stop();
    }
    const got = sink.received.map((m) => m.to.join(','));
    // 10 council secretaries (approval requested) and the reps of the 9 members (the round): 19 mails, none twice.
    expect(got).toHaveLength(19);
    expect(new Set(got).size).toBe(19);
    expect(got.every((to) => !/rantala|holmpy|saarela/.test(to))).toBe(true);
    // Nothing was left behind by the race either.
    expect(await t.db.selectFrom('notification_jobs').select('state').where('state', '=', 'pending').execute()).toEqual([]);
    expect(await t.db.selectFrom('outbox').select('id').where('sent_at', 'is', null).where('kind', 'is not', null).execute()).toEqual([]);
  }, 60_000);
});

describe('a broken notification holds up no one else', () => {
  beforeEach(() => setUp());

  it('an event and a job that cannot be read: the others are planned, written and sent, and the round reports the failure', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const kuhmo = await as('rep.kuhmo');
    const paltamo = await as('rep.paltamo');
    const area = await t.db.selectFrom('areas').select('id').where('slug', '=', KAINUU).executeTakeFirstOrThrow();
    // Rows no use case would write (their details are not JSON): recorded first, so they come first in every round.
    await t.db.insertInto('notification_events').values({ area_id: area.id, kind: 'comment.created', subject_id: 'broken', actor_id: null, details: '{broken', created_at: t.clock.now(), planned_at: null }).execute();
    await t.db
      .insertInto('notification_jobs')
      .values({ id: 'broken-job', area_id: area.id, user_id: paltamo.userId, kind: 'mention', dedupe_key: 'broken', details: '{broken', delivery: 'immediate', created_at: t.clock.now(), due_at: t.clock.now(), state: 'pending', skip_reason: null, outbox_id: null, finished_at: null })
      .execute();
    await createThread(t.deps, await as('drafter.sotkamo'), agreement, { section: 'parties', body: `Katso tämä ${mentionToken(kuhmo.userId)}` });
    await expect(work()).rejects.toThrow(SyntaxError);
    t.clock.advance(GATHER_MS);
    await expect(work()).rejects.toThrow(SyntaxError);
    expect(sink.received.map((m) => m.to)).toEqual([[email('rep.kuhmo')]]);
    // The broken ones wait (tried again each round), nothing else does.
    expect(await t.db.selectFrom('notification_events').select('subject_id').where('planned_at', 'is', null).execute()).toEqual([{ subject_id: 'broken' }]);
    expect(await t.db.selectFrom('notification_jobs').select('id').where('state', '=', 'pending').execute()).toEqual([{ id: 'broken-job' }]);
  });
});

describe('reminders from the clock, across the end of summer time', () => {
  // 1.10.2027; summer time ends on Sunday 31.10.2027 at 4.00 (EEST, +03:00) → 3.00 (EET, +02:00).
  beforeEach(() => setUp(Date.UTC(2027, 9, 1, 8, 0)));

  it('a round’s deadline 7 and 1 days ahead at 9.00 Helsinki to the municipalities that have not answered; a council meeting a week ahead to its secretary', async () => {
    const { rules } = await rulesVersion(KAINUU);
    const admin = await as('admin.kajaani');
    // Thursday 4.11.2027 16.00 (EET).
    await openConsultationRound(t.deps, admin, rules, { version: 1, title: 'Syyskierros', questions: [], deadline: '2027-11-04T16:00', invited: ['290', '578'] });
    await updateMilestones(t.deps, admin, KAINUU, { milestones: [{ kind: 'council_meeting', label: { fi: 'Kuhmon valtuusto' }, date: '2027-11-07', municipalityCode: '290' }] });
    await settle();
    sink.received.length = 0;

    // 7 days ahead: Thursday 28.10. 9.00 summer time = 06:00 UTC.
    t.clock.set(Date.UTC(2027, 9, 28, 5, 59, 59, 999));
    await nothingPlanned();
    t.clock.set(Date.UTC(2027, 9, 28, 6, 0));
    await settle();
    expect(await inbox()).toEqual({
      'rep.kuhmo': ['Sopu – Kainuu-Koillismaan työllisyysalue: Lausunnon määräaika on viikon kuluttua: Syyskierros'],
      'rep.paltamo': ['Sopu – Kainuu-Koillismaan työllisyysalue: Lausunnon määräaika on viikon kuluttua: Syyskierros'],
    });
    const reminderIcs = (await received())[0]!.mail.attachments[0]!;
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(reminderIcs.content.toString('utf8'))).getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().getTime()).toBe(Date.UTC(2027, 10, 4, 14, 0));

    // Kuhmo answers; a restart (a second process) and a later run do not send the 7-day reminder again.
    await submitStatement(t.deps, await as('rep.kuhmo'), (await t.db.selectFrom('consultation_rounds').select('id').where('title', '=', 'Syyskierros').executeTakeFirstOrThrow()).id, { municipalityCode: '290', noComments: true });
    sink.received.length = 0;
    t.clock.set(Date.UTC(2027, 9, 29, 12, 0));
    await settle();
    // Only the news of Kuhmo's statement, to the host admin (issue 21): no reminder again.
    expect(await inbox()).toEqual({ 'admin.kajaani': ['Sopu – Kainuu-Koillismaan työllisyysalue: Kuhmo antoi lausuntonsa: Syyskierros'] });
    sink.received.length = 0;

    // The council meeting of Sunday 7.11.: a week ahead is Sunday 31.10., the day the clocks go back: 9.00 EET = 07:00 UTC.
    t.clock.set(Date.UTC(2027, 9, 31, 6, 59, 59, 999));
    await nothingPlanned();
    t.clock.set(Date.UTC(2027, 9, 31, 7, 0));
    await settle();
    const meeting = await received();
    expect(meeting.map((m) => [m.to, m.mail.subject])).toEqual([[email('secretary.kuhmo'), 'Sopu – Kainuu-Koillismaan työllisyysalue: Kuhmo: valtuuston kokous 7. marraskuuta 2027.']]);
    expect(meeting[0]!.mail.text).toContain('Sopimusta ei ole vielä lähetetty valtuustojen hyväksyttäväksi.');
    const day = new ICAL.Event(new ICAL.Component(ICAL.parse(meeting[0]!.mail.attachments[0]!.content.toString('utf8'))).getFirstSubcomponent('vevent')!);
    expect(day.startDate.isDate).toBe(true);
    expect(day.startDate.toString()).toBe('2027-11-07');

    // 1 day ahead: Wednesday 3.11. 9.00 winter time = 07:00 UTC; only Paltamo has not answered.
    sink.received.length = 0;
    t.clock.set(Date.UTC(2027, 10, 3, 6, 59, 59, 999));
    await nothingPlanned();
    t.clock.set(Date.UTC(2027, 10, 3, 7, 0));
    await settle();
    expect(await inbox()).toEqual({ 'rep.paltamo': ['Sopu – Kainuu-Koillismaan työllisyysalue: Lausunnon määräaika on huomenna: Syyskierros'] });
  });
});
