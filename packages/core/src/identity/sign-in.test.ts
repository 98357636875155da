import { createOidc } from '@sopu/auth';
import { startTestIdp, type IdTokenChange, type TestIdp, type TestIdpPerson } from '@sopu/auth/test-idp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inviteMember } from '../members/index.ts';
import { acceptInvitation } from '../members/index.ts';
import { isDomainError, type DomainError } from '../shared/errors.ts';
import { securityEventsOf } from '../shared/security-log.ts';
import { login, authenticate } from '../session/index.ts';
import { actorFor, createTestDeps, invitationLink, tableCounts, TEST_PUBLIC_URL, type TestDeps } from '../testing.ts';
import { addIdentityProvider, REDIRECT_PATH, removeIdentityProvider } from './providers.ts';
import { beginProviderSignIn, completeProviderSignIn, IDP_RECHECK_GRACE_MS, IDP_RECHECK_MS, IDP_SESSION_WITHOUT_REFRESH_MS, OIDC_STATE_TTL_MS, recheckProviderSessions, type CallbackInput } from './sign-in.ts';

/**
 * Sign-in through a municipality's identity provider (docs/decisions/024), against a real provider (oidc-provider on
 * a port of its own): who gets in and as whom (linking by verified e-mail to an invitation or an account, never a
 * membership an invitation did not give), the attacker's view (a wrong state, a replayed or injected code, another
 * audience, an expired token, another issuer, a changed token, an address of another domain: each refused with its
 * reason and nothing changed but the security log), and the re-check that ends a session the provider no longer
 * vouches for.
 */
const REDIRECT = `${TEST_PUBLIC_URL}${REDIRECT_PATH}`;
const CLIENT = { clientId: 'sopu', clientSecret: 'sopu-client-secret-0123456789', redirectUri: REDIRECT };
const NO_REFRESH = { clientId: 'sopu-no-refresh', clientSecret: 'sopu-client-secret-9876543210', redirectUri: REDIRECT, refreshTokens: false };
const AREA = 'kainuu-koillismaa';
const ADMIN = 'admin.kajaani@sopu.example';
const person = (name: string, over: Partial<TestIdpPerson> = {}): TestIdpPerson => ({ username: name, password: `${name}-password`, subject: `sub-${name}`, email: `${name}@kajaani.example`, name, ...over });
const LIISA = person('liisa', { name: 'Liisa Laine' });
const KALLE = person('kalle');
const STRANGER = person('stranger', { email: 'stranger@gmail.example' });
const UNVERIFIED = person('unverified', { emailVerified: false });
const PEKKA = person('pekka');
const SOTKAMO = person('sanna', { email: 'sanna@sotkamo.example' });
const browser = { ip: '192.0.2.44', userAgent: 'test browser' };

let idp: TestIdp;
let t: TestDeps;
beforeAll(async () => {
  idp = await startTestIdp({ clients: [CLIENT, NO_REFRESH], people: [LIISA, KALLE, STRANGER, UNVERIFIED, PEKKA, SOTKAMO] });
});
afterAll(() => idp.close());
beforeEach(async () => {
  // The provider's tokens carry the real time: the rules' clock starts there, and ID tokens are checked against it.
  t = await createTestDeps({ now: Date.now() });
  t.deps.oidc = createOidc({ now: Date.now });
  await addIdentityProvider(t.deps, { municipalityCode: '205', issuer: idp.issuer, clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, domains: ['kajaani.example'] });
});
afterEach(() => t.cleanup());

async function invite(email: string, role = 'drafter', slug = AREA, by = ADMIN, municipalityCode = '205') {
  const { invitationId } = await inviteMember(t.deps, await actorFor(t.deps, by), slug, { email, displayName: email.split('@')[0]!.replace(/^./, (c) => c.toUpperCase()), municipalityCode, role });
  return { invitationId, token: (await invitationLink(t.db, invitationId)).split('/').at(-1)! };
}

