import type { Database, Db, Transaction } from '@sopu/db';

export interface ThrottleOptions {
  /**
   * Failures per account (from devices it does not know) before it is locked for them, and failures per known device
   * before that device is locked; each further failure doubles the lock.
   */
  accountFailures: number;
  /** Failures per client address within the window before the address is locked until the window ends. */
  ipFailures: number;
  windowMs: number;
  baseLockMs: number;
  maxLockMs: number;
  now?: () => number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  accountFailures: 5,
  ipFailures: 30,
  windowMs: 15 * 60_000,
  baseLockMs: 60_000,
  maxLockMs: 15 * 60_000,
};

/** What a lock holds back: an account from devices it does not know, a client address, or one known device. */
export type LockScope = 'account' | 'address' | 'device';

export type ThrottleVerdict =
  /** `locks`: what this attempt locks if it fails (it was counted as a failure when reserved). */
  | { allowed: true; locks: LockScope[] }
  | { allowed: false; retryAfterSeconds: number; scope: LockScope };

/**
 * Where an attempt comes from: the client address, and the known device of the account that the browser showed
 * (its id, found by the caller among the account's own devices), if any.
 */
export interface AttemptSource {
  ip: string | null;
  device?: string | null;
}

/**
 * Login throttling (ASVS 2.2.1, OWASP's device cookies), kept in the database so that it holds across processes and
 * restarts. Two paths:
 * - from a device the account does not know: counted per account and per client address. Five failures lock the
 *   account for such devices (1 min, doubling per further failure up to 15 min); 30 failures from one address in
 *   15 min lock that address for every account.
 * - from a known device of the account (one that logged in before, or opened an unlock link): counted per device
 *   only, with the account's limits. The account's and the address's locks do not hold it back, so an attacker's
 *   guesses never keep the owner out; a stolen device cookie buys five guesses, as any unknown device.
 *
 * A login reserves its attempt (`attempt`) before the password is verified: the lock check and the count happen in
 * one write transaction, so parallel guesses cannot all pass the check before any of them is counted. A success
 * gives the attempt back (`recordSuccess`); a failure needs nothing more, it was counted when reserved.
 */
