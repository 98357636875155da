import { GATHER_MS, mentionToken } from '@sopu/core';
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../env.ts';
import { mailNotice } from './app.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';
import { cookieFor, form, FORM, startTestSopu, type TestSopu } from './test-server.ts';

/*
 * Notification mail through the assembled server (startSopu), as `npm start` runs it: its mail worker, a real SMTP
 * server (smtp-server) read back with mailparser, the settings page, the one-click unsubscribe address and the
 * calendar feed over HTTP. The rules' clock is moved past the gathering through SOPU_CLOCK_OFFSET_FILE.
 */

const AREA = 'kainuu-koillismaa';
const KUHMO = 'rep.kuhmo@sopu.example';
const PALTAMO = 'rep.paltamo@sopu.example';

let s: TestSopu;
let sink: SmtpSink;
const clockDir = mkdtempSync(join(tmpdir(), 'sopu-clock-'));
const clockFile = join(clockDir, 'offset');
let offset = 0;
const advance = (ms: number) => writeFileSync(clockFile, String((offset += ms)));

beforeAll(async () => {
  writeFileSync(clockFile, '0');
  sink = await startSmtpSink();
  s = await startTestSopu({ SMTP_URL: sink.url, SEED_DEMO_CONTENT: 'false', SOPU_CLOCK_OFFSET_FILE: clockFile }, { mailIntervalMs: 50 });
}, 180_000);
afterAll(async () => {
  await s?.stop();
  await sink?.close();
  rmSync(clockDir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(s.base + path, { headers, redirect: 'manual' });
const post = (path: string, body: string, headers: Record<string, string>) => fetch(s.base + path, { method: 'POST', body, headers, redirect: 'manual' });
const userId = async (email: string) => (await s.sopu.deps.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
const modes = async (email: string) =>
  Object.fromEntries((await s.sopu.deps.db.selectFrom('notification_preferences').select(['kind', 'mode']).where('user_id', '=', await userId(email)).execute()).map((r) => [r.kind, r.mode]));

/** Waits for the server's mail worker to have delivered `count` messages in all (the delivery is the signal). */
async function delivered(count: number) {
  await expect.poll(() => sink.received.length, { timeout: 30_000, interval: 50 }).toBe(count);
  return Promise.all(sink.received.map((m) => simpleParser(m.raw)));
}

/** Rep of Kuhmo and rep of Paltamo mentioned in a thread begun through the API by a drafter; mailed after the gathering. */
async function mentionBoth(): Promise<void> {
  const documentId = (await s.sopu.deps.db.selectFrom('documents').innerJoin('areas', 'areas.id', 'documents.area_id').select('documents.id').where('areas.slug', '=', AREA).where('documents.kind', '=', 'cooperation_agreement').executeTakeFirstOrThrow()).id;
  const res = await post(`/api/v1/documents/${documentId}/threads`, JSON.stringify({ section: 'parties', body: `Katsokaa ${mentionToken(await userId(KUHMO))} ${mentionToken(await userId(PALTAMO))}` }), {
    'content-type': 'application/json',
    origin: s.base,
    cookie: await cookieFor(s.sopu, 'drafter.sotkamo@sopu.example'),
  });
  expect(res.status).toBe(201);
  // Planned by the worker (its jobs are in the table), then due once the clock has passed the gathering.
  await expect.poll(async () => (await s.sopu.deps.db.selectFrom('notification_jobs').select('id').where('kind', '=', 'mention').execute()).length, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(2);
  advance(GATHER_MS);
}

describe('the running server mails notifications', () => {
  it('a mention made through the API arrives by SMTP once gathered, with its one-click unsubscribe headers', async () => {
    await mentionBoth();
    const mails = await delivered(2);
    expect(sink.received.map((m) => m.to[0]).sort()).toEqual([KUHMO, PALTAMO]);
    for (const mail of mails) {
      expect(mail.subject).toMatch(/mainitsi sinut/);
      expect(mail.html).toContain('Avaa keskustelu');
      // mailparser turns List-* headers into one object; the lines are as written.
      expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    }
  });
});

describe('one-click unsubscribe (RFC 8058) over HTTP', () => {
  it('the mail program’s POST, without Origin or session, switches off that kind for that person only; opening the page changes nothing', async () => {
    const raw = sink.received.find((m) => m.to[0] === KUHMO)!;
    const mail = await simpleParser(raw.raw);
    const line = mail.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
    const address = /<(http:\/\/localhost(\/unsubscribe\/[a-z2-7]+))>/.exec(line)!;
    const path = address[2]!;

    const page = await get(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('r•••@sopu.example');
    expect(html).toContain('Maininnat');
    expect(await modes(KUHMO)).toEqual({});

    // A browser on another site sends its Origin: refused as every cross-site form is.
    expect((await post(path, 'List-Unsubscribe=One-Click', { 'content-type': FORM, origin: 'https://evil.example' })).status).toBe(403);
    expect(await modes(KUHMO)).toEqual({});

    const oneClick = await post(path, 'List-Unsubscribe=One-Click', { 'content-type': FORM });
    expect(oneClick.status).toBe(200);
    expect(await modes(KUHMO)).toEqual({ mention: 'off' });
    expect(await modes(PALTAMO)).toEqual({});
    expect(await (await get(path)).text()).toContain('Sähköpostit on peruttu');

    // An address that is no link: 404, nothing changed.
    expect((await post('/unsubscribe/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'List-Unsubscribe=One-Click', { 'content-type': FORM })).status).toBe(404);
    expect((await get('/unsubscribe/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
  });
});

describe('the settings page and the calendar feed', () => {
  it('saves the person’s language and choices; a choice that is none of ours is refused and changes nothing', async () => {
    const cookie = await cookieFor(s.sopu, PALTAMO);
    const page = await get('/notifications/settings', { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sähköposti-ilmoitukset');
    expect((await get('/notifications/settings')).status).toBe(302);

    const bad = await post('/notifications/settings', form({ intent: 'save', language: 'sv', 'mode.reply': 'sometimes' }), { 'content-type': FORM, origin: s.base, cookie });
    expect(bad.status).toBe(400);
    expect(await modes(PALTAMO)).toEqual({});
    expect((await s.sopu.deps.db.selectFrom('users').select('locale').where('email', '=', PALTAMO).executeTakeFirstOrThrow()).locale).toBe('fi');

    const ok = await post('/notifications/settings', form({ intent: 'save', language: 'sv', 'mode.reply': 'daily', 'mode.mention': 'off' }), { 'content-type': FORM, origin: s.base, cookie });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Sähköpostiasetukset on tallennettu.');
    expect(await modes(PALTAMO)).toEqual({ reply: 'daily', mention: 'off' });
    expect((await s.sopu.deps.db.selectFrom('users').select('locale').where('email', '=', PALTAMO).executeTakeFirstOrThrow()).locale).toBe('sv');
  });

  it('the feed is made on the settings page and shown once; it needs its token, and a new one or stopping ends the old', async () => {
    const cookie = await cookieFor(s.sopu, 'secretary.kuhmo@sopu.example');
    const made = async () => {
      const res = await post('/notifications/settings', form({ intent: 'feed-create' }), { 'content-type': FORM, origin: s.base, cookie });
      expect(res.status).toBe(200);
      return /value="http:\/\/localhost(\/calendar\/[a-z2-7]+)"/.exec(await res.text())![1]!;
    };
    const first = await made();
    // Shown once: the page itself never has it again.
    expect(await (await get('/notifications/settings', { cookie })).text()).not.toContain(first);

    const feed = await get(first);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Sopu//Sopu//FI');

    for (const wrong of ['/calendar/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', `${first.slice(0, -1)}${first.endsWith('a') ? 'b' : 'a'}`]) {
      expect((await get(wrong)).status, wrong).toBe(404);
    }
    const second = await made();
    expect((await get(first)).status).toBe(404);
    expect((await get(second)).status).toBe(200);
    const stopped = await post('/notifications/settings', form({ intent: 'feed-revoke' }), { 'content-type': FORM, origin: s.base, cookie });
    expect(await stopped.text()).toContain('Kalenteriosoite on poistettu käytöstä.');
    expect((await get(second)).status).toBe(404);
  });
});

describe('where mail goes, as npm start says', () => {
  it('by SMTP (the server’s host, never its password), to the development mailbox, or nowhere', () => {
    const smtp = readEnv({ PUBLIC_URL: 'https://sopu.kunta.fi', SMTP_URL: 'smtp://user:secret@mail.kunta.fi:587' });
    expect(mailNotice('smtp', smtp)).toBe('Mail goes by SMTP through mail.kunta.fi:587, from Sopu <no-reply@sopu.kunta.fi>.');
    expect(mailNotice('dev_mailbox', readEnv({ PORT: '3000' }))).toBe('Mail (invitations, notifications) is not sent: no SMTP_URL. Read it in the development mailbox: http://localhost:3000/dev/mailbox');
    expect(mailNotice('none', readEnv({ PUBLIC_URL: 'https://sopu.kunta.fi' }))).toMatch(/^Mail is not delivered: no SMTP_URL/);
  });
});
