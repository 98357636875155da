import { createTestDb, type Db } from '@sopu/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEVICE_COOKIE, DEVICE_TTL_MS, DEVICES_PER_USER, findKnownDevice, issueKnownDevice, pruneKnownDevices, readDeviceCookie, serializeDeviceCookie } from './devices.ts';
import { hashToken } from './tokens.ts';

let db: Db;
let cleanup: () => Promise<void>;
const T = Date.UTC(2026, 11, 7, 9, 0, 0);

beforeEach(async () => {
  ({ db, cleanup } = await createTestDb());
  for (const id of ['anna', 'bertil']) await db.insertInto('users').values({ id, email: `${id}@example.fi`, display_name: id, password_hash: null, locale: 'fi', created_at: T }).execute();
});
afterEach(async () => {
  await cleanup();
});

describe('known devices', () => {
  it('a device is known to its own account only, until it expires; only its hash is stored', async () => {
    const device = await issueKnownDevice(db, 'anna', T);
    expect(device.token).toMatch(/^[a-z2-7]{32}$/);
    expect(device.expiresAt).toBe(T + DEVICE_TTL_MS);
    expect(await findKnownDevice(db, device.token, 'anna', T)).toEqual({ id: hashToken(device.token), userId: 'anna' });
    expect(await findKnownDevice(db, device.token, 'bertil', T)).toBeNull();
    expect(await findKnownDevice(db, device.token, 'anna', device.expiresAt)).toBeNull();
    expect(await findKnownDevice(db, 'not-a-token', 'anna', T)).toBeNull();
    expect(await db.selectFrom('known_devices').select('id').execute()).toEqual([{ id: hashToken(device.token) }]);
  });

  it('a new device replaces the one the browser showed (if it was this account\'s), and an account keeps at most DEVICES_PER_USER', async () => {
    const first = await issueKnownDevice(db, 'anna', T);
    const bertils = await issueKnownDevice(db, 'bertil', T);
    const second = await issueKnownDevice(db, 'anna', T + 1, first.token);
    expect(await findKnownDevice(db, first.token, 'anna', T + 1)).toBeNull();
    expect(await findKnownDevice(db, second.token, 'anna', T + 1)).not.toBeNull();
    // Another account's device shown by the browser is not this login's to forget.
    await issueKnownDevice(db, 'anna', T + 2, bertils.token);
    expect(await findKnownDevice(db, bertils.token, 'bertil', T + 2)).not.toBeNull();

    const tokens: string[] = [];
    for (let i = 0; i < DEVICES_PER_USER + 3; i++) tokens.push((await issueKnownDevice(db, 'anna', T + 10 + i)).token);
    const kept = await db.selectFrom('known_devices').select('id').where('user_id', '=', 'anna').execute();
    expect(kept.map((k) => k.id).sort()).toEqual(tokens.slice(-DEVICES_PER_USER).map(hashToken).sort());
  });

  it('pruneKnownDevices deletes the expired ones', async () => {
    const old = await issueKnownDevice(db, 'anna', T);
    const fresh = await issueKnownDevice(db, 'bertil', T + 1000);
    expect(await pruneKnownDevices(db, old.expiresAt)).toBe(1);
    expect(await findKnownDevice(db, fresh.token, 'bertil', old.expiresAt)).not.toBeNull();
  });

  it('the cookie: read back from a Cookie header, malformed values ignored; HttpOnly, SameSite=Strict, Path=/, Max-Age, Secure on https', () => {
    const token = 'abcdefghijklmnopqrstuvwxyz234567';
    expect(readDeviceCookie(`a=%; ${DEVICE_COOKIE}=${token}; sopu_session=x`)).toBe(token);
    for (const header of [`${DEVICE_COOKIE}=${token.toUpperCase()}`, `${DEVICE_COOKIE}=`, `x${DEVICE_COOKIE}=${token}`, '', `${DEVICE_COOKIE}=${token}0`]) expect(readDeviceCookie(header), header).toBeNull();
    const device = { token, expiresAt: T + DEVICE_TTL_MS };
    expect(serializeDeviceCookie(device, { secure: false, now: T })).toBe(`${DEVICE_COOKIE}=${token}; Path=/; Max-Age=${DEVICE_TTL_MS / 1000}; HttpOnly; SameSite=Strict`);
    expect(serializeDeviceCookie(device, { secure: true, now: T })).toMatch(/; Secure$/);
  });
});
