import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AREA, OTHER_AREA, collectPageErrors, enterPassword, hydrated, launchBrowser, login, newContext, screenshot, seriousA11yViolations, startApp, type App,
} from './harness.ts';

/** Whitespace as plain spaces (Finnish numbers are grouped with no-break spaces). */
/** The text as read: whitespace folded, and the invisible isolation marks around names (format.ts `isolate`) dropped. */
const plain = (s: string | null) => (s ?? '').replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();

let app: App;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, app);
  contexts.push(context);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  page.on('close', () => pageErrors.push(...errors));
  return { context, page };
}

async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await freshPage();
  await login(opened.page, email);
  return opened;
}

/** One signed-in browser per person, shared by the tests that only look (logging in costs a password hash). */
const sessions = new Map<string, Promise<{ context: BrowserContext; page: Page }>>();
function session(email: string): Promise<{ context: BrowserContext; page: Page }> {
  if (!sessions.has(email)) sessions.set(email, signedIn(email));
  return sessions.get(email)!;
}

/**
 * Invites a person as admin.kajaani on the members page. The admin's outbox lists the mail without its link; the
 * link is read from the development mailbox (the stand-in for the invitee's own mail on a local address), which
 * the admin's browser opens in another tab. The admin's page is left on the outbox.
 */
async function invite(admin: Page, person: { email: string; name: string; municipality: string; role: string }): Promise<string> {
  await admin.goto(`/areas/${AREA}/members`);
  await hydrated(admin);
  await admin.locator('#invite-email').fill(person.email);
  await admin.locator('#invite-displayName').fill(person.name);
  await admin.locator('#invite-municipalityCode').selectOption({ label: person.municipality });
  await admin.locator('#invite-role').selectOption({ label: person.role });
  await admin.getByRole('button', { name: 'Lähetä kutsu' }).click();
  await expect.poll(() => admin.getByRole('status').filter({ hasText: 'Kutsu on tallennettu' }).textContent()).toContain(person.email);
  // The pending invitations table lists it.
  await expect.poll(() => admin.locator('section[aria-labelledby="pending-heading"] tbody tr', { hasText: person.email }).count()).toBe(1);

  await admin.getByRole('link', { name: 'Näytä kutsuviesti lähtevissä viesteissä' }).click();
  await admin.waitForURL(`**/areas/${AREA}/outbox`);
  const newest = admin.locator('ol.message-list > li').first();
  expect(plain(await newest.locator('dd').first().textContent())).toBe(person.email);
  // The admin sees the mail and where it went, never its link.
  const body = plain(await newest.locator('pre.message-body').textContent());
  expect(body).toContain('kutsulinkki piilotettu');
  expect(body).not.toContain('/invitations/');
  expect(await newest.locator('a[href*="/invitations/"]').count()).toBe(0);
  expect(await newest.getByRole('link', { name: 'Avaa kehitysympäristön postilaatikko' }).getAttribute('href')).toBe('/dev/mailbox');

  const mailbox = await admin.context().newPage();
  try {
    const opened = await mailbox.goto('/dev/mailbox');
    expect(opened?.status()).toBe(200);
    const mail = mailbox.locator(`article.message[data-to="${person.email}"]`).first();
    // The mail may show the link more than once; every copy is the same link.
    const hrefs = await mail.locator('pre.message-body a[href*="/invitations/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThanOrEqual(1);
    expect(new Set(hrefs).size).toBe(1);
    const link = hrefs[0];
    expect(link).toMatch(new RegExp(`^${app.url}/invitations/[^/\\s]{20,}$`));
    return link!;
  } finally {
    await mailbox.close();
  }
}

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  // Also the check that the server printed no unexpected error output in the whole file (see App.stop).
  await app?.stop();
});

