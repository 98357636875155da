import { generateToken, hashToken, issueKnownDevice, type IssuedDevice } from '@sopu/auth';
import type { CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { unlockMail } from '../shared/mail.ts';
import { recordSecurityEvent } from '../shared/security-log.ts';
import { secondFactorThrottleKey } from '../shared/second-factor-policy.ts';

/**
 * Unlock links (docs/decisions/003): when failed logins lock an account, its owner is mailed a single-use link. Opened
 * and confirmed in a browser, it lifts the account's lock and makes that browser a known device of the account, so
 * that however many guesses an attacker keeps sending, the owner logs in from there.
 */
export const UNLOCK_TTL_MS = 24 * 3_600_000;
/** A new lock mails a new link only when no unused one was sent within this time: at most one mail an hour. */
export const UNLOCK_MAIL_INTERVAL_MS = 3_600_000;

const TOKEN = /^[a-z2-7]{32}$/;

/** Why a link does not work: in `details.reason` of the not_found it throws. */
export type UnusableUnlock = 'unknown' | 'used' | 'expired';
const unusable = (reason: UnusableUnlock) => new DomainError('not_found', 'unlock link not found', { reason });

/**
 * Mails the account's owner an unlock link through the outbox (mail of no area: SMTP, or the development mailbox on a
 * local address), unless an unused one went out within the hour. Returns whether a mail was queued.
 */
export async function mailUnlockLink(
  deps: CoreDeps,
  user: { id: string; email: string },
  browser: { ip: string | null; userAgent: string | null },
  cause: 'password' | 'second_factor' = 'password',
): Promise<boolean> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const recent = await trx
      .selectFrom('login_unlocks')
      .select('id')
      .where('user_id', '=', user.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where('created_at', '>', now - UNLOCK_MAIL_INTERVAL_MS)
      .executeTakeFirst();
    if (recent) return false;
    const token = generateToken();
    const expiresAt = now + UNLOCK_TTL_MS;
    await trx.insertInto('login_unlocks').values({ id: newId(), user_id: user.id, token_hash: hashToken(token), created_at: now, expires_at: expiresAt, used_at: null }).execute();
    const mail = unlockMail({ email: user.email, link: `${deps.publicUrl}/unlock/${token}`, expiresAt, cause });
    await trx.insertInto('outbox').values({ id: newId(), area_id: null, to_email: user.email, subject: mail.subject, body_text: mail.body, created_at: now, sent_at: null }).execute();
    await recordSecurityEvent(trx, { kind: 'unlock_mailed', userId: user.id, ip: browser.ip, userAgent: browser.userAgent, details: { expiresAt, cause } }, now);
    return true;
  });
}

async function findUsable(deps: CoreDeps, token: string) {
  if (!TOKEN.test(token)) throw unusable('unknown');
  const row = await deps.db
    .selectFrom('login_unlocks')
    .innerJoin('users', 'users.id', 'login_unlocks.user_id')
    .select(['login_unlocks.id', 'login_unlocks.user_id', 'login_unlocks.expires_at', 'login_unlocks.used_at', 'users.email'])
    .where('login_unlocks.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) throw unusable('unknown');
  if (row.used_at !== null) throw unusable('used');
  if (row.expires_at <= deps.now()) throw unusable('expired');
  return row;
}

/** What the unlock page shows before the owner confirms: whose lock, and until when the link works. Changes nothing. */
export async function getUnlock(deps: CoreDeps, token: string): Promise<{ email: string; expiresAt: number }> {
  const row = await findUsable(deps, token);
  return { email: row.email, expiresAt: row.expires_at };
}

/**
 * Uses an unlock link, once: lifts the account's lock (its failures are forgotten) and makes this browser a known
 * device of the account (the device it showed, if it was one of the account's, is replaced). Returns the device for
 * the browser's cookie.
 */
export async function unlockLogin(
  deps: CoreDeps,
  token: string,
  browser: { ip: string | null; userAgent: string | null; deviceToken: string | null },
): Promise<{ email: string; device: IssuedDevice }> {
  const row = await findUsable(deps, token);
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    // The conditional update is the single-use guarantee: of two concurrent uses only one changes the row.
    const claimed = await trx.updateTable('login_unlocks').set({ used_at: now }).where('id', '=', row.id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) throw unusable('used');
    // Both of the account's locks: the password's, and the second factor's (docs/decisions/024).
    const passwordLocked = await deps.throttle.unlockAccount(row.email, trx);
    const codesLocked = await deps.throttle.unlockAccount(secondFactorThrottleKey(row.user_id), trx);
    const wasLocked = passwordLocked || codesLocked;
    const device = await issueKnownDevice(trx, row.user_id, now, browser.deviceToken);
    await recordSecurityEvent(trx, { kind: 'unlocked', userId: row.user_id, ip: browser.ip, userAgent: browser.userAgent, details: { wasLocked } }, now);
    return { email: row.email, device };
  });
}
