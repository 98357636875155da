import type { Database, Db, Transaction } from '@sopu/db';

type Executor = Db | Transaction<Database>;

/**
 * Who needs a second factor (docs/decisions/024): host admins and every member of an area that requires it, when
 * they sign in with a password; others may have one; the demo accounts never (`users.password_only`). Read by the
 * log-in (session) and by accepting an invitation (members: a new host admin sets one up at the first log-in, not
 * signed in straight away), so it lives below both.
 *
 * What the second factor is for an account: exempt (demo), required (host admin, or an area requires it), optional.
 */
export type SecondFactorPolicy = 'exempt' | 'required' | 'optional';

export async function secondFactorPolicy(db: Executor, userId: string): Promise<SecondFactorPolicy> {
  const user = await db.selectFrom('users').select(['password_only']).where('id', '=', userId).executeTakeFirst();
  if (!user || user.password_only === 1) return 'exempt';
  const requiring = await db
    .selectFrom('memberships')
    .innerJoin('areas', (join) => join.onRef('areas.id', '=', 'memberships.area_id').on('areas.status', '=', 'active'))
    .select('memberships.id')
    .where('memberships.user_id', '=', userId)
    .where((eb) => eb.or([eb('memberships.role', '=', 'host_admin'), eb('areas.require_second_factor', '=', 1)]))
    .executeTakeFirst();
  return requiring ? 'required' : 'optional';
}

export async function confirmedKey(db: Executor, userId: string) {
  return db.selectFrom('totp_credentials').selectAll().where('user_id', '=', userId).where('confirmed_at', 'is not', null).executeTakeFirst();
}

/** What a password log-in still needs after the right password: nothing, the code, or setting one up first. */
export async function secondFactorNeed(db: Executor, userId: string): Promise<'none' | 'totp' | 'enrol'> {
  const policy = await secondFactorPolicy(db, userId);
  if (policy === 'exempt') return 'none';
  if (await confirmedKey(db, userId)) return 'totp';
  return policy === 'required' ? 'enrol' : 'none';
}


/** The throttle's account counter of an account's codes (beside the one of its password, keyed by its address). */
export const secondFactorThrottleKey = (userId: string) => `totp:${userId}`;