describe('foundation', () => {
  it('prints the demo logins at start, as npm start does, with the password and every area', () => {
    const out = app.output();
    expect(out).toContain('Demo logins (demo data only), password for all: sopu-demo-password');
    for (const login of ['admin.kajaani@sopu.example', 'drafter.sotkamo@sopu.example', 'secretary.holmpy@sopu.example']) expect(out).toContain(login);
  });

  it('a drafter lands on the Kainuu-Koillismaa dashboard with municipalities, demo figures, members and documents', async () => {
    const { page } = await session('drafter.sotkamo@sopu.example');
    expect(new URL(page.url()).pathname).toBe(`/areas/${AREA}`);

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Kainuu-Koillismaan työllisyysalue');
    const summary = page.locator('dl.summary-list');
    expect(plain(await summary.locator('div', { hasText: 'Isäntäkunta' }).locator('dd').textContent())).toBe('Kajaani');
    expect(plain(await summary.locator('div', { hasText: 'Roolisi' }).locator('dd').textContent())).toBe('Valmistelija, Sotkamo');
    expect(plain(await page.locator('.header-person .person').textContent())).toContain('Valmistelija Sotkamo, Valmistelija');

    // Municipalities with labour force, labelled as demo figures (not official statistics).
    const municipalities = page.getByRole('table', { name: 'Alueen kunnat ja niiden työvoima' });
    const rows = municipalities.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(10);
    const kajaani = rows.filter({ has: page.getByRole('rowheader', { name: 'Kajaani', exact: true }) });
    expect(plain(await kajaani.locator('td.numeric').textContent())).toBe('17 000');
    expect(await kajaani.locator('.badge-host').textContent()).toBe('Isäntäkunta');
    expect(plain(await rows.filter({ has: page.getByRole('rowheader', { name: 'Sotkamo', exact: true }) }).locator('td.numeric').textContent())).toBe('4 800');
    expect(plain(await municipalities.locator('thead th.numeric').textContent())).toBe('Työvoima Esittelyluvut');
    await expect.poll(() => page.locator('.badge-demo').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByText('Työvoimaluvut ovat havainnollistavia esittelylukuja').count()).toBe(1);
    const figures = page.locator('dl.figures');
    expect(plain(await figures.locator('div', { hasText: 'Alueen työvoima yhteensä' }).locator('dd').textContent())).toBe('40 350');
    expect(plain(await figures.locator('div', { hasText: 'Vähimmäismäärä' }).locator('dd').textContent())).toBe('20 000');

    // Members: five named people, and a member rep and a council secretary for each of the ten municipalities.
    const members = page.getByRole('table', { name: 'Alueen jäsenet, roolit ja kunnat' });
    const memberRows = members.locator('tbody tr');
    await expect.poll(() => memberRows.count()).toBe(25);
    const memberText = plain(await members.locator('tbody').textContent());
    for (const name of ['Pääkäyttäjä Kajaani', 'Valmistelija Kajaani', 'Valmistelija Sotkamo', 'Valmistelija Kuusamo', 'Edustaja Paltamo', 'Lukija Kuhmo', 'Sihteeri Taivalkoski']) {
      expect(memberText).toContain(name);
    }
    expect(plain(await memberRows.filter({ has: page.getByRole('rowheader', { name: 'Lukija Kuhmo' }) }).locator('td').allTextContents().then((t) => t.join(' | ')))).toBe('Lukija | Kuhmo');

    // Both documents of the area.
    const documents = await page.locator('ul.document-list a.document-link').allTextContents();
    expect(documents.sort()).toEqual(['Hallintosääntö', 'Yhteistoimintasopimus']);

    // A drafter has no admin pages: the area navigation has only the overview, the approvals and verifying a file,
    // and the members page itself is refused.
    expect(await page.getByRole('navigation', { name: 'Alueen sivut' }).getByRole('link').allTextContents()).toEqual(['Yleiskatsaus', 'Hyväksynnät', 'Tarkista tiedosto']);
    expect(await page.getByRole('link', { name: 'Hallinnoi jäseniä ja kutsuja' }).count()).toBe(0);
    const members403 = await page.goto(`/areas/${AREA}/members`);
    expect(members403?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ei käyttöoikeutta');
  });

  it('a member of one area gets 404 for the other area, its documents and its live connection', async () => {
    // A document id of the other area, as its own admin sees it.
    const { page: rantala } = await signedIn('admin.rantala@sopu.example');
    expect(new URL(rantala.url()).pathname).toBe(`/areas/${OTHER_AREA}`);
    const otherDocHref = await rantala.locator('a.document-link', { hasText: 'Yhteistoimintasopimus' }).getAttribute('href');
    expect(otherDocHref).toMatch(new RegExp(`^/areas/${OTHER_AREA}/documents/[0-9a-f-]{36}$`));
    const otherDocId = otherDocHref!.split('/').pop()!;
    // …and the other way round.
    const reverse = await rantala.goto(`/areas/${AREA}`);
    expect(reverse?.status()).toBe(404);

    const { page } = await session('drafter.sotkamo@sopu.example');
    for (const path of [`/areas/${OTHER_AREA}`, otherDocHref!, `/areas/${AREA}/documents/${otherDocId}`, `/areas/${OTHER_AREA}/members`, `/areas/${OTHER_AREA}/outbox`, `/areas/${OTHER_AREA}/audit`]) {
      const response = await page.goto(path);
      expect.soft(response?.status(), path).toBe(404);
      expect.soft(await page.getByRole('heading', { level: 1 }).textContent(), path).toBe('Sivua ei löytynyt');
      // Nothing of the other area leaks into the page.
      expect.soft(await page.locator('body').textContent(), path).not.toContain('Saariston');
    }
    await screenshot(page, 'foundation-404-other-area');

    // The live connection to the other area's document is refused the same way (close code 4404), with no data.
    const refused = await page.evaluate(
      (docId) =>
        new Promise<{ code: number; messages: number }>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/collab/${docId}`);
          ws.binaryType = 'arraybuffer';
          let messages = 0;
          ws.onmessage = () => messages++;
          ws.onclose = (event) => resolve({ code: event.code, messages });
        }),
      otherDocId,
    );
    expect(refused).toEqual({ code: 4404, messages: 0 });
  });

  it('an admin invites a new person, who accepts the link in another browser, signs in and the link is then used', async () => {
    const { page: admin } = await session('admin.kajaani@sopu.example');
    const person = { email: 'uusi.henkilo@sopu.example', name: 'Uusi Henkilö', municipality: 'Sotkamo', role: 'Valmistelija' };
    const link = await invite(admin, person);

    // A second browser context, not signed in, opens the link.
    const { page: guest } = await freshPage();
    const opened = await guest.goto(link);
    expect(opened?.status()).toBe(200);
    await hydrated(guest);
    expect(await guest.getByRole('heading', { level: 1 }).textContent()).toBe('Kutsu Sopuun');
    const details = plain(await guest.locator('dl.summary-list').textContent());
    for (const part of ['Kainuu-Koillismaan työllisyysalue', 'Sotkamo', 'Valmistelija', person.email]) expect(details).toContain(part);
    const hint = plain(await guest.locator('#password-hint').textContent());
    const minLength = Number(/Vähintään (\d+) merkkiä/.exec(hint)?.[1]);
    expect(minLength).toBeGreaterThanOrEqual(12);

    // A too short password and a mismatch are refused, and nothing is created.
    await guest.getByLabel('Nimi', { exact: true }).fill(person.name);
    await guest.getByLabel('Salasana', { exact: true }).fill('lyhyt');
    await guest.getByLabel('Salasana uudelleen').fill('lyhyt');
    await guest.getByRole('button', { name: 'Hyväksy kutsu ja luo tunnukset' }).click();
    await expect.poll(() => guest.locator('.error-summary').textContent()).toContain(`Salasanassa on oltava vähintään ${minLength} merkkiä`);
    expect(new URL(guest.url()).pathname).toMatch(/^\/invitations\//);
    await guest.getByLabel('Salasana', { exact: true }).fill('uusi-salasana-123');
    await guest.getByLabel('Salasana uudelleen').fill('uusi-salasana-124');
    await guest.getByRole('button', { name: 'Hyväksy kutsu ja luo tunnukset' }).click();
    await expect.poll(() => guest.locator('.error-summary').textContent()).toContain('Salasanat eivät täsmää');

    const password = 'pitka-ja-uusi-salasana-2024';
    expect(password.length).toBeGreaterThanOrEqual(minLength);
    await guest.getByLabel('Nimi', { exact: true }).fill(person.name);
    await guest.getByLabel('Salasana', { exact: true }).fill(password);
    await guest.getByLabel('Salasana uudelleen').fill(password);
    await guest.getByRole('button', { name: 'Hyväksy kutsu ja luo tunnukset' }).click();
    await guest.waitForURL(`**/areas/${AREA}`);
    await expect.poll(async () => plain(await guest.locator('.header-person .person').textContent())).toContain('Uusi Henkilö, Valmistelija');
    expect(plain(await guest.locator('dl.summary-list div', { hasText: 'Roolisi' }).locator('dd').textContent())).toBe('Valmistelija, Sotkamo');
    await screenshot(guest, 'foundation-new-member-dashboard');

    // The link works once.
    const again = await guest.goto(link);
    expect(again?.status()).toBe(410);
    expect(await guest.getByRole('heading', { level: 1 }).textContent()).toBe('Kutsu on jo käytetty');
    await screenshot(guest, 'foundation-invitation-used');

    // Log out, log in again with the new password.
    await guest.goto(`/areas/${AREA}`);
    await guest.getByRole('button', { name: 'Kirjaudu ulos' }).click();
    await guest.waitForURL('**/login?notice=loggedOut');
    await login(guest, person.email, password);
    expect(new URL(guest.url()).pathname).toBe(`/areas/${AREA}`);
    await expect.poll(() => guest.locator('.header-person .person').textContent()).toContain('Uusi Henkilö');

    // The admin sees the new member and no pending invitation; the audit log has both events, chain intact.
    await admin.goto(`/areas/${AREA}/members`);
    expect(await admin.locator('section[aria-labelledby="members-heading"] tbody tr', { hasText: person.email }).count()).toBe(1);
    expect(await admin.locator('section[aria-labelledby="pending-heading"]').textContent()).toContain('Ei odottavia kutsuja.');
    await admin.goto(`/areas/${AREA}/audit`);
    const audit = plain(await admin.locator('main').textContent());
    expect(audit).toContain('Lokin tiivisteketju on eheä');
    expect(audit).toContain('Kutsu lähetettiin');
    expect(audit).toContain('Kutsu hyväksyttiin');
  });

  it('logging out ends the session: back, reload and the old cookie all lead to the login page', async () => {
    const { context, page } = await signedIn('drafter.kajaani@sopu.example');
    const dashboard = `${app.url}/areas/${AREA}`;
    expect(page.url()).toBe(dashboard);
    const cookiesBefore = await context.cookies();
    expect(cookiesBefore.length).toBeGreaterThan(0);
    await hydrated(page);

    await page.getByRole('button', { name: 'Kirjaudu ulos' }).click();
    await page.waitForURL('**/login?notice=loggedOut');
    expect(await page.getByRole('status').textContent()).toContain('Olet kirjautunut ulos.');
    expect(await page.locator('.header-person').count()).toBe(0);

    // Back: the dashboard is not shown from any cache; the server sends the browser to the login page.
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('redirectTo')).toBe(`/areas/${AREA}`);
    expect(await page.getByText('Kainuu-Koillismaan työllisyysalue').count()).toBe(0);
    // Reload of the dashboard address.
    await page.goto(dashboard);
    await page.waitForURL((url) => url.pathname === '/login');
    await page.reload();
    expect(new URL(page.url()).pathname).toBe('/login');

    // The old session token itself is dead on the server, not just forgotten by this browser.
    const { context: replay, page: replayPage } = await freshPage();
    await replay.addCookies(cookiesBefore);
    await replayPage.goto(dashboard);
    expect(new URL(replayPage.url()).pathname).toBe('/login');
    // The session cookie is gone; only the device cookie stays (it marks a browser the account knows, not a session:
    // docs/decisions/003).
    expect(await context.cookies().then((c) => c.filter((x) => cookiesBefore.some((b) => b.name === x.name && b.value === x.value)).map((x) => x.name))).toEqual(['sopu_device']);
  });

  it('axe-core finds no serious or critical WCAG 2.1 A/AA violations on the login, dashboard, members, outbox, audit and invitation pages', async () => {
    const problems: Record<string, unknown> = {};
    const check = async (page: Page, name: string) => {
      await hydrated(page);
      await screenshot(page, `foundation-${name}`);
      const violations = await seriousA11yViolations(page);
      if (violations.length > 0) problems[name] = violations;
    };

    const { page: anonymous } = await freshPage();
    await anonymous.goto('/login');
    await check(anonymous, 'login');
    // The login form with its error summary showing.
    await enterPassword(anonymous, 'ei-ole@sopu.example', 'vaara-salasana-1');
    await expect.poll(() => anonymous.locator('.error-summary').textContent()).toContain('Sähköpostiosoite tai salasana on väärin.');
    await check(anonymous, 'login-error');

    const { page: admin } = await session('admin.kajaani@sopu.example');
    await admin.goto(`/areas/${AREA}`);
    await check(admin, 'dashboard');
    const link = await invite(admin, { email: 'toinen.henkilo@sopu.example', name: 'Toinen Henkilö', municipality: 'Kuhmo', role: 'Lukija' });
    await check(admin, 'outbox');
    await admin.goto(`/areas/${AREA}/members`);
    await check(admin, 'members');
    await admin.goto(`/areas/${AREA}/audit`);
    await check(admin, 'audit');

    const { page: guest } = await freshPage();
    await guest.goto(link);
    await check(guest, 'invitation');

    expect(problems).toEqual({});
  }, 180_000); // six pages, each analysed by axe: minutes on a busy machine

  it('no page threw an uncaught exception', async () => {
    for (const context of contexts) for (const page of context.pages()) await page.close();
    expect(pageErrors).toEqual([]);
  });
});