/** From the address (or an invitation) to the provider and back: the callback's input as the browser brings it. */
async function throughProvider(who: TestIdpPerson, start: { email?: string; invitationToken?: string } = { email: who.email }): Promise<CallbackInput> {
  const started = await beginProviderSignIn(t.deps, { ...start, redirectTo: '/' });
  if (!started) throw new Error('no provider for this address');
  const back = new URL(await idp.signInByHttp(started.url, who, REDIRECT));
  return { state: back.searchParams.get('state'), code: back.searchParams.get('code'), error: back.searchParams.get('error'), issuer: back.searchParams.get('iss'), bindingToken: started.bindingToken, currentSessionToken: null, ...browser };
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('the sign-in was not refused');
}

/**
 * Refused with this reason, and nothing changed but one line in the security log saying so; none at all for a state
 * that no sign-in started (`logged: false`): anyone can send those, and they must not fill the log.
 */
async function refusedChangingNothing(input: CallbackInput, reason: string, options: { logged?: boolean } = {}) {
  const logged = options.logged ?? true;
  const before = await tableCounts(t.db);
  const usersBefore = await t.db.selectFrom('users').selectAll().orderBy('id').execute();
  const invitationsBefore = await t.db.selectFrom('invitations').selectAll().orderBy('id').execute();
  const error = await refusal(completeProviderSignIn(t.deps, input));
  expect(error.code).toBe('unauthenticated');
  expect(error.details.reason).toBe(reason);
  const after = await tableCounts(t.db);
  expect({ ...after, security_events: 0 }).toEqual({ ...before, security_events: 0 });
  expect(after.security_events).toBe(before.security_events + (logged ? 1 : 0));
  expect(await t.db.selectFrom('users').selectAll().orderBy('id').execute()).toEqual(usersBefore);
  expect(await t.db.selectFrom('invitations').selectAll().orderBy('id').execute()).toEqual(invitationsBefore);
  if (!logged) return;
  const [event] = await t.db.selectFrom('security_events').selectAll().orderBy('created_at', 'desc').orderBy('rowid' as never, 'desc').limit(1).execute();
  expect(event!.kind).toBe('idp_login_refused');
  expect(JSON.parse(event!.details).reason).toBe(reason);
}

const membershipsOf = (email: string) =>
  t.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('areas', 'areas.id', 'memberships.area_id')
    .innerJoin('municipalities', 'municipalities.id', 'memberships.municipality_id')
    .select(['areas.slug', 'municipalities.code', 'memberships.role'])
    .where('users.email', '=', email)
    .orderBy('areas.slug')
    .execute();

