import { useFetcher } from '@remix-run/react';
import { forwardRef, useEffect, useId, useState } from 'react';
import { formatDateTime, municipalityName, isolate } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { CommentBody } from './CommentBody.tsx';
import { Composer } from './LazyComposer.tsx';
import type { CommentData, PersonView, ThreadData } from './types.ts';

/** What the document route's action answers a comment form with. */
export interface CommentActionData {
  ok: boolean;
  intent?: string;
  threadId?: string;
  errors?: { form?: { key: string; values?: Record<string, unknown> }; fields?: Record<string, { key: string }> };
}

/** A comment form's fetcher: the action's error, in words, when it refused. */
export function useCommentFetcher(key: string) {
  const fetcher = useFetcher<CommentActionData>({ key });
  const { t } = useT();
  const data = fetcher.data;
  const error = data && !data.ok ? t(data.errors?.fields?.body?.key ?? data.errors?.form?.key ?? 'comments.failed', data.errors?.form?.values ?? {}) : null;
  return { fetcher, error, pending: fetcher.state !== 'idle' };
}

function Time({ ms }: { ms: number }) {
  const { lang } = useT();
  return <time dateTime={new Date(ms).toISOString()}>{formatDateTime(ms, lang)}</time>;
}

function Author({ person }: { person: PersonView }) {
  const { lang } = useT();
  return (
    <span className="comment__author">
      <bdi>{person.name}</bdi>
      {person.municipalityCode ? <span className="comment__municipality"> · {municipalityName(person.municipalityName, lang)}</span> : null}
    </span>
  );
}

