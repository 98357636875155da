import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PASSWORD_MAX_LENGTH } from '@sopu/auth';
import { REDACTED_LINK } from '@sopu/core';
import { DEMO_PASSWORD } from '@sopu/core/demo';
import { tableCounts } from '@sopu/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEnv } from '../env.ts';
import { MAX_BODY_BYTES } from './app.ts';
import { startSmtpSink } from './smtp-sink.ts';
import { cookieFor, form, FORM, requestWithHost, startTestSopu, upgradeWithHost, type TestSopu } from './test-server.ts';

const AREA = 'kainuu-koillismaa';
const ADMIN = 'admin.kajaani@sopu.example';
const EVIL = 'https://evil.example';
/** A further allowed origin (ALLOWED_ORIGINS) whose host is not the one requests are sent to. */
const FURTHER_ORIGIN = 'https://sopu.kunta.example';

let s: TestSopu;
let adminCookie: string;
beforeAll(async () => {
  s = await startTestSopu({ ALLOWED_ORIGINS: FURTHER_ORIGIN }, { pruneIntervalMs: 100 });
  adminCookie = await cookieFor(s.sopu, ADMIN);
}, 180_000);
afterAll(async () => {
  await s?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(s.base + path, { headers, redirect: 'manual' });
const post = (path: string, body: string, headers: Record<string, string>) => fetch(s.base + path, { method: 'POST', body, headers, redirect: 'manual' });
const sameOrigin = () => ({ origin: s.base });

function expectSecurityHeaders(res: Response, what: string) {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('referrer-policy'), what).toBe('same-origin');
  expect(res.headers.get('cross-origin-opener-policy'), what).toBe('same-origin');
  expect(res.headers.get('permissions-policy'), what).toContain('camera=()');
}

/**
 * The whole policy, exactly: adding a source (`'unsafe-eval'`) or dropping a directive fails. The nonce is 16 random
 * bytes in base64, the same one the page's inline scripts carry, and the live connection is to the page's own host.
 */
function expectedCsp(res: Response, html: string): string {
  const csp = res.headers.get('content-security-policy') ?? '';
  const nonce = /'nonce-([A-Za-z0-9+/]{22}==)'/.exec(csp)?.[1];
  expect(nonce, csp).toBeDefined();
  expect(html).toContain(`<script nonce="${nonce}"`);
  const host = new URL(s.base).host;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://${host} wss://${host}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

describe('headers', () => {
  it('security headers on pages, the API, assets and errors; CSP with a nonce on pages; no HSTS over http', async () => {
    const asset = readdirSync(fileURLToPath(new URL('../build/client/assets', import.meta.url))).find((f) => f.endsWith('.js'));
    for (const path of ['/login', '/api/v1/openapi.json', `/assets/${asset}`, '/no-such-page', '/api/v1/nope']) {
      const res = await get(path);
      expectSecurityHeaders(res, path);
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }
    // Remix reports the unknown page on the console (expected here): that one warning, and nothing else.
    expect(vi.mocked(console.warn).mock.calls).toEqual([['No routes matched location "/no-such-page" ']]);
    expect(vi.mocked(console.error).mock.calls).toEqual([]);
    vi.mocked(console.warn).mockClear();
    const page = await get('/login');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(expectedCsp(page, await page.text()));
    // A nonce is per response.
    const again = await get('/login');
    expect(again.headers.get('content-security-policy')).toBe(expectedCsp(again, await again.text()));
    expect(again.headers.get('content-security-policy')).not.toBe(page.headers.get('content-security-policy'));
    expect((await get(`/assets/${asset}`)).headers.get('cache-control')).toContain('immutable');
  });

  it('Cache-Control: no-store on signed-in pages and API answers', async () => {
    for (const path of [`/areas/${AREA}`, `/areas/${AREA}/members`, `/areas/${AREA}/outbox`, '/api/v1/me', `/api/v1/areas/${AREA}`]) {
      const res = await get(path, { cookie: adminCookie });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('HSTS when PUBLIC_URL is https; there the dev mailbox does not exist and no demo is seeded', async () => {
    const https = await startTestSopu({ PUBLIC_URL: 'https://sopu.example.fi' });
    try {
      const res = await requestWithHost(https.base, '/login', 'sopu.example.fi');
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect((await requestWithHost(https.base, '/dev/mailbox', 'sopu.example.fi')).status).toBe(404);
      expect((await tableCounts(https.sopu.deps.db)).users).toBe(0);
    } finally {
      await https.stop();
    }
  });
});

describe('demo data', () => {
  it('is seeded on a local address by default, on request elsewhere, never with https', () => {
    const env = (vars: Record<string, string>) => readEnv({ PORT: '0', ...vars });
    expect(env({}).seedDemo).toBe(true);
    expect(env({ PUBLIC_URL: 'http://127.0.0.1:3000' }).seedDemo).toBe(true);
    expect(env({ PUBLIC_URL: 'http://sopu.internal' }).seedDemo).toBe(false);
    expect(env({ PUBLIC_URL: 'http://sopu.internal', SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(env({ PUBLIC_URL: 'http://localhost', SEED_DEMO: 'false' }).seedDemo).toBe(false);
    expect(env({ PUBLIC_URL: 'https://sopu.example.fi' }).seedDemo).toBe(false);
    expect(() => env({ PUBLIC_URL: 'https://sopu.example.fi', SEED_DEMO: 'true' })).toThrow(/SEED_DEMO.*https/);
  });

  it('the server on localhost has the demo users', async () => {
    expect((await tableCounts(s.sopu.deps.db)).users).toBeGreaterThan(10);
  });
});

describe('languages', () => {
  it('the server renders pages in the language asked for, translated (never the keys), and sends the browser only that language', async () => {
    const titles = { fi: 'Kirjaudu sisään – Sopu', sv: 'Logga in – Sopu', en: 'Log in – Sopu' };
    for (const [lang, title] of Object.entries(titles)) {
      const html = await (await get('/login', { 'accept-language': lang })).text();
      expect(html, lang).toContain(`<html lang="${lang}"`);
      expect(html.match(/<title>([^<]*)<\/title>/)?.[1], lang).toBe(title);
    }
    // The translations are chunks of their own, one per language, not in the entry every page loads.
    const assets = readdirSync(fileURLToPath(new URL('../build/client/assets/', import.meta.url)));
    for (const lang of ['fi', 'sv', 'en']) expect(assets.some((f) => new RegExp(`^locale-${lang}-[\\w-]+\\.js$`).test(f)), lang).toBe(true);
    // …and the page preloads its own, so that hydration does not wait for it.
    const sv = await (await get('/login', { 'accept-language': 'sv' })).text();
    const preload = sv.match(/<link rel="modulepreload" href="(\/assets\/locale-sv-[\w-]+\.js)"/)?.[1];
    expect(preload).toBeDefined();
    expect((await get(preload!)).status).toBe(200);
  });
});

describe('the Origin guard', () => {
  it('a bearer header (in any case) does not exempt a cookie-authenticated Remix action from the Origin check', async () => {
    const token = adminCookie.split('=')[1]!;
    const invite = { intent: 'invite', email: 'bearer.csrf@example.fi', displayName: 'Bearer', municipalityCode: '290', role: 'viewer' };
    const before = await tableCounts(s.sopu.deps.db);
    for (const authorization of ['Bearer anything', 'bearer anything', `Bearer ${token}`]) {
      for (const origin of [EVIL, undefined]) {
        const headers = { 'content-type': FORM, cookie: adminCookie, authorization, ...(origin ? { origin } : {}) };
        const res = await post(`/areas/${AREA}/members`, form(invite), headers);
        expect(res.status, `${authorization} from ${origin}`).toBe(403);
        expect((await post('/logout', '', headers)).status, `logout: ${authorization} from ${origin}`).toBe(403);
      }
    }
    expect(await tableCounts(s.sopu.deps.db)).toEqual(before);
    expect((await get(`/areas/${AREA}`, { cookie: adminCookie })).status).toBe(200);
  });

  it('an allowed origin whose host is not the Host (a further origin, a proxy rewriting Host, an X-Forwarded-Host) works: no 500', async () => {
    const invite = (email: string, displayName: string) => form({ intent: 'invite', email, displayName, municipalityCode: '290', role: 'viewer' });
    const before = await tableCounts(s.sopu.deps.db);
    const further = await post(`/areas/${AREA}/members`, invite('further.origin@example.fi', 'Further Origin'), { 'content-type': FORM, origin: FURTHER_ORIGIN, cookie: adminCookie });
    expect(further.status).toBe(200);
    const forwarded = await post(`/areas/${AREA}/members`, invite('forwarded.host@example.fi', 'Forwarded Host'), { 'content-type': FORM, ...sameOrigin(), 'x-forwarded-host': 'evil.example', cookie: adminCookie });
    expect(forwarded.status).toBe(200);
    expect((await tableCounts(s.sopu.deps.db)).invitations).toBe(before.invitations + 2);
    // A login from the further origin signs in; a wrong password is the form's answer, not a server error.
    const wrong = await post('/login', form({ email: ADMIN, password: 'not-the-password' }), { 'content-type': FORM, origin: FURTHER_ORIGIN });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Sähköpostiosoite tai salasana on väärin.');
    const right = await post('/login', form({ email: ADMIN, password: DEMO_PASSWORD }), { 'content-type': FORM, origin: FURTHER_ORIGIN, 'x-forwarded-host': 'elsewhere.example' });
    expect(right.status).toBe(302);
    expect(right.headers.get('set-cookie')).toMatch(/^sopu_session=/);
  });

  it('compares the Origin by scheme, host and port', async () => {
    const before = await tableCounts(s.sopu.deps.db);
    const { hostname, port } = new URL(s.base);
    for (const origin of [`https://${hostname}:${port}`, `http://${hostname}:${Number(port) + 1}`, `http://${hostname}`]) {
      const res = await post('/language', form({ lang: 'sv', redirectTo: '/login' }), { 'content-type': FORM, origin });
      expect(res.status, origin).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect(await tableCounts(s.sopu.deps.db)).toEqual(before);
  });

  it('refuses an API mutation from another origin or none, and accepts the same origin', async () => {
    const body = JSON.stringify({ email: ADMIN, password: 'wrong-password-1' });
    const before = await tableCounts(s.sopu.deps.db);
    for (const headers of [{ origin: EVIL }, {}] as Array<Record<string, string>>) {
      const res = await post('/api/v1/session', body, { 'content-type': 'application/json', ...headers });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    expect(await tableCounts(s.sopu.deps.db)).toEqual(before);
    expect((await post('/api/v1/session', body, { 'content-type': 'application/json', ...sameOrigin() })).status).toBe(401);
  });

  it('refuses a cross-origin form POST to a Remix action (login, invite) and changes nothing', async () => {
    const before = await tableCounts(s.sopu.deps.db);
    const login = await post('/login', form({ email: ADMIN, password: DEMO_PASSWORD }), { 'content-type': FORM, origin: EVIL });
    expect(login.status).toBe(403);
    expect(login.headers.get('set-cookie')).toBeNull();
    const invite = { intent: 'invite', email: 'csrf@example.fi', displayName: 'CSRF', municipalityCode: '290', role: 'viewer' };
    const members = await post(`/areas/${AREA}/members`, form(invite), { 'content-type': FORM, origin: EVIL, cookie: adminCookie });
    expect(members.status).toBe(403);
    expect(await tableCounts(s.sopu.deps.db)).toEqual(before);

    // The same request from our own origin does invite: the refusal above was the guard's.
    const ok = await post(`/areas/${AREA}/members`, form(invite), { 'content-type': FORM, ...sameOrigin(), cookie: adminCookie });
    expect(ok.status).toBe(200);
    expect((await tableCounts(s.sopu.deps.db)).invitations).toBe(before.invitations + 1);
  });
});

describe('the Host header', () => {
  const port = () => new URL(s.base).port;

  it('a Host we do not serve is refused (421) on pages, the API, the development mailbox and collab upgrades, before anything runs', async () => {
    await post(`/areas/${AREA}/members`, form({ intent: 'invite', email: 'rebinding@example.fi', displayName: 'Rebinding', municipalityCode: '290', role: 'viewer' }), { 'content-type': FORM, ...sameOrigin(), cookie: adminCookie });
    const [documentId] = (await s.sopu.deps.db.selectFrom('documents').select('id').execute()).map((d) => d.id);
    const before = await tableCounts(s.sopu.deps.db);
    // A page on evil.example that the attacker's DNS points at 127.0.0.1 sends its own name as the Host.
    for (const host of ['evil.example', `evil.example:${port()}`, `localhost.evil.example:${port()}`, `127.0.0.1.nip.io:${port()}`]) {
      const mailbox = await requestWithHost(s.base, '/dev/mailbox', host);
      expect(mailbox.status, host).toBe(421);
      expect(mailbox.text).not.toContain('/invitations/');
      expect(mailbox.text).toContain('Unknown host');
      expect(mailbox.headers['x-frame-options']).toBe('DENY');
      const api = await requestWithHost(s.base, '/api/v1/me', host, { headers: { cookie: adminCookie } });
      expect(api.status, host).toBe(421);
      expect(JSON.parse(api.text)).toEqual({ error: { code: 'misdirected_request', message: expect.any(String) } });
      const login = await requestWithHost(s.base, '/login', host, { method: 'POST', headers: { 'content-type': FORM, origin: `http://${host}` }, body: form({ email: ADMIN, password: DEMO_PASSWORD }) });
      expect(login.status, host).toBe(421);
      expect(login.headers['set-cookie']).toBeUndefined();
      expect(await upgradeWithHost(s.base, `/collab/${documentId}`, host, { cookie: adminCookie, origin: `http://${host}` }), host).toBe(421);
    }
    expect(await tableCounts(s.sopu.deps.db)).toEqual(before);
  });

  it('on a local PUBLIC_URL every loopback name is served, on any port', async () => {
    const [documentId] = (await s.sopu.deps.db.selectFrom('documents').select('id').execute()).map((d) => d.id);
    for (const host of [`localhost:${port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`, 'localhost', `LOCALHOST:${port()}`]) {
      const mailbox = await requestWithHost(s.base, '/dev/mailbox', host);
      expect(mailbox.status, host).toBe(200);
      expect(mailbox.text).toContain('/invitations/');
    }
    for (const host of [`localhost:${port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`]) {
      expect(await upgradeWithHost(s.base, `/collab/${documentId}`, host, { cookie: adminCookie, origin: `http://${host}` }), host).toBe(101);
    }
  });

  it('on a public address only the hosts of PUBLIC_URL and ALLOWED_ORIGINS, with their ports', async () => {
    const other = await startTestSopu({ PUBLIC_URL: 'https://sopu.example.fi', ALLOWED_ORIGINS: 'https://sopu.kunta.example:8443' });
    try {
      const served = ['sopu.example.fi', 'sopu.example.fi:443', 'SOPU.example.fi', 'sopu.kunta.example:8443'];
      const refused = ['sopu.example.fi:80', 'sopu.example.fi:8443', 'sopu.kunta.example', 'localhost', `localhost:${other.sopu.port}`, `127.0.0.1:${other.sopu.port}`, 'sopu.example.fi.evil.example'];
      for (const host of served) expect((await requestWithHost(other.base, '/login', host)).status, host).toBe(200);
      for (const host of refused) expect((await requestWithHost(other.base, '/login', host)).status, host).toBe(421);
    } finally {
      await other.stop();
    }
  });
});

describe('login lock-out and the unlock link', () => {
  const OWNER = 'drafter.kuusamo@sopu.example';
  const loginForm = (password: string, cookie?: string) => post('/login', form({ email: OWNER, password }), { 'content-type': FORM, ...sameOrigin(), ...(cookie ? { cookie } : {}) });

  it('five wrong passwords lock the account (429, Retry-After, the help text); the mailed link, confirmed in a browser, lets that browser in', async () => {
    for (let i = 0; i < 5; i++) expect((await loginForm(`wrong-password-${i}`)).status).toBe(401);
    const refused = await loginForm(DEMO_PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    const page = await refused.text();
    expect(page).toContain('Liian monta epäonnistunutta yritystä. Yritä uudelleen 1 minuutin kuluttua.');
    expect(page).toContain('Kirjautuminen toimii edelleen selaimilla, joilla olet kirjautunut aiemmin.');

    // The owner's mail, in the development mailbox (no area: the area row is left out).
    const mailbox = await (await get('/dev/mailbox')).text();
    const article = mailbox.split('<article').find((part) => part.includes(`data-to="${OWNER}"`) && part.includes('/unlock/')) ?? '';
    const link = /href="(http:\/\/localhost\/unlock\/[a-z2-7]{32})"/.exec(article)?.[1];
    expect(link).toBeDefined();
    expect(article).not.toContain('Alue</dt>');
    const path = new URL(link!).pathname;

    // Opening the link shows whose lock it lifts and changes nothing; confirming it sets the device cookie.
    const before = await tableCounts(s.sopu.deps.db);
    const shown = await get(path);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain(OWNER);
    expect(await tableCounts(s.sopu.deps.db)).toEqual(before);
    const crossSite = await post(path, '', { 'content-type': FORM, origin: EVIL });
    expect(crossSite.status).toBe(403);
    const confirmed = await post(path, '', { 'content-type': FORM, ...sameOrigin() });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get('location')).toBe('/login?notice=unlocked');
    const [, device, maxAge] = /^(sopu_device=[a-z2-7]{32}); Path=\/; Max-Age=(\d+); HttpOnly; SameSite=Strict$/.exec(confirmed.headers.get('set-cookie') ?? '') ?? [];
    expect(device).toBeDefined();
    // 180 days from when the device was stored, a moment before the header was written.
    expect(180 * 86_400 - Number(maxAge)).toBeGreaterThanOrEqual(0);
    expect(180 * 86_400 - Number(maxAge)).toBeLessThan(60);
    expect(await (await get('/login?notice=unlocked')).text()).toContain('Lukitus on avattu tässä selaimessa. Kirjaudu sisään.');

    // The attacker locks the account again at once: the browser that opened the link logs in all the same.
    for (let i = 0; i < 5; i++) expect((await loginForm(`wrong-again-${i}`)).status).toBe(401);
    expect((await loginForm(DEMO_PASSWORD)).status).toBe(429);
    const known = await loginForm(DEMO_PASSWORD, device);
    expect(known.status).toBe(302);
    const cookies = known.headers.getSetCookie();
    expect(cookies.map((c) => c.split('=')[0])).toEqual(['sopu_session', 'sopu_device']);
    expect((await get('/api/v1/me', { cookie: cookies[0]!.split(';')[0]! })).status).toBe(200);

    // The link worked once.
    const again = await get(path);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('Linkki on jo käytetty');
    expect((await get('/unlock/abcdefghijklmnopqrstuvwxyz234567')).status).toBe(404);
  });
});

describe('body limits', () => {
  const big = 'x'.repeat(MAX_BODY_BYTES + 1);

  it('413 JSON for the API and a plain page elsewhere, before any handler runs', async () => {
    const before = await tableCounts(s.sopu.deps.db);
    const api = await post('/api/v1/session', JSON.stringify({ email: ADMIN, password: big }), { 'content-type': 'application/json', ...sameOrigin() });
    expect(api.status).toBe(413);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expectSecurityHeaders(api, 'api 413');
    const page = await post('/login', form({ email: ADMIN, password: big }), { 'content-type': FORM, ...sameOrigin() });
    expect(page.status).toBe(413);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Pyyntö on liian suuri');
    expect(await tableCounts(s.sopu.deps.db)).toEqual(before);
  });

  it('a chunked body without Content-Length is limited too, while a small one goes through', async () => {
    const chunked = (text: string, chunks: number) =>
      fetch(`${s.base}/login`, {
        method: 'POST',
        headers: { 'content-type': FORM, ...sameOrigin() },
        duplex: 'half',
        redirect: 'manual',
        body: new ReadableStream({
          start(controller) {
            const size = Math.ceil(text.length / chunks);
            for (let i = 0; i < text.length; i += size) controller.enqueue(new TextEncoder().encode(text.slice(i, i + size)));
            controller.close();
          },
        }),
      } as RequestInit);
    const huge = await chunked(form({ email: ADMIN, password: 'y'.repeat(4 * MAX_BODY_BYTES) }), 64);
    expect(huge.status).toBe(413);
    const small = await chunked(form({ email: ADMIN, password: '' }), 3);
    expect(small.status).toBe(400);
  });

  it('an exported file to verify may be larger, up to its own limit, on the verify paths only', async () => {
    const upload = (path: string, bytes: number, headers: Record<string, string> = {}) => {
      const body = new FormData();
      body.set('file', new Blob([new Uint8Array(bytes)]), 'sopu.pdf');
      return fetch(s.base + path, { method: 'POST', body, headers: { ...sameOrigin(), cookie: adminCookie, ...headers }, redirect: 'manual' });
    };
    // A megabyte reaches the use case, which says what it is not.
    const api = await upload('/api/v1/verify', 1024 * 1024);
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({ error: { code: 'invalid_input', issues: [{ code: 'not_pdf_or_docx' }] } });
    const tooBig = await upload('/api/v1/verify', 30 * 1024 * 1024);
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    // The verify page's action too, posted as a form or by Remix's single fetch: the page answers in words.
    for (const path of [`/areas/${AREA}/verify`, `/areas/${AREA}/verify.data`]) {
      const page = await upload(path, 1024 * 1024);
      expect(page.status, path).toBe(200);
      expect(await page.text(), path).toContain('not_pdf_or_docx');
    }
    // Elsewhere the forms' limit holds, for the API and pages alike.
    expect((await upload('/api/v1/session', 1024 * 1024)).status).toBe(413);
    expect((await upload(`/areas/${AREA}/members`, 1024 * 1024)).status).toBe(413);
  });

  it('a consultation attachment may be larger than a form, up to its own 10 MB, on the attachment paths only; served as a download', async () => {
    const { getRound, listRounds } = await import('@sopu/core');
    const { actorFor } = await import('@sopu/core/testing');
    const deps = s.sopu.deps;
    const admin = await actorFor(deps, ADMIN);
    const rules = (await deps.db.selectFrom('documents').innerJoin('areas', 'areas.id', 'documents.area_id').select('documents.id').where('areas.slug', '=', AREA).where('documents.kind', '=', 'administrative_rules').executeTakeFirstOrThrow()).id;
    // The demo's open round on the rules.
    const round = (await listRounds(deps, admin, rules)).find((r) => r.state === 'open')!;
    const statementId = (await getRound(deps, admin, round.id)).invitees[0]!.statementId;
    const upload = (path: string, bytes: Uint8Array, name: string) => {
      const body = new FormData();
      body.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
      return fetch(s.base + path, { method: 'POST', body, headers: { ...sameOrigin(), cookie: adminCookie }, redirect: 'manual' });
    };
    const program = new Uint8Array(1024 * 1024);
    program.set([0x4d, 0x5a]);
    new DataView(program.buffer).setUint32(0x3c, 0x80, true);
    program.set([0x50, 0x45, 0, 0], 0x80);
    // What the requests change; not the collab server's own writes on its schedule (an idle room's snapshot as it
    // unloads, its lease let go), which land whenever the room's timer fires.
    const counts = async () => {
      const { doc_snapshots: _snapshots, document_leases: _leases, ...rest } = await tableCounts(deps.db);
      return rest;
    };
    const before = await counts();
    // A megabyte passes the forms' limit and reaches the use case, which reads what it is: a program, not a PDF.
    for (const path of [`/api/v1/rounds/${round.id}/attachments`, `/api/v1/statements/${statementId}/attachments`]) {
      const renamed = await upload(path, program, 'lausunto.pdf');
      expect(renamed.status, path).toBe(400);
      expect(await renamed.json()).toMatchObject({ error: { code: 'invalid_input', issues: [{ code: 'unsupported_type' }] } });
      const tooBig = await upload(path, new Uint8Array(30 * 1024 * 1024), 'iso.pdf');
      expect(tooBig.status, path).toBe(413);
    }
    expect(await counts()).toEqual(before);
    // Elsewhere under /rounds the forms' limit holds.
    expect((await upload(`/api/v1/rounds/${round.id}/statements`, program, 'x.pdf')).status).toBe(413);

    const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    const stored = await upload(`/api/v1/rounds/${round.id}/attachments`, pdf, 'saate<script>.html');
    expect(stored.status).toBe(201);
    const { id, fileName } = (await stored.json()) as { id: string; fileName: string };
    expect(fileName).toBe('saate_script_.pdf');
    const file = await get(`/api/v1/attachments/${id}`, { cookie: adminCookie });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="saate_script_\.pdf"/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(pdf);
  }, 60_000);

  it('a password over PASSWORD_MAX_LENGTH (within the body limit) is refused before it is verified, on login and invitation', async () => {
    const long = 'p'.repeat(PASSWORD_MAX_LENGTH + 1);
    const before = await tableCounts(s.sopu.deps.db);
    const login = await post('/login', form({ email: ADMIN, password: long }), { 'content-type': FORM, ...sameOrigin() });
    expect(login.status).toBe(400);
    expect(await login.text()).toContain(`enintään ${PASSWORD_MAX_LENGTH} merkkiä`);
    const api = await post('/api/v1/session', JSON.stringify({ email: ADMIN, password: long }), { 'content-type': 'application/json', ...sameOrigin() });
    expect(api.status).toBe(400);
    // Nothing counted: the attempt never reached the throttle, let alone argon2.
    expect(await tableCounts(s.sopu.deps.db)).toEqual(before);

    const invited = await post(`/areas/${AREA}/members`, form({ intent: 'invite', email: 'long@example.fi', displayName: 'Long', municipalityCode: '290', role: 'viewer' }), { 'content-type': FORM, ...sameOrigin(), cookie: adminCookie });
    expect(invited.status).toBe(200);
    const link = await devMailboxLink('long@example.fi');
    const users = (await tableCounts(s.sopu.deps.db)).users;
    const accept = await post(new URL(link).pathname, form({ mode: 'new', displayName: 'Long', password: long, passwordConfirm: long }), { 'content-type': FORM, ...sameOrigin() });
    expect(accept.status).toBe(400);
    expect(await accept.text()).toContain(`enintään ${PASSWORD_MAX_LENGTH} merkkiä`);
    expect((await tableCounts(s.sopu.deps.db)).users).toBe(users);
  });
});

/** The newest invitation link to `to`, read from the development mailbox page as a person would. */
async function devMailboxLink(to: string): Promise<string> {
  const html = await (await get('/dev/mailbox')).text();
  const article = html.split('<article').find((part) => part.includes(`data-to="${to}"`)) ?? '';
  const link = /href="(http:\/\/localhost\/invitations\/[a-z2-7]+)"/.exec(article)?.[1];
  if (!link) throw new Error(`no invitation to ${to} in the dev mailbox`);
  return link;
}

describe('mail', () => {
  it('without SMTP on localhost: the dev mailbox has the working link, the admin\'s outbox hides it', async () => {
    await post(`/areas/${AREA}/members`, form({ intent: 'invite', email: 'dev.mailbox@example.fi', displayName: 'Dev', municipalityCode: '290', role: 'viewer' }), { 'content-type': FORM, ...sameOrigin(), cookie: adminCookie });
    const link = await devMailboxLink('dev.mailbox@example.fi');
    expect((await get(new URL(link).pathname)).status).toBe(200);
    const outbox = await (await get(`/areas/${AREA}/outbox`, { cookie: adminCookie })).text();
    expect(outbox).toContain('dev.mailbox@example.fi');
    expect(outbox).not.toContain(link.split('/').at(-1)!);
    expect(outbox).not.toContain('/invitations/');
    expect(outbox).toContain(REDACTED_LINK);
    expect(outbox).toContain('href="/dev/mailbox"');
  });

  it('with SMTP_URL: the invitation is delivered by SMTP and the dev mailbox does not exist', async () => {
    const sink = await startSmtpSink();
    const smtp = await startTestSopu({ SMTP_URL: sink.url, SMTP_FROM: 'Sopu <sopu@kunta.example>' }, { mailIntervalMs: 100 });
    try {
      const cookie = await cookieFor(smtp.sopu, ADMIN);
      const res = await fetch(`${smtp.base}/areas/${AREA}/members`, {
        method: 'POST',
        body: form({ intent: 'invite', email: 'smtp.person@example.fi', displayName: 'SMTP', municipalityCode: '290', role: 'viewer' }),
        headers: { 'content-type': FORM, origin: smtp.base, cookie },
      });
      expect(res.status).toBe(200);
      const deadline = Date.now() + 15_000;
      while (sink.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(sink.received.map((m) => m.to)).toEqual([['smtp.person@example.fi']]);
      expect(sink.received[0]!.text).toMatch(/http:\/\/localhost\/invitations\/[a-z2-7]{32}/);
      expect((await fetch(`${smtp.base}/dev/mailbox`)).status).toBe(404);
      const outbox = await (await fetch(`${smtp.base}/areas/${AREA}/outbox`, { headers: { cookie } })).text();
      expect(outbox).toContain('Lähetetty sähköpostilla');
    } finally {
      await smtp.stop();
      await sink.close();
    }
  });
});

describe('the invitation page', () => {
  it('shows both ways in without saying whether the address has an account; an account holder must sign in as it first', async () => {
    const holmpy = 'drafter.holmpy@sopu.example';
    await post(`/areas/${AREA}/members`, form({ intent: 'invite', email: holmpy, displayName: 'Kutsuttu Yksi', municipalityCode: '205', role: 'viewer' }), { 'content-type': FORM, ...sameOrigin(), cookie: adminCookie });
    await post(`/areas/${AREA}/members`, form({ intent: 'invite', email: 'brand.new@example.fi', displayName: 'Kutsuttu Kaksi', municipalityCode: '205', role: 'viewer' }), { 'content-type': FORM, ...sameOrigin(), cookie: adminCookie });
    const path = new URL(await devMailboxLink(holmpy)).pathname;
    const loginHref = `/login?${new URLSearchParams({ redirectTo: path })}`.replaceAll('&', '&amp;');

    // The page for an address with an account and for one without differ only in the address and the link.
    const page = await (await get(path)).text();
    const other = await (await get(new URL(await devMailboxLink('brand.new@example.fi')).pathname)).text();
    const shape = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/nonce="[^"]*"/g, '').replaceAll(holmpy, 'X').replaceAll('brand.new@example.fi', 'X').replace(/Kutsuttu (Yksi|Kaksi)/g, 'N').replace(/\/invitations\/[a-z2-7]+/g, '/invitations/T').replace(/(?<=redirectTo=%2Finvitations%2F)[a-z2-7]+/g, 'T');
    expect(shape(page)).toBe(shape(other));
    expect(page).toContain('Hyväksy kutsu ja luo tunnukset');
    expect(page).toContain(`href="${loginHref}"`);

    // Not signed in, or signed in as someone else: refused with the reason and the way back, nothing changes.
    const before = await tableCounts(s.sopu.deps.db);
    for (const [fields, cookie] of [
      [{ mode: 'existing' }, ''],
      [{ mode: 'new', displayName: 'Holmpy', password: 'a-password-of-my-own', passwordConfirm: 'a-password-of-my-own' }, ''],
      [{ mode: 'existing' }, adminCookie],
    ] as const) {
      const res = await post(path, form(fields), { 'content-type': FORM, ...sameOrigin(), ...(cookie ? { cookie } : {}) });
      expect(res.status).toBe(403);
      const html = await res.text();
      expect(html).toContain('Kutsun voi hyväksyä vain niillä kirjautuneena.');
      expect(html).toContain(`href="${loginHref}"`);
    }
    expect(await tableCounts(s.sopu.deps.db)).toEqual(before);

    // Signed in as the invitee: accepted, and still in the same session.
    const own = await cookieFor(s.sopu, holmpy);
    expect(await (await get(path, { cookie: own })).text()).toContain('Hyväksy kutsu tunnuksillasi');
    const accepted = await post(path, form({ mode: 'existing' }), { 'content-type': FORM, ...sameOrigin(), cookie: own });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get('location')).toBe(`/areas/${AREA}`);
    expect(accepted.headers.get('set-cookie')).toBeNull();
    expect((await get(`/areas/${AREA}`, { cookie: own })).status).toBe(200);
  });
});

describe('names', () => {
  it("the invitation form says why a name is refused: another member's, or with bidi controls; nothing is invited", async () => {
    const before = await tableCounts(s.sopu.deps.db);
    for (const [displayName, message] of [
      ['VALMISTELIJA  sotkamo', 'Alueella on jo jäsen tällä nimellä.'],
      ['Matti \u202eneniäläkieM', 'Nimessä ei voi olla tekstin suuntaa muuttavia ohjausmerkkejä.'],
      ['\u0000\u0000\u0000', 'Täytä tämä kenttä.'],
    ] as const) {
      const res = await post(`/areas/${AREA}/members`, form({ intent: 'invite', email: 'nimi@example.fi', displayName, municipalityCode: '290', role: 'viewer' }), { 'content-type': FORM, ...sameOrigin(), cookie: adminCookie });
      expect(res.status, displayName).toBe(400);
      expect(await res.text(), displayName).toContain(message);
    }
    expect(await tableCounts(s.sopu.deps.db)).toEqual(before);
  });
});

describe('robustness', () => {
  it('a malformed or huge cookie is not a 500, on pages or the API', async () => {
    for (const cookie of ['lang=%E0%A4%A', `lang=${'x'.repeat(6000)}`, 'sopu_session=%E0%A4%A', `theme=%; ${adminCookie}`]) {
      expect((await get('/login', { cookie })).status, cookie.slice(0, 30)).toBeLessThan(500);
      expect((await get('/api/v1/me', { cookie })).status, cookie.slice(0, 30)).toBeLessThan(500);
    }
    // A foreign malformed cookie does not hide a valid session.
    expect((await get('/api/v1/me', { cookie: `theme=%E0%A4%A; ${adminCookie}` })).status).toBe(200);
  });

  it('prunes expired sessions periodically', async () => {
    const cookie = await cookieFor(s.sopu, 'viewer.kuhmo@sopu.example');
    const id = (await s.sopu.deps.db.selectFrom('sessions').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
    await s.sopu.deps.db.updateTable('sessions').set({ expires_at: Date.now() - 1 }).where('id', '=', id).execute();
    const deadline = Date.now() + 5_000;
    while ((await s.sopu.deps.db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await s.sopu.deps.db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
    expect((await get('/api/v1/me', { cookie })).status).toBe(401);
  });
});

describe('exported files', () => {
  it('are drawn in the render pool, off the event loop that serves pages and live editing', async () => {
    const pool = s.sopu.deps.renderer as import('@sopu/exports').RenderPool | undefined;
    expect(pool?.load, 'the server has a worker pool').toBeTypeOf('function');
    const documentId = (await s.sopu.deps.db.selectFrom('documents').innerJoin('areas', 'areas.id', 'documents.area_id').select('documents.id').where('areas.slug', '=', AREA).where('documents.kind', '=', 'cooperation_agreement').executeTakeFirstOrThrow()).id;
    const pending = get(`/api/v1/documents/${documentId}/export?format=pdf`, { cookie: adminCookie });
    // While the file is drawn, the pool has it: the job is in a worker, not in this thread.
    const deadline = Date.now() + 30_000;
    let seen = false;
    while (!seen && Date.now() < deadline) {
      seen = pool!.load().running === 1;
      if (!seen) await new Promise((r) => setTimeout(r, 2));
    }
    const res = await pending;
    expect(seen).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(pool!.load()).toEqual({ running: 0, queued: 0 });
  }, 60_000);
});
