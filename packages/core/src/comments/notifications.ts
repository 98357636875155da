import { z } from 'zod';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { helsinkiLocalIso } from '../shared/helsinki.ts';
import { appendFeedEvent } from '../shared/feed.ts';
import { renderMentions } from './mentions.rules.ts';
import { parseInput } from '../shared/validation.ts';

export type NotificationKind = 'mention' | 'round_reminder';

export interface NotificationView {
  id: string;
  /** 'mention': someone mentioned the person in a comment; 'round_reminder': their municipality has not answered a round. */
  kind: NotificationKind;
  createdAt: number;
  readAt: number | null;
  actor: { id: string; name: string } | null;
  area: { slug: string; name: { fi: string; sv: string; en: string } };
  document: { id: string; title: string; kind: string } | null;
  threadId: string | null;
  commentId: string | null;
  /** The round a reminder is about (its deadline as an instant and as Helsinki reads it); null for other kinds. */
  round: { id: string; title: string; deadline: number; deadlineLocal: string } | null;
  /**
   * A mention: the start of the comment, mentions shown as names, empty when it has since been deleted or hidden.
   * A reminder: the round's title.
   */
  excerpt: string;
}

export interface NotificationList {
  unread: number;
  items: NotificationView[];
}

const EXCERPT_LENGTH = 160;

/**
 * The signed-in person's notifications, newest first, from the areas they still belong to (a removed member no
 * longer hears of an area's threads).
 */
export async function listNotifications(deps: CoreDeps, actor: Actor, options: { limit?: number } = {}): Promise<NotificationList> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const base = deps.db
    .selectFrom('notifications')
    .innerJoin('memberships', (join) => join.onRef('memberships.area_id', '=', 'notifications.area_id').onRef('memberships.user_id', '=', 'notifications.user_id'))
    .where('notifications.user_id', '=', actor.userId)
    // A suspended area's notifications wait with it (docs/decisions/019).
    .where('notifications.area_id', 'in', (eb) => eb.selectFrom('areas').select('areas.id').where('areas.status', '=', 'active'));
  const unread = await base.select((eb) => eb.fn.countAll<number>().as('n')).where('notifications.read_at', 'is', null).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin('areas', 'areas.id', 'notifications.area_id')
    .leftJoin('documents', 'documents.id', 'notifications.document_id')
    .leftJoin('comments', 'comments.id', 'notifications.comment_id')
    .leftJoin('users as actor', 'actor.id', 'notifications.actor_id')
    .leftJoin('consultation_rounds', 'consultation_rounds.id', 'notifications.consultation_round_id')
    .select([
      'notifications.id', 'notifications.kind', 'notifications.created_at', 'notifications.read_at', 'notifications.thread_id', 'notifications.comment_id',
      'areas.slug', 'areas.name_fi', 'areas.name_sv', 'areas.name_en', 'documents.id as document_id', 'documents.title', 'documents.kind as document_kind',
      'comments.body', 'comments.deleted_at', 'comments.hidden_at', 'actor.id as actor_id', 'actor.display_name as actor_name',
      'consultation_rounds.id as round_id', 'consultation_rounds.title as round_title', 'consultation_rounds.deadline as round_deadline',
    ])
    .orderBy('notifications.created_at', 'desc')
    .orderBy('notifications.id', 'desc')
    .limit(limit)
    .execute();
  const names = new Map<string, string>();
  const mentioned = [...new Set(rows.flatMap((r) => [...(r.body ?? '').matchAll(/<@([0-9a-f-]{36})>/g)].map((m) => m[1]!)))];
  if (mentioned.length > 0) for (const u of await deps.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', mentioned).execute()) names.set(u.id, u.display_name);
  return {
    unread: Number(unread.n),
    items: rows.map((r) => {
      const text = r.round_title ?? (r.body && !r.deleted_at && !r.hidden_at ? renderMentions(r.body, (id) => names.get(id)).replace(/\s+/g, ' ').trim() : '');
      return {
        id: r.id,
        kind: r.kind as NotificationKind,
        createdAt: r.created_at,
        readAt: r.read_at,
        actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
        area: { slug: r.slug, name: { fi: r.name_fi, sv: r.name_sv, en: r.name_en } },
        document: r.document_id ? { id: r.document_id, title: r.title ?? '', kind: r.document_kind ?? '' } : null,
        threadId: r.thread_id,
        commentId: r.comment_id,
        round: r.round_id && r.round_deadline !== null ? { id: r.round_id, title: r.round_title ?? '', deadline: r.round_deadline, deadlineLocal: helsinkiLocalIso(r.round_deadline) } : null,
        excerpt: text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH - 1)}…` : text,
      };
    }),
  };
}

export const markNotificationsReadInput = z.object({ ids: z.array(z.string().max(64)).max(500).optional() });

/** Marks the person's own notifications read: the given ones, or all. Returns how many changed. */
export async function markNotificationsRead(deps: CoreDeps, actor: Actor, raw: unknown): Promise<number> {
  const { ids } = parseInput(markNotificationsReadInput, raw ?? {});
  if (ids && ids.length === 0) return 0;
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    let query = trx.updateTable('notifications').set({ read_at: now }).where('user_id', '=', actor.userId).where('read_at', 'is', null);
    if (ids) query = query.where('id', 'in', ids);
    const changed = await query.returning(['id', 'area_id']).execute();
    for (const areaId of new Set(changed.map((c) => c.area_id))) {
      await appendFeedEvent(trx, { areaId, documentId: null, userId: actor.userId, kind: 'notification', subjectId: null, createdAt: now });
    }
    return changed.length;
  }).then((n) => {
    if (n > 0) deps.feed.notify();
    return n;
  });
}
