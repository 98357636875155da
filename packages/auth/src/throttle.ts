import type { Db } from '@sopu/db';

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
 * processes and restarts. Only failures count; a success clears the account's counter.
 */
export function createLoginThrottle(db: Db, options: ThrottleOptions = DEFAULT_THROTTLE) {
  const now = options.now ?? Date.now;
  const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
  const ipKey = (ip: string) => `ip:${ip}`;

  async function check(email: string, ip: string | null): Promise<ThrottleVerdict> {
    const keys = [accountKey(email), ...(ip ? [ipKey(ip)] : [])];
    const rows = await db.selectFrom('login_attempts').selectAll().where('key', 'in', keys).execute();
    const t = now();
    const lockedUntil = Math.max(0, ...rows.map((r) => r.locked_until ?? 0));
    if (lockedUntil > t) return { allowed: false, retryAfterSeconds: Math.ceil((lockedUntil - t) / 1000) };
    return { allowed: true };
  }

  async function recordFailure(email: string, ip: string | null): Promise<void> {
    const t = now();
    await db.transaction().execute(async (trx) => {
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
    });
  }

  async function recordSuccess(email: string): Promise<void> {
    await db.deleteFrom('login_attempts').where('key', '=', accountKey(email)).execute();
  }

  return { check, recordFailure, recordSuccess };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
