import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getUnlock, isDomainError, unlockLogin, type RouteHandle, type UnusableUnlock } from '@sopu/core';
import { SubmitButton, useSubmitting } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { formatDateTime } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { deviceCookie, readDeviceToken, sessionMeta } from '../session.server.ts';

/** Who may call this route (docs/decisions/013-route-access-matrix.md): whoever holds the mailed link. */
export const handle = { access: 'public' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('unlock.title')]);

/** A link that does not work says why: unknown 404, used or expired 410. */
const STATUS: Record<UnusableUnlock, number> = { unknown: 404, used: 410, expired: 410 };
const reasonOf = (error: unknown): UnusableUnlock | null => {
  if (!isDomainError(error) || error.code !== 'not_found') return null;
  const reason = error.details.reason;
  return reason === 'used' || reason === 'expired' ? reason : 'unknown';
};

/** Shows whose lock the link lifts; opening it changes nothing (mail scanners open links too). */
export async function loader(args: LoaderFunctionArgs) {
  try {
    const unlock = await getUnlock(args.context.deps, args.params.token ?? '');
    return { state: 'open' as const, ...unlock };
  } catch (error) {
    const reason = reasonOf(error);
    if (reason) return data({ state: reason }, { status: STATUS[reason] });
    throw error;
  }
}

/** The owner's confirmation: lifts the lock and makes this browser a known device of the account, then to the login. */
export async function action(args: ActionFunctionArgs) {
  const { context, params, request } = args;
  try {
    const { device } = await unlockLogin(context.deps, params.token ?? '', { ...sessionMeta(args), deviceToken: readDeviceToken(args) });
    throw redirect('/login?notice=unlocked', { headers: { 'Set-Cookie': deviceCookie(context, device) } });
  } catch (error) {
    // Used meanwhile (another tab), expired or unknown: the page itself explains.
    if (reasonOf(error)) throw redirect(new URL(request.url).pathname);
    throw error;
  }
}

export default function UnlockPage() {
  const loaded = useLoaderData<typeof loader>();
  const { t, lang } = useT();
  const submitting = useSubmitting();

  if (loaded.state !== 'open') {
    return (
      <Main>
        <div className="narrow">
          <h1>{t(`unlock.${loaded.state}Title`)}</h1>
          <p>{t(`unlock.${loaded.state}Body`)}</p>
          <p>
            <Link to="/login">{t('unlock.goToLogin')}</Link>
          </p>
        </div>
      </Main>
    );
  }
  return (
    <Main>
      <div className="narrow">
        <h1>{t('unlock.title')}</h1>
        <p>{t('unlock.intro', { email: loaded.email })}</p>
        <p>{t('unlock.ownBrowserOnly', { time: formatDateTime(loaded.expiresAt, lang) })}</p>
        <Form method="post" className="form">
          <SubmitButton pending={submitting} pendingLabel={t('unlock.submitting')}>
            {t('unlock.submit')}
          </SubmitButton>
        </Form>
      </div>
    </Main>
  );
}
