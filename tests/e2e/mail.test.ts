import { createDb, type Db } from '@sopu/db';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREA, collectPageErrors, expectAccessible, hydrated, launchBrowser, newContext, People, screenshot, startApp, type App } from './harness.ts';

// Mail notifications in the browser, on a local address without SMTP (npm start's way): a drafter mentions a
// member's rep, the rules' clock passes the gathering (SOPU_CLOCK_OFFSET_FILE), the mail shows in the development
// mailbox; its unsubscribe link works in a browser that never signed in and switches off only that kind; the rep's
// settings page shows it, saves a language and a digest, and makes and stops a calendar address; the host admin's
// outbox names the mail's kind. The HTML part of the mail is rendered in Chromium too.

const GATHER_MS = 3 * 60_000;
let app: App;
let browser: Browser;
let db: Db;
const people = new People();
const pageErrors: string[] = [];
const clockDir = mkdtempSync(join(tmpdir(), 'sopu-clock-'));
const clockFile = join(clockDir, 'offset');

beforeAll(async () => {
  writeFileSync(clockFile, '0');
  app = await startApp({ env: { SEED_DEMO_CONTENT: 'false', SOPU_CLOCK_OFFSET_FILE: clockFile } });
  browser = await launchBrowser();
  // Read only, for what the pages do not show: that the worker has planned the mail (the signal to move the clock).
  db = await createDb({ url: app.databaseUrl });
});

afterAll(async () => {
  await db?.destroy();
  await people.close();
  await browser?.close();
  await app?.stop();
  rmSync(clockDir, { recursive: true, force: true });
  expect([...people.pageErrors, ...pageErrors]).toEqual([]);
});

const plain = (s: string | null) => (s ?? '').replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();

async function mailTo(page: Page, email: string) {
  const mail = page.locator(`article.message[data-to="${email}"]`).first();
  await expect
    .poll(async () => {
      await page.goto('/dev/mailbox');
      return mail.count();
    }, { timeout: 30_000, interval: 500 })
    .toBe(1);
  return mail;
}

