import { generateRecoveryCodes, generateToken, generateTotpKey, hashRecoveryCode, hashToken, looksLikeRecoveryCode, matchTotp, totpKeyText, totpKeyUri, type SecretBox } from '@sopu/auth';
import type { Database, Db, Transaction } from '@sopu/db';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { recordSecurityEvent } from '../shared/security-log.ts';
import { mailUnlockLink } from './login-unlock.ts';
import { confirmedKey, secondFactorPolicy, secondFactorThrottleKey, type SecondFactorPolicy } from '../shared/second-factor-policy.ts';

export { secondFactorNeed, secondFactorPolicy, type SecondFactorPolicy } from '../shared/second-factor-policy.ts';

/**
 * The second factor of password accounts (docs/decisions/024): a TOTP key (RFC 6238) kept encrypted, and ten
 * single-use recovery codes kept hashed. Required of host admins and of everyone in an area that requires it;
 * optional for others; never for the demo accounts (`users.password_only`). Codes are throttled as passwords are
 * (packages/auth/src/throttle.ts, under the key `totp:<user id>`): per account from browsers the account does not
 * know, per device from its known browsers, so wrong codes typed elsewhere never lock the owner out.
 */

/** How long a log-in waits between the password and the code (or the set-up). */
export const CHALLENGE_TTL_MS = 10 * 60_000;
/** A key shown for set-up but not confirmed is replaced after this long. */
export const PENDING_KEY_TTL_MS = 30 * 60_000;
export const TOTP_ISSUER = 'Sopu';

type Executor = Db | Transaction<Database>;
interface Browser {
  ip: string | null;
  userAgent: string | null;
}

export function secretsOf(deps: Pick<CoreDeps, 'secrets'>): SecretBox {
  if (!deps.secrets) throw new Error('SECRETS_KEY is not configured: secrets cannot be stored');
  return deps.secrets;
}

const keyContext = (userId: string) => `totp:${userId}`;
const throttleKey = secondFactorThrottleKey;

// --- challenges: the log-in between the password and the second factor ----------------------------------------

export interface Challenge {
  id: string;
  userId: string;
  kind: 'totp' | 'enrol';
  deviceId: string | null;
  redirectTo: string;
}

/** Starts the second step of a log-in; the token goes into an HttpOnly cookie and is stored hashed. */
export async function createChallenge(deps: CoreDeps, input: { userId: string; kind: 'totp' | 'enrol'; deviceId: string | null; redirectTo: string }, browser: Browser): Promise<{ token: string; expiresAt: number }> {
  const now = deps.now();
  const token = generateToken();
  const expiresAt = now + CHALLENGE_TTL_MS;
  await deps.db.transaction().execute(async (trx) => {
    // One log-in in progress per account and browser is enough; older ones of the account are dropped.
    await trx.deleteFrom('login_challenges').where('user_id', '=', input.userId).where('expires_at', '<=', now).execute();
    await trx
      .insertInto('login_challenges')
      .values({ id: hashToken(token), user_id: input.userId, kind: input.kind, device_id: input.deviceId, redirect_to: input.redirectTo, created_at: now, expires_at: expiresAt })
      .execute();
    await recordSecurityEvent(trx, { kind: 'second_factor_asked', userId: input.userId, ...browser, details: { step: input.kind } }, now);
  });
  return { token, expiresAt };
}

const TOKEN = /^[a-z2-7]{32}$/;

/** The log-in in progress this cookie names, or an `unauthenticated` error with reason `challenge_expired`. */
export async function findChallenge(deps: CoreDeps, token: string | null | undefined): Promise<Challenge> {
  const expired = () => new DomainError('unauthenticated', 'the log-in has expired: start again', { reason: 'challenge_expired' });
  if (!token || !TOKEN.test(token)) throw expired();
  const row = await deps.db.selectFrom('login_challenges').selectAll().where('id', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.expires_at <= deps.now()) throw expired();
  return { id: row.id, userId: row.user_id, kind: row.kind as Challenge['kind'], deviceId: row.device_id, redirectTo: row.redirect_to };
}

export async function endChallenge(executor: Executor, challenge: Challenge): Promise<void> {
  await executor.deleteFrom('login_challenges').where('id', '=', challenge.id).execute();
}

// --- verifying a code ---------------------------------------------------------------------------------------

/**
 * Checks a TOTP code or a recovery code of the account, throttled like a password. A TOTP code is accepted once:
 * its step becomes the last used one in the same conditional write (two requests with one code: one wins). A
 * recovery code is spent by a conditional write too. Returns which kind was used; a wrong code is `unauthenticated`
 * with reason `wrong_code`, a locked counter `throttled`.
 */
