import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidc, OidcError, type OidcClientConfig } from './oidc.ts';
import { startTestIdp, type TestIdp } from './test-idp.ts';

/**
 * The OpenID Connect client against a real provider (oidc-provider on a port of its own): discovery, the code flow
 * with PKCE, the ID token's signature, issuer, audience, expiry and nonce, and the refresh-token re-check.
 */
const REDIRECT = 'http://127.0.0.1:9/auth/oidc/callback';
const client = { clientId: 'sopu', clientSecret: 'sopu-test-secret-0123456789', redirectUri: REDIRECT };
const liisa = { username: 'liisa', password: 'liisan-salasana', subject: 'sub-liisa-1', email: 'liisa.laine@kajaani.example', name: 'Liisa Laine' };
let idp: TestIdp;
let config: OidcClientConfig;
const oidc = createOidc({ now: Date.now });

beforeAll(async () => {
  idp = await startTestIdp({ clients: [client, { clientId: 'another-app', clientSecret: 'another-secret-0123456789', redirectUri: REDIRECT }], people: [liisa] });
  config = { issuer: idp.issuer, clientId: client.clientId, clientSecret: client.clientSecret, redirectUri: REDIRECT };
});
afterAll(() => idp.close());

async function signIn(person: { username: string; password: string; email: string } = liisa) {
  const started = await oidc.begin(config, person.email);
  const back = new URL(await idp.signInByHttp(started.url, person, REDIRECT));
  expect(back.searchParams.get('state')).toBe(started.state);
  return { ...started, code: back.searchParams.get('code')! };
}

const refusalOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OidcError);
    return (error as OidcError).reason;
  }
  throw new Error('was not refused');
};

describe('sign-in through a real provider', () => {
  it('sends PKCE (S256), state and nonce, and returns the verified person with a refresh token', async () => {
    const started = await oidc.begin(config, liisa.email);
    const url = new URL(started.url);
    expect(url.origin + url.pathname).toBe(`${idp.issuer}/auth`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toBe(started.state);
    expect(url.searchParams.get('nonce')).toBe(started.nonce);
    expect(url.searchParams.get('login_hint')).toBe(liisa.email);
    expect(url.searchParams.get('scope')).toBe('openid email profile offline_access');
    // Entra ID would ask for consent at every sign-in.
    expect(url.searchParams.has('prompt')).toBe(false);
    const back = new URL(await idp.signInByHttp(started.url, liisa, REDIRECT));
    const tokens = await oidc.complete(config, back.searchParams.get('code')!, started.codeVerifier, started.nonce);
    expect(tokens.claims).toEqual({ subject: liisa.subject, email: liisa.email, emailVerified: true, name: liisa.name });
    expect(tokens.refreshToken).toEqual(expect.any(String));
    const again = await oidc.recheck(config, tokens.refreshToken!, liisa.subject);
    expect(again).toEqual({ ok: true, refreshToken: expect.any(String) });
  });

  it('a code is exchanged once; with another verifier or another nonce it is refused', async () => {
    const first = await signIn();
    await oidc.complete(config, first.code, first.codeVerifier, first.nonce);
    expect(await refusalOf(oidc.complete(config, first.code, first.codeVerifier, first.nonce))).toBe('code_refused');
    const second = await signIn();
    expect(await refusalOf(oidc.complete(config, second.code, 'x'.repeat(43), second.nonce))).toBe('code_refused');
    const third = await signIn();
    expect(await refusalOf(oidc.complete(config, third.code, third.codeVerifier, 'another-nonce'))).toBe('nonce_mismatch');
  });

  it.each([
    ['another audience', { kind: 'claims' as const, change: (c: Record<string, unknown>) => ({ ...c, aud: 'another-app' }) }, 'foreign_audience'],
    ['several audiences, issued to another party', { kind: 'claims' as const, change: (c: Record<string, unknown>) => ({ ...c, aud: ['sopu', 'another-app'], azp: 'another-app' }) }, 'foreign_audience'],
    ['this audience, but authorised for another party', { kind: 'claims' as const, change: (c: Record<string, unknown>) => ({ ...c, azp: 'another-app' }) }, 'foreign_audience'],
    ['expired', { kind: 'claims' as const, change: (c: Record<string, unknown>) => ({ ...c, iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 1800 }) }, 'expired'],
    ['issued long ago, still valid', { kind: 'claims' as const, change: (c: Record<string, unknown>) => ({ ...c, iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) + 3600 }) }, 'expired'],
    ['another issuer', { kind: 'claims' as const, change: (c: Record<string, unknown>) => ({ ...c, iss: 'https://login.evil.example' }) }, 'unknown_issuer'],
    ['changed after signing', { kind: 'tamper' as const, change: (c: Record<string, unknown>) => ({ ...c, sub: 'someone-else' }) }, 'bad_signature'],
  ])('an ID token for %s is refused', async (_name, change, reason) => {
    const started = await signIn();
    idp.changeNextIdToken(change);
    expect(await refusalOf(oidc.complete(config, started.code, started.codeVerifier, started.nonce))).toBe(reason);
  });

  it('a discovery document naming another issuer is refused (the configured issuer must be the provider\'s own)', async () => {
    expect(await refusalOf(oidc.begin({ ...config, issuer: `${idp.issuer}/` }, null))).toBe('unknown_issuer');
  });

  it('a disabled account: the refresh is refused (the session ends); an unreachable provider is not a refusal', async () => {
    const bert = { username: 'bert', password: 'bertin-salasana', subject: 'sub-bert', email: 'bert@kajaani.example' };
    idp.addPerson(bert);
    const started = await signIn(bert);
    const tokens = await oidc.complete(config, started.code, started.codeVerifier, started.nonce);
    idp.disable(bert.subject);
    expect(await oidc.recheck(config, tokens.refreshToken!, bert.subject)).toEqual({ ok: false, refused: true, reason: 'invalid_grant' });
    const nowhere = createOidc({ now: Date.now });
    expect(await nowhere.recheck({ ...config, issuer: 'http://127.0.0.1:9' }, 'x', bert.subject)).toMatchObject({ ok: false, refused: false });
  });
});
