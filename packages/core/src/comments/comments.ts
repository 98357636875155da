import { anchorBytes, documentLanguages, DOCUMENT_LANGUAGES, resolveAnchor, resolveAnchors, sectionTemplate, type DocumentKind, type DocumentLanguage } from '@sopu/doc-model';
import { sql, type Database, type Db, type Transaction } from '@sopu/db';
import { z } from 'zod';
import type { Membership } from '../shared/tenancy.repository.ts';
import { findMembership } from '../shared/tenancy.repository.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { loadDocumentState } from '../documents/index.ts';
import { DomainError } from '../shared/errors.ts';
import { appendFeedEvent } from '../shared/feed.ts';
import { recordNotificationEvent } from '../shared/notification-events.ts';
import { newId } from '../shared/ids.ts';
import { mentionedIds } from './mentions.rules.ts';
import { can } from '../shared/roles.ts';
import { userText } from '../shared/text.ts';
import { parseInput } from '../shared/validation.ts';

/** A comment may be long (a municipality's position), but not unbounded. */
export const COMMENT_MAX_LENGTH = 10_000;
const QUOTE_MAX_LENGTH = 500;
const HIDE_REASON_MAX_LENGTH = 500;

export type ThreadStatus = 'open' | 'resolved';

export interface Person {
  id: string;
  name: string;
  municipalityCode: string;
  municipalityName: { fi: string; sv: string };
}

export interface CommentView {
  id: string;
  threadId: string;
  author: Person;
  /** Plain text with mention tokens `<@user-id>`; empty when deleted or hidden. */
  body: string;
  mentions: Person[];
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
  /** Hidden by the host admin, with the reason (the body is withheld from everyone). */
  hidden: { by: string; reason: string; at: number } | null;
  /** What the person asking may do with it. */
  canEdit: boolean;
  canDelete: boolean;
  canHide: boolean;
}

export interface ThreadView {
  id: string;
  documentId: string;
  section: string;
  /** The language column of a bilingual document the thread is on (decision 026); null in a document of one language. */
  language: DocumentLanguage | null;
  /** The text the thread was started on ('' for a comment on the whole section). */
  quote: string;
  /** base64 Yjs relative positions, or null for the whole section. */
  anchor: { from: string; to: string } | null;
  /** The anchored text has been deleted; the thread stays, showing its quote. */
  anchorLost: boolean;
  status: ThreadStatus;
  createdBy: Person;
  createdAt: number;
  resolvedBy: Person | null;
  resolvedAt: number | null;
  comments: CommentView[];
  canReply: boolean;
  canResolve: boolean;
}

/** Plain text, cleaned as all user text (shared/text.ts: controls dropped, unpaired bidi controls dropped); 1–10,000 characters. */
export const commentBodySchema = userText({ max: COMMENT_MAX_LENGTH, multiline: true });

const anchorSchema = z.object({ from: z.string().max(200), to: z.string().max(200) });

export const createThreadInput = z.object({
  section: z.string().min(1).max(64),
  body: commentBodySchema,
  anchor: anchorSchema.optional().nullable(),
  /** On a bilingual document, the language column commented on (default: its main language). */
  language: z.enum(DOCUMENT_LANGUAGES).optional().nullable(),
});
export const commentInput = z.object({ body: commentBodySchema });
export const hideCommentInput = z.object({ reason: userText({ max: HIDE_REASON_MAX_LENGTH, multiline: true }) });

// --- access --------------------------------------------------------------------------------------------------------

interface DocumentAccess {
  documentId: string;
  kind: DocumentKind;
  areaId: string;
  areaSlug: string;
  membership: Membership;
}

/** The document and the caller's membership of its area; another area's document and a missing one look the same. */
async function documentAccess(db: Db, actor: Actor, documentId: string): Promise<DocumentAccess> {
  const document = typeof documentId === 'string' && documentId.length <= 64 ? await db.selectFrom('documents').innerJoin('areas', 'areas.id', 'documents.area_id').select(['documents.id', 'documents.kind', 'documents.area_id', 'areas.slug']).where('documents.id', '=', documentId).executeTakeFirst() : undefined;
  const membership = document && (await findMembership(db, document.area_id, actor.userId));
  if (!document || !membership) throw new DomainError('not_found', 'document not found');
  return { documentId: document.id, kind: document.kind as DocumentKind, areaId: document.area_id, areaSlug: document.slug, membership };
}