export async function verifySecondFactor(deps: CoreDeps, userId: string, code: string, from: { deviceId: string | null } & Browser): Promise<'totp' | 'recovery_code'> {
  const verdict = await deps.throttle.attempt(throttleKey(userId), from.ip, from.deviceId);
  const browser = { ip: from.ip, userAgent: from.userAgent };
  if (!verdict.allowed) throw new DomainError('throttled', 'too many wrong codes', { retryAfterSeconds: verdict.retryAfterSeconds });
  const now = deps.now();
  const used = looksLikeRecoveryCode(code) ? await spendRecoveryCode(deps.db, userId, code, now) : await acceptTotp(deps, userId, code, now);
  if (!used) {
    await recordSecurityEvent(deps.db, { kind: 'second_factor_failed', userId, ...browser, details: { knownDevice: Boolean(from.deviceId) } }, now);
    for (const scope of verdict.locks) await recordSecurityEvent(deps.db, { kind: 'lockout', userId, ...browser, details: { scope, factor: 'totp' } }, now);
    // As for passwords (docs/decisions/003): the owner is mailed a link that lifts the lock in their own browser.
    if (verdict.locks.includes('account')) {
      const user = await deps.db.selectFrom('users').select(['id', 'email']).where('id', '=', userId).executeTakeFirstOrThrow();
      await mailUnlockLink(deps, user, browser, 'second_factor');
    }
    throw new DomainError('unauthenticated', 'wrong code', { reason: 'wrong_code' });
  }
  await deps.throttle.recordSuccess(throttleKey(userId), from.ip, from.deviceId);
  if (used === 'recovery_code') {
    const left = await recoveryCodesLeft(deps.db, userId);
    await recordSecurityEvent(deps.db, { kind: 'recovery_code_used', userId, ...browser, details: { left } }, now);
  }
  return used;
}

async function acceptTotp(deps: CoreDeps, userId: string, code: string, now: number): Promise<'totp' | null> {
  const row = await confirmedKey(deps.db, userId);
  if (!row) return null;
  const key = Buffer.from(secretsOf(deps).open(row.secret_enc, keyContext(userId)), 'base64');
  const step = matchTotp(key, code, now, row.last_used_step);
  if (step === null) return null;
  const claimed = await deps.db
    .updateTable('totp_credentials')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return claimed.numUpdatedRows === 1n ? 'totp' : null;
}

async function spendRecoveryCode(db: Db, userId: string, code: string, now: number): Promise<'recovery_code' | null> {
  const spent = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashRecoveryCode(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return spent.numUpdatedRows >= 1n ? 'recovery_code' : null;
}

export async function recoveryCodesLeft(db: Executor, userId: string): Promise<number> {
  const row = await db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function replaceRecoveryCodes(trx: Transaction<Database>, userId: string, now: number): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await trx
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ id: newId(), user_id: userId, code_hash: hashRecoveryCode(code), created_at: now, used_at: null })))
    .execute();
  return codes;
}

// --- setting up, turning off, new recovery codes --------------------------------------------------------------

export interface EnrolmentView {
  /** otpauth:// URI for the QR code. */
  keyUri: string;
  /** The key in base32 groups, for typing into an app by hand. */
  keyText: string;
  accountName: string;
}

/**
 * The key being set up for this account: the pending one if it is recent, else a new one (kept encrypted, not in
 * use until a code from it is confirmed). An account whose second factor is on already gets `conflict`.
 */
export async function pendingEnrolment(deps: CoreDeps, userId: string): Promise<EnrolmentView> {
  const now = deps.now();
  const user = await deps.db.selectFrom('users').select(['email', 'password_only']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (user.password_only === 1) throw new DomainError('forbidden', 'this account signs in with a password only', { reason: 'password_only' });
  const row = await deps.db.selectFrom('totp_credentials').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (row?.confirmed_at) throw new DomainError('conflict', 'the second factor is on already', { reason: 'already_enabled' });
  const box = secretsOf(deps);
  let key: Uint8Array;
  if (row && row.created_at > now - PENDING_KEY_TTL_MS) {
    key = Buffer.from(box.open(row.secret_enc, keyContext(userId)), 'base64');
  } else {
    key = generateTotpKey();
    const sealed = box.seal(Buffer.from(key).toString('base64'), keyContext(userId));
    await deps.db
      .insertInto('totp_credentials')
      .values({ user_id: userId, secret_enc: sealed, created_at: now, confirmed_at: null, last_used_step: null })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_enc: sealed, created_at: now, confirmed_at: null, last_used_step: null }))
      .execute();
  }
  return { keyUri: totpKeyUri(TOTP_ISSUER, user.email, key), keyText: totpKeyText(key), accountName: user.email };
}

/**
 * Turns the pending key on when the code is one of its current codes (throttled as any code); replaces the recovery
 * codes and returns them: they are shown once, stored only hashed.
 */
