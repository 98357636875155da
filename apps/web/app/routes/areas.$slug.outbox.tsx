import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { listOutbox } from '@sopu/core';
import { Main } from '../components/main.tsx';
import { orHttpError } from '../errors.server.ts';
import { formatDateTime } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/010-route-access-matrix.md). */
export const handle = { access: { area: 'outbox.read' } } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches, params }) => pageTitle(matches, (t, ctx) => [t('outbox.title'), ctx.areaName(params.slug)]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const messages = await orHttpError(args.request, listOutbox(args.context.deps, actor, args.params.slug ?? ''));
  return { messages };
}

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** The mail text as written, with its links (the invitation link) clickable. */
function BodyWithLinks({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
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
                    <dt>{t('outbox.created')}</dt>
                    <dd>{formatDateTime(m.createdAt, lang)}</dd>
                  </div>
                  <div>
                    <dt>{t('outbox.status')}</dt>
                    <dd>{m.sentAt === null ? t('outbox.notSent') : t('outbox.sent', { time: formatDateTime(m.sentAt, lang) })}</dd>
                  </div>
                </dl>
                <pre className="message-body" aria-label={t('outbox.body')} tabIndex={0}>
                  <BodyWithLinks text={m.body} />
                </pre>
              </article>
            </li>
          ))}
        </ol>
      )}
    </Main>
  );
}
