import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listOutbox, type OutboxMessage } from '@sopu/core';
import { MAIL_KINDS, type MailKind } from '@sopu/core/rules';
import { Main } from '../components/main.tsx';
import { orHttpError } from '../errors.server.ts';
import { formatDateTime } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: { area: 'outbox.read' } } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches, params }) => pageTitle(matches, (t, ctx) => [t('outbox.title'), ctx.areaName(params.slug)]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const messages = await orHttpError(args.request, listOutbox(args.context.deps, actor, args.params.slug ?? ''));
  return { messages };
}

const isMailKind = (kind: string): kind is MailKind => (MAIL_KINDS as readonly string[]).includes(kind);

/** Where the message stands, in words; never its link (core has already replaced it). */
function Status({ message }: { message: OutboxMessage }) {
  const { t, lang } = useT();
  const error = message.lastError ?? '';
  switch (message.status) {
    case 'sent':
      return <>{t('outbox.sent', { time: formatDateTime(message.sentAt ?? message.createdAt, lang) })}</>;
    case 'queued':
      return <>{t('outbox.queued')}</>;
    case 'retrying':
      return <>{t('outbox.retrying', { error, time: formatDateTime(message.nextAttemptAt ?? message.createdAt, lang) })}</>;
    case 'failed':
      return <>{message.kind === null ? t('outbox.failed', { error }) : t('outbox.failedNotification', { error })}</>;
    case 'sending':
      return <>{t('outbox.sending')}</>;
    case 'interrupted':
      return <>{t('outbox.interrupted', { error })}</>;
    case 'dev_mailbox':
      return (
        <>
          {t('outbox.devMailbox')} <Link to="/dev/mailbox">{t('outbox.devMailboxLink')}</Link>
        </>
      );
    case 'undeliverable':
      return <>{t('outbox.undeliverable')}</>;
  }
}

export default function Outbox() {
  const { messages } = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  return (
    <Main>
      <h1>{t('outbox.title')}</h1>
      <p className="notice notice-info">{t('outbox.intro')}</p>
      {messages.length === 0 ? (
        <p>{t('outbox.empty')}</p>
      ) : (
        <ol className="message-list">
          {messages.map((m) => (
            <li key={m.id}>
              <article className="message" aria-labelledby={`subject-${m.id}`}>
                <h2 id={`subject-${m.id}`} className="message-subject">
                  {m.subject}
                </h2>
                <dl className="summary-list compact">
                  <div>
                    <dt>{t('outbox.to')}</dt>
                    <dd>{m.to}</dd>
                  </div>
                  <div>
                    <dt>{t('outbox.kind')}</dt>
                    <dd>{m.kind === null ? t('outbox.kindInvitation') : m.kind === 'digest' ? t('outbox.kindDigest') : isMailKind(m.kind) ? t(`mailSettings.kinds.${m.kind}`) : m.kind}</dd>
                  </div>
                  <div>
                    <dt>{t('outbox.created')}</dt>
                    <dd>{formatDateTime(m.createdAt, lang)}</dd>
                  </div>
                  <div>
                    <dt>{t('outbox.status')}</dt>
                    <dd>
                      <Status message={m} />
                    </dd>
                  </div>
                </dl>
                <pre className="message-body" aria-label={t('outbox.body')} tabIndex={0}>
                  {m.body}
                </pre>
              </article>
            </li>
          ))}
        </ol>
      )}
    </Main>
  );
}