describe('who signs in, and as whom', () => {
  it('an invited person signs in at their municipality and gets exactly what the invitation gave: an account without a password, linked to their identity', async () => {
    const { invitationId, token } = await invite(LIISA.email);
    const signedIn = await completeProviderSignIn(t.deps, await throughProvider(LIISA, { invitationToken: token }));
    expect(signedIn.accepted).toEqual([AREA]);
    expect(await membershipsOf(LIISA.email)).toEqual([{ slug: AREA, code: '205', role: 'drafter' }]);
    const user = await t.db.selectFrom('users').selectAll().where('email', '=', LIISA.email).executeTakeFirstOrThrow();
    expect(user.password_hash).toBeNull();
    expect(await t.db.selectFrom('invitations').select(['accepted_by']).where('id', '=', invitationId).executeTakeFirstOrThrow()).toEqual({ accepted_by: user.id });
    expect(await t.db.selectFrom('user_identities').select(['user_id', 'subject', 'email']).execute()).toEqual([{ user_id: user.id, subject: LIISA.subject, email: LIISA.email }]);
    expect((await authenticate(t.deps, signedIn.token))?.email).toBe(LIISA.email);
    // The refresh token is kept only sealed; the session is due for its re-check.
    const idpSession = await t.db.selectFrom('idp_sessions').selectAll().executeTakeFirstOrThrow();
    expect(idpSession.refresh_token_enc).toMatch(/^v1:/);
    expect(idpSession.check_due_at).toBe(t.clock.now() + IDP_RECHECK_MS);
    expect((await securityEventsOf(t.db, user.id)).map((e) => e.kind).reverse()).toEqual(['idp_linked', 'login']);
    const audit = await t.db.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'invitation.accepted').where('actor_user_id', '=', user.id).execute();
    expect(audit.map((a) => JSON.parse(a.details).via)).toEqual(['identity_provider']);

    // The next time the identity is found by its subject: the same account, nothing new.
    const before = await tableCounts(t.db);
    const again = await completeProviderSignIn(t.deps, await throughProvider(LIISA));
    expect(again.user.id).toBe(user.id);
    expect(again.accepted).toEqual([]);
    const after = await tableCounts(t.db);
    expect({ users: after.users, memberships: after.memberships, user_identities: after.user_identities }).toEqual({ users: before.users, memberships: before.memberships, user_identities: before.user_identities });
  });

  it('a sign-in from one invitation accepts only that one; signing in from the login page accepts every invitation to the verified address', async () => {
    const kainuu = await invite(KALLE.email, 'viewer');
    const other = await invite(KALLE.email, 'member_rep', 'saaristo-skargard', 'admin.rantala@sopu.example', '901');
    await completeProviderSignIn(t.deps, await throughProvider(KALLE, { invitationToken: kainuu.token }));
    expect(await membershipsOf(KALLE.email)).toEqual([{ slug: AREA, code: '205', role: 'viewer' }]);
    expect((await t.db.selectFrom('invitations').select('accepted_at').where('id', '=', other.invitationId).executeTakeFirstOrThrow()).accepted_at).toBeNull();
    const signedIn = await completeProviderSignIn(t.deps, await throughProvider(KALLE));
    expect(signedIn.accepted).toEqual(['saaristo-skargard']);
    expect(await membershipsOf(KALLE.email)).toEqual([
      { slug: AREA, code: '205', role: 'viewer' },
      { slug: 'saaristo-skargard', code: '901', role: 'member_rep' },
    ]);
  });

  it("an account that had a password is linked by its verified address; from then on its password is refused and it keeps its own memberships", async () => {
    await t.cleanup();
    t = await createTestDeps({ now: Date.now() });
    t.deps.oidc = createOidc({ now: Date.now });
    const { token } = await invite(PEKKA.email, 'member_rep');
    await acceptInvitation(t.deps, token, { password: 'pekan-oma-salasana' }, null);
    await addIdentityProvider(t.deps, { municipalityCode: '205', issuer: idp.issuer, clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, domains: ['kajaani.example'] });
    const pekka = await t.db.selectFrom('users').select('id').where('email', '=', PEKKA.email).executeTakeFirstOrThrow();
    const refused = await refusal(login(t.deps, { email: PEKKA.email, password: 'pekan-oma-salasana', ...browser }));
    expect([refused.code, refused.details.reason]).toEqual(['forbidden', 'use_identity_provider']);
    const signedIn = await completeProviderSignIn(t.deps, await throughProvider(PEKKA));
    expect(signedIn.user.id).toBe(pekka.id);
    expect(await membershipsOf(PEKKA.email)).toEqual([{ slug: AREA, code: '205', role: 'member_rep' }]);
  });

  it('an invitation to an address of a provider\'s domain cannot be accepted with a new password', async () => {
    const { token } = await invite(LIISA.email);
    const before = await tableCounts(t.db);
    const error = await refusal(acceptInvitation(t.deps, token, { password: 'liisan-oma-salasana' }, null));
    expect([error.code, error.details.reason]).toEqual(['forbidden', 'use_identity_provider']);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a verified address with neither an account nor an invitation is refused: nobody gets in on a domain alone', async () => {
    await refusedChangingNothing(await throughProvider(KALLE), 'no_account');
  });

  it('a sign-in started from an invitation to one address, completed as another person of the domain, is refused and leaves the invitation open', async () => {
    const { token } = await invite(LIISA.email);
    await refusedChangingNothing(await throughProvider(KALLE, { invitationToken: token }), 'invitation_mismatch');
  });

  it('an address outside the provider\'s domains, or one the provider did not verify, is refused', async () => {
    await invite(UNVERIFIED.email);
    await refusedChangingNothing(await throughProvider(STRANGER, { email: LIISA.email }), 'email_domain');
    await refusedChangingNothing(await throughProvider(UNVERIFIED), 'email_unverified');
  });

  it("a provider may vouch only for its own domains: Sotkamo's provider cannot sign in a Kajaani address", async () => {
    await addIdentityProvider(t.deps, { municipalityCode: '765', issuer: idp.issuer, clientId: NO_REFRESH.clientId, clientSecret: NO_REFRESH.clientSecret, domains: ['sotkamo.example'] });
    await invite(LIISA.email);
    await refusedChangingNothing(await throughProvider(LIISA, { email: SOTKAMO.email }), 'email_domain');
  });
});

