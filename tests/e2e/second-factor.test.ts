import { totpCode, totpKeyFromText, totpStep } from '@sopu/auth';
import { createDb, type Db } from '@sopu/db';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterPassword, expectAccessible, hydrated, launchBrowser, login, People, screenshot, startApp, type App } from './harness.ts';

/**
 * Two-step verification for password accounts (issue 22, docs/decisions/024), in Chromium: a new area's host admin,
 * invited by the operator's command, sets a password, and before any session sets up an authenticator app from the
 * QR code (the test reads the key as typed by hand and computes the codes as the app would), keeps the recovery codes,
 * then logs in with a code; the same code again is refused, a recovery code works once; the account page makes new
 * recovery codes; the area's settings require it of everyone. The rules' clock (SOPU_CLOCK_OFFSET_FILE) moves the
 * codes' 30-second steps on without waiting for them.
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const SLUG = 'pohjanmaan-rannikko';
const ADMIN = 'laura.lakimies@korsholm.example';
const PASSWORD = 'lauran-oma-pitka-salasana';
const DRAFTER = 'erkki.esimerkki@korsholm.example';

let app: App;
let browser: Browser;
let db: Db;
let dir: string;
let clockFile: string;
let offset = 0;
let key: Uint8Array;
let recoveryCodes: string[] = [];
const people = new People();
/** What must never reach the server's log: the password, the TOTP keys, the recovery codes. */
const secrets = new Set<string>([PASSWORD]);

/** A page of a browser of its own, nobody signed in. */
const freshPage = (options: { javaScriptEnabled?: boolean } = {}) => people.fresh(browser, app, options);

/** The next 30-second step on the server's clock, and its code as the authenticator app shows it then. */
function nextCode(): string {
  offset += 30_000;
  writeFileSync(clockFile, String(offset));
  return totpCode(key, totpStep(Date.now() + offset));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sopu-e2e-2fa-'));
  clockFile = join(dir, 'clock-offset');
  writeFileSync(clockFile, '0');
  app = await startApp({ env: { SOPU_CLOCK_OFFSET_FILE: clockFile } });
  browser = await launchBrowser();
  db = await createDb({ url: app.databaseUrl });
});

afterAll(async () => {
  await people.close();
  await browser?.close();
  await db?.destroy();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
  expect(people.pageErrors).toEqual([]);
});

async function logout(page: Page) {
  await page.getByRole('button', { name: 'Kirjaudu ulos' }).click();
  await page.waitForURL((url) => url.pathname === '/login');
}

/** Logged out, then in again with the password: at the code step. */
async function atCodeStep(page: Page) {
  await logout(page);
  await enterPassword(page, ADMIN, PASSWORD);
  await page.waitForURL((url) => url.pathname === '/login/code');
  await hydrated(page);
}

/** A code (or recovery code) sent on the code step: accepted (on to the area) or refused (its message shown). */
async function submitCode(page: Page, code: string, outcome: 'accepted' | 'refused') {
  await page.getByLabel('Vahvistuskoodi').fill(code);
  await page.getByRole('button', { name: 'Kirjaudu', exact: true }).click();
  if (outcome === 'accepted') await page.waitForURL((url) => url.pathname === `/areas/${SLUG}`);
  else await page.locator('.error-summary').getByText('Koodi ei kelpaa').waitFor();
}