async function threadAccess(db: Db, actor: Actor, threadId: string) {
  const thread = typeof threadId === 'string' && threadId.length <= 64 ? await db.selectFrom('comment_threads').selectAll().where('id', '=', threadId).executeTakeFirst() : undefined;
  if (!thread) throw new DomainError('not_found', 'thread not found');
  const access = await documentAccess(db, actor, thread.document_id).catch(() => {
    throw new DomainError('not_found', 'thread not found');
  });
  return { thread, access };
}

async function commentAccess(db: Db, actor: Actor, commentId: string) {
  const comment = typeof commentId === 'string' && commentId.length <= 64 ? await db.selectFrom('comments').selectAll().where('id', '=', commentId).executeTakeFirst() : undefined;
  if (!comment) throw new DomainError('not_found', 'comment not found');
  const { thread, access } = await threadAccess(db, actor, comment.thread_id).catch(() => {
    throw new DomainError('not_found', 'comment not found');
  });
  return { comment, thread, access };
}

/** Resolve and reopen: the thread's author, any drafter, or the host admin. */
export function canResolveThread(membership: Pick<Membership, 'role' | 'userId'>, thread: { createdBy: string }): boolean {
  return membership.role === 'host_admin' || membership.role === 'drafter' || (membership.userId === thread.createdBy && membership.role !== 'viewer');
}

// --- reading -------------------------------------------------------------------------------------------------------

async function people(db: Db, areaId: string, userIds: string[]): Promise<Map<string, Person>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .leftJoin('memberships', (join) => join.onRef('memberships.user_id', '=', 'users.id').on('memberships.area_id', '=', areaId))
    .leftJoin('municipalities', 'municipalities.id', 'memberships.municipality_id')
    .select(['users.id', 'users.display_name', 'municipalities.code', 'municipalities.name_fi', 'municipalities.name_sv'])
    .where('users.id', 'in', [...new Set(userIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.display_name, municipalityCode: r.code ?? '', municipalityName: { fi: r.name_fi ?? '', sv: r.name_sv ?? '' } }]));
}

const unknownPerson = (id: string): Person => ({ id, name: '?', municipalityCode: '', municipalityName: { fi: '', sv: '' } });