function Comment({ comment, people, threadId }: { comment: CommentData; people: PersonView[]; threadId: string }) {
  const { t } = useT();
  const [mode, setMode] = useState<'view' | 'edit' | 'hide'>('view');
  const [hideReason, setHideReason] = useState('');
  const reasonId = useId();
  const { fetcher, error, pending } = useCommentFetcher(`comment-${comment.id}`);
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) setMode('view');
  }, [fetcher.state, fetcher.data]);

  if (comment.deleted) return <li className="comment comment--gone">{t('comments.deleted')}</li>;
  if (comment.hidden) {
    return <li className="comment comment--gone">{t('comments.hidden', { by: isolate(comment.hidden.by), reason: isolate(comment.hidden.reason) })}</li>;
  }
  return (
    <li className="comment" id={`comment-${comment.id}`}>
      <p className="comment__meta">
        <Author person={comment.author} /> · <Time ms={comment.createdAt} />
        {comment.editedAt ? <span className="comment__edited"> ({t('comments.edited')})</span> : null}
      </p>
      {mode === 'edit' ? (
        <Composer
          people={people}
          label={t('comments.editLabel')}
          submitLabel={t('comments.save')}
          initial={comment.body}
          pending={pending}
          error={error}
          autoFocus
          onCancel={() => setMode('view')}
          onSubmit={(body) => fetcher.submit({ intent: 'edit', commentId: comment.id, threadId, body }, { method: 'post' })}
        />
      ) : (
        <CommentBody body={comment.body} people={[...people, ...comment.mentions]} />
      )}
      {mode === 'hide' ? (
        <form
          className="comment__hide"
          onSubmit={(event) => {
            event.preventDefault();
            fetcher.submit({ intent: 'hide', commentId: comment.id, threadId, reason: hideReason }, { method: 'post' });
          }}
        >
          <label htmlFor={reasonId}>{t('comments.hideReason')}</label>
          <input id={reasonId} value={hideReason} maxLength={500} required onChange={(e) => setHideReason(e.target.value)} />
          <button type="submit" className="button button-small" disabled={pending || hideReason.trim() === ''}>
            {t('comments.hide')}
          </button>
          <button type="button" className="button button-secondary button-small" onClick={() => setMode('view')}>
            {t('comments.cancel')}
          </button>
        </form>
      ) : null}
      {mode === 'view' && (comment.canEdit || comment.canDelete || comment.canHide) ? (
        <p className="comment__actions">
          {comment.canEdit ? (
            <button type="button" className="link-button" onClick={() => setMode('edit')}>
              {t('comments.edit')}
            </button>
          ) : null}
          {comment.canDelete ? (
            <button
              type="button"
              className="link-button"
              disabled={pending}
              onClick={() => {
                if (window.confirm(t('comments.deleteConfirm'))) fetcher.submit({ intent: 'delete', commentId: comment.id, threadId }, { method: 'post' });
              }}
            >
              {t('comments.delete')}
            </button>
          ) : null}
          {comment.canHide ? (
            <button type="button" className="link-button" onClick={() => setMode('hide')}>
              {t('comments.hide')}
            </button>
          ) : null}
        </p>
      ) : null}
      {mode === 'view' && error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}

interface CardProps {
  thread: ThreadData;
  people: PersonView[];
  sectionTitle: string;
  active: boolean;
  /** Selects the thread's text in the editor; absent when there is no text to show. */
  onShowInText?: (() => void) | undefined;
}

/** One thread: what it is on, its comments, a reply box, resolve or reopen. Every action works by keyboard. */
export const ThreadCard = forwardRef<HTMLElement, CardProps>(function ThreadCard({ thread, people, sectionTitle, active, onShowInText }, ref) {
  const { t } = useT();
  const [replying, setReplying] = useState(false);
  const reply = useCommentFetcher(`reply-${thread.id}`);
  const status = useCommentFetcher(`status-${thread.id}`);
  const headingId = useId();
  useEffect(() => {
    if (reply.fetcher.state === 'idle' && reply.fetcher.data?.ok) setReplying(false);
  }, [reply.fetcher.state, reply.fetcher.data]);
  const first = thread.comments[0];

  return (
    <article
      ref={ref}
      id={`thread-${thread.id}`}
      tabIndex={-1}
      className={`thread thread--${thread.status}${active ? ' thread--active' : ''}`}
      aria-labelledby={headingId}
      data-thread-id={thread.id}
    >
      <h3 id={headingId} className="thread__heading">
        {thread.quote ? (
          <>
            <span className="visually-hidden">{t('comments.threadOn', { section: sectionTitle })} </span>
            <q className="thread__quote" dir="auto">{thread.quote}</q>
          </>
        ) : (
          t('comments.wholeSection', { section: sectionTitle })
        )}
      </h3>
      <p className="thread__badges">
        {thread.language ? <span className="badge badge--language">{t(`bilingual.column.${thread.language}`)}</span> : null}
        {thread.anchorLost ? <span className="badge badge--warning">{t('comments.textRemoved')}</span> : null}
        {thread.status === 'resolved' ? <span className="badge badge--done">{t('comments.resolvedBy', { name: isolate(thread.resolvedBy?.name ?? '') })}</span> : null}
        {first ? <span className="thread__started">{t('comments.startedBy', { name: isolate(thread.createdBy.name) })}</span> : null}
      </p>
      <ol className="thread__comments">
        {thread.comments.map((c) => (
          <Comment key={c.id} comment={c} people={people} threadId={thread.id} />
        ))}
      </ol>
      {replying ? (
        <Composer
          people={people}
          label={t('comments.replyLabel')}
          submitLabel={t('comments.send')}
          pending={reply.pending}
          error={reply.error}
          autoFocus
          onCancel={() => setReplying(false)}
          onSubmit={(body) => reply.fetcher.submit({ intent: 'reply', threadId: thread.id, body }, { method: 'post' })}
        />
      ) : null}
      <p className="thread__actions">
        {thread.canReply && !replying && thread.status === 'open' ? (
          <button type="button" className="button button-secondary button-small" onClick={() => setReplying(true)}>
            {t('comments.reply')}
          </button>
        ) : null}
        {onShowInText && !thread.anchorLost && thread.anchor ? (
          <button type="button" className="button button-secondary button-small" onClick={onShowInText}>
            {t('comments.showInText')}
          </button>
        ) : null}
        {thread.canResolve ? (
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={status.pending}
            onClick={() => status.fetcher.submit({ intent: thread.status === 'open' ? 'resolve' : 'reopen', threadId: thread.id }, { method: 'post' })}
          >
            {thread.status === 'open' ? t('comments.resolve') : t('comments.reopen')}
          </button>
        ) : null}
      </p>
      {status.error ? (
        <p className="field-error" role="alert">
          {status.error}
        </p>
      ) : null}
    </article>
  );
});
