import { PASSWORD_MAX_LENGTH, totpCode, totpKeyFromText, totpStep } from '@sopu/auth';
import { finishSecondFactorSetup, startSecondFactorSetup } from '@sopu/core';
import { DEMO_PASSWORD } from '@sopu/core/demo';
import { actorFor, sessionTokenFor, tableCounts } from '@sopu/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PUBLIC_API_MUTATIONS } from './security.ts';
import { cookieHeader, createTestApp, ORIGIN, postJson, tokenFromSetCookie, url } from './testing.ts';

const ADMIN = 'admin.kajaani@sopu.example';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.cleanup();
});

const login = (body: unknown, headers: Record<string, string> = {}) => t.app.request(url('/session'), postJson(body, headers));
const me = (headers: Record<string, string>) => t.app.request(url('/me'), { headers });

describe('POST /session', () => {
  it('logs in: 200, the user, and an HttpOnly SameSite=Lax Path=/ session cookie that works', async () => {
    const res = await login({ email: ADMIN, password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { email: string; id: string } };
    expect(body.user.email).toBe(ADMIN);

    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^sopu_session=[a-z2-7]+;/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\//);
    const token = tokenFromSetCookie(res)!;

    const who = await me({ cookie: cookieHeader(token) });
    expect(who.status).toBe(200);
    expect(((await who.json()) as { user: { id: string } }).user.id).toBe(body.user.id);
  });

  it('rotates the session: a session cookie the browser already had is ended by the login', async () => {
    const planted = await sessionTokenFor(t.deps, 'drafter.kajaani@sopu.example');
    const res = await login({ email: ADMIN, password: DEMO_PASSWORD }, { cookie: cookieHeader(planted) });
    expect(res.status).toBe(200);
    const fresh = tokenFromSetCookie(res)!;
    expect(fresh).not.toBe(planted);
    expect((await me({ cookie: cookieHeader(planted) })).status).toBe(401);
    expect((await me({ cookie: cookieHeader(fresh) })).status).toBe(200);
  });

  it('401 on bad credentials, with the same body for an unknown e-mail', async () => {
    const wrong = await login({ email: ADMIN, password: 'not-the-password' });
    const unknown = await login({ email: 'nobody@sopu.example', password: DEMO_PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const wrongBody = await wrong.json();
    expect(wrongBody).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    expect(await unknown.json()).toEqual(wrongBody);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect((await tableCounts(t.db)).sessions).toBe(0);
  });

  it.each([
    ['malformed JSON', postJson('{"email": "admin.kajaani@sopu.example", ')],
    ['missing password', postJson({ email: ADMIN })],
    ['missing fields', postJson({})],
    ['wrong types', postJson({ email: 42, password: ['x'] })],
    ['a JSON array', postJson('[]')],
    ['an over-long password', postJson({ email: ADMIN, password: 'x'.repeat(1025) })],
    ['a form body', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: `email=${ADMIN}&password=${DEMO_PASSWORD}` }],
    ['a text body', { method: 'POST', headers: { 'content-type': 'text/plain', origin: ORIGIN }, body: JSON.stringify({ email: ADMIN, password: DEMO_PASSWORD }) }],
  ] satisfies Array<[string, RequestInit]>)('400 invalid_input with issues for %s, and nothing changes', async (_name, init) => {
    const before = await tableCounts(t.db);
    const res = await t.app.request(url('/session'), init);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; issues: unknown[] } };
    expect(body.error.code).toBe('invalid_input');
    expect(Array.isArray(body.error.issues)).toBe(true);
    expect(body.error.issues.length).toBeGreaterThan(0);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a password longer than PASSWORD_MAX_LENGTH is 400 before verification: no attempt counted, nothing changed', async () => {
    const before = await tableCounts(t.db);
    const res = await login({ email: ADMIN, password: 'p'.repeat(PASSWORD_MAX_LENGTH + 1) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('429 with Retry-After after repeated failures, even for the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login({ email: ADMIN, password: `wrong-${i}` })).status).toBe(401);
    const res = await login({ email: ADMIN, password: DEMO_PASSWORD });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('throttled');
    expect(res.headers.get('set-cookie')).toBeNull();

    t.clock.advance(retryAfter * 1000);
    expect((await login({ email: ADMIN, password: DEMO_PASSWORD })).status).toBe(200);
  });
});

describe('POST /session from a known device', () => {
  const deviceOf = (res: Response) => /sopu_device=([a-z2-7]{32}); Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? null;

  it('a login sets the device cookie; with it the owner logs in while guesses from elsewhere keep the account locked (429 + Retry-After for them)', async () => {
    const first = await login({ email: ADMIN, password: DEMO_PASSWORD });
    const device = deviceOf(first);
    expect(device).not.toBeNull();
    for (let i = 0; i < 5; i++) expect((await login({ email: ADMIN, password: `wrong-${i}` })).status).toBe(401);
    const refused = await login({ email: ADMIN, password: DEMO_PASSWORD });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(60);

    const known = await login({ email: ADMIN, password: DEMO_PASSWORD }, { cookie: `sopu_device=${device}` });
    expect(known.status).toBe(200);
    // A fresh device token each login; the one shown is forgotten.
    const next = deviceOf(known);
    expect(next).not.toBeNull();
    expect(next).not.toBe(device);
    expect((await login({ email: ADMIN, password: DEMO_PASSWORD }, { cookie: `sopu_device=${device}` })).status).toBe(429);
    expect((await login({ email: ADMIN, password: DEMO_PASSWORD }, { cookie: `sopu_device=${next}` })).status).toBe(200);
  });
});

describe('POST /session with two-step verification (docs/decisions/024)', () => {
  it('an account with a second factor sends its code: without it 401 second_factor_required, a wrong one 401 wrong_code, the right one 200; nothing else changes on a refusal', async () => {
    const actor = await actorFor(t.deps, ADMIN);
    await t.db.updateTable('users').set({ password_only: 0 }).where('id', '=', actor.userId).execute();
    const view = await startSecondFactorSetup(t.deps, actor);
    const key = totpKeyFromText(new URL(view.keyUri).searchParams.get('secret')!);
    await finishSecondFactorSetup(t.deps, actor, totpCode(key, totpStep(t.clock.now())), { ip: null, userAgent: null });
    const before = await tableCounts(t.db);
    const missing = await login({ email: ADMIN, password: DEMO_PASSWORD });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String), reason: 'second_factor_required' } });
    const wrong = await login({ email: ADMIN, password: DEMO_PASSWORD, code: '000000' });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { reason: string } }).error.reason).toBe('wrong_code');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect((await tableCounts(t.db)).sessions).toBe(before.sessions);
    t.clock.advance(30_000);
    const right = await login({ email: ADMIN, password: DEMO_PASSWORD, code: totpCode(key, totpStep(t.clock.now())) });
    expect(right.status).toBe(200);
    expect(tokenFromSetCookie(right)).toBeTruthy();
  });

  it('a host admin who must set one up first: 403 second_factor_enrolment_required, no session', async () => {
    await t.db.updateTable('users').set({ password_only: 0 }).where('email', '=', ADMIN).execute();
    const res = await login({ email: ADMIN, password: DEMO_PASSWORD });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { reason: string } }).error.reason).toBe('second_factor_enrolment_required');
    expect((await tableCounts(t.db)).sessions).toBe(0);
  });

  it('the demo accounts log in with the password alone, as scripts against the demo do', async () => {
    expect((await login({ email: ADMIN, password: DEMO_PASSWORD })).status).toBe(200);
  });
});