export async function confirmEnrolment(deps: CoreDeps, userId: string, code: string, from: { deviceId: string | null } & Browser): Promise<{ recoveryCodes: string[] }> {
  const verdict = await deps.throttle.attempt(throttleKey(userId), from.ip, from.deviceId);
  if (!verdict.allowed) throw new DomainError('throttled', 'too many wrong codes', { retryAfterSeconds: verdict.retryAfterSeconds });
  const now = deps.now();
  const browser = { ip: from.ip, userAgent: from.userAgent };
  const row = await deps.db.selectFrom('totp_credentials').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row || row.confirmed_at) throw new DomainError('conflict', 'no second factor is being set up', { reason: row ? 'already_enabled' : 'not_started' });
  const key = Buffer.from(secretsOf(deps).open(row.secret_enc, keyContext(userId)), 'base64');
  const step = matchTotp(key, code, now, null);
  if (step === null) {
    await recordSecurityEvent(deps.db, { kind: 'second_factor_failed', userId, ...browser, details: { step: 'enrol' } }, now);
    throw new DomainError('unauthenticated', 'wrong code', { reason: 'wrong_code' });
  }
  await deps.throttle.recordSuccess(throttleKey(userId), from.ip, from.deviceId);
  return deps.db.transaction().execute(async (trx) => {
    const confirmed = await trx.updateTable('totp_credentials').set({ confirmed_at: now, last_used_step: step }).where('user_id', '=', userId).where('confirmed_at', 'is', null).where('secret_enc', '=', row.secret_enc).executeTakeFirst();
    if (confirmed.numUpdatedRows !== 1n) throw new DomainError('conflict', 'the set-up changed meanwhile: start again', { reason: 'not_started' });
    const recoveryCodes = await replaceRecoveryCodes(trx, userId, now);
    await recordSecurityEvent(trx, { kind: 'second_factor_enabled', userId, ...browser }, now);
    return { recoveryCodes };
  });
}

export interface SecondFactorStatus {
  enabled: boolean;
  policy: SecondFactorPolicy;
  recoveryCodesLeft: number;
  /** The account signs in through an identity provider: its second factor is the provider's. */
  viaIdentityProvider: boolean;
  hasPassword: boolean;
}

export async function getSecondFactorStatus(deps: CoreDeps, actor: Actor): Promise<SecondFactorStatus> {
  const user = await deps.db.selectFrom('users').select(['password_hash']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
  const identity = await deps.db.selectFrom('user_identities').select('id').where('user_id', '=', actor.userId).executeTakeFirst();
  return {
    enabled: Boolean(await confirmedKey(deps.db, actor.userId)),
    policy: await secondFactorPolicy(deps.db, actor.userId),
    recoveryCodesLeft: await recoveryCodesLeft(deps.db, actor.userId),
    viaIdentityProvider: Boolean(identity),
    hasPassword: user.password_hash !== null,
  };
}

/** Turns the second factor off with a current code; refused while it is required of the account. */
export async function disableSecondFactor(deps: CoreDeps, actor: Actor, code: string, browser: Browser): Promise<void> {
  if ((await secondFactorPolicy(deps.db, actor.userId)) === 'required') {
    throw new DomainError('forbidden', 'a second factor is required of this account', { reason: 'second_factor_required' });
  }
  if (!(await confirmedKey(deps.db, actor.userId))) throw new DomainError('conflict', 'the second factor is off already', { reason: 'not_enabled' });
  await verifySecondFactor(deps, actor.userId, code, { deviceId: null, ...browser });
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('totp_credentials').where('user_id', '=', actor.userId).execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', actor.userId).execute();
    await recordSecurityEvent(trx, { kind: 'second_factor_disabled', userId: actor.userId, ...browser }, now);
  });
}

/** New recovery codes (the old ones stop working) for a current TOTP code; returned once. */
export async function regenerateRecoveryCodes(deps: CoreDeps, actor: Actor, code: string, browser: Browser): Promise<{ recoveryCodes: string[] }> {
  if (!(await confirmedKey(deps.db, actor.userId))) throw new DomainError('conflict', 'the second factor is off', { reason: 'not_enabled' });
  if (looksLikeRecoveryCode(code)) throw new DomainError('invalid_input', 'a code from the app is needed', { field: 'code', problem: 'totp_needed' });
  await verifySecondFactor(deps, actor.userId, code, { deviceId: null, ...browser });
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const recoveryCodes = await replaceRecoveryCodes(trx, actor.userId, now);
    await recordSecurityEvent(trx, { kind: 'recovery_codes_regenerated', userId: actor.userId, ...browser }, now);
    return { recoveryCodes };
  });
}

/** The account page: the key to set up for the signed-in person (see pendingEnrolment). */
export async function startSecondFactorSetup(deps: CoreDeps, actor: Actor): Promise<EnrolmentView> {
  return pendingEnrolment(deps, actor.userId);
}

/** The account page: turns the pending key on with a code from it; the recovery codes are returned once. */
export async function finishSecondFactorSetup(deps: CoreDeps, actor: Actor, code: string, browser: Browser): Promise<{ recoveryCodes: string[] }> {
  return confirmEnrolment(deps, actor.userId, code, { deviceId: null, ...browser });
}
