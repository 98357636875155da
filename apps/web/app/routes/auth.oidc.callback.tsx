import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { completeProviderSignIn, isDomainError, SIGN_IN_REFUSALS, type RouteHandle, type SignInRefusal } from '@sopu/core';
import { Main } from '../components/main.tsx';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { safeRedirect } from '../safe-redirect.ts';
import { readSessionToken, sessionCookieHeader, sessionMeta } from '../session.server.ts';
import { OIDC_COOKIE, readTokenCookie, signInCookie } from '../sign-in.server.ts';

/**
 * Where a municipality's identity provider sends the browser back (docs/decisions/024): the state must be this
 * browser's (its `sopu_oidc` cookie), unused and current; the code is exchanged with the PKCE verifier and the ID token
 * verified in core. Signed in: on to the page wanted (or the area an invitation opened). Refused: a page saying why,
 * and nothing changed.
 */
export const handle = { access: 'public' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('oidc.refusedTitle')]);

/** The answer to each refusal: the browser's own request was wrong (400), the provider's answer (401), who it is (403). */
const STATUS: Record<SignInRefusal, number> = {
  wrong_state: 400,
  state_used: 400,
  state_expired: 400,
  not_configured: 400,
  provider_error: 401,
  code_refused: 401,
  unknown_issuer: 401,
  foreign_audience: 401,
  expired: 401,
  nonce_mismatch: 401,
  bad_signature: 401,
  email_unverified: 403,
  email_domain: 403,
  no_account: 403,
  invitation_mismatch: 403,
  provider_unreachable: 502,
};

const isRefusal = (reason: unknown): reason is SignInRefusal => typeof reason === 'string' && (SIGN_IN_REFUSALS as readonly string[]).includes(reason);

export async function loader(args: LoaderFunctionArgs) {
  const { request, context } = args;
  const url = new URL(request.url);
  let signedIn: Awaited<ReturnType<typeof completeProviderSignIn>>;
  try {
    signedIn = await completeProviderSignIn(context.deps, {
      state: url.searchParams.get('state'),
      code: url.searchParams.get('code'),
      error: url.searchParams.get('error'),
      issuer: url.searchParams.get('iss'),
      bindingToken: readTokenCookie(request, OIDC_COOKIE),
      currentSessionToken: readSessionToken(args),
      ...sessionMeta(args),
    });
  } catch (error) {
    if (isDomainError(error) && error.code === 'unauthenticated' && isRefusal(error.details.reason)) {
      const reason = error.details.reason;
      return data({ reason }, { status: STATUS[reason] });
    }
    throw error;
  }
  const headers = new Headers();
  headers.append('Set-Cookie', sessionCookieHeader(context, signedIn.token));
  headers.append('Set-Cookie', signInCookie(context, OIDC_COOKIE, null));
  // A sign-in that accepted an invitation opens its area, unless a page was asked for.
  const wanted = safeRedirect(signedIn.redirectTo);
  const to = wanted === '/' && signedIn.accepted[0] ? `/areas/${encodeURIComponent(signedIn.accepted[0])}` : wanted;
  throw redirect(to, { headers });
}

export default function SignInRefused() {
  const { reason } = useLoaderData<typeof loader>();
  const { t } = useT();
  return (
    <Main>
      <div className="narrow">
        <h1>{t('oidc.refusedTitle')}</h1>
        <p className="sign-in-refused__reason" data-reason={reason}>
          {t(`oidc.reasons.${reason}`)}
        </p>
        <p>{t('oidc.nothingChanged')}</p>
        <p>
          <Link to="/login" className="button button-primary">
            {t('oidc.startAgain')}
          </Link>
        </p>
      </div>
    </Main>
  );
}
