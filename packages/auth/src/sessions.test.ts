import { createTestDb, type Db } from '@sopu/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessions, SESSION_COOKIE, type Sessions } from './sessions.ts';
import { hashToken } from './tokens.ts';

const MINUTE = 60_000;
const IDLE = 30 * MINUTE;
const ABSOLUTE = 2 * 60 * MINUTE;

let db: Db;
let cleanup: () => Promise<void>;
let time: number;
let sessions: Sessions;
let userId: string;

async function insertUser(email: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.insertInto('users').values({ id, email, display_name: `User ${email}`, password_hash: null, locale: 'sv', created_at: time }).execute();
  return id;
}
const sessionRows = () => db.selectFrom('sessions').selectAll().execute();

beforeEach(async () => {
  ({ db, cleanup } = await createTestDb());
  time = Date.UTC(2026, 10, 28, 8, 0, 0);
  sessions = createSessions(db, { idleTimeoutMs: IDLE, absoluteTimeoutMs: ABSOLUTE, secureCookies: false, now: () => time });
  userId = await insertUser('anna@example.fi');
});
afterEach(async () => {
  await cleanup();
});

describe('sessions', () => {
  it('create → validate returns the session and its user', async () => {
    const created = await sessions.create(userId, { ip: '192.0.2.1', userAgent: 'test-agent' });
    expect(created.userId).toBe(userId);
    expect(created.expiresAt).toBe(time + IDLE);
    expect(created.absoluteExpiresAt).toBe(time + ABSOLUTE);

    const result = await sessions.validate(created.token);
    expect(result?.user).toEqual({ id: userId, email: 'anna@example.fi', displayName: 'User anna@example.fi', locale: 'sv' });
    expect(result?.session.userId).toBe(userId);
    expect(result?.session.token).toBe(created.token);
  });

  it('never stores the raw token: the id column holds its sha256 hex', async () => {
    const { token } = await sessions.create(userId, { ip: '192.0.2.1', userAgent: 'x' });
    const rows = await sessionRows();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.id).toMatch(/^[0-9a-f]{64}$/);
    expect(row.id).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(row.ip).toBe('192.0.2.1');
    // Knowing the stored id does not make it a valid token.
    expect(await sessions.validate(row.id)).toBeNull();
  });

  it('rejects unknown, empty and oversized tokens', async () => {
    await sessions.create(userId);
    expect(await sessions.validate('nope')).toBeNull();
    expect(await sessions.validate('')).toBeNull();
    expect(await sessions.validate(null)).toBeNull();
    expect(await sessions.validate('a'.repeat(201))).toBeNull();
  });

  it('ends an idle session: after idleTimeoutMs without use validate returns null and the row is gone', async () => {
    const { token } = await sessions.create(userId);
    time += IDLE - 1;
    expect(await sessions.validate(token)).not.toBeNull();
    // That use extended the session; a full idle period after it, the session ends.
    time += IDLE;
    expect(await sessions.validate(token)).toBeNull();
    expect(await sessionRows()).toHaveLength(0);
  });

  it('ends a session exactly at its idle expiry when unused', async () => {
    const { token } = await sessions.create(userId);
    time += IDLE;
    expect(await sessions.validate(token)).toBeNull();
    expect(await sessionRows()).toHaveLength(0);
  });

  it('activity extends the idle expiry', async () => {
    const { token } = await sessions.create(userId);
    time += 20 * MINUTE;
    const used = await sessions.validate(token);
    expect(used?.session.expiresAt).toBe(time + IDLE);
    expect((await sessionRows())[0]?.expires_at).toBe(time + IDLE);
    // 45 minutes after login: past the original idle expiry, within the extended one.
    time += 25 * MINUTE;
    expect(await sessions.validate(token)).not.toBeNull();
  });

  it('absolute timeout ends the session even with constant activity', async () => {
    const start = time;
    const { token } = await sessions.create(userId);
    while (time + 10 * MINUTE < start + ABSOLUTE) {
      time += 10 * MINUTE;
      const r = await sessions.validate(token);
      expect(r).not.toBeNull();
      expect(r!.session.expiresAt).toBeLessThanOrEqual(start + ABSOLUTE);
    }
    time = start + ABSOLUTE;
    expect(await sessions.validate(token)).toBeNull();
    expect(await sessionRows()).toHaveLength(0);
  });

  it('invalidate ends one session, invalidateUser every session of that user only', async () => {
    const other = await insertUser('bertil@example.fi');
    const a = await sessions.create(userId);
    const b = await sessions.create(userId);
    const c = await sessions.create(other);

    await sessions.invalidate(a.token);
    expect(await sessions.validate(a.token)).toBeNull();
    expect(await sessions.validate(b.token)).not.toBeNull();

    await sessions.invalidateUser(userId);
    expect(await sessions.validate(b.token)).toBeNull();
    expect(await sessions.validate(c.token)).not.toBeNull();
    expect((await sessionRows()).map((r) => r.user_id)).toEqual([other]);
  });

  it('prune removes only expired rows, by the injected clock, and says how many', async () => {
    const old = await sessions.create(userId);
    time += 20 * MINUTE;
    const fresh = await sessions.create(userId);
    time += 15 * MINUTE; // old is idle 35 min, fresh 15 min
    expect(await sessions.prune()).toBe(1);
    expect((await sessionRows()).map((r) => r.id)).toEqual([hashToken(fresh.token)]);
    expect(await sessions.prune()).toBe(0);
    expect(old.token).not.toBe(fresh.token);
  });

  it('reads the token from a Cookie header that also holds malformed or foreign cookies, without throwing', async () => {
    const { token } = await sessions.create(userId);
    expect(sessions.readCookie(`lang=%E0%A4%A; ${SESSION_COOKIE}=${token}; other=%`)).toBe(token);
    expect(sessions.readCookie(`${SESSION_COOKIE}=%E0%A4%A`)).toBeNull();
    expect(sessions.readCookie(`${SESSION_COOKIE}=${'a'.repeat(5000)}`)).toBeNull();
    expect(sessions.readCookie('lang=%')).toBeNull();
    expect(sessions.readCookie(`x${SESSION_COOKIE}=${token}`)).toBeNull();
  });

  it('cookies: HttpOnly, SameSite=Lax, Path=/, read back from a Cookie header; blank cookie clears it', async () => {
    const { token } = await sessions.create(userId);
    const cookie = sessions.cookie(token).serialize();
    expect(cookie).toContain(`${SESSION_COOKIE}=${token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    expect(sessions.readCookie(`other=1; ${SESSION_COOKIE}=${token}`)).toBe(token);
    // Malformed headers any client can send are "no session", never an exception.
    for (const header of ['a=%', '%=%; sopu_session=%E0%A4%A', `sopu_session=${token}%`, 'sopu_session=', `sopu_session=${'a'.repeat(201)}`, ';;;', '=', `${'x'.repeat(20_000)}; ${SESSION_COOKIE}=${token}`]) {
      expect(() => sessions.readCookie(header)).not.toThrow();
      expect(sessions.readCookie(header)).toBeNull();
    }
    expect(sessions.readCookie(`a=%; ${SESSION_COOKIE}=${token}`)).toBe(token);
    expect(sessions.readBearer(`Bearer ${token}`)).toBe(token);
    expect(sessions.readBearer(`Basic ${token}`)).toBeNull();
    // The scheme is case-insensitive (RFC 9110): the Origin guard treats `bearer` as a bearer, so must this.
    expect(sessions.readBearer(`bearer ${token}`)).toBe(token);
    expect(sessions.readBearer(`BEARER\t${token} `)).toBe(token);
    for (const header of ['Bearer', 'Bearer ', `Bearer ${token} extra`, `Bearer${token}`, '']) expect(sessions.readBearer(header), header).toBeNull();
    expect(sessions.blankCookie().serialize()).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`));

    const secure = createSessions(db, { idleTimeoutMs: IDLE, absoluteTimeoutMs: ABSOLUTE, secureCookies: true, now: () => time });
    expect(secure.cookie(token).serialize()).toMatch(/Secure/);
  });
});
