import { generateToken, hashToken, isOidcError, OIDC_REFUSALS, type Oidc, type SessionUser } from '@sopu/auth';
import type { CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { recordSecurityEvent } from '../shared/security-log.ts';
import { normaliseEmail } from '../shared/validation.ts';
import { acceptInvitationsByVerifiedEmail, usableInvitation } from '../members/index.ts';
import { secretsOf } from '../session/index.ts';
import { providerConfig, providerForEmail } from './providers.ts';

/**
 * Sign-in through a municipality's identity provider (docs/decisions/024). The browser goes to the provider with a
 * state, a nonce and a PKCE challenge; the state's row is bound to the browser (the sha256 of an HttpOnly cookie
 * set at the start) and used once. Back at the callback the state is claimed, the code exchanged with the PKCE
 * verifier, and the ID token verified (packages/auth/src/oidc.ts). The person is found by their identity at the
 * provider, or linked by a verified address of an allowed domain to their account or to their invitation; nobody
 * gets a membership an invitation did not give. Every refusal has its reason and its page, and is in the security
 * log.
 */

/** How long the trip to the provider and back may take. */
export const OIDC_STATE_TTL_MS = 10 * 60_000;
/** How often a session from a provider is re-checked with its refresh token (CoreDeps.idpRecheckMs overrides). */
export const IDP_RECHECK_MS = 10 * 60_000;
/** A provider that cannot be asked for this long (unreachable) ends the sessions it vouched for: fail closed. */
export const IDP_RECHECK_GRACE_MS = 30 * 60_000;
/** A session from a provider that gave no refresh token cannot be re-checked: it lasts this long at most. */
export const IDP_SESSION_WITHOUT_REFRESH_MS = 60 * 60_000;

/** Why a sign-in through a provider was refused: the OIDC checks' reasons and the sign-in's own (each has its page). */
export const SIGN_IN_REFUSALS = [...OIDC_REFUSALS, 'wrong_state', 'state_used', 'state_expired', 'email_domain', 'no_account', 'invitation_mismatch', 'not_configured'] as const;
export type SignInRefusal = (typeof SIGN_IN_REFUSALS)[number];

export const refusal = (reason: SignInRefusal, message: string, providerId?: string) => new DomainError('unauthenticated', message, { reason, ...(providerId ? { providerId } : {}) });

const oidcOf = (deps: CoreDeps): Oidc => {
  if (!deps.oidc) throw new Error('the OpenID Connect client is not configured');
  return deps.oidc;
};

interface Browser {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Starts a sign-in through the provider of the address's domain (or of the invitation's address). Returns the URL
 * to send the browser to and the binding token for its cookie; `null` when the domain has no provider (the password
 * step comes next).
 */
export async function beginProviderSignIn(
  deps: CoreDeps,
  input: { email?: string | null; invitationToken?: string | null; redirectTo: string },
): Promise<{ url: string; bindingToken: string; expiresAt: number } | null> {
  const invitation = input.invitationToken ? await usableInvitation(deps, input.invitationToken) : null;
  const email = normaliseEmail(invitation?.email ?? input.email ?? '');
  const providerId = await providerForEmail(deps, email);
  if (!providerId) return null;
  const provider = await providerConfig(deps, providerId);
  if (!provider) return null;
  const started = await oidcOf(deps).begin(provider.client, email);
  const now = deps.now();
  const bindingToken = generateToken();
  const expiresAt = now + OIDC_STATE_TTL_MS;
  await deps.db
    .insertInto('oidc_login_states')
    .values({
      id: hashToken(started.state),
      provider_id: provider.id,
      browser_hash: hashToken(bindingToken),
      code_verifier: started.codeVerifier,
      nonce: started.nonce,
      email,
      invitation_id: invitation?.id ?? null,
      redirect_to: input.redirectTo,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  return { url: started.url, bindingToken, expiresAt };
}

export interface CallbackInput extends Browser {
  state: string | null;
  code: string | null;
  /** The provider's `error` parameter, when it sent the browser back with one (e.g. access_denied). */
  error: string | null;
  /** The `iss` parameter (RFC 9207), when the provider sends one: it must be this sign-in's provider (mix-up attacks). */
  issuer?: string | null;
  bindingToken: string | null;
  currentSessionToken: string | null;
}

/** Claims the state: it must be this browser's, unused and current; a second use of it (or of its code) is refused. */
async function claimState(deps: CoreDeps, input: CallbackInput) {
  if (!input.state || input.state.length > 200) throw refusal('wrong_state', 'no sign-in of this browser has this state');
  const row = await deps.db.selectFrom('oidc_login_states').selectAll().where('id', '=', hashToken(input.state)).executeTakeFirst();
  // A state nobody started (a made-up callback, a stale bookmark) is refused without a trace: anyone can send these,
  // and writing a row for each would let them fill the log. Refusals of a real sign-in are logged.
  if (!row) throw refusal('wrong_state', 'no sign-in of this browser has this state');
  // Used says so whoever asks (the browser that completed it no longer has its cookie): it changes nothing either way.
  if (row.used_at !== null) throw refusal('state_used', 'this sign-in has been completed already', row.provider_id);
  if (!input.bindingToken || row.browser_hash !== hashToken(input.bindingToken)) throw refusal('wrong_state', 'no sign-in of this browser has this state', row.provider_id);
  const now = deps.now();
  if (row.expires_at <= now) throw refusal('state_expired', 'this sign-in took too long', row.provider_id);
  const claimed = await deps.db.updateTable('oidc_login_states').set({ used_at: now }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
  if (claimed.numUpdatedRows !== 1n) throw refusal('state_used', 'this sign-in has been completed already', row.provider_id);
  return row;
}

/**
 * The provider's answer at `/auth/oidc/callback`: signs the person in and returns where to go. Refusals are
 * `unauthenticated` errors whose `details.reason` is a SignInRefusal.
 */
export async function completeProviderSignIn(deps: CoreDeps, input: CallbackInput): Promise<{ token: string; user: SessionUser; redirectTo: string; accepted: string[] }> {
  const browser = { ip: input.ip, userAgent: input.userAgent };
  let userId: string | null = null;
  let providerId: string | null = null;
  try {
    const state = await claimState(deps, input);
    providerId = state.provider_id;
    if (input.error) throw refusal('provider_error', `the identity provider answered ${input.error.slice(0, 100)}`);
    if (!input.code || input.code.length > 2000) throw refusal('code_refused', 'the identity provider sent no code');
    const provider = await providerConfig(deps, state.provider_id);
    if (!provider) throw refusal('not_configured', 'the identity provider has been removed');
    if (input.issuer != null && input.issuer !== provider.client.issuer) throw refusal('unknown_issuer', 'the answer names another issuer than the provider this sign-in went to');
    let tokens;
    try {
      tokens = await oidcOf(deps).complete(provider.client, input.code, state.code_verifier, state.nonce);
    } catch (error) {
      if (isOidcError(error)) throw refusal(error.reason, error.message);
      throw error;
    }
    const { claims } = tokens;
    if (!claims.email || !claims.emailVerified) throw refusal('email_unverified', 'the identity provider did not vouch for an e-mail address');
    const email = normaliseEmail(claims.email);
    const domain = email.split('@')[1] ?? '';
    if (!provider.domains.includes(domain)) throw refusal('email_domain', `${domain} is not a domain of this identity provider`);
    const now = deps.now();

    let identity = await deps.db.selectFrom('user_identities').selectAll().where('provider_id', '=', provider.id).where('subject', '=', claims.subject).executeTakeFirst();
    if (state.invitation_id) {
      const invitation = await deps.db.selectFrom('invitations').select('email').where('id', '=', state.invitation_id).executeTakeFirst();
      if (!invitation || invitation.email !== email) throw refusal('invitation_mismatch', 'the invitation was sent to another address');
    }
    // An invitation the sign-in started from, or else every pending invitation to this address, is accepted.
    const accepted = await acceptInvitationsByVerifiedEmail(deps, { email, invitationId: state.invitation_id }).catch((error: unknown) => {
      if (error instanceof DomainError && error.details.reason === 'no_account') throw refusal('no_account', 'no account or invitation for this address');
      throw error;
    });
    userId = identity?.user_id ?? accepted.userId;
    if (!userId) throw refusal('no_account', 'no account or invitation for this address');
    if (!identity) {
      // Two first sign-ins of one person at once link once (the subject is unique per provider).
      const linked = await deps.db
        .insertInto('user_identities')
        .values({ id: newId(), user_id: userId, provider_id: provider.id, subject: claims.subject, email, created_at: now, last_login_at: now })
        .onConflict((oc) => oc.columns(['provider_id', 'subject']).doNothing())
        .executeTakeFirst();
      identity = await deps.db.selectFrom('user_identities').selectAll().where('provider_id', '=', provider.id).where('subject', '=', claims.subject).executeTakeFirstOrThrow();
      userId = identity.user_id;
      if (Number(linked.numInsertedOrUpdatedRows ?? 0n) > 0) {
        await recordSecurityEvent(deps.db, { kind: 'idp_linked', userId, ...browser, details: { providerId: provider.id, createdUser: accepted.createdUser } }, now);
      }
    } else {
      await deps.db.updateTable('user_identities').set({ last_login_at: now, email }).where('id', '=', identity.id).execute();
    }

    const user = await deps.db.selectFrom('users').select(['id', 'email', 'display_name', 'locale']).where('id', '=', userId).executeTakeFirstOrThrow();
    if (input.currentSessionToken) await deps.sessions.invalidate(input.currentSessionToken);
    const session = await deps.sessions.create(user.id, browser);
    const sessionId = hashToken(session.token);
    const recheckMs = deps.idpRecheckMs ?? IDP_RECHECK_MS;
    if (!tokens.refreshToken) {
      // Nothing to re-check with: the session is short instead.
      await deps.db.updateTable('sessions').set({ absolute_expires_at: Math.min(session.absoluteExpiresAt, now + IDP_SESSION_WITHOUT_REFRESH_MS) }).where('id', '=', sessionId).execute();
    }
    await deps.db
      .insertInto('idp_sessions')
      .values({
        session_id: sessionId,
        user_id: user.id,
        provider_id: provider.id,
        refresh_token_enc: tokens.refreshToken ? secretsOf(deps).seal(tokens.refreshToken, `refresh:${sessionId}`) : null,
        checked_at: now,
        check_due_at: now + recheckMs,
      })
      .execute();
    await recordSecurityEvent(deps.db, { kind: 'login', userId: user.id, ...browser, details: { via: 'identity_provider', providerId: provider.id, refreshToken: Boolean(tokens.refreshToken), accepted: accepted.accepted } }, now);
    return { token: session.token, user: { id: user.id, email: user.email, displayName: user.display_name, locale: user.locale }, redirectTo: state.redirect_to, accepted: accepted.accepted };
  } catch (error) {
    const ofProvider = providerId ?? (error instanceof DomainError && typeof error.details.providerId === 'string' ? error.details.providerId : null);
    if (error instanceof DomainError && error.code === 'unauthenticated' && ofProvider !== null) {
      await recordSecurityEvent(deps.db, { kind: 'idp_login_refused', userId, ...browser, details: { reason: error.details.reason, providerId: ofProvider } }, deps.now());
    }
    throw error;
  }
}

/**
 * Re-checks the sessions from providers that are due (the server runs it every minute): a refresh-token grant per
 * session. The provider refusing (the account disabled or removed, the grant revoked) ends the session at once; the
 * collab server's re-check of open sockets (every 3 s) then closes them (4401). A provider that cannot be asked is
 * asked again a minute later, and after IDP_RECHECK_GRACE_MS without an answer its sessions end too.
 */
export async function recheckProviderSessions(deps: CoreDeps, options: { limit?: number } = {}): Promise<{ checked: number; ended: number; postponed: number }> {
  const now = deps.now();
  const due = await deps.db
    .selectFrom('idp_sessions')
    .innerJoin('user_identities', (join) => join.onRef('user_identities.user_id', '=', 'idp_sessions.user_id').onRef('user_identities.provider_id', '=', 'idp_sessions.provider_id'))
    .select(['idp_sessions.session_id', 'idp_sessions.user_id', 'idp_sessions.provider_id', 'idp_sessions.refresh_token_enc', 'idp_sessions.checked_at', 'user_identities.subject'])
    .where('idp_sessions.check_due_at', '<=', now)
    .where('idp_sessions.refresh_token_enc', 'is not', null)
    .orderBy('idp_sessions.check_due_at')
    .limit(options.limit ?? 200)
    .execute();
  const recheckMs = deps.idpRecheckMs ?? IDP_RECHECK_MS;
  const result = { checked: 0, ended: 0, postponed: 0 };
  const end = async (row: (typeof due)[number], reason: string) => {
    await deps.db.deleteFrom('sessions').where('id', '=', row.session_id).execute();
    await recordSecurityEvent(deps.db, { kind: 'idp_session_ended', userId: row.user_id, ip: null, userAgent: null, details: { providerId: row.provider_id, reason: reason.slice(0, 200) } }, deps.now());
    result.ended++;
  };
  for (const row of due) {
    result.checked++;
    const provider = await providerConfig(deps, row.provider_id);
    if (!provider) {
      await end(row, 'provider removed');
      continue;
    }
    const context = `refresh:${row.session_id}`;
    let refreshToken: string;
    try {
      refreshToken = secretsOf(deps).open(row.refresh_token_enc!, context);
    } catch {
      // Sealed under another key (SECRETS_KEY changed) or altered: it cannot vouch for anyone any more.
      await end(row, 'the refresh token cannot be opened');
      continue;
    }
    const verdict = await oidcOf(deps).recheck(provider.client, refreshToken, row.subject);
    const at = deps.now();
    if (verdict.ok) {
      await deps.db
        .updateTable('idp_sessions')
        .set({ refresh_token_enc: secretsOf(deps).seal(verdict.refreshToken, context), checked_at: at, check_due_at: at + recheckMs })
        .where('session_id', '=', row.session_id)
        .execute();
    } else if (verdict.refused || at - row.checked_at > IDP_RECHECK_GRACE_MS) {
      await end(row, verdict.refused ? verdict.reason : `unreachable since the last check: ${verdict.reason}`);
    } else {
      await deps.db.updateTable('idp_sessions').set({ check_due_at: at + 60_000 }).where('session_id', '=', row.session_id).execute();
      result.postponed++;
    }
  }
  return result;
}

/** How to sign in with this address: through its municipality's provider, or with a password. */
export async function signInMethod(deps: Pick<CoreDeps, 'db'>, email: string): Promise<'identity_provider' | 'password'> {
  return (await providerForEmail(deps, normaliseEmail(email))) ? 'identity_provider' : 'password';
}
