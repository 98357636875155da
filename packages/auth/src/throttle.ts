import type { Database, Db, Transaction } from '@sopu/db';

export interface ThrottleOptions {
  /** Failures per account before it is locked; each further failure doubles the lock. */
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

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Login throttling per account and per client address (ASVS 2.2.1), kept in the database so that it holds across
 * processes and restarts.
 *
 * A login reserves its attempt (`attempt`) before the password is verified: the lock check and the count happen in
 * one write transaction, so parallel guesses cannot all pass the check before any of them is counted. A success
 * gives the attempt back (`recordSuccess`); a failure needs nothing more, it was counted when reserved.
 */
export function createLoginThrottle(db: Db, options: ThrottleOptions = DEFAULT_THROTTLE) {
  const now = options.now ?? Date.now;
  const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
  const ipKey = (ip: string) => `ip:${ip}`;
  const keysOf = (email: string, ip: string | null) => [accountKey(email), ...(ip ? [ipKey(ip)] : [])];

  function verdictOf(rows: Array<{ locked_until: number | null }>, t: number): ThrottleVerdict {
    const lockedUntil = Math.max(0, ...rows.map((r) => r.locked_until ?? 0));
    if (lockedUntil > t) return { allowed: false, retryAfterSeconds: Math.ceil((lockedUntil - t) / 1000) };
    return { allowed: true };
  }

  async function check(email: string, ip: string | null): Promise<ThrottleVerdict> {
    const rows = await db.selectFrom('login_attempts').selectAll().where('key', 'in', keysOf(email, ip)).execute();
    return verdictOf(rows, now());
  }

  async function count(trx: Transaction<Database>, email: string, ip: string | null, t: number): Promise<void> {
    const bump = async (key: string, limit: number, lockFor: (failures: number, windowStart: number) => number, lockExtendsWindow: boolean) => {
      const row = await trx.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();
      // An account's window runs on from the end of its last lock: otherwise the count starts over while the locks
      // are still growing, and every window hands out a fresh set of free guesses.
      const windowFrom = row ? (lockExtendsWindow ? Math.max(row.window_started_at, row.locked_until ?? 0) : row.window_started_at) : 0;
      const fresh = !row || t - windowFrom > options.windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const windowStart = fresh ? t : row.window_started_at;
      const locked = failures >= limit ? t + lockFor(failures, windowStart) : null;
      await trx
        .insertInto('login_attempts')
        .values({ key, failures, window_started_at: windowStart, locked_until: locked })
        .onConflict((oc) => oc.column('key').doUpdateSet({ failures, window_started_at: windowStart, locked_until: locked }))
        .execute();
    };
    await bump(accountKey(email), options.accountFailures, (failures) =>
      Math.min(options.maxLockMs, options.baseLockMs * 2 ** (failures - options.accountFailures)), true,
    );
    if (ip) await bump(ipKey(ip), options.ipFailures, (_f, windowStart) => Math.max(options.baseLockMs, windowStart + options.windowMs - t), false);
  }

  /**
   * Reserves one attempt: refused while the account or the address is locked; otherwise counted as a failure until
   * `recordSuccess` says otherwise. The attempt that reaches a limit sets the lock for the ones after it.
   */
  async function attempt(email: string, ip: string | null): Promise<ThrottleVerdict> {
    const t = now();
    return db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('login_attempts').selectAll().where('key', 'in', keysOf(email, ip)).execute();
      const verdict = verdictOf(rows, t);
      if (verdict.allowed) await count(trx, email, ip, t);
      return verdict;
    });
  }

  /** Counts a failure without a reservation (an attempt made elsewhere, or tests building up a state). */
  async function recordFailure(email: string, ip: string | null): Promise<void> {
    const t = now();
    await db.transaction().execute((trx) => count(trx, email, ip, t));
  }

  /**
   * A success clears the account's counter and, when the address is given, gives back the one attempt the login
   * reserved there (a success is not a failure of the address).
   */
  async function recordSuccess(email: string, ip: string | null = null): Promise<void> {
    await db.transaction().execute(async (trx) => {
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

  return { check, attempt, recordFailure, recordSuccess, prune };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
