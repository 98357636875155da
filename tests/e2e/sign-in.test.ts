import { createSecretBox, resolveSecretsKey } from '@sopu/auth';
import { startTestIdp, type IdTokenChange, type TestIdp, type TestIdpPerson } from '@sopu/auth/test-idp';
import { createDb, type Db } from '@sopu/db';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREA, expectAccessible, hydrated, launchBrowser, login, People, screenshot, startApp, until, type App } from './harness.ts';

/**
 * Signing in with the municipality's own accounts (issue 22, docs/decisions/024), in Chromium against a real
 * OpenID Connect provider (oidc-provider on a port of its own) that the operator's command registered for Kajaani:
 * an invitation accepted at the provider, the login page sending a Kajaani address there, and the attacker's view
 * (another browser's state, a replayed callback, a token for another audience, an expired one, one from another
 * issuer, one changed after signing, an address of another domain): each refused with a page that says why, and
 * nobody signed in. A person disabled at the provider loses their session at the next re-check.
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CLIENT_ID = 'sopu-kajaani';
const CLIENT_SECRET = 'kajaani-client-secret-0123456789';
const person = (name: string, over: Partial<TestIdpPerson> = {}): TestIdpPerson => ({ username: name, password: `${name}-salasana`, subject: `sub-${name}`, email: `${name}@kajaani.example`, ...over });
const LIISA = person('liisa', { name: 'Liisa Laine' });
const TAPIO = person('tapio', { name: 'Tapio Tuisku' });
const OUTSIDER = person('ulla', { email: 'ulla@gmail.example' });

let app: App;
let idp: TestIdp;
let browser: Browser;
let db: Db;
const people = new People();

/** What must never reach the server's log: the client secret, every callback's code and state, every refresh token. */
const secrets = new Set<string>([CLIENT_SECRET]);

/** A page of a browser of its own, nobody signed in; the code and state of each callback it opens are noted. */
async function freshPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const page = await people.fresh(browser, app, options);
  page.on('request', (request) => {
    if (!request.url().startsWith(`${app.url}/auth/oidc/callback`)) return;
    const params = new URL(request.url()).searchParams;
    for (const name of ['code', 'state']) if (params.get(name)) secrets.add(params.get(name)!);
  });
  return page;
}

/** The refresh tokens Sopu holds for this person's sessions now (opened with the key file beside the database). */
async function noteRefreshTokens(userId: string) {
  const box = createSecretBox(resolveSecretsKey({ databaseUrl: app.databaseUrl }));
  for (const row of await db.selectFrom('idp_sessions').select(['session_id', 'refresh_token_enc']).where('user_id', '=', userId).execute()) {
    if (row.refresh_token_enc) secrets.add(box.open(row.refresh_token_enc, `refresh:${row.session_id}`));
  }
}

/** The operator's command, as a process, against the server's database (the same key file beside it). */
function sopu(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'services/ops/src/cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: app.databaseUrl, PUBLIC_URL: app.url },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  // Sessions from the provider are re-checked every 3 s here (10 min by default).
  app = await startApp({ env: { IDP_RECHECK_MINUTES: '0.05' } });
  idp = await startTestIdp({ clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: `${app.url}/auth/oidc/callback` }], people: [LIISA, TAPIO, OUTSIDER] });
  const added = sopu('idp', 'add', '--municipality', '205', '--issuer', idp.issuer, '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET, '--domains', 'kajaani.example');
  expect(added.stderr).toBe('');
  expect(added.status).toBe(0);
  expect(added.stdout).toContain(`${app.url}/auth/oidc/callback`);
  expect(added.stdout).not.toContain(CLIENT_SECRET);
  browser = await launchBrowser();
  db = await createDb({ url: app.databaseUrl });
});

afterAll(async () => {
  await people.close();
  await browser?.close();
  await db?.destroy();
  await idp?.close();
  await app?.stop();
  expect(people.pageErrors).toEqual([]);
});

