import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  addComment, createThread, deleteComment, editComment, hideComment, listNotifications, listThreads, markNotificationsRead, reopenThread, resolveThread,
  COMMENT_MAX_LENGTH, type CommentView, type CoreDeps, type Person, type ThreadView,
} from '@sopu/core';
import type { MiddlewareHandler } from 'hono';
import { access } from './access.ts';
import { describedBody, errors, idParam, iso, isoOrNull, jsonOf, type Vars } from './openapi.ts';

const PersonSchema = z.object({ id: z.string(), name: z.string(), municipalityCode: z.string() }).openapi('Person');
const CommentSchema = z
  .object({
    id: z.string(),
    author: PersonSchema,
    body: z.string().openapi({ description: 'Plain text; a mention is the token `<@user-id>`. Empty when deleted or hidden.' }),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    deleted: z.boolean(),
    hidden: z.object({ by: z.string(), reason: z.string(), at: z.string() }).nullable(),
    mentions: z.array(PersonSchema),
  })
  .openapi('Comment');
const ThreadSchema = z
  .object({
    id: z.string(),
    section: z.string(),
    language: z.enum(['fi', 'sv']).nullable().openapi({ description: 'The language column of a bilingual document the thread is on; null in a document of one language' }),
    quote: z.string(),
    status: z.enum(['open', 'resolved']),
    anchorLost: z.boolean(),
    anchor: z.object({ from: z.string(), to: z.string() }).nullable(),
    createdBy: PersonSchema,
    createdAt: z.string(),
    resolvedBy: PersonSchema.nullable(),
    resolvedAt: z.string().nullable(),
    comments: z.array(CommentSchema),
  })
  .openapi('Thread');
const NotificationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['mention', 'round_reminder']),
    createdAt: z.string(),
    read: z.boolean(),
    actor: z.object({ id: z.string(), name: z.string() }).nullable(),
    areaSlug: z.string(),
    documentId: z.string().nullable(),
    threadId: z.string().nullable(),
    roundId: z.string().nullable().openapi({ description: 'The consultation round a round_reminder is about' }),
    excerpt: z.string(),
  })
  .openapi('Notification');