describe("the attacker's view: each refused, nothing changed", () => {
  beforeEach(async () => {
    await invite(LIISA.email);
  });

  it('a state this browser did not start (another browser\'s, or none) is refused, and the real browser still completes', async () => {
    const real = await throughProvider(LIISA);
    await refusedChangingNothing({ ...real, bindingToken: 'a'.repeat(32) }, 'wrong_state');
    await refusedChangingNothing({ ...real, bindingToken: null }, 'wrong_state');
    await refusedChangingNothing({ ...real, state: 'made-up-state' }, 'wrong_state', { logged: false });
    await refusedChangingNothing({ ...real, state: null }, 'wrong_state', { logged: false });
    expect((await completeProviderSignIn(t.deps, real)).accepted).toEqual([AREA]);
  });

  it('the callback replayed (the same state and code again) is refused', async () => {
    const input = await throughProvider(LIISA);
    await completeProviderSignIn(t.deps, input);
    await refusedChangingNothing(input, 'state_used');
    // From the browser that completed it (its binding cookie is gone) or from any other: used, all the same.
    await refusedChangingNothing({ ...input, bindingToken: null }, 'state_used');
  });

  it("a code injected into another sign-in (an attacker's own state, a victim's code) is refused by PKCE", async () => {
    const victim = await throughProvider(LIISA);
    const attacker = await throughProvider(KALLE);
    await refusedChangingNothing({ ...attacker, code: victim.code }, 'code_refused');
  });

  it('an answer naming another issuer than the provider the sign-in went to (a mix-up) is refused', async () => {
    const input = await throughProvider(LIISA);
    expect(input.issuer).toBe(idp.issuer);
    await refusedChangingNothing({ ...input, issuer: 'https://login.evil.example' }, 'unknown_issuer');
  });

  it('a sign-in that took too long is refused', async () => {
    const input = await throughProvider(LIISA);
    t.clock.advance(OIDC_STATE_TTL_MS);
    await refusedChangingNothing(input, 'state_expired');
  });

  it('the provider answering with an error (the person declined) is refused', async () => {
    const input = await throughProvider(LIISA);
    await refusedChangingNothing({ ...input, code: null, error: 'access_denied' }, 'provider_error');
  });

  const resigned = (change: (c: Record<string, unknown>) => Record<string, unknown>): IdTokenChange => ({ kind: 'claims', change });
  const seconds = () => Math.floor(Date.now() / 1000);
  it.each([
    ['for another audience', resigned((c) => ({ ...c, aud: 'another-app' })), 'foreign_audience'],
    ['that has expired', resigned((c) => ({ ...c, iat: seconds() - 7200, exp: seconds() - 3600 })), 'expired'],
    ['from another issuer', resigned((c) => ({ ...c, iss: 'https://login.evil.example' })), 'unknown_issuer'],
    ['changed after signing (another person)', { kind: 'tamper', change: (c) => ({ ...c, sub: KALLE.subject, email: KALLE.email }) } satisfies IdTokenChange, 'bad_signature'],
  ])('an ID token %s is refused', async (_name, change, reason) => {
    const input = await throughProvider(LIISA);
    idp.changeNextIdToken(change);
    await refusedChangingNothing(input, reason);
  });
});

