import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { emailSchema, isDomainError, login } from '@sopu/core';
import { ErrorSummary, Field, StatusMessage, SubmitButton, useSubmitting } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { toHttpError } from '../errors.server.ts';
import type { FormErrors, Message } from '../form-errors.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { PASSWORD_MAX_LENGTH } from '../password-policy.server.ts';
import { safeRedirect } from '../safe-redirect.ts';
import { deviceCookie, getActor, readDeviceToken, readSessionToken, sessionCookieHeader, sessionMeta } from '../session.server.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: 'public' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('login.title')]);

// An action's headers reach a document response only through this: a throttled form answer keeps its Retry-After.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  const headers: Record<string, string> = {};
  if (retryAfter) headers['Retry-After'] = retryAfter;
  return headers;
};

const NOTICES = { invitationAccepted: 'login.noticeInvitationAccepted', loggedOut: 'login.noticeLoggedOut', unlocked: 'login.noticeUnlocked' } as const;

export async function loader(args: LoaderFunctionArgs) {
  const url = new URL(args.request.url);
  const redirectTo = safeRedirect(url.searchParams.get('redirectTo'));
  if (await getActor(args)) throw redirect(redirectTo);
  const notice = url.searchParams.get('notice');
  return { redirectTo, notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null };
}

function failure(email: string, errors: FormErrors, status: number, headers: Record<string, string> = {}) {
  return data({ email, errors, throttled: status === 429 }, { status, headers });
}

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args;
  const form = await request.formData();
  const email = String(form.get('email') ?? '').trim();
  const password = String(form.get('password') ?? '');
  const redirectTo = safeRedirect(form.get('redirectTo'));

  const fields: Record<string, Message> = {};
  if (!email) fields.email = { key: 'validation.required' };
  else if (!emailSchema.safeParse(email).success) fields.email = { key: 'validation.email' };
  if (!password) fields.password = { key: 'validation.required' };
  if (Object.keys(fields).length > 0) return failure(email, { fields }, 400);

  let signedIn: Awaited<ReturnType<typeof login>>;
  try {
    signedIn = await login(context.deps, { email, password, ...sessionMeta(args), currentSessionToken: readSessionToken(args), deviceToken: readDeviceToken(args) });
  } catch (error) {
    if (isDomainError(error) && error.code === 'invalid_input' && error.details.problem === 'too_long') {
      return failure(email, { fields: { password: { key: 'validation.passwordTooLong', values: { max: PASSWORD_MAX_LENGTH } } } }, 400);
    }
    if (isDomainError(error) && error.code === 'unauthenticated') {
      return failure(email, { form: { key: 'login.wrongCredentials' }, fields: {} }, 401);
    }
    if (isDomainError(error) && error.code === 'throttled') {
      const seconds = typeof error.details.retryAfterSeconds === 'number' ? error.details.retryAfterSeconds : 60;
      const minutes = Math.max(1, Math.ceil(seconds / 60));
      return failure(email, { form: { key: 'login.throttled', values: { count: minutes } }, fields: {} }, 429, { 'Retry-After': String(Math.ceil(seconds)) });
    }
    toHttpError(error, request);
  }
  const headers = new Headers();
  headers.append('Set-Cookie', sessionCookieHeader(context, signedIn.token));
  // This browser is now a known device of the account: a lock set by someone else's guesses does not hold it back.
  headers.append('Set-Cookie', deviceCookie(context, signedIn.device));
  throw redirect(redirectTo, { headers });
}

export default function Login() {
  const { redirectTo, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useT();
  const submitting = useSubmitting();
  const errors = result?.errors;
  return (
    <Main>
      <div className="narrow">
        <h1>{t('login.title')}</h1>
        {notice && !errors ? <StatusMessage>{t(notice)}</StatusMessage> : null}
        <p>{t('login.intro')}</p>
        <ErrorSummary errors={errors} labels={{ email: t('login.email'), password: t('login.password') }} />
        {result?.throttled ? <p className="notice notice-info">{t('login.throttledHelp')}</p> : null}
        <Form method="post" noValidate className="form">
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <Field name="email" type="email" label={t('login.email')} autoComplete="username" required defaultValue={result?.email ?? ''} error={errors?.fields.email} />
          <Field name="password" type="password" label={t('login.password')} autoComplete="current-password" required error={errors?.fields.password} />
          <SubmitButton pending={submitting} pendingLabel={t('login.submitting')}>
            {t('login.submit')}
          </SubmitButton>
        </Form>
      </div>
    </Main>
  );
}
