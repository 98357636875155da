import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getUnsubscribe, isDomainError, unsubscribe, type RouteHandle } from '@sopu/core';
import { Main } from '../components/main.tsx';
import { UnsubscribeView } from '../components/mail/UnsubscribeView.tsx';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';

/**
 * Who may call this route (docs/decisions/013-route-access-matrix.md): whoever holds the mailed link, signed in or
 * not; it switches off only the kinds of mail it names, for the person it was mailed to.
 */
export const handle = { access: 'public' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('unsubscribe.title')]);

const unknown = (error: unknown) => isDomainError(error) && error.code === 'not_found';

/** Shows what the link would switch off; opening it changes nothing (mail scanners open links too). */
export async function loader(args: LoaderFunctionArgs) {
  try {
    return { view: await getUnsubscribe(args.context.deps, args.params.token) };
  } catch (error) {
    if (unknown(error)) return data({ view: null }, { status: 404 });
    throw error;
  }
}

/**
 * The button on the page, or the mail program's one-click POST (RFC 8058: `List-Unsubscribe=One-Click`, from its own
 * servers, without Origin or cookie; apps/web/server/app.ts lets exactly that through the Origin guard).
 */
export async function action(args: ActionFunctionArgs) {
  try {
    await unsubscribe(args.context.deps, args.params.token);
    return { ok: true as const };
  } catch (error) {
    if (unknown(error)) return data({ ok: false as const }, { status: 404 });
    throw error;
  }
}

export default function UnsubscribePage() {
  const { view } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <Main>
      {view ? (
        <UnsubscribeView view={view} />
      ) : (
        <div className="narrow">
          <h1>{t('unsubscribe.unknownTitle')}</h1>
          <p>{t('unsubscribe.unknownBody')}</p>
          <p>
            <Link to="/notifications/settings">{t('unsubscribe.settingsLink')}</Link>
          </p>
        </div>
      )}
    </Main>
  );
}
