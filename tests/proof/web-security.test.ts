/**
 * Proof: the web security of the server as assembled (startSopu: Hono + Remix production build + API + collab on
 * one port, a database file of its own), checked from outside with real fetch and real WebSockets.
 * Short form in `npm test`; `npm run proof -- web-security` runs the long form (PROOF_LONG=1: more guesses, more
 * sizes, every page for every role).
 */
import { invitationLink } from '@sopu/core/testing';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../apps/web/server/app.ts';
import { cookieFor, ensureWebBuild, form, FORM, startTestSopu, type TestSopu } from '../../apps/web/server/test-server.ts';

const LONG = process.env.PROOF_LONG === '1';
const AREA = 'kainuu-koillismaa';
const OTHER_AREA = 'saaristo-skargard';
const ADMIN = 'admin.kajaani@sopu.example';
const DEMO_PASSWORD = 'sopu-demo-password';
const FOREIGN_ORIGINS = ['https://evil.example', 'null', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example'];
const ACCOUNT_LIMIT = 5; // DEFAULT_THROTTLE.accountFailures
const IP_LIMIT = 30; // DEFAULT_THROTTLE.ipFailures

let s: TestSopu;
const figures = { requests: 0, upgrades: 0, checks: 0, failed: 0, failures: [] as string[] };

/** A check that is counted and, when it fails, named; each test ends by expecting no failures. */
function check(ok: boolean, what: string): void {
  figures.checks++;
  if (!ok) figures.failures.push(what);
}
function noFailures(): void {
  const mine = figures.failures.splice(0);
  figures.failed += mine.length;
  expect(mine).toEqual([]);
}

async function http(path: string, init: RequestInit = {}): Promise<Response> {
  figures.requests++;
  return fetch(s.base + path, { redirect: 'manual', ...init });
}
const sameOrigin = () => s.base;
let ipSeq = 0;
/** A distinct client address per call (the server trusts the proxy's rightmost X-Forwarded-For entry here). */
const freshIp = () => `198.51.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
const counts = async () => {
  const db = s.sopu.deps.db;
  const tables = ['users', 'sessions', 'memberships', 'invitations', 'outbox', 'documents', 'audit_events', 'login_attempts'] as const;
  const out: Record<string, number> = {};
  for (const table of tables) out[table] = Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return out;
};

type Outcome = { kind: 'refused'; status: number } | { kind: 'closed'; code: number } | { kind: 'open'; ws: WebSocket };

/** Opens /collab/<documentId> as a browser would (cookie, Origin); what happened within `waitMs`. */
function upgrade(documentId: string, headers: { cookie?: string; origin?: string }, waitMs = 1_000): Promise<Outcome> {
  figures.upgrades++;
  return new Promise((resolve) => {
    const ws = new WebSocket(`${s.base.replace('http', 'ws')}/collab/${documentId}`, { headers: { ...(headers.cookie ? { cookie: headers.cookie } : {}), ...(headers.origin ? { origin: headers.origin } : {}) } });
    let timer: NodeJS.Timeout | undefined;
    ws.on('unexpected-response', (_req, res) => {
      resolve({ kind: 'refused', status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.on('error', () => undefined);
    ws.on('open', () => {
      timer = setTimeout(() => resolve({ kind: 'open', ws }), waitMs);
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve({ kind: 'closed', code });
    });
  });
}
const describeOutcome = (o: Outcome) => (o.kind === 'refused' ? `HTTP ${o.status}` : o.kind === 'closed' ? `closed ${o.code}` : 'open');

async function documentsOf(slug: string): Promise<string[]> {
  const rows = await s.sopu.deps.db.selectFrom('documents').innerJoin('areas', 'areas.id', 'documents.area_id').select('documents.id').where('areas.slug', '=', slug).execute();
  return rows.map((r) => r.id);
}
/** A consultation round of the area (the demo has some), for the round pages. */
async function roundOf(slug: string): Promise<string> {
  const row = await s.sopu.deps.db.selectFrom('consultation_rounds').innerJoin('areas', 'areas.id', 'consultation_rounds.area_id').select('consultation_rounds.id').where('areas.slug', '=', slug).executeTakeFirstOrThrow();
  return row.id;
}
async function sessionIdOf(cookie: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(cookie.split('=')[1]!).digest('hex');
}

beforeAll(async () => {
  ensureWebBuild();
  s = await startTestSopu({ TRUST_PROXY: 'true' });
}, 180_000);
afterAll(async () => {
  await s?.stop();
  console.log(`web-security${LONG ? ' (long)' : ''}: ${figures.requests} requests, ${figures.upgrades} WebSocket upgrades, ${figures.checks} checks, ${figures.failed} failures`);
});

describe('Origin on every mutation', () => {
  it('API mutations from a foreign or missing Origin: 403, nothing changed', async () => {
    const admin = await cookieFor(s.sopu, ADMIN);
    const before = await counts();
    for (const origin of [...FOREIGN_ORIGINS, undefined]) {
      const headers: Record<string, string> = { 'content-type': 'application/json', cookie: admin, ...(origin ? { origin } : {}) };
      const loginRes = await http('/api/v1/session', { method: 'POST', headers, body: JSON.stringify({ email: ADMIN, password: DEMO_PASSWORD }) });
      check(loginRes.status === 403 && !loginRes.headers.get('set-cookie'), `POST /api/v1/session from ${origin}: ${loginRes.status}`);
      const logoutRes = await http('/api/v1/session', { method: 'DELETE', headers });
      check(logoutRes.status === 403, `DELETE /api/v1/session from ${origin}: ${logoutRes.status}`);
    }
    check(JSON.stringify(await counts()) === JSON.stringify(before), 'tables changed after refused API mutations');
    check((await http('/api/v1/me', { headers: { cookie: admin } })).status === 200, 'the session survived the refused logouts');
    noFailures();
  });

  it('every Remix action, from a foreign Origin with an admin session: 403, nothing changed; the same from our Origin works', async () => {
    const admin = await cookieFor(s.sopu, ADMIN);
    const [documentId] = await documentsOf(AREA);
    const { invitationId } = await import('@sopu/core').then(async ({ inviteMember }) =>
      inviteMember(s.sopu.deps, { userId: (await s.sopu.deps.db.selectFrom('users').select('id').where('email', '=', ADMIN).executeTakeFirstOrThrow()).id, email: ADMIN, displayName: 'Admin' }, AREA, { email: 'origin.check@example.fi', displayName: 'Origin', municipalityCode: '290', role: 'viewer' }),
    );
    const token = (await invitationLink(s.sopu.deps.db, invitationId)).split('/').at(-1)!;
    const membershipId = (await s.sopu.deps.db.selectFrom('memberships').select('id').limit(1).executeTakeFirstOrThrow()).id;
    const actions = await remixPaths({ slug: AREA, documentId: documentId!, token, number: '1', consultationRoundId: await roundOf(AREA) }, 'action');
    check(actions.length >= 6, `expected at least 6 action routes, found ${actions.join(', ')}`);
    const fields = { intent: 'invite', email: 'csrf@example.fi', displayName: 'CSRF', municipalityCode: '290', role: 'viewer', kind: 'service_plan', lang: 'sv', redirectTo: '/', mode: 'new', password: 'csrf-password-123', passwordConfirm: 'csrf-password-123', membershipId };
    const before = await counts();
    for (const path of actions) {
      for (const origin of LONG ? FOREIGN_ORIGINS : FOREIGN_ORIGINS.slice(0, 2)) {
        for (const intent of path.endsWith('/members') ? ['invite', 'role', 'remove', 'revoke'] : ['invite']) {
          const res = await http(path, { method: 'POST', headers: { 'content-type': FORM, origin, cookie: admin }, body: form({ ...fields, intent }) });
          check(res.status === 403 && !res.headers.get('set-cookie'), `POST ${path} (${intent}) from ${origin}: ${res.status}`);
        }
      }
    }
    check(JSON.stringify(await counts()) === JSON.stringify(before), `tables changed after refused form posts`);
    const control = await http('/language', { method: 'POST', headers: { 'content-type': FORM, origin: sameOrigin() }, body: form({ lang: 'sv', redirectTo: '/login' }) });
    check(control.status === 302 && (control.headers.get('set-cookie') ?? '').startsWith('lang=sv'), `same-origin control: ${control.status}`);
    noFailures();
  });

  it('WebSocket upgrades to /collab/<documentId> from a foreign or missing Origin: 403 before any document data', async () => {
    const admin = await cookieFor(s.sopu, ADMIN);
    const [documentId] = await documentsOf(AREA);
    for (const origin of [...FOREIGN_ORIGINS, undefined]) {
      const outcome = await upgrade(documentId!, { cookie: admin, origin });
      check(outcome.kind === 'refused' && outcome.status === 403, `upgrade from ${origin}: ${describeOutcome(outcome)}`);
    }
    const ok = await upgrade(documentId!, { cookie: admin, origin: sameOrigin() }, 300);
    check(ok.kind === 'open', `same-origin upgrade: ${describeOutcome(ok)}`);
    if (ok.kind === 'open') ok.ws.close();
    noFailures();
  });
});

describe('sessions', () => {
  it('a login replaces the session cookie the browser had; the old token no longer works (form and API)', async () => {
    for (const via of ['form', 'api'] as const) {
      const planted = await cookieFor(s.sopu, 'drafter.kajaani@sopu.example');
      const ip = freshIp();
      const res =
        via === 'form'
          ? await http('/login', { method: 'POST', headers: { 'content-type': FORM, origin: sameOrigin(), cookie: planted, 'x-forwarded-for': ip }, body: form({ email: ADMIN, password: DEMO_PASSWORD, redirectTo: `/areas/${AREA}` }) })
          : await http('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json', origin: sameOrigin(), cookie: planted, 'x-forwarded-for': ip }, body: JSON.stringify({ email: ADMIN, password: DEMO_PASSWORD }) });
      const fresh = /sopu_session=([a-z0-9]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
      check(res.status === (via === 'form' ? 302 : 200) && Boolean(fresh), `${via} login: ${res.status}`);
      check(`sopu_session=${fresh}` !== planted, `${via}: the token was not replaced`);
      check((await http('/api/v1/me', { headers: { cookie: planted } })).status === 401, `${via}: the old token still works`);
      check((await http('/api/v1/me', { headers: { cookie: `sopu_session=${fresh}` } })).status === 200, `${via}: the new token does not work`);
    }
    noFailures();
  });

  it('expired and revoked sessions are refused by HTTP and WebSocket alike (4401), and an open socket is closed when its session is revoked', async () => {
    const [documentId] = await documentsOf(AREA);
    const expired = await cookieFor(s.sopu, ADMIN);
    await s.sopu.deps.db.updateTable('sessions').set({ expires_at: Date.now() - 1 }).where('id', '=', await sessionIdOf(expired)).execute();
    const pastAbsolute = await cookieFor(s.sopu, ADMIN);
    await s.sopu.deps.db.updateTable('sessions').set({ absolute_expires_at: Date.now() - 1 }).where('id', '=', await sessionIdOf(pastAbsolute)).execute();
    const revoked = await cookieFor(s.sopu, ADMIN);
    const logout = await http('/logout', { method: 'POST', headers: { 'content-type': FORM, origin: sameOrigin(), cookie: revoked }, body: '' });
    check(logout.status === 302, `logout: ${logout.status}`);

    for (const [name, cookie] of [['idle-expired', expired], ['past absolute expiry', pastAbsolute], ['logged out', revoked], ['unknown', 'sopu_session=abcdefghijklmnopqrstuvwxyz234567']] as const) {
      const page = await http(`/areas/${AREA}`, { headers: { cookie } });
      check(page.status === 302 && (page.headers.get('location') ?? '').startsWith('/login'), `${name}: page ${page.status}`);
      const api = await http('/api/v1/me', { headers: { cookie } });
      check(api.status === 401, `${name}: API ${api.status}`);
      const ws = await upgrade(documentId!, { cookie, origin: sameOrigin() });
      check(ws.kind === 'closed' && ws.code === 4401, `${name}: WebSocket ${describeOutcome(ws)}`);
    }

    // An open socket whose session is revoked meanwhile is closed at the next re-check.
    const live = await cookieFor(s.sopu, ADMIN);
    const open = await upgrade(documentId!, { cookie: live, origin: sameOrigin() }, 200);
    check(open.kind === 'open', `live socket: ${describeOutcome(open)}`);
    if (open.kind === 'open') {
      const closed = new Promise<number>((resolve) => open.ws.once('close', (code) => resolve(code)));
      await http('/logout', { method: 'POST', headers: { 'content-type': FORM, origin: sameOrigin(), cookie: live }, body: '' });
      const code = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]);
      check(code === 4401, `live socket after logout closed with ${code}`);
      open.ws.terminate();
    }
    noFailures();
  });
});

describe('login throttling under parallel guesses', () => {
  const parallel = LONG ? 200 : 40;

  const apiLogin = (email: string, password: string, cookie?: string) =>
    http('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json', origin: sameOrigin(), 'x-forwarded-for': freshIp(), ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ email, password }) });
  const formLogin = (email: string, password: string, cookie?: string) =>
    http('/login', { method: 'POST', headers: { 'content-type': FORM, origin: sameOrigin(), 'x-forwarded-for': freshIp(), ...(cookie ? { cookie } : {}) }, body: form({ email, password }) });
  /** The device cookie a successful login set, as the browser would send it back. */
  const deviceCookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('sopu_device='))?.split(';')[0];

  it(`${parallel} parallel wrong passwords for one account: exactly ${ACCOUNT_LIMIT} reach verification, the rest 429 with Retry-After (API and form); the owner's known device still gets in`, async () => {
    for (const [via, email] of [['api', ADMIN], ['form', 'drafter.sotkamo@sopu.example']] as const) {
      const send = via === 'api' ? apiLogin : formLogin;
      // The owner logged in from this browser before: it is a known device of the account.
      const earlier = await send(email, DEMO_PASSWORD);
      const device = deviceCookieOf(earlier);
      check(earlier.status === (via === 'api' ? 200 : 302) && Boolean(device), `${via}: the owner's earlier login ${earlier.status}, device cookie ${device}`);
      const responses = await Promise.all(Array.from({ length: parallel }, (_, i) => send(email, `wrong-guess-${i}`)));
      const verified = responses.filter((r) => r.status === 401).length;
      const throttled = responses.filter((r) => r.status === 429);
      check(verified === ACCOUNT_LIMIT, `${via}: ${verified} guesses reached password verification (limit ${ACCOUNT_LIMIT})`);
      check(throttled.length === parallel - ACCOUNT_LIMIT, `${via}: ${throttled.length} throttled of ${parallel}`);
      check(throttled.every((r) => Number(r.headers.get('retry-after')) > 0), `${via}: a 429 without a positive Retry-After`);
      const row = await s.sopu.deps.db.selectFrom('login_attempts').select('failures').where('key', '=', `account:${email}`).executeTakeFirst();
      check(row?.failures === ACCOUNT_LIMIT, `${via}: ${row?.failures} attempts counted for the account`);
      // The right password from a browser the account does not know is refused while the lock holds…
      const unknown = await apiLogin(email, DEMO_PASSWORD);
      check(unknown.status === 429, `${via}: the right password from an unknown browser during the lock: ${unknown.status}`);
      // …and let in from the owner's known device.
      const known = await send(email, DEMO_PASSWORD, device);
      check(known.status === (via === 'api' ? 200 : 302), `${via}: the right password from the known device during the lock: ${known.status}`);
      const lockouts = await s.sopu.deps.db.selectFrom('security_events').innerJoin('users', 'users.id', 'security_events.user_id').select('security_events.details').where('users.email', '=', email).where('kind', '=', 'lockout').execute();
      check(lockouts.length === 1, `${via}: ${lockouts.length} lock-outs logged`);
    }
    noFailures();
  });

  it(`${parallel} parallel wrong passwords from one known device: exactly ${ACCOUNT_LIMIT} reach verification, then that device is locked and the account is not`, async () => {
    const email = 'drafter.kuusamo@sopu.example';
    const stolen = deviceCookieOf(await apiLogin(email, DEMO_PASSWORD))!;
    const own = deviceCookieOf(await apiLogin(email, DEMO_PASSWORD))!;
    const responses = await Promise.all(Array.from({ length: parallel }, (_, i) => apiLogin(email, `wrong-guess-${i}`, stolen)));
    const verified = responses.filter((r) => r.status === 401).length;
    check(verified === ACCOUNT_LIMIT, `${verified} guesses from one device reached verification (limit ${ACCOUNT_LIMIT})`);
    check(responses.filter((r) => r.status === 429).length === parallel - ACCOUNT_LIMIT, 'the rest were not all throttled');
    check((await apiLogin(email, DEMO_PASSWORD, stolen)).status === 429, 'the locked device got in');
    check((await apiLogin(email, DEMO_PASSWORD, own)).status === 200, 'the owner\'s other device was refused');
    check((await apiLogin(email, DEMO_PASSWORD)).status === 200, 'an unknown browser was refused: the account was counted');
    noFailures();
  });

  it(`parallel guesses from one address across accounts: at most ${IP_LIMIT} reach verification`, async () => {
    const ip = freshIp();
    const n = LONG ? 120 : 45;
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        http('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json', origin: sameOrigin(), 'x-forwarded-for': `203.0.113.1, ${ip}` }, body: JSON.stringify({ email: `nobody${i}@example.fi`, password: 'wrong-guess' }) }),
      ),
    );
    const verified = responses.filter((r) => r.status === 401).length;
    check(verified === IP_LIMIT, `${verified} guesses from one address reached verification (limit ${IP_LIMIT})`);
    check(responses.filter((r) => r.status === 429).length === n - IP_LIMIT, 'the rest were not all throttled');
    noFailures();
  });
});