async function viewThreads(db: Db, actor: Actor, access: DocumentAccess, threadIds?: string[]): Promise<ThreadView[]> {
  let query = db.selectFrom('comment_threads').selectAll().where('area_id', '=', access.areaId).where('document_id', '=', access.documentId);
  if (threadIds) query = query.where('id', 'in', threadIds.length > 0 ? threadIds : ['']);
  // Insertion order breaks ties: two threads begun in the same millisecond keep the order they were begun in.
  const threads = await query.orderBy('created_at').orderBy(sql`rowid`).execute();
  if (threads.length === 0) return [];
  const comments = await db
    .selectFrom('comments')
    .selectAll()
    .where('area_id', '=', access.areaId)
    .where('thread_id', 'in', threads.map((t) => t.id))
    .orderBy('created_at')
    .orderBy(sql`rowid`)
    .execute();
  const mentionsOf = (c: (typeof comments)[number]) => (c.deleted_at || c.hidden_at ? [] : (JSON.parse(c.mentions) as string[]));
  const who = await people(db, access.areaId, [
    ...threads.flatMap((t) => [t.created_by, ...(t.resolved_by ? [t.resolved_by] : [])]),
    ...comments.flatMap((c) => [c.author_id, ...(c.hidden_by ? [c.hidden_by] : []), ...mentionsOf(c)]),
  ]);
  const person = (id: string) => who.get(id) ?? unknownPerson(id);
  const anchored = threads.some((t) => t.anchor_from && t.anchor_to);
  const doc = anchored ? await loadDocumentState(db, access.documentId) : null;
  const writer = can(access.membership, 'comments.write');
  const moderator = can(access.membership, 'comments.moderate');
  const languageOf = (t: (typeof threads)[number]) => (t.language === 'fi' || t.language === 'sv' ? t.language : null);
  try {
    // Every anchor at once: one copy of the document for all of them (the page's loader lists them all).
    const withAnchor = doc ? threads.filter((t) => t.anchor_from && t.anchor_to) : [];
    const resolvedAll = doc ? resolveAnchors(doc, withAnchor.map((t) => ({ key: t.section_key, anchor: { from: t.anchor_from!, to: t.anchor_to! }, lang: languageOf(t) ?? undefined }))) : [];
    const resolvedOf = new Map(withAnchor.map((t, i) => [t.id, resolvedAll[i] ?? null]));
    return threads.map((t) => {
      const language = languageOf(t);
      const resolved = resolvedOf.get(t.id) ?? null;
      return {
        id: t.id,
        documentId: t.document_id,
        section: t.section_key,
        language,
        quote: t.quote,
        anchor: t.anchor_from && t.anchor_to ? { from: Buffer.from(t.anchor_from).toString('base64'), to: Buffer.from(t.anchor_to).toString('base64') } : null,
        anchorLost: Boolean(t.anchor_from) && (resolved === null || resolved.lost),
        status: t.status as ThreadStatus,
        createdBy: person(t.created_by),
        createdAt: t.created_at,
        resolvedBy: t.resolved_by ? person(t.resolved_by) : null,
        resolvedAt: t.resolved_at,
        canReply: writer,
        canResolve: canResolveThread(access.membership, { createdBy: t.created_by }),
        comments: comments
          .filter((c) => c.thread_id === t.id)
          .map((c) => {
            const gone = Boolean(c.deleted_at || c.hidden_at);
            const own = c.author_id === actor.userId;
            return {
              id: c.id,
              threadId: c.thread_id,
              author: person(c.author_id),
              body: gone ? '' : c.body,
              mentions: mentionsOf(c).map(person),
              createdAt: c.created_at,
              editedAt: c.edited_at,
              deleted: Boolean(c.deleted_at),
              hidden: c.hidden_at ? { by: person(c.hidden_by ?? '').name, reason: c.hidden_reason ?? '', at: c.hidden_at } : null,
              canEdit: own && writer && !gone,
              canDelete: own && writer && !gone,
              canHide: moderator && !gone,
            };
          }),
      };
    });
  } finally {
    doc?.destroy();
  }
}

/** Every thread of a document, oldest first, with its comments; any member of the area may read them. */
export async function listThreads(deps: CoreDeps, actor: Actor, documentId: string): Promise<ThreadView[]> {
  const access = await documentAccess(deps.db, actor, documentId);
  return viewThreads(deps.db, actor, access);
}

async function oneThread(deps: CoreDeps, actor: Actor, access: DocumentAccess, threadId: string): Promise<ThreadView> {
  const [thread] = await viewThreads(deps.db, actor, access, [threadId]);
  if (!thread) throw new DomainError('not_found', 'thread not found');
  return thread;
}

