import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { listDevMailbox, type RouteHandle } from '@sopu/core';
import { Main } from '../components/main.tsx';
import { orHttpError } from '../errors.server.ts';
import { formatDateTime } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';

/**
 * Who may call this route (docs/decisions/013-route-access-matrix.md): anyone on this machine, in development only;
 * core answers 404 elsewhere.
 */
export const handle = { access: 'development' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('devMailbox.title')]);

/** Core decides whether this page exists (a local address without SMTP, asked from this machine); else 404. */
export async function loader(args: LoaderFunctionArgs) {
  const messages = await orHttpError(args.request, listDevMailbox(args.context.deps, { clientIp: args.context.clientIp }));
  return { messages };
}

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** The mail text as written, with its links (the invitation link) clickable, as in the recipient's mail program. */
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

export default function DevMailbox() {
  const { messages } = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  return (
    <Main>
      <h1>{t('devMailbox.title')}</h1>
      <p className="notice notice-info">{t('devMailbox.intro')}</p>
      {messages.length === 0 ? (
        <p>{t('devMailbox.empty')}</p>
      ) : (
        <ol className="message-list">
          {messages.map((m) => (
            <li key={m.id}>
              <article className="message" aria-labelledby={`subject-${m.id}`} data-to={m.to}>
                <h2 id={`subject-${m.id}`} className="message-subject">
                  {m.subject}
                </h2>
                <dl className="summary-list compact">
                  <div>
                    <dt>{t('devMailbox.to')}</dt>
                    <dd>{m.to}</dd>
                  </div>
                  {m.areaSlug ? (
                    <div>
                      <dt>{t('devMailbox.area')}</dt>
                      <dd>{m.areaSlug}</dd>
                    </div>
                  ) : null}
                  <div>
                    <dt>{t('devMailbox.created')}</dt>
                    <dd>{formatDateTime(m.createdAt, lang)}</dd>
                  </div>
                  {m.unsubscribe ? (
                    <div>
                      <dt>{t('devMailbox.unsubscribe')}</dt>
                      <dd>
                        <a href={m.unsubscribe}>{m.unsubscribe}</a>
                      </dd>
                    </div>
                  ) : null}
                  {m.attachments.length > 0 ? (
                    <div>
                      <dt>{t('devMailbox.attachments')}</dt>
                      <dd>{m.attachments.join(', ')}</dd>
                    </div>
                  ) : null}
                </dl>
                <pre className="message-body" aria-label={t('devMailbox.body')} tabIndex={0}>
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