describe('body limits', () => {
  const sizes = LONG ? [MAX_BODY_BYTES + 1, 4 * MAX_BODY_BYTES, 1024 * 1024, 8 * 1024 * 1024] : [MAX_BODY_BYTES + 1, 1024 * 1024];

  it('413 for bodies over the limit on the API and Remix actions, with and without Content-Length; nothing changed', async () => {
    const admin = await cookieFor(s.sopu, ADMIN);
    const before = await counts();
    for (const size of sizes) {
      for (const chunked of [false, true]) {
        for (const [path, type, body] of [
          ['/api/v1/session', 'application/json', JSON.stringify({ email: ADMIN, password: 'x'.repeat(size) })],
          ['/login', FORM, form({ email: ADMIN, password: 'x'.repeat(size) })],
          [`/areas/${AREA}/members`, FORM, form({ intent: 'invite', email: 'big@example.fi', displayName: 'x'.repeat(size), municipalityCode: '290', role: 'viewer' })],
        ] as const) {
          const bytes = new TextEncoder().encode(body);
          const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers: { 'content-type': type, origin: sameOrigin(), cookie: admin, 'x-forwarded-for': freshIp() } };
          if (chunked) {
            init.duplex = 'half';
            init.body = new ReadableStream({
              start(controller) {
                for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.slice(i, i + 16 * 1024));
                controller.close();
              },
            });
          } else init.body = bytes;
          const res = await http(path, init).catch((error: Error) => ({ status: `error ${error.message}` }) as unknown as Response);
          check(res.status === 413, `${path} ${size} bytes${chunked ? ' chunked' : ''}: ${res.status}`);
          if (path.startsWith('/api/') && res.status === 413) check(((await res.json()) as { error: { code: string } }).error.code === 'payload_too_large', `${path}: not a JSON error`);
        }
      }
    }
    const after = await counts();
    check(JSON.stringify(after) === JSON.stringify(before), `tables changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    noFailures();
  });
});

interface BuildRoute { id: string; path?: string; index?: boolean; parentId?: string; module: { action?: unknown; loader?: unknown; default?: unknown } }

/** The URLs of the Remix routes in the production build, with their parameters filled from the demo data. */
async function remixPaths(params: Record<string, string>, only?: 'action'): Promise<string[]> {
  const buildPath = fileURLToPath(new URL('../../apps/web/build/server/index.js', import.meta.url));
  if (!existsSync(buildPath)) throw new Error('the web build is missing');
  const build = (await import(buildPath)) as { routes: Record<string, BuildRoute> };
  const full = (route: BuildRoute): string => {
    const parent = route.parentId ? build.routes[route.parentId] : undefined;
    const own = route.path ?? '';
    const prefix = parent ? full(parent) : '';
    return [prefix, own].filter(Boolean).join('/');
  };
  const paths = new Set<string>();
  for (const route of Object.values(build.routes)) {
    if (route.id === 'root') continue;
    if (only === 'action' && !route.module.action) continue;
    const isLayoutWithIndex = Object.values(build.routes).some((r) => r.parentId === route.id && r.index);
    if (isLayoutWithIndex && !only) continue;
    const path = '/' + full(route).replace(/:(\w+)/g, (_m, name: string) => {
      if (!(name in params)) throw new Error(`no value for :${name}`);
      return encodeURIComponent(params[name]!);
    });
    paths.add(path.replace(/\/$/, '') || '/');
  }
  return [...paths].sort();
}

describe('security headers on every page', () => {
  it('every route of the build, anonymous and signed in (member, admin, outsider): security headers; CSP on pages; no-store when signed in', async () => {
    const admin = await cookieFor(s.sopu, ADMIN);
    const people = { anonymous: '', admin, viewer: await cookieFor(s.sopu, 'viewer.kuhmo@sopu.example'), outsider: await cookieFor(s.sopu, 'admin.rantala@sopu.example') };
    const inviteRes = await http(`/areas/${AREA}/members`, { method: 'POST', headers: { 'content-type': FORM, origin: sameOrigin(), cookie: admin }, body: form({ intent: 'invite', email: 'headers@example.fi', displayName: 'Headers', municipalityCode: '290', role: 'viewer' }) });
    check(inviteRes.status === 200, `invite for the invitation page: ${inviteRes.status}`);
    const row = await s.sopu.deps.db.selectFrom('invitations').select('id').where('email', '=', 'headers@example.fi').executeTakeFirstOrThrow();
    const token = (await invitationLink(s.sopu.deps.db, row.id)).split('/').at(-1)!;
    const urls = new Set<string>();
    for (const slug of LONG ? [AREA, OTHER_AREA] : [AREA]) {
      const consultationRoundId = await roundOf(slug);
      for (const documentId of await documentsOf(slug)) for (const path of await remixPaths({ slug, documentId, token, number: '1', consultationRoundId })) urls.add(path);
    }
    urls.add('/dev/mailbox');
    check(urls.size >= 10, `only ${urls.size} URLs enumerated`);
    let pages = 0;
    for (const url of urls) {
      for (const [who, cookie] of Object.entries(people)) {
        const res = await http(url, { headers: cookie ? { cookie } : {} });
        const what = `${who} GET ${url} (${res.status})`;
        check(res.status < 500, `${what}: server error`);
        check(res.headers.get('x-content-type-options') === 'nosniff', `${what}: nosniff`);
        check(res.headers.get('x-frame-options') === 'DENY', `${what}: X-Frame-Options`);
        check(res.headers.get('referrer-policy') === 'same-origin', `${what}: Referrer-Policy`);
        check(res.headers.get('cross-origin-opener-policy') === 'same-origin', `${what}: COOP`);
        check(Boolean(res.headers.get('permissions-policy')), `${what}: Permissions-Policy`);
        if ((res.headers.get('content-type') ?? '').includes('text/html')) {
          pages++;
          check(/script-src 'self' 'nonce-/.test(res.headers.get('content-security-policy') ?? ''), `${what}: CSP`);
        }
        if (cookie) check(res.headers.get('cache-control') === 'no-store', `${what}: Cache-Control ${res.headers.get('cache-control')}`);
        await res.arrayBuffer();
      }
    }
    check(pages >= urls.size, `only ${pages} HTML pages among ${urls.size * 4} responses`);
    noFailures();
  });
});