describe('CSRF: the Origin guard', () => {
  it('a POST without Origin is refused with 403 and changes nothing', async () => {
    const before = await tableCounts(t.db);
    const res = await t.app.request(url('/session'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN, password: DEMO_PASSWORD }) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a POST from a foreign Origin is refused with 403 and changes nothing', async () => {
    const before = await tableCounts(t.db);
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null', 'http://localhost:4000']) {
      const res = await login({ email: ADMIN, password: DEMO_PASSWORD }, { origin });
      expect(res.status, origin).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a cookie-authenticated DELETE from a foreign Origin does not log out', async () => {
    const token = await sessionTokenFor(t.deps, ADMIN);
    const res = await t.app.request(url('/session'), { method: 'DELETE', headers: { cookie: cookieHeader(token), origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect((await me({ cookie: cookieHeader(token) })).status).toBe(200);
  });

  it('the Origin of the Host the request was sent to is accepted', async () => {
    const res = await t.app.request('https://sopu.example.fi/api/v1/session', postJson({ email: ADMIN, password: DEMO_PASSWORD }, { origin: 'https://sopu.example.fi', host: 'sopu.example.fi' }));
    expect(res.status).toBe(200);
  });

  it('a bogus bearer header does not carry a cookie past the guard, whatever the case of its scheme', async () => {
    const token = await sessionTokenFor(t.deps, ADMIN);
    for (const authorization of ['Bearer junk', 'bearer junk', 'BEARER junk']) {
      const res = await t.app.request(url('/session'), { method: 'DELETE', headers: { cookie: cookieHeader(token), authorization } });
      expect(res.status, authorization).toBe(401);
      expect((await me({ cookie: cookieHeader(token) })).status).toBe(200);
    }
  });

  it('a bearer token is accepted without Origin, the scheme in any case', async () => {
    for (const scheme of ['Bearer', 'bearer']) {
      const token = await sessionTokenFor(t.deps, ADMIN);
      expect((await me({ authorization: `${scheme} ${token}` })).status).toBe(200);
      const res = await t.app.request(url('/session'), { method: 'DELETE', headers: { authorization: `${scheme} ${token}` } });
      expect(res.status, scheme).toBe(204);
      expect(await t.deps.sessions.validate(token)).toBeNull();
    }
  });

  it('a bearer header does not exempt a route that takes no credential: a login with cookie and bearer still needs Origin', async () => {
    const planted = await sessionTokenFor(t.deps, 'drafter.kajaani@sopu.example');
    const before = await tableCounts(t.db);
    for (const authorization of [`Bearer ${planted}`, `bearer ${planted}`]) {
      const res = await t.app.request(url('/session'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookieHeader(planted), authorization },
        body: JSON.stringify({ email: ADMIN, password: DEMO_PASSWORD }),
      });
      expect(res.status, authorization).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('PUBLIC_API_MUTATIONS are exactly the mutations /openapi.json declares public', async () => {
    const doc = (await (await t.app.request(url('/openapi.json'))).json()) as { paths: Record<string, Record<string, { 'x-sopu-access'?: unknown }>> };
    const declared = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method, op]) => !['get', 'head', 'options'].includes(method) && op['x-sopu-access'] === 'public')
        .map(([method]) => ({ method: method.toUpperCase(), path })),
    );
    expect(declared).toEqual([...PUBLIC_API_MUTATIONS]);
  });

  it('the Origin is compared by scheme, host and port', async () => {
    const before = await tableCounts(t.db);
    for (const origin of ['https://localhost', 'http://localhost:8080', 'ws://localhost']) {
      const res = await login({ email: ADMIN, password: DEMO_PASSWORD }, { origin });
      expect(res.status, origin).toBe(403);
    }
    // The request's own origin counts with its scheme too: http to an https address is foreign.
    const mixed = await t.app.request('https://sopu.example.fi/api/v1/session', postJson({ email: ADMIN, password: DEMO_PASSWORD }, { origin: 'http://sopu.example.fi', host: 'sopu.example.fi' }));
    expect(mixed.status).toBe(403);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('DELETE /session', () => {
  it('204, clears the cookie, and the old cookie no longer works', async () => {
    const token = await sessionTokenFor(t.deps, ADMIN);
    const res = await t.app.request(url('/session'), { method: 'DELETE', headers: { cookie: cookieHeader(token), origin: ORIGIN } });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^sopu_session=;.*Max-Age=0/i);
    expect((await me({ cookie: cookieHeader(token) })).status).toBe(401);
    const again = await t.app.request(url('/session'), { method: 'DELETE', headers: { cookie: cookieHeader(token), origin: ORIGIN } });
    expect(again.status).toBe(401);
  });

  it('logging out ends only this session', async () => {
    const a = await sessionTokenFor(t.deps, ADMIN);
    const b = await sessionTokenFor(t.deps, ADMIN);
    await t.app.request(url('/session'), { method: 'DELETE', headers: { cookie: cookieHeader(a), origin: ORIGIN } });
    expect((await me({ cookie: cookieHeader(b) })).status).toBe(200);
  });
});

describe('an idle session', () => {
  it('is refused once the idle timeout has passed', async () => {
    const token = await sessionTokenFor(t.deps, ADMIN);
    t.clock.advance(8 * 3_600_000);
    expect((await me({ cookie: cookieHeader(token) })).status).toBe(401);
  });
});