/** Members of the document's area one may mention (autocomplete by name and municipality). */
export async function listMentionable(deps: CoreDeps, actor: Actor, documentId: string): Promise<Person[]> {
  const access = await documentAccess(deps.db, actor, documentId);
  const rows = await deps.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('municipalities', 'municipalities.id', 'memberships.municipality_id')
    .select(['users.id', 'users.display_name', 'municipalities.code', 'municipalities.name_fi', 'municipalities.name_sv'])
    .where('memberships.area_id', '=', access.areaId)
    .orderBy('users.display_name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name, municipalityCode: r.code, municipalityName: { fi: r.name_fi, sv: r.name_sv } }));
}

// --- writing -------------------------------------------------------------------------------------------------------

/** The mentioned ids that are members of the area (a token naming anyone else stays plain text). */
async function validMentions(trx: Transaction<Database>, areaId: string, body: string): Promise<string[]> {
  const ids = mentionedIds(body).slice(0, 50);
  if (ids.length === 0) return [];
  const rows = await trx.selectFrom('memberships').select('user_id').where('area_id', '=', areaId).where('user_id', 'in', ids).execute();
  const members = new Set(rows.map((r) => r.user_id));
  return ids.filter((id) => members.has(id));
}

/** Notifies the newly mentioned (not the writer), and records the changes on the feed for live pages. */
async function notifyMentions(
  trx: Transaction<Database>,
  input: { areaId: string; documentId: string; threadId: string; commentId: string; actorId: string; mentioned: string[]; already: string[]; now: number },
) {
  for (const userId of input.mentioned) {
    if (userId === input.actorId || input.already.includes(userId)) continue;
    const id = newId();
    await trx
      .insertInto('notifications')
      .values({ id, area_id: input.areaId, user_id: userId, kind: 'mention', document_id: input.documentId, thread_id: input.threadId, comment_id: input.commentId, actor_id: input.actorId, created_at: input.now, read_at: null })
      .execute();
    await appendFeedEvent(trx, { areaId: input.areaId, documentId: null, userId, kind: 'notification', subjectId: id, createdAt: input.now });
  }
}

const threadChanged = (trx: Transaction<Database>, access: { areaId: string; documentId: string }, threadId: string, now: number) =>
  appendFeedEvent(trx, { areaId: access.areaId, documentId: access.documentId, userId: null, kind: 'thread', subjectId: threadId, createdAt: now });

function requireWriter(membership: Membership) {
  if (!can(membership, 'comments.write')) throw new DomainError('forbidden', 'requires comments.write');
}

/**
 * Starts a thread on a section, on a range of its text (`anchor`: Yjs relative positions, base64) or on the whole
 * section. The quoted text is read from the document by the server, never taken from the client.
 */
export async function createThread(deps: CoreDeps, actor: Actor, documentId: string, raw: unknown): Promise<ThreadView> {
  const access = await documentAccess(deps.db, actor, documentId);
  requireWriter(access.membership);
  const input = parseInput(createThreadInput, raw);
  if (!sectionTemplate(access.kind, input.section)) throw new DomainError('invalid_input', 'no such section in this document', { field: 'section' });
  // On a bilingual document a thread names its language column (its main language unless the comment says); a
  // document in one language has no columns to name. The quoted text is read from that column.
  let language: DocumentLanguage | null = null;
  let anchor: { from: Uint8Array; to: Uint8Array } | null = null;
  let quote = '';
  const doc = await loadDocumentState(deps.db, access.documentId);
  try {
    const languages = documentLanguages(doc);
    if (input.language && !languages) throw new DomainError('invalid_input', 'the document is in one language', { field: 'language' });
    if (languages) language = input.language ?? languages.main;
    if (input.anchor) {
      const from = anchorBytes(input.anchor.from);
      const to = anchorBytes(input.anchor.to);
      if (!from || !to) throw new DomainError('invalid_input', 'the anchor is not a pair of Yjs relative positions', { field: 'anchor' });
      const resolved = resolveAnchor(doc, input.section, { from, to }, language ?? undefined);
      if (!resolved || resolved.lost) throw new DomainError('invalid_input', 'the anchor does not select text of that section', { field: 'anchor' });
      quote = resolved.text.length > QUOTE_MAX_LENGTH ? `${resolved.text.slice(0, QUOTE_MAX_LENGTH - 1)}…` : resolved.text;
      anchor = { from, to };
    }
  } finally {
    doc.destroy();
  }
  const now = deps.now();
  const threadId = newId();
  const commentId = newId();
  await deps.db.transaction().execute(async (trx) => {
    const mentions = await validMentions(trx, access.areaId, input.body);
    await trx
      .insertInto('comment_threads')
      .values({ id: threadId, area_id: access.areaId, document_id: access.documentId, section_key: input.section, language, anchor_from: anchor?.from ?? null, anchor_to: anchor?.to ?? null, quote, status: 'open', created_by: actor.userId, created_at: now, resolved_by: null, resolved_at: null, updated_at: now })
      .execute();
    await trx
      .insertInto('comments')
      .values({ id: commentId, area_id: access.areaId, thread_id: threadId, author_id: actor.userId, body: input.body, mentions: JSON.stringify(mentions), created_at: now, edited_at: null, deleted_at: null, hidden_at: null, hidden_by: null, hidden_reason: null })
      .execute();
    await notifyMentions(trx, { ...access, threadId, commentId, actorId: actor.userId, mentioned: mentions, already: [], now });
    await recordNotificationEvent(trx, { areaId: access.areaId, kind: 'comment.created', subjectId: commentId, actorId: actor.userId, details: { threadId, documentId: access.documentId, mentions, firstOfThread: true } }, now);
    await threadChanged(trx, access, threadId, now);
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: 'thread.created', subjectType: 'comment_thread', subjectId: threadId, details: { documentId: access.documentId, section: input.section, ...(language ? { language } : {}), anchored: Boolean(anchor), mentions: mentions.length } }, now);
  });
  deps.feed.notify();
  return oneThread(deps, actor, access, threadId);
}

