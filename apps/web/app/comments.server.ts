import { addComment, createThread, deleteComment, DomainError, editComment, hideComment, reopenThread, resolveThread, type Actor, type CoreDeps } from '@sopu/core';

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : undefined;
};

/** The document page's comment forms: one use case each (the route checks the area and comments.write first). */
export async function commentAction(deps: CoreDeps, actor: Actor, documentId: string, intent: string | undefined, form: FormData) {
  const threadId = text(form, 'threadId') ?? '';
  const commentId = text(form, 'commentId') ?? '';
  switch (intent) {
    case 'create-thread': {
      const from = text(form, 'anchorFrom');
      const to = text(form, 'anchorTo');
      const thread = await createThread(deps, actor, documentId, { section: text(form, 'section'), body: text(form, 'body'), anchor: from && to ? { from, to } : undefined });
      return { ok: true as const, intent, threadId: thread.id };
    }
    case 'reply':
      await addComment(deps, actor, threadId, { body: text(form, 'body') });
      return { ok: true as const, intent, threadId };
    case 'edit':
      await editComment(deps, actor, commentId, { body: text(form, 'body') });
      return { ok: true as const, intent, threadId };
    case 'delete':
      await deleteComment(deps, actor, commentId);
      return { ok: true as const, intent, threadId };
    case 'hide':
      await hideComment(deps, actor, commentId, { reason: text(form, 'reason') });
      return { ok: true as const, intent, threadId };
    case 'resolve':
      await resolveThread(deps, actor, threadId);
      return { ok: true as const, intent, threadId };
    case 'reopen':
      await reopenThread(deps, actor, threadId);
      return { ok: true as const, intent, threadId };
    default:
      throw new DomainError('invalid_input', 'unknown intent', { field: 'intent' });
  }
}