describe('mail notifications', () => {
  it('a mention is mailed once gathered; its link unsubscribes without signing in; the settings page and the calendar address; the outbox', async () => {
    const kuhmo = await people.signIn(browser, app, 'rep.kuhmo@sopu.example');
    const sotkamo = await people.signIn(browser, app, 'drafter.sotkamo@sopu.example');
    const kuhmoId = ((await (await kuhmo.request.get('/api/v1/me')).json()) as { user: { id: string } }).user.id;
    const documents = (await (await sotkamo.request.get(`/api/v1/areas/${AREA}/documents`)).json()) as Array<{ id: string; kind: string }>;
    const agreement = documents.find((d) => d.kind === 'cooperation_agreement')!.id;
    const created = await sotkamo.request.post(`/api/v1/documents/${agreement}/threads`, { data: { section: 'parties', body: `Mikä on Kuhmon kanta? <@${kuhmoId}>` }, headers: { origin: app.url } });
    expect(created.status()).toBe(201);

    // Planned at once; mailed when the gathering is over.
    await expect.poll(async () => (await db.selectFrom('notification_jobs').select('id').where('user_id', '=', kuhmoId).execute()).length, { timeout: 30_000 }).toBe(1);
    writeFileSync(clockFile, String(GATHER_MS));
    const mail = await mailTo(kuhmo, 'rep.kuhmo@sopu.example');
    expect(plain(await mail.locator('.message-subject').textContent())).toMatch(/^Sopu – Kainuu-Koillismaan työllisyysalue: Valmistelija Sotkamo mainitsi sinut: /);
    const body = plain(await mail.locator('pre.message-body').textContent());
    expect(body).toContain('Mikä on Kuhmon kanta? @Edustaja Kuhmo');
    await screenshot(kuhmo, 'mail-dev-mailbox');
    const unsubscribeLink = (await mail.locator('dd a[href*="/unsubscribe/"]').getAttribute('href'))!;
    expect(unsubscribeLink).toMatch(new RegExp(`^${app.url}/unsubscribe/[a-z2-7]{20,}$`));

    // The mail's HTML part as a mail program shows it.
    const html = (await db.selectFrom('outbox').select('body_html').where('to_email', '=', 'rep.kuhmo@sopu.example').executeTakeFirstOrThrow()).body_html!;
    const viewer = await (await newContext(browser, app)).newPage();
    await viewer.setContent(html);
    expect(await viewer.locator('a', { hasText: 'Avaa keskustelu' }).getAttribute('href')).toBe(`${app.url}/areas/${AREA}/documents/${agreement}?thread=${((await created.json()) as { id: string }).id}`);
    await screenshot(viewer, 'mail-html');
    await viewer.context().close();

    // The link in a browser that never signed in: opening it changes nothing, the button switches off mentions.
    const stranger = await newContext(browser, app);
    const page = await stranger.newPage();
    pageErrors.push(...collectPageErrors(page));
    await page.goto(unsubscribeLink);
    await hydrated(page);
    await page.getByRole('heading', { name: 'Sähköposti-ilmoitusten peruminen' }).waitFor();
    expect(plain(await page.locator('main').textContent())).toContain('Tämä linkki lähetettiin osoitteeseen r•••@sopu.example.');
    expect(await page.locator('main li').allTextContents()).toEqual(['Maininnat']);
    await expectAccessible(page);
    await screenshot(page, 'mail-unsubscribe');
    await page.getByRole('button', { name: 'Lopeta nämä sähköpostit' }).click();
    await page.getByRole('heading', { name: 'Sähköpostit on peruttu' }).waitFor();
    await screenshot(page, 'mail-unsubscribed');
    await stranger.close();

    // The rep's own settings: mentions off, the rest as they were; a language and a digest saved.
    await kuhmo.goto('/notifications');
    await kuhmo.getByRole('link', { name: 'Sähköposti-ilmoitusten asetukset' }).click();
    await kuhmo.waitForURL('**/notifications/settings');
    await hydrated(kuhmo);
    const kind = (name: string) => kuhmo.getByRole('group', { name });
    expect(await kind('Maininnat').getByLabel('Ei sähköpostia').isChecked()).toBe(true);
    expect(await kind('Vastaukset keskusteluihin').getByLabel('Heti').isChecked()).toBe(true);
    expect(await kuhmo.getByLabel('Sähköpostin kieli').inputValue()).toBe('fi');
    await kuhmo.getByLabel('Sähköpostin kieli').selectOption('sv');
    await kind('Vastaukset keskusteluihin').getByLabel('Päivän koosteena').check();
    await kuhmo.getByRole('button', { name: 'Tallenna asetukset' }).click();
    await kuhmo.getByRole('status').filter({ hasText: 'Sähköpostiasetukset on tallennettu.' }).waitFor();
    expect(await kind('Vastaukset keskusteluihin').getByLabel('Päivän koosteena').isChecked()).toBe(true);
    expect(await kuhmo.getByLabel('Sähköpostin kieli').inputValue()).toBe('sv');
    await expectAccessible(kuhmo);
    await screenshot(kuhmo, 'mail-settings');

    // A calendar address: shown once, it works without a session, and stopping it ends it.
    await kuhmo.getByRole('button', { name: 'Luo kalenteriosoite' }).click();
    const address = kuhmo.getByLabel('Kalenteriosoitteesi');
    await address.waitFor();
    const feedUrl = await address.inputValue();
    expect(feedUrl).toMatch(new RegExp(`^${app.url}/calendar/[a-z2-7]{20,}$`));
    await screenshot(kuhmo, 'mail-settings-calendar');
    const fetchFeed = () => fetch(feedUrl);
    const feed = await fetchFeed();
    expect(feed.status).toBe(200);
    expect(await feed.text()).toMatch(/^BEGIN:VCALENDAR/);
    await kuhmo.getByRole('button', { name: 'Poista osoite käytöstä' }).click();
    await kuhmo.getByText('Kalenteriosoite on poistettu käytöstä.').waitFor();
    expect((await fetchFeed()).status).toBe(404);

    // In Swedish.
    await kuhmo.context().addCookies([{ name: 'lang', value: 'sv', url: app.url }]);
    await kuhmo.goto('/notifications/settings');
    await kuhmo.getByRole('heading', { name: 'Aviseringar per e-post' }).waitFor();
    await screenshot(kuhmo, 'mail-settings-sv');

    // The host admin's outbox: the mail, its kind, where it went; never its links.
    const admin = await people.signIn(browser, app, 'admin.kajaani@sopu.example');
    await admin.goto(`/areas/${AREA}/outbox`);
    const message = admin.locator('ol.message-list > li', { hasText: 'rep.kuhmo@sopu.example' }).first();
    expect(await message.locator('dl > div', { has: admin.locator('dt', { hasText: 'Laji' }) }).locator('dd').textContent()).toBe('Maininnat');
    expect(await message.locator('a[href*="/unsubscribe/"]').count()).toBe(0);
    expect(plain(await message.locator('pre.message-body').textContent())).not.toContain('/unsubscribe/');
    await screenshot(admin, 'mail-outbox');
  }, 180_000);
});
