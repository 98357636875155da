import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { completeLogin, findLoginChallenge, isDomainError, type RouteHandle } from '@sopu/core';
import { ErrorSummary, SubmitButton, useSubmitting } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { CodeField } from '../components/sign-in/code-field.tsx';
import { toHttpError } from '../errors.server.ts';
import type { FormErrors } from '../form-errors.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { deviceCookie, readDeviceToken, readSessionToken, sessionCookieHeader, sessionMeta } from '../session.server.ts';
import { CHALLENGE_COOKIE, readTokenCookie, signInCookie } from '../sign-in.server.ts';

/** Who may call this route (docs/decisions/013): whoever holds the log-in's cookie (the password was right). */
export const handle = { access: 'public' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('signIn.codeTitle')]);

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  const headers: Record<string, string> = {};
  if (retryAfter) headers['Retry-After'] = retryAfter;
  return headers;
};

/** A log-in that has expired (or never started here) starts again from the address. */
const startAgain = (args: { context: LoaderFunctionArgs['context'] }) =>
  redirect('/login?notice=expired', { headers: { 'Set-Cookie': signInCookie(args.context, CHALLENGE_COOKIE, null) } });

export async function loader(args: LoaderFunctionArgs) {
  try {
    const challenge = await findLoginChallenge(args.context.deps, readTokenCookie(args.request, CHALLENGE_COOKIE));
    if (challenge.kind !== 'totp') throw redirect('/login/setup');
  } catch (error) {
    if (isDomainError(error)) throw startAgain(args);
    throw error;
  }
  return null;
}

const failure = (errors: FormErrors, status: number, headers: Record<string, string> = {}) => data({ errors }, { status, headers });

/** The code (or a recovery code): the session starts, the log-in's cookie goes, and on to the page wanted. */
export async function action(args: ActionFunctionArgs) {
  const { context, request } = args;
  const form = await request.formData();
  const code = String(form.get('code') ?? '').trim();
  if (!code) return failure({ fields: { code: { key: 'validation.required' } } }, 400);
  let signedIn: Awaited<ReturnType<typeof completeLogin>>;
  try {
    signedIn = await completeLogin(context.deps, {
      challengeToken: readTokenCookie(request, CHALLENGE_COOKIE),
      code,
      ...sessionMeta(args),
      currentSessionToken: readSessionToken(args),
      deviceToken: readDeviceToken(args),
    });
  } catch (error) {
    if (isDomainError(error) && error.details.reason === 'challenge_expired') throw startAgain(args);
    if (isDomainError(error) && error.details.reason === 'wrong_code') return failure({ fields: { code: { key: 'signIn.wrongCode' } } }, 401);
    if (isDomainError(error) && error.code === 'throttled') {
      const seconds = typeof error.details.retryAfterSeconds === 'number' ? error.details.retryAfterSeconds : 60;
      return failure({ form: { key: 'login.throttled', values: { count: Math.max(1, Math.ceil(seconds / 60)) } }, fields: {} }, 429, { 'Retry-After': String(Math.ceil(seconds)) });
    }
    toHttpError(error, request);
  }
  const headers = new Headers();
  headers.append('Set-Cookie', sessionCookieHeader(context, signedIn.token));
  headers.append('Set-Cookie', deviceCookie(context, signedIn.device));
  headers.append('Set-Cookie', signInCookie(context, CHALLENGE_COOKIE, null));
  throw redirect(signedIn.redirectTo, { headers });
}

export default function LoginCode() {
  const result = useActionData<typeof action>();
  const { t } = useT();
  const submitting = useSubmitting();
  return (
    <Main>
      <div className="narrow">
        <h1>{t('signIn.codeTitle')}</h1>
        <p>{t('signIn.codeIntro')}</p>
        <ErrorSummary errors={result?.errors} labels={{ code: t('signIn.code') }} />
        <Form method="post" noValidate className="form">
          <CodeField error={result?.errors.fields.code} />
          <SubmitButton pending={submitting} pendingLabel={t('login.submitting')}>
            {t('login.submit')}
          </SubmitButton>
        </Form>
        <p className="sign-in-cancel">
          <Link to="/login">{t('signIn.cancel')}</Link>
        </p>
      </div>
    </Main>
  );
}