export async function addComment(deps: CoreDeps, actor: Actor, threadId: string, raw: unknown): Promise<CommentView> {
  const { thread, access } = await threadAccess(deps.db, actor, threadId);
  requireWriter(access.membership);
  const input = parseInput(commentInput, raw);
  const now = deps.now();
  const commentId = newId();
  await deps.db.transaction().execute(async (trx) => {
    const mentions = await validMentions(trx, access.areaId, input.body);
    await trx
      .insertInto('comments')
      .values({ id: commentId, area_id: access.areaId, thread_id: thread.id, author_id: actor.userId, body: input.body, mentions: JSON.stringify(mentions), created_at: now, edited_at: null, deleted_at: null, hidden_at: null, hidden_by: null, hidden_reason: null })
      .execute();
    await trx.updateTable('comment_threads').set({ updated_at: now }).where('id', '=', thread.id).where('area_id', '=', access.areaId).execute();
    await notifyMentions(trx, { ...access, threadId: thread.id, commentId, actorId: actor.userId, mentioned: mentions, already: [], now });
    await recordNotificationEvent(trx, { areaId: access.areaId, kind: 'comment.created', subjectId: commentId, actorId: actor.userId, details: { threadId: thread.id, documentId: access.documentId, mentions, firstOfThread: false } }, now);
    await threadChanged(trx, access, thread.id, now);
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: 'comment.created', subjectType: 'comment', subjectId: commentId, details: { threadId: thread.id, documentId: access.documentId, mentions: mentions.length } }, now);
  });
  deps.feed.notify();
  return findComment(deps, actor, access, thread.id, commentId);
}

async function findComment(deps: CoreDeps, actor: Actor, access: DocumentAccess, threadId: string, commentId: string): Promise<CommentView> {
  const thread = await oneThread(deps, actor, access, threadId);
  const comment = thread.comments.find((c) => c.id === commentId);
  if (!comment) throw new DomainError('not_found', 'comment not found');
  return comment;
}

/** Only the author edits their comment (marked edited); a deleted or hidden comment cannot be edited. */
export async function editComment(deps: CoreDeps, actor: Actor, commentId: string, raw: unknown): Promise<CommentView> {
  const { comment, thread, access } = await commentAccess(deps.db, actor, commentId);
  requireWriter(access.membership);
  const input = parseInput(commentInput, raw);
  if (comment.author_id !== actor.userId) throw new DomainError('forbidden', 'only the author edits a comment');
  if (comment.deleted_at || comment.hidden_at) throw new DomainError('conflict', 'the comment is deleted or hidden');
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const mentions = await validMentions(trx, access.areaId, input.body);
    await trx.updateTable('comments').set({ body: input.body, mentions: JSON.stringify(mentions), edited_at: now }).where('id', '=', comment.id).where('area_id', '=', access.areaId).execute();
    await notifyMentions(trx, { ...access, threadId: thread.id, commentId: comment.id, actorId: actor.userId, mentioned: mentions, already: JSON.parse(comment.mentions) as string[], now });
    const already = JSON.parse(comment.mentions) as string[];
    const added = mentions.filter((id) => !already.includes(id));
    if (added.length > 0) {
      await recordNotificationEvent(trx, { areaId: access.areaId, kind: 'comment.mentioned', subjectId: comment.id, actorId: actor.userId, details: { threadId: thread.id, documentId: access.documentId, mentions: added } }, now);
    }
    await threadChanged(trx, access, thread.id, now);
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: 'comment.edited', subjectType: 'comment', subjectId: comment.id, details: { threadId: thread.id, documentId: access.documentId } }, now);
  });
  deps.feed.notify();
  return findComment(deps, actor, access, thread.id, comment.id);
}