describe('a new host admin', () => {
  let page: Page;

  it('sets a password through the invitation, then sets up the authenticator app before any session', async () => {
    const created = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'services/ops/src/cli.ts', 'area', 'create', '--slug', SLUG, '--name-fi', 'Pohjanmaan rannikon työllisyysalue', '--name-sv', 'Österbottens kusts sysselsättningsområde',
        '--host', '499', '--municipality', '499:Mustasaari:Korsholm:sv-fi', '--municipality', '905:Vaasa:Vasa:fi-sv', '--municipality', '475::Malax:sv', '--admin', ADMIN, '--admin-name', 'Laura Lakimies'],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: app.databaseUrl, PUBLIC_URL: app.url }, encoding: 'utf8' },
    );
    expect(created.status, created.stderr).toBe(0);
    const link = /Invitation link.*?(https?:\/\/\S+)/.exec(created.stdout)![1]!;

    page = await freshPage();
    await page.goto(link);
    await hydrated(page);
    await page.getByLabel('Salasana', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Salasana uudelleen').fill(PASSWORD);
    await page.getByRole('button', { name: 'Hyväksy kutsu ja luo tunnukset' }).click();
    // No session from the invitation: the log-in, which takes her through the set-up.
    await page.waitForURL((url) => url.pathname === '/login');
    expect(await page.getByRole('status').textContent()).toContain('otat samalla käyttöön kaksivaiheisen tunnistautumisen');
    expect((await page.context().cookies(app.url)).some((c) => c.name === 'sopu_session')).toBe(false);
    await screenshot(page, 'second-factor-login-notice');
    await enterPassword(page, ADMIN, PASSWORD);
    await page.waitForURL((url) => url.pathname === '/login/setup');
    await hydrated(page);
    expect(await page.locator('.totp-setup__qr svg path').count()).toBeGreaterThan(0);
    expect(await page.getByRole('img', { name: `QR-koodi, jolla todennussovellukseen lisätään tili ${ADMIN}` }).count()).toBe(1);
    await screenshot(page, 'second-factor-setup');
    await expectAccessible(page);
    // Nothing else opens meanwhile: the area sends her back to the log-in.
    const sideways = await (await freshPage()).context().request.get(`${app.url}/areas/${SLUG}`, { maxRedirects: 0 });
    expect(sideways.status()).toBe(302);
    expect(await db.selectFrom('sessions').select('id').execute()).toEqual([]);

    key = totpKeyFromText((await page.getByTestId('totp-key').textContent())!);
    secrets.add((await page.getByTestId('totp-key').textContent())!.replace(/\s+/g, ''));
    await page.getByLabel('Vahvistuskoodi').fill('000000');
    await page.getByRole('button', { name: 'Ota käyttöön' }).click();
    await page.locator('.error-summary').getByText('Koodi ei kelpaa').waitFor();
    await page.getByLabel('Vahvistuskoodi').fill(nextCode());
    await page.getByRole('button', { name: 'Ota käyttöön' }).click();
    await page.getByRole('heading', { name: 'Kaksivaiheinen tunnistautuminen on käytössä' }).waitFor();
    recoveryCodes = await page.getByTestId('recovery-codes').locator('code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) secrets.add(code);
    expect(new Set(recoveryCodes).size).toBe(10);
    await screenshot(page, 'second-factor-recovery-codes');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Jatka Sopuun' }).click();
    await page.waitForURL((url) => url.pathname === `/areas/${SLUG}`);
    // The key is stored sealed, the recovery codes as hashes.
    const stored = await db.selectFrom('totp_credentials').selectAll().executeTakeFirstOrThrow();
    expect(stored.secret_enc).toMatch(/^v1:/);
    const hashes = (await db.selectFrom('recovery_codes').select('code_hash').execute()).map((r) => r.code_hash);
    expect(hashes).toHaveLength(10);
    expect(hashes).not.toContain(recoveryCodes[0]);
  });

  it('logs in with a code; the same code again is refused; a recovery code works once', async () => {
    await atCodeStep(page);
    await screenshot(page, 'second-factor-code');
    await expectAccessible(page);
    const code = nextCode();
    await submitCode(page, code, 'accepted');

    await atCodeStep(page);
    await submitCode(page, code, 'refused');
    expect(new URL(page.url()).pathname).toBe('/login/code');
    await screenshot(page, 'second-factor-code-replayed');
    await submitCode(page, recoveryCodes[0]!, 'accepted');

    await atCodeStep(page);
    await submitCode(page, recoveryCodes[0]!, 'refused');
    await submitCode(page, nextCode(), 'accepted');
    const kinds = (await db.selectFrom('security_events').select('kind').orderBy('created_at').execute()).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['second_factor_enabled', 'second_factor_failed', 'recovery_code_used']));
  });

  it('her account page makes new recovery codes (the old stop working); she cannot turn it off as a host admin', async () => {
    await page.getByRole('link', { name: 'Oma tili' }).click();
    await page.waitForURL((url) => url.pathname === '/account');
    await hydrated(page);
    expect(await page.getByText('Varakoodeja jäljellä 9.').count()).toBe(1);
    expect(await page.getByText('joten sitä ei voi poistaa käytöstä').count()).toBe(1);
    await screenshot(page, 'second-factor-account');
    await expectAccessible(page);
    await page.locator('#regenerate-code').fill(nextCode());
    await page.getByRole('button', { name: 'Luo uudet varakoodit' }).click();
    await page.getByRole('status').getByText('Uudet varakoodit on luotu').waitFor();
    const renewed = await page.getByTestId('recovery-codes').locator('code').allTextContents();
    expect(renewed).toHaveLength(10);
    expect(renewed).not.toContain(recoveryCodes[1]);
    await screenshot(page, 'second-factor-account-renewed');
    recoveryCodes = renewed;
    for (const code of renewed) secrets.add(code);
  });

  it('a drafter she invites may turn it on from their account page (QR code, recovery codes) and off again', async () => {
    await page.goto(`/areas/${SLUG}/members`);
    await hydrated(page);
    await page.locator('#invite-email').fill(DRAFTER);
    await page.locator('#invite-displayName').fill('Erkki Esimerkki');
    await page.locator('#invite-municipalityCode').selectOption({ label: 'Mustasaari' });
    await page.locator('#invite-role').selectOption({ label: 'Valmistelija' });
    await page.getByRole('button', { name: 'Lähetä kutsu' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Kutsu on tallennettu' }).count()).toBe(1);
    await page.goto('/dev/mailbox');
    const link = await page.locator(`article.message[data-to="${DRAFTER}"] pre.message-body a[href*="/invitations/"]`).first().getAttribute('href');

    const erkki = await freshPage();
    await erkki.goto(link!);
    await hydrated(erkki);
    await erkki.getByLabel('Salasana', { exact: true }).fill(PASSWORD);
    await erkki.getByLabel('Salasana uudelleen').fill(PASSWORD);
    await erkki.getByRole('button', { name: 'Hyväksy kutsu ja luo tunnukset' }).click();
    // Not required of a drafter: signed in at once.
    await erkki.waitForURL((url) => url.pathname === `/areas/${SLUG}`);
    await erkki.goto('/account');
    await hydrated(erkki);
    expect(await erkki.getByText('Ei käytössä.').count()).toBe(1);
    await screenshot(erkki, 'second-factor-account-off');
    await erkki.getByRole('button', { name: 'Ota käyttöön' }).click();
    await erkki.getByTestId('totp-key').waitFor();
    await screenshot(erkki, 'second-factor-account-setup');
    const erkkiKey = totpKeyFromText((await erkki.getByTestId('totp-key').textContent())!);
    secrets.add((await erkki.getByTestId('totp-key').textContent())!.replace(/\s+/g, ''));
    const erkkiCode = () => {
      offset += 30_000;
      writeFileSync(clockFile, String(offset));
      return totpCode(erkkiKey, totpStep(Date.now() + offset));
    };
    await erkki.getByLabel('Vahvistuskoodi').fill('123456');
    await erkki.getByRole('button', { name: 'Ota käyttöön' }).click();
    // A wrong code shows the same key again.
    await erkki.locator('.error-summary').getByText('Koodi ei kelpaa').waitFor();
    expect(totpKeyFromText((await erkki.getByTestId('totp-key').textContent())!)).toEqual(erkkiKey);
    await erkki.getByLabel('Vahvistuskoodi').fill(erkkiCode());
    await erkki.getByRole('button', { name: 'Ota käyttöön' }).click();
    await erkki.getByRole('status').getByText('Kaksivaiheinen tunnistautuminen on nyt käytössä.').waitFor();
    expect(await erkki.getByTestId('recovery-codes').locator('code').count()).toBe(10);
    await erkki.goto('/account');
    await hydrated(erkki);
    await erkki.locator('#disable-code').fill(erkkiCode());
    await erkki.getByRole('button', { name: 'Poista kaksivaiheinen tunnistautuminen käytöstä' }).click();
    await erkki.getByRole('status').getByText('Kaksivaiheinen tunnistautuminen on poistettu käytöstä.').waitFor();
    expect(await erkki.getByText('Ei käytössä.').count()).toBe(1);
    const erkkiId = (await db.selectFrom('users').select('id').where('email', '=', DRAFTER).executeTakeFirstOrThrow()).id;
    const kinds = (await db.selectFrom('security_events').select('kind').where('user_id', '=', erkkiId).orderBy('created_at').execute()).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['second_factor_failed', 'second_factor_enabled', 'second_factor_disabled']));
  });

  it("the area's settings require it of everyone who logs in with a password", async () => {
    await page.goto(`/areas/${SLUG}/settings`);
    await hydrated(page);
    const block = page.locator('form[aria-labelledby="second-factor-heading"]');
    await block.getByLabel('Vaadi kaksivaiheinen tunnistautuminen kaikilta salasanalla kirjautuvilta jäseniltä').check();
    await block.getByRole('button', { name: 'Tallenna' }).click();
    await block.getByRole('status').waitFor();
    await block.screenshot({ path: join(repoRoot, 'tests', 'e2e', 'screenshots', 'second-factor-settings.png') });
    const area = await db.selectFrom('areas').select('require_second_factor').where('slug', '=', SLUG).executeTakeFirstOrThrow();
    expect(area.require_second_factor).toBe(1);
    const audit = await db.selectFrom('audit_events').select('action').where('action', '=', 'area.second_factor_requirement_updated').execute();
    expect(audit).toHaveLength(1);
  });
});

describe('the demo accounts', () => {
  it('log in with the password alone; their account page says why', async () => {
    const page = await freshPage();
    await login(page, 'admin.kajaani@sopu.example');
    await page.goto('/account');
    await hydrated(page);
    expect(await page.getByText('Demotunnukset kirjautuvat pelkällä salasanalla').count()).toBe(1);
    await screenshot(page, 'second-factor-account-demo');
    await expectAccessible(page);
  });
});

describe('the server log', () => {
  it('holds no password, TOTP key or recovery code, though every step of the log-in was logged', async () => {
    const output = app.output();
    for (const route of ['/login', '/login/code', '/login/setup', '/account']) expect(output).toContain(`"route":"${route}"`);
    expect(secrets.size).toBe(1 + 2 + 20);
    const leaked = [...secrets].filter((secret) => output.includes(secret)).map((secret) => `${secret.slice(0, 4)}…`);
    expect(leaked).toEqual([]);
  });
});
