import type { Database, Db, Transaction } from '@sopu/db';
import { generateToken, hashToken } from './tokens.ts';

/**
 * Known devices (OWASP "Slow down online guessing attacks with device cookies"): after a successful login, or when
 * the owner opens an unlock link, the browser gets a long-lived random cookie, stored as its sha256 per user. A login
 * that shows a known device of the account it logs in to is throttled per device, not per account (throttle.ts), so
 * an attacker's guesses from elsewhere never lock the owner out of their own browser.
 */
export const DEVICE_COOKIE = 'sopu_device';
/** How long a device stays known without a login from it (each login issues a fresh one). */
export const DEVICE_TTL_MS = 180 * 24 * 3_600_000;
/** The most devices a person keeps known; the ones used longest ago are forgotten first. */
export const DEVICES_PER_USER = 20;

const TOKEN = /^[a-z2-7]{32}$/;

type Executor = Db | Transaction<Database>;

export interface KnownDevice {
  /** The sha256 of the cookie's token: the row's id and the throttle's key. */
  id: string;
  userId: string;
}

export interface IssuedDevice {
  /** The cookie's value: only the browser holds it. */
  token: string;
  expiresAt: number;
}

/** The device token from a Cookie header, or null (our own reader: other cookies may be malformed). */
export function readDeviceCookie(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader || cookieHeader.length > 16_384) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== DEVICE_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return TOKEN.test(value) ? value : null;
  }
  return null;
}

/**
 * The Set-Cookie value of a device token: HttpOnly, SameSite=Strict (it is read only by our own login and unlock
 * forms), Path=/ (the login page and the API's session route), Secure on https, and Max-Age to its expiry.
 */
export function serializeDeviceCookie(device: IssuedDevice, options: { secure: boolean; now: number }): string {
  const maxAge = Math.max(0, Math.floor((device.expiresAt - options.now) / 1000));
  return `${DEVICE_COOKIE}=${device.token}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${options.secure ? '; Secure' : ''}`;
}

/** The account's known device that this token names, if it is one and has not expired. */
export async function findKnownDevice(db: Executor, token: string | null | undefined, userId: string, now: number): Promise<KnownDevice | null> {
  if (!token || !TOKEN.test(token)) return null;
  const row = await db
    .selectFrom('known_devices')
    .select(['id', 'user_id'])
    .where('id', '=', hashToken(token))
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id } : null;
}

/**
 * Makes this browser a known device of the user: a new token each time (the one it replaces, if given, is
 * forgotten), and only the DEVICES_PER_USER most recent kept.
 */
export async function issueKnownDevice(db: Executor, userId: string, now: number, replacing: string | null = null): Promise<IssuedDevice> {
  const token = generateToken();
  const expiresAt = now + DEVICE_TTL_MS;
  if (replacing && TOKEN.test(replacing)) await db.deleteFrom('known_devices').where('id', '=', hashToken(replacing)).where('user_id', '=', userId).execute();
  await db.insertInto('known_devices').values({ id: hashToken(token), user_id: userId, created_at: now, expires_at: expiresAt }).execute();
  const keep = await db.selectFrom('known_devices').select('id').where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id').limit(DEVICES_PER_USER).execute();
  await db
    .deleteFrom('known_devices')
    .where('user_id', '=', userId)
    .where('id', 'not in', keep.map((k) => k.id))
    .execute();
  return { token, expiresAt };
}

/** Deletes devices past their expiry; returns how many. */
export async function pruneKnownDevices(db: Executor, now: number): Promise<number> {
  const result = await db.deleteFrom('known_devices').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
