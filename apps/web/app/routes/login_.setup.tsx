import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react';
import { completeEnrolment, enrolmentOfChallenge, isDomainError, type RouteHandle } from '@sopu/core';
import { ErrorSummary, SubmitButton, useSubmitting } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { CodeField } from '../components/sign-in/code-field.tsx';
import { RecoveryCodes } from '../components/sign-in/recovery-codes.tsx';
import { TotpSetup } from '../components/sign-in/totp-setup.tsx';
import { toHttpError } from '../errors.server.ts';
import type { FormErrors } from '../form-errors.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { deviceCookie, readDeviceToken, readSessionToken, sessionCookieHeader, sessionMeta } from '../session.server.ts';
import { CHALLENGE_COOKIE, qrCodeSvg, readTokenCookie, signInCookie } from '../sign-in.server.ts';

/**
 * Setting up a second factor during the log-in of an account that requires one (a host admin, or a member of an
 * area that requires it): before anything else, with no session until it is done (docs/decisions/024).
 */
export const handle = { access: 'public' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('signIn.setupTitle')]);

const startAgain = (args: { context: LoaderFunctionArgs['context'] }) =>
  redirect('/login?notice=expired', { headers: { 'Set-Cookie': signInCookie(args.context, CHALLENGE_COOKIE, null) } });

/**
 * The key being set up. No log-in in progress (expired, cancelled, or just completed: a form sent without JavaScript
 * renders the action's recovery codes after this loader runs again) is said on the page, not redirected.
 */
export async function loader(args: LoaderFunctionArgs) {
  try {
    const view = await enrolmentOfChallenge(args.context.deps, readTokenCookie(args.request, CHALLENGE_COOKIE));
    return { setup: { keyText: view.keyText, accountName: view.accountName, qrSvg: await qrCodeSvg(view.keyUri) } };
  } catch (error) {
    if (isDomainError(error) && error.details.reason === 'code_pending') throw redirect('/login/code');
    if (isDomainError(error) && error.details.reason === 'challenge_expired') return { setup: null };
    throw error;
  }
}

/**
 * The set-up's own data is not read again after its form is sent: once it succeeds the log-in's challenge is spent (its
 * loader would send the browser to the log-in), and the page must go on showing the recovery codes.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) => (formMethod === 'POST' ? false : defaultShouldRevalidate);

const failure = (errors: FormErrors, status: number) => data({ errors, recoveryCodes: null, redirectTo: null }, { status });

/** A code from the app turns the key on; the session starts and the recovery codes are shown once. */
export async function action(args: ActionFunctionArgs) {
  const { context, request } = args;
  const form = await request.formData();
  const code = String(form.get('code') ?? '').trim();
  if (!code) return failure({ fields: { code: { key: 'validation.required' } } }, 400);
  try {
    const done = await completeEnrolment(context.deps, {
      challengeToken: readTokenCookie(request, CHALLENGE_COOKIE),
      code,
      ...sessionMeta(args),
      currentSessionToken: readSessionToken(args),
      deviceToken: readDeviceToken(args),
    });
    const headers = new Headers();
    headers.append('Set-Cookie', sessionCookieHeader(context, done.token));
    headers.append('Set-Cookie', deviceCookie(context, done.device));
    headers.append('Set-Cookie', signInCookie(context, CHALLENGE_COOKIE, null));
    return data({ errors: undefined, recoveryCodes: done.recoveryCodes, redirectTo: done.redirectTo }, { headers });
  } catch (error) {
    if (isDomainError(error) && error.details.reason === 'challenge_expired') throw startAgain(args);
    if (isDomainError(error) && error.details.reason === 'wrong_code') return failure({ fields: { code: { key: 'signIn.wrongCode' } } }, 401);
    if (isDomainError(error) && error.code === 'throttled') return failure({ form: { key: 'login.throttled', values: { count: 1 } }, fields: {} }, 429);
    toHttpError(error, request);
  }
}

export default function LoginSetup() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useT();
  const submitting = useSubmitting();
  if (result?.recoveryCodes) {
    return (
      <Main>
        <div className="narrow">
          <h1>{t('signIn.setupDoneTitle')}</h1>
          <RecoveryCodes codes={result.recoveryCodes} />
          <p>
            <Link to={result.redirectTo ?? '/'} className="button button-primary">
              {t('signIn.continue')}
            </Link>
          </p>
        </div>
      </Main>
    );
  }
  if (!loaded.setup) {
    return (
      <Main>
        <div className="narrow">
          <h1>{t('signIn.setupTitle')}</h1>
          <p>{t('login.noticeExpired')}</p>
          <p>
            <Link to="/login" className="button button-primary">
              {t('oidc.startAgain')}
            </Link>
          </p>
        </div>
      </Main>
    );
  }
  return (
    <Main>
      <div className="narrow">
        <h1>{t('signIn.setupTitle')}</h1>
        <p>{t('signIn.setupRequired')}</p>
        <ErrorSummary errors={result?.errors} labels={{ code: t('signIn.code') }} />
        <TotpSetup qrSvg={loaded.setup.qrSvg} keyText={loaded.setup.keyText} accountName={loaded.setup.accountName} />
        <Form method="post" noValidate className="form">
          <CodeField error={result?.errors?.fields.code} recovery={false} />
          <SubmitButton pending={submitting} pendingLabel={t('signIn.confirming')}>
            {t('signIn.confirm')}
          </SubmitButton>
        </Form>
        <p className="sign-in-cancel">
          <Link to="/login">{t('signIn.cancel')}</Link>
        </p>
      </div>
    </Main>
  );
}
