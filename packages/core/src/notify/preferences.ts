import { hashToken } from '@sopu/auth';
import { z } from 'zod';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import type { Lang } from '../shared/language.ts';
import { parseInput } from '../shared/validation.ts';
import { modesOf } from './notify.repository.ts';
import { DEFAULT_MAIL_MODE, isMailKind, MAIL_KINDS, MAIL_LANGUAGES, MAIL_MODES, mailLanguage, type MailKind, type MailMode } from './notify.rules.ts';

export interface MailSettings {
  email: string;
  /** The language of the person's mail. */
  language: Lang;
  /** Every kind with the person's choice (immediate when never chosen). */
  modes: Array<{ kind: MailKind; mode: MailMode }>;
  /** The person's calendar feed, if one is live (its address was shown once, when made). */
  calendarFeed: { createdAt: number; lastUsedAt: number | null } | null;
}

/** The signed-in person's own mail settings. */
export async function getMailSettings(deps: CoreDeps, actor: Actor): Promise<MailSettings> {
  const user = await deps.db.selectFrom('users').select(['email', 'locale']).where('id', '=', actor.userId).executeTakeFirst();
  if (!user) throw new DomainError('unauthenticated', 'no such user');
  const modes = await modesOf(deps.db, actor.userId);
  const feed = await deps.db.selectFrom('calendar_feeds').select(['created_at', 'last_used_at']).where('user_id', '=', actor.userId).where('revoked_at', 'is', null).orderBy('created_at', 'desc').executeTakeFirst();
  return {
    email: user.email,
    language: mailLanguage(user.locale),
    modes: MAIL_KINDS.map((kind) => ({ kind, mode: modes[kind] ?? DEFAULT_MAIL_MODE })),
    calendarFeed: feed ? { createdAt: feed.created_at, lastUsedAt: feed.last_used_at } : null,
  };
}

export const mailSettingsInput = z.strictObject({
  language: z.enum(MAIL_LANGUAGES).optional(),
  modes: z.partialRecord(z.enum(MAIL_KINDS), z.enum(MAIL_MODES)).optional(),
});

/** Changes the person's own mail language and the kinds named (the rest stay as they were). */
export async function updateMailSettings(deps: CoreDeps, actor: Actor, raw: unknown): Promise<MailSettings> {
  const input = parseInput(mailSettingsInput, raw);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    if (input.language) await trx.updateTable('users').set({ locale: input.language }).where('id', '=', actor.userId).execute();
    for (const [kind, mode] of Object.entries(input.modes ?? {})) {
      await trx
        .insertInto('notification_preferences')
        .values({ user_id: actor.userId, kind, mode, updated_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ mode, updated_at: now }))
        .execute();
    }
  });
  return getMailSettings(deps, actor);
}

export interface UnsubscribeView {
  /** The address, partly hidden: the link may have been forwarded. */
  email: string;
  kinds: MailKind[];
  /** True when every kind named is already off. */
  done: boolean;
}

const TOKEN = /^[a-z2-7]{16,64}$/;

async function tokenRow(deps: CoreDeps, token: unknown) {
  if (typeof token !== 'string' || !TOKEN.test(token)) throw new DomainError('not_found', 'no such link');
  const row = await deps.db
    .selectFrom('unsubscribe_tokens')
    .innerJoin('users', 'users.id', 'unsubscribe_tokens.user_id')
    .select(['unsubscribe_tokens.id', 'unsubscribe_tokens.user_id', 'unsubscribe_tokens.kinds', 'users.email'])
    .where('unsubscribe_tokens.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'no such link');
  const kinds = (JSON.parse(row.kinds) as unknown[]).filter(isMailKind);
  return { ...row, kinds };
}

/** The address with all but its first letter hidden (and not how many letters: a forwarded link tells little). */
const maskEmail = (email: string) => {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
};

async function viewOf(deps: CoreDeps, row: Awaited<ReturnType<typeof tokenRow>>): Promise<UnsubscribeView> {
  const modes = await modesOf(deps.db, row.user_id);
  return { email: maskEmail(row.email), kinds: row.kinds, done: row.kinds.every((k) => modes[k] === 'off') };
}

/** What an unsubscribe link would switch off, for its page (reading changes nothing; no sign-in needed). */
export async function getUnsubscribe(deps: CoreDeps, token: unknown): Promise<UnsubscribeView> {
  return viewOf(deps, await tokenRow(deps, token));
}

/**
 * Switches off the kinds the link names for the person it was mailed to, and nothing else (RFC 8058 one-click: no
 * sign-in, the token is the authority). Using it again changes nothing more.
 */
export async function unsubscribe(deps: CoreDeps, token: unknown): Promise<UnsubscribeView> {
  const row = await tokenRow(deps, token);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const kind of row.kinds) {
      await trx
        .insertInto('notification_preferences')
        .values({ user_id: row.user_id, kind, mode: 'off', updated_at: now })
        .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ mode: 'off', updated_at: now }))
        .execute();
    }
    await trx.updateTable('unsubscribe_tokens').set({ used_at: now }).where('id', '=', row.id).execute();
  });
  return viewOf(deps, row);
}