const person = (p: Person) => ({ id: p.id, name: p.name, municipalityCode: p.municipalityCode });
const comment = (c: CommentView) => ({
  id: c.id,
  author: person(c.author),
  body: c.body,
  createdAt: iso(c.createdAt),
  editedAt: isoOrNull(c.editedAt),
  deleted: c.deleted,
  hidden: c.hidden ? { by: c.hidden.by, reason: c.hidden.reason, at: iso(c.hidden.at) } : null,
  mentions: c.mentions.map(person),
});
const thread = (t: ThreadView) => ({
  id: t.id,
  section: t.section,
  language: t.language,
  quote: t.quote,
  status: t.status,
  anchorLost: t.anchorLost,
  anchor: t.anchor,
  createdBy: person(t.createdBy),
  createdAt: iso(t.createdAt),
  resolvedBy: t.resolvedBy ? person(t.resolvedBy) : null,
  resolvedAt: isoOrNull(t.resolvedAt),
  comments: t.comments.map(comment),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const BODY = { type: 'string', description: `Plain text, 1–${COMMENT_MAX_LENGTH} characters; mention someone with \`<@user-id>\`.` };
const Body = { type: 'object', required: ['body'], properties: { body: BODY } };
const ANCHOR = { type: 'object', required: ['from', 'to'], properties: { from: { type: 'string', description: 'base64 of Y.encodeRelativePosition' }, to: { type: 'string' } } };
const DocumentParam = z.object({ documentId: idParam('documentId') });
const ThreadParam = z.object({ threadId: idParam('threadId') });
const CommentParam = z.object({ commentId: idParam('commentId') });

/**
 * Comment threads, comments and notifications. The bodies are parsed by the use cases (one place for the rules),
 * so a schema here only describes them; the path parameters name their tables for the access matrix.
 */
export function commentRoutes(api: OpenAPIHono<Vars>, deps: CoreDeps, requireActor: MiddlewareHandler<Vars>) {
  for (const path of ['/documents/*', '/threads/*', '/comments/*', '/notifications', '/notifications/*']) api.use(path, requireActor);

  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{documentId}/threads',
      ...access({ area: 'area.read' }),
      summary: "A document's comment threads, oldest first, with their comments",
      request: { params: DocumentParam },
      responses: { 200: json(z.array(ThreadSchema), 'Threads'), ...errors(401, 404) },
    }),
    async (c) => c.json((await listThreads(deps, c.get('actor'), c.req.valid('param').documentId)).map(thread), 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/documents/{documentId}/threads',
      ...access({ area: 'comments.write' }),
      summary: 'Start a thread on a section, or on a range of its text (anchor: base64 Yjs relative positions)',
      request: {
        params: DocumentParam,
        ...describedBody({ type: 'object', required: ['section', 'body'], properties: { section: { type: 'string', description: 'A section key of the document' }, body: BODY, anchor: ANCHOR, language: { type: 'string', enum: ['fi', 'sv'], description: 'On a bilingual document, the language column (default: its main language); the anchor is in that text' } } }),
      },
      responses: { 201: json(ThreadSchema, 'The new thread'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json(thread(await createThread(deps, c.get('actor'), c.req.valid('param').documentId, await jsonOf(c))), 201),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/threads/{threadId}/comments',
      ...access({ area: 'comments.write' }),
      summary: 'Reply in a thread',
      request: { params: ThreadParam, ...describedBody(Body) },
      responses: { 201: json(CommentSchema, 'The new comment'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json(comment(await addComment(deps, c.get('actor'), c.req.valid('param').threadId, await jsonOf(c))), 201),
  );

  api.openapi(
    createRoute({
      method: 'patch',
      path: '/comments/{commentId}',
      ...access({ area: 'comments.write', own: true }),
      summary: 'Edit your own comment (it is marked edited)',
      request: { params: CommentParam, ...describedBody(Body) },
      responses: { 200: json(CommentSchema, 'The edited comment'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(comment(await editComment(deps, c.get('actor'), c.req.valid('param').commentId, await jsonOf(c))), 200),
  );

  api.openapi(
    createRoute({
      method: 'delete',
      path: '/comments/{commentId}',
      ...access({ area: 'comments.write', own: true }),
      summary: 'Delete your own comment (the thread shows it as deleted)',
      request: { params: CommentParam },
      responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
    }),
    async (c) => {
      await deleteComment(deps, c.get('actor'), c.req.valid('param').commentId);
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/comments/{commentId}/hide',
      ...access({ area: 'comments.moderate' }),
      summary: "Hide a comment, with a reason (the host admin; audited)",
      request: { params: CommentParam, ...describedBody({ type: 'object', required: ['reason'], properties: { reason: { type: 'string', maxLength: 500 } } }) },
      responses: { 200: json(CommentSchema, 'The hidden comment'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(comment(await hideComment(deps, c.get('actor'), c.req.valid('param').commentId, await jsonOf(c))), 200),
  );

  for (const [verb, use] of [['resolve', resolveThread], ['reopen', reopenThread]] as const) {
    api.openapi(
      createRoute({
        method: 'post',
        path: `/threads/{threadId}/${verb}`,
        ...access({ area: 'comments.write', own: true }),
        summary: verb === 'resolve' ? "Resolve a thread (its author, a drafter or the host admin)" : 'Reopen a resolved thread (its author, a drafter or the host admin)',
        request: { params: ThreadParam },
        responses: { 200: json(ThreadSchema, 'The thread'), ...errors(401, 403, 404) },
      }),
      async (c) => c.json(thread(await use(deps, c.get('actor'), c.req.valid('param').threadId)), 200),
    );
  }

  api.openapi(
    createRoute({
      method: 'get',
      path: '/notifications',
      ...access('signed-in'),
      summary: 'Your notifications, newest first, and how many are unread',
      responses: { 200: json(z.object({ unread: z.number(), items: z.array(NotificationSchema) }), 'Notifications'), ...errors(401) },
    }),
    async (c) => {
      const list = await listNotifications(deps, c.get('actor'));
      return c.json(
        {
          unread: list.unread,
          items: list.items.map((n) => ({ id: n.id, kind: n.kind, createdAt: iso(n.createdAt), read: n.readAt !== null, actor: n.actor, areaSlug: n.area.slug, documentId: n.document?.id ?? null, threadId: n.threadId, roundId: n.round?.id ?? null, excerpt: n.excerpt })),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/notifications/read',
      ...access('signed-in'),
      summary: 'Mark your notifications read: the given ids, or all when none are given',
      request: describedBody({ type: 'object', properties: { ids: { type: 'array', items: { type: 'string' } } } }, false),
      responses: { 200: json(z.object({ marked: z.number() }), 'How many were marked read'), ...errors(400, 401) },
    }),
    async (c) => {
      return c.json({ marked: await markNotificationsRead(deps, c.get('actor'), (await jsonOf(c)) ?? {}) }, 200);
    },
  );
}