/** At the provider's login page: sign in as this person. */
async function atProvider(page: Page, who: TestIdpPerson) {
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The address on Sopu's login page, then the provider's login: returns the URL the provider sent the browser back to. */
async function signInAt(page: Page, email: string, who: TestIdpPerson): Promise<string> {
  let callback = '';
  const seen = (request: { url(): string }) => {
    if (request.url().startsWith(`${app.url}/auth/oidc/callback`)) callback = request.url();
  };
  page.on('request', seen);
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Sähköpostiosoite').fill(email);
  await page.getByRole('button', { name: 'Jatka', exact: true }).click();
  await atProvider(page, who);
  await page.waitForURL((url) => url.origin === app.url && url.pathname !== '/login');
  page.off('request', seen);
  expect(callback).toMatch(/[?&]code=/);
  return callback;
}

const counts = async () => {
  const count = async (table: 'sessions' | 'users' | 'memberships' | 'user_identities' | 'idp_sessions') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { sessions: await count('sessions'), users: await count('users'), memberships: await count('memberships'), identities: await count('user_identities'), idpSessions: await count('idp_sessions') };
};

/** The page says the sign-in was refused and why; the browser has no session from it (nor had one before, unless said). */
async function expectRefused(page: Page, reason: string, shot: string, options: { signedIn?: boolean } = {}) {
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kirjautuminen ei onnistunut');
  expect(await page.locator('[data-reason]').getAttribute('data-reason')).toBe(reason);
  expect(await page.getByText('Kirjautumista ei tehty').count()).toBe(1);
  const session = (await page.context().cookies(app.url)).some((cookie) => cookie.name === 'sopu_session');
  expect(session).toBe(options.signedIn ?? false);
  await screenshot(page, shot);
}

describe('signing in at the municipality', () => {
  let liisa: Page;

  it('an invitation to a Kajaani address is accepted at the provider: no password, exactly the invited role', async () => {
    const admin = await freshPage();
    await login(admin, 'admin.kajaani@sopu.example');
    await admin.goto(`/areas/${AREA}/members`);
    await hydrated(admin);
    await admin.locator('#invite-email').fill(LIISA.email);
    await admin.locator('#invite-displayName').fill('Liisa Laine');
    await admin.locator('#invite-municipalityCode').selectOption({ label: 'Kajaani' });
    await admin.locator('#invite-role').selectOption({ label: 'Valmistelija' });
    await admin.getByRole('button', { name: 'Lähetä kutsu' }).click();
    await expect.poll(() => admin.getByRole('status').filter({ hasText: 'Kutsu on tallennettu' }).count()).toBe(1);
    await admin.goto('/dev/mailbox');
    const link = await admin.locator(`article.message[data-to="${LIISA.email}"] pre.message-body a[href*="/invitations/"]`).first().getAttribute('href');

    liisa = await freshPage();
    await liisa.goto(link!);
    await hydrated(liisa);
    // No password form: the municipality's accounts.
    expect(await liisa.getByLabel('Salasana', { exact: true }).count()).toBe(0);
    await screenshot(liisa, 'sign-in-invitation');
    await expectAccessible(liisa);
    await liisa.getByRole('button', { name: 'Kirjaudu kunnan tunnuksilla ja hyväksy kutsu' }).click();
    await liisa.waitForURL((url) => url.origin === idp.issuer);
    await screenshot(liisa, 'sign-in-provider-login');
    await atProvider(liisa, LIISA);
    await liisa.waitForURL(`${app.url}/areas/${AREA}`);
    expect(await liisa.locator('.person').textContent()).toContain('Liisa Laine');
    const user = await db.selectFrom('users').select(['id', 'password_hash']).where('email', '=', LIISA.email).executeTakeFirstOrThrow();
    expect(user.password_hash).toBeNull();
    const roles = await db.selectFrom('memberships').innerJoin('municipalities', 'municipalities.id', 'memberships.municipality_id').select(['memberships.role', 'municipalities.code']).where('user_id', '=', user.id).execute();
    expect(roles).toEqual([{ role: 'drafter', code: '205' }]);
  });

  it('the login page sends a Kajaani address to the provider and back; a password is never asked', async () => {
    await liisa.context().clearCookies();
    const callback = await signInAt(liisa, LIISA.email, LIISA);
    // Home, which opens her one area.
    expect(new URL(liisa.url()).pathname).toBe(`/areas/${AREA}`);
    expect(new URL(callback).searchParams.get('state')).toMatch(/.{20,}/);
    expect(await liisa.locator('.person').textContent()).toContain('Liisa Laine');
  });
});

describe('without JavaScript', () => {
  it("the login page's form may send the browser to the provider: its form-action allows the provider's origin, and only it", async () => {
    const page = await freshPage({ javaScriptEnabled: false });
    const response = await page.goto('/login');
    const csp = response!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain(`form-action 'self' ${idp.issuer};`);
    expect(response!.headers()['x-sopu-form-action']).toBeUndefined();
    await page.getByLabel('Sähköpostiosoite').fill(LIISA.email);
    await page.getByRole('button', { name: 'Jatka', exact: true }).click();
    await atProvider(page, LIISA);
    await page.waitForURL(`${app.url}/areas/${AREA}`);
    expect(await page.locator('.person').textContent()).toContain('Liisa Laine');
  });
});

describe("the attacker's view: refused with a page that says why, nobody signed in", () => {
  it("another browser's callback (a login forced on someone) is refused; the real browser completes; then replayed, it is refused", async () => {
    const victim = await freshPage();
    // The victim's trip to the provider and back, the provider's part done by HTTP: its callback URL, not yet opened.
    let authorization = '';
    await victim.route(`${idp.issuer}/auth?**`, async (route) => {
      authorization = route.request().url();
      await route.abort();
    });
    await victim.goto('/login');
    await hydrated(victim);
    await victim.getByLabel('Sähköpostiosoite').fill(LIISA.email);
    await victim.getByRole('button', { name: 'Jatka', exact: true }).click();
    await until(() => authorization !== '', 'Sopu to send the browser to the provider');
    await victim.unrouteAll();
    const held = await idp.signInByHttp(authorization, LIISA, `${app.url}/auth/oidc/callback`);
    const before = await counts();

    const attacker = await freshPage();
    expect((await attacker.goto(held))?.status()).toBe(400);
    await expectRefused(attacker, 'wrong_state', 'sign-in-refused-wrong-state');
    await expectAccessible(attacker);
    expect(await counts()).toEqual(before);

    await victim.goto(held);
    await victim.waitForURL((url) => url.origin === app.url && !url.pathname.startsWith('/auth/') && url.pathname !== '/login');
    expect(await victim.locator('.person').textContent()).toContain('Liisa Laine');
    const signedIn = await counts();
    expect(signedIn.sessions).toBe(before.sessions + 1);

    expect((await victim.goto(held))?.status()).toBe(400);
    await expectRefused(victim, 'state_used', 'sign-in-refused-replayed', { signedIn: true });
    expect(await counts()).toEqual(signedIn);
  });

  const resigned = (change: (c: Record<string, unknown>) => Record<string, unknown>): IdTokenChange => ({ kind: 'claims', change });
  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['a token for another audience', resigned((c) => ({ ...c, aud: 'another-app' })), 'foreign_audience'],
    ['an expired token', resigned((c) => ({ ...c, iat: now() - 7200, exp: now() - 3600 })), 'expired'],
    ['a token from an unknown issuer', resigned((c) => ({ ...c, iss: 'https://login.evil.example' })), 'unknown_issuer'],
    ['a token changed after signing', { kind: 'tamper', change: (c) => ({ ...c, sub: TAPIO.subject }) } satisfies IdTokenChange, 'bad_signature'],
  ])('%s is refused', async (_name, change, reason) => {
    const page = await freshPage();
    const before = await counts();
    idp.changeNextIdToken(change);
    await page.goto('/login');
    await hydrated(page);
    await page.getByLabel('Sähköpostiosoite').fill(LIISA.email);
    await page.getByRole('button', { name: 'Jatka', exact: true }).click();
    const answer = page.waitForResponse((r) => r.url().startsWith(`${app.url}/auth/oidc/callback`));
    await atProvider(page, LIISA);
    expect((await answer).status()).toBe(401);
    await page.waitForURL((url) => url.origin === app.url && url.pathname === '/auth/oidc/callback');
    await expectRefused(page, reason, `sign-in-refused-${reason.replace(/_/g, '-')}`);
    expect(await counts()).toEqual(before);
  });

  it('an address outside the provider\'s domains is refused', async () => {
    const page = await freshPage();
    const before = await counts();
    await page.goto('/login');
    await page.getByLabel('Sähköpostiosoite').fill(LIISA.email);
    await page.getByRole('button', { name: 'Jatka', exact: true }).click();
    const answer = page.waitForResponse((r) => r.url().startsWith(`${app.url}/auth/oidc/callback`));
    await atProvider(page, OUTSIDER);
    expect((await answer).status()).toBe(403);
    await page.waitForURL((url) => url.origin === app.url && url.pathname === '/auth/oidc/callback');
    await expectRefused(page, 'email_domain', 'sign-in-refused-email-domain');
    expect(await counts()).toEqual(before);
  });
});