describe('the re-check of sessions from a provider', () => {
  it('a disabled account at the provider loses its session at the next re-check; a live one is kept', async () => {
    await invite(LIISA.email);
    await invite(KALLE.email);
    const liisa = await completeProviderSignIn(t.deps, await throughProvider(LIISA));
    const kalle = await completeProviderSignIn(t.deps, await throughProvider(KALLE));
    expect(await recheckProviderSessions(t.deps)).toEqual({ checked: 0, ended: 0, postponed: 0 });
    idp.disable(KALLE.subject);
    t.clock.advance(IDP_RECHECK_MS);
    expect(await recheckProviderSessions(t.deps)).toEqual({ checked: 2, ended: 1, postponed: 0 });
    expect(await authenticate(t.deps, kalle.token)).toBeNull();
    expect((await authenticate(t.deps, liisa.token))?.email).toBe(LIISA.email);
    expect((await securityEventsOf(t.db, kalle.user.id))[0]).toMatchObject({ kind: 'idp_session_ended', details: { reason: 'invalid_grant' } });
    // Kalle cannot sign in again either.
    await expect(throughProvider(KALLE)).rejects.toThrow(/disabled/);
  });

  it('a provider that cannot be asked postpones the check; after the grace period its sessions end (fail closed)', async () => {
    await invite(LIISA.email);
    const signedIn = await completeProviderSignIn(t.deps, await throughProvider(LIISA));
    await t.db.updateTable('identity_providers').set({ issuer: 'http://127.0.0.1:9' }).execute();
    t.clock.advance(IDP_RECHECK_MS);
    expect(await recheckProviderSessions(t.deps)).toEqual({ checked: 1, ended: 0, postponed: 1 });
    expect(await authenticate(t.deps, signedIn.token)).not.toBeNull();
    t.clock.advance(IDP_RECHECK_GRACE_MS);
    expect(await recheckProviderSessions(t.deps)).toEqual({ checked: 1, ended: 1, postponed: 0 });
    expect(await authenticate(t.deps, signedIn.token)).toBeNull();
  });

  it('a session whose provider gave no refresh token lasts an hour at most', async () => {
    await addIdentityProvider(t.deps, { municipalityCode: '765', issuer: idp.issuer, clientId: NO_REFRESH.clientId, clientSecret: NO_REFRESH.clientSecret, domains: ['sotkamo.example'] });
    await invite(SOTKAMO.email, 'viewer', AREA, ADMIN, '765');
    const signedIn = await completeProviderSignIn(t.deps, await throughProvider(SOTKAMO));
    expect((await t.db.selectFrom('idp_sessions').select('refresh_token_enc').executeTakeFirstOrThrow()).refresh_token_enc).toBeNull();
    t.clock.advance(IDP_SESSION_WITHOUT_REFRESH_MS - 60_000);
    expect(await authenticate(t.deps, signedIn.token)).not.toBeNull();
    t.clock.advance(60_000);
    expect(await authenticate(t.deps, signedIn.token)).toBeNull();
  });

  it("removing a municipality's provider ends the sessions that came through it, at once", async () => {
    await invite(LIISA.email);
    const signedIn = await completeProviderSignIn(t.deps, await throughProvider(LIISA));
    expect(await removeIdentityProvider(t.deps, '205')).toEqual({ endedSessions: 1 });
    expect(await authenticate(t.deps, signedIn.token)).toBeNull();
    expect(await t.db.selectFrom('user_identities').selectAll().execute()).toEqual([]);
  });
});