export function createLoginThrottle(db: Db, options: ThrottleOptions = DEFAULT_THROTTLE) {
  const now = options.now ?? Date.now;
  const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
  const ipKey = (ip: string) => `ip:${ip}`;
  const deviceKey = (device: string) => `device:${device}`;
  /** The counters an attempt is checked against and counted in, with what each one's lock holds back. */
  const keysOf = (email: string, from: AttemptSource): Array<{ key: string; scope: LockScope }> =>
    from.device
      ? [{ key: deviceKey(from.device), scope: 'device' }]
      : [{ key: accountKey(email), scope: 'account' }, ...(from.ip ? [{ key: ipKey(from.ip), scope: 'address' as const }] : [])];

  function verdictOf(keys: Array<{ key: string; scope: LockScope }>, rows: Array<{ key: string; locked_until: number | null }>, t: number): ThrottleVerdict {
    let refusal: { until: number; scope: LockScope } | null = null;
    for (const { key, scope } of keys) {
      const until = rows.find((r) => r.key === key)?.locked_until ?? 0;
      if (until > t && (!refusal || until > refusal.until)) refusal = { until, scope };
    }
    if (refusal) return { allowed: false, retryAfterSeconds: Math.ceil((refusal.until - t) / 1000), scope: refusal.scope };
    return { allowed: true, locks: [] };
  }

  async function read(executor: Db | Transaction<Database>, keys: Array<{ key: string }>) {
    return executor.selectFrom('login_attempts').selectAll().where('key', 'in', keys.map((k) => k.key)).execute();
  }

  async function check(email: string, ip: string | null, device: string | null = null): Promise<ThrottleVerdict> {
    const keys = keysOf(email, { ip, device });
    return verdictOf(keys, await read(db, keys), now());
  }

  /** Counts one failure in each of the attempt's counters; returns the scopes it locked. */
  async function count(trx: Transaction<Database>, email: string, from: AttemptSource, t: number): Promise<LockScope[]> {
    const locks: LockScope[] = [];
    const bump = async (key: string, scope: LockScope, limit: number, lockFor: (failures: number, windowStart: number) => number, lockExtendsWindow: boolean) => {
      const row = await trx.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();
      // An account's window runs on from the end of its last lock: otherwise the count starts over while the locks
      // are still growing, and every window hands out a fresh set of free guesses.
      const windowFrom = row ? (lockExtendsWindow ? Math.max(row.window_started_at, row.locked_until ?? 0) : row.window_started_at) : 0;
      const fresh = !row || t - windowFrom > options.windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const windowStart = fresh ? t : row.window_started_at;
      const locked = failures >= limit ? t + lockFor(failures, windowStart) : null;
      if (locked !== null) locks.push(scope);
      await trx
        .insertInto('login_attempts')
        .values({ key, failures, window_started_at: windowStart, locked_until: locked })
        .onConflict((oc) => oc.column('key').doUpdateSet({ failures, window_started_at: windowStart, locked_until: locked }))
        .execute();
    };
    const growing = (failures: number) => Math.min(options.maxLockMs, options.baseLockMs * 2 ** (failures - options.accountFailures));
    if (from.device) {
      await bump(deviceKey(from.device), 'device', options.accountFailures, growing, true);
      return locks;
    }
    await bump(accountKey(email), 'account', options.accountFailures, growing, true);
    if (from.ip) await bump(ipKey(from.ip), 'address', options.ipFailures, (_f, windowStart) => Math.max(options.baseLockMs, windowStart + options.windowMs - t), false);
    return locks;
  }

  /**
   * Reserves one attempt: refused while a counter of its path is locked; otherwise counted as a failure until
   * `recordSuccess` says otherwise. The attempt that reaches a limit sets the lock for the ones after it, and says so
   * in `locks`.
   */
  async function attempt(email: string, ip: string | null, device: string | null = null): Promise<ThrottleVerdict> {
    const t = now();
    const from = { ip, device };
    return db.transaction().execute(async (trx) => {
      const keys = keysOf(email, from);
      const verdict = verdictOf(keys, await read(trx, keys), t);
      if (!verdict.allowed) return verdict;
      return { allowed: true, locks: await count(trx, email, from, t) };
    });
  }

  /** Counts a failure without a reservation (an attempt made elsewhere, or tests building up a state). */
  async function recordFailure(email: string, ip: string | null, device: string | null = null): Promise<LockScope[]> {
    const t = now();
    return db.transaction().execute((trx) => count(trx, email, { ip, device }, t));
  }

  /**
   * A success gives the reservation back. From an unknown device: clears the account's counter and, when the
   * address is given, un-counts the one attempt it reserved there. From a known device: clears that device's counter
   * only; the account's counter stays (those failures came from elsewhere, and keep counting for unknown devices).
   */
  async function recordSuccess(email: string, ip: string | null = null, device: string | null = null): Promise<void> {
    await db.transaction().execute(async (trx) => {
      if (device) {
        await trx.deleteFrom('login_attempts').where('key', '=', deviceKey(device)).execute();
        return;
      }
      await trx.deleteFrom('login_attempts').where('key', '=', accountKey(email)).execute();
      if (!ip) return;
      const row = await trx.selectFrom('login_attempts').selectAll().where('key', '=', ipKey(ip)).executeTakeFirst();
      if (!row || row.failures <= 0) return;
      const failures = row.failures - 1;
      await trx
        .updateTable('login_attempts')
        .set({ failures, locked_until: failures >= options.ipFailures ? row.locked_until : null })
        .where('key', '=', row.key)
        .execute();
    });
  }

  /** Lifts the account's lock and forgets its failures (an unlock link was used); returns whether it was locked. */
  async function unlockAccount(email: string, trx?: Transaction<Database>): Promise<boolean> {
    const executor = trx ?? db;
    const row = await executor.selectFrom('login_attempts').select('locked_until').where('key', '=', accountKey(email)).executeTakeFirst();
    await executor.deleteFrom('login_attempts').where('key', '=', accountKey(email)).execute();
    return (row?.locked_until ?? 0) > now();
  }

  /** Deletes counters whose window and lock are both over: they no longer change any verdict. */
  async function prune(): Promise<number> {
    const stale = now() - options.windowMs;
    const result = await db
      .deleteFrom('login_attempts')
      .where('window_started_at', '<', stale)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', stale)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  return { check, attempt, recordFailure, recordSuccess, unlockAccount, prune };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