describe('the re-check', () => {
  it('a person disabled at the provider loses their session at the next re-check', async () => {
    const page = await freshPage();
    await signInAt(page, LIISA.email, LIISA);
    await page.goto(`/areas/${AREA}`);
    expect(new URL(page.url()).pathname).toBe(`/areas/${AREA}`);
    const liisaId = (await db.selectFrom('users').select('id').where('email', '=', LIISA.email).executeTakeFirstOrThrow()).id;
    await noteRefreshTokens(liisaId);
    const ended = () => db.selectFrom('security_events').select('id').where('kind', '=', 'idp_session_ended').where('user_id', '=', liisaId).execute();
    expect(await ended()).toEqual([]);
    idp.disable(LIISA.subject);
    // The server's signal: it ended her sessions (each of her browsers' sessions came from the provider).
    await until(async () => (await ended()).length > 0 && (await db.selectFrom('idp_sessions').select('session_id').where('user_id', '=', liisaId).execute()).length === 0, 'the re-check to end her sessions', 30_000, 200);
    await page.goto(`/areas/${AREA}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    // …and she cannot sign in again (in a browser without her session at the provider either).
    const again = await freshPage();
    await again.goto('/login');
    await again.getByLabel('Sähköpostiosoite').fill(LIISA.email);
    await again.getByRole('button', { name: 'Jatka', exact: true }).click();
    await atProvider(again, LIISA);
    await again.getByText('This account is disabled.').waitFor();
    expect(new URL(again.url()).origin).toBe(idp.issuer);
  });
});

describe('the server log', () => {
  it('names the callback by its route only: no code, state, refresh token or client secret in any line', async () => {
    const output = app.output();
    // The callbacks were logged (a JSON line each, by route pattern)…
    expect(output).toContain('"route":"/auth/oidc/callback"');
    // …and every secret of the run was seen: the client secret, codes and states of each callback, refresh tokens.
    expect(secrets.size).toBeGreaterThan(10);
    const leaked = [...secrets].filter((secret) => output.includes(secret)).map((secret) => `${secret.slice(0, 6)}…`);
    expect(leaked).toEqual([]);
  });
});