/** Only the author deletes their comment; the thread then shows "deleted" in its place. */
export async function deleteComment(deps: CoreDeps, actor: Actor, commentId: string): Promise<void> {
  const { comment, thread, access } = await commentAccess(deps.db, actor, commentId);
  requireWriter(access.membership);
  if (comment.author_id !== actor.userId) throw new DomainError('forbidden', 'only the author deletes a comment');
  if (comment.deleted_at) return;
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    // The text goes: a deleted comment keeps only that it was there.
    await trx.updateTable('comments').set({ body: '', mentions: '[]', deleted_at: now }).where('id', '=', comment.id).where('area_id', '=', access.areaId).execute();
    await threadChanged(trx, access, thread.id, now);
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: 'comment.deleted', subjectType: 'comment', subjectId: comment.id, details: { threadId: thread.id, documentId: access.documentId } }, now);
  });
  deps.feed.notify();
}

/** The host admin may hide a comment, with a reason (audited); the body is withheld from everyone. */
export async function hideComment(deps: CoreDeps, actor: Actor, commentId: string, raw: unknown): Promise<CommentView> {
  const { comment, thread, access } = await commentAccess(deps.db, actor, commentId);
  if (!can(access.membership, 'comments.moderate')) throw new DomainError('forbidden', 'requires comments.moderate');
  const { reason } = parseInput(hideCommentInput, raw);
  if (comment.deleted_at || comment.hidden_at) throw new DomainError('conflict', 'the comment is already deleted or hidden');
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('comments').set({ hidden_at: now, hidden_by: actor.userId, hidden_reason: reason }).where('id', '=', comment.id).where('area_id', '=', access.areaId).execute();
    await threadChanged(trx, access, thread.id, now);
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: 'comment.hidden', subjectType: 'comment', subjectId: comment.id, details: { threadId: thread.id, documentId: access.documentId, authorId: comment.author_id, reason } }, now);
  });
  deps.feed.notify();
  return findComment(deps, actor, access, thread.id, comment.id);
}

async function setThreadStatus(deps: CoreDeps, actor: Actor, threadId: string, status: ThreadStatus): Promise<ThreadView> {
  const { thread, access } = await threadAccess(deps.db, actor, threadId);
  if (!canResolveThread(access.membership, { createdBy: thread.created_by })) throw new DomainError('forbidden', 'only the thread\'s author, a drafter or the host admin may resolve or reopen it');
  if (thread.status === status) return oneThread(deps, actor, access, thread.id);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('comment_threads')
      .set(status === 'resolved' ? { status, resolved_by: actor.userId, resolved_at: now, updated_at: now } : { status, resolved_by: null, resolved_at: null, updated_at: now })
      .where('id', '=', thread.id)
      .where('area_id', '=', access.areaId)
      .execute();
    await threadChanged(trx, access, thread.id, now);
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: status === 'resolved' ? 'thread.resolved' : 'thread.reopened', subjectType: 'comment_thread', subjectId: thread.id, details: { documentId: access.documentId, section: thread.section_key } }, now);
  });
  deps.feed.notify();
  return oneThread(deps, actor, access, thread.id);
}

export const resolveThread = (deps: CoreDeps, actor: Actor, threadId: string) => setThreadStatus(deps, actor, threadId, 'resolved');
export const reopenThread = (deps: CoreDeps, actor: Actor, threadId: string) => setThreadStatus(deps, actor, threadId, 'open');

/** How many open threads each section of a document has (sections with none are left out). */
export async function openThreadCounts(db: Db, areaId: string, documentId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('comment_threads')
    .select(['section_key', (eb) => eb.fn.countAll<number>().as('n')])
    .where('area_id', '=', areaId)
    .where('document_id', '=', documentId)
    .where('status', '=', 'open')
    .groupBy('section_key')
    .execute();
  return new Map(rows.map((r) => [r.section_key, Number(r.n)]));
}
