import { data, redirect, type ActionFunctionArgs, type AppLoadContext, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { beginLogin, beginProviderSignIn, emailSchema, identityProviderOrigins, isDomainError, signInMethod } from '@sopu/core';
import { ErrorSummary, Field, StatusMessage, SubmitButton, useSubmitting } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { toHttpError } from '../errors.server.ts';
import type { FormErrors, Message } from '../form-errors.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { PASSWORD_MAX_LENGTH } from '../password-policy.server.ts';
import { safeRedirect } from '../safe-redirect.ts';
import { deviceCookie, getActor, readDeviceToken, readSessionToken, sessionCookieHeader, sessionMeta } from '../session.server.ts';
import { CHALLENGE_COOKIE, FORM_ACTION_HEADER, formActionHeaders, OIDC_COOKIE, providerUnavailable, signInCookie } from '../sign-in.server.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: 'public' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('login.title')]);

// An action's headers reach a document response only through this: a throttled form answer keeps its Retry-After.
// The loader's: the identity providers' origins the address step may send the browser to (form-action, see
// sign-in.server.ts).
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  const headers: Record<string, string> = {};
  if (retryAfter) headers['Retry-After'] = retryAfter;
  const formAction = loaderHeaders.get(FORM_ACTION_HEADER);
  if (formAction) headers[FORM_ACTION_HEADER] = formAction;
  return headers;
};

const NOTICES = {
  invitationAccepted: 'login.noticeInvitationAccepted',
  loggedOut: 'login.noticeLoggedOut',
  unlocked: 'login.noticeUnlocked',
  expired: 'login.noticeExpired',
  secondFactorSetup: 'login.noticeSecondFactorSetup',
} as const;

export async function loader(args: LoaderFunctionArgs) {
  const url = new URL(args.request.url);
  const redirectTo = safeRedirect(url.searchParams.get('redirectTo'));
  if (await getActor(args)) throw redirect(redirectTo);
  const notice = url.searchParams.get('notice');
  const origins = await identityProviderOrigins(args.context.deps);
  return data({ redirectTo, notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null }, { headers: formActionHeaders(origins) });
}

type Step = 'email' | 'password';

function failure(email: string, errors: FormErrors, status: number, headers: Record<string, string> = {}, step: Step = 'password') {
  return data({ step, email, errors, throttled: status === 429 }, { status, headers });
}

/**
 * To the identity provider of the address's municipality (docs/decisions/024), with this browser's binding cookie;
 * null when the domain has none. A provider that cannot be reached is said on the page.
 */
async function toProvider(context: AppLoadContext, email: string, redirectTo: string) {
  let started: Awaited<ReturnType<typeof beginProviderSignIn>>;
  try {
    started = await beginProviderSignIn(context.deps, { email, redirectTo });
  } catch (error) {
    if (providerUnavailable(error)) return failure(email, { form: { key: 'login.providerUnreachable' }, fields: {} }, 502, {}, 'email');
    throw error;
  }
  if (!started) return null;
  return redirect(started.url, { headers: { 'Set-Cookie': signInCookie(context, OIDC_COOKIE, started.bindingToken, started.expiresAt) } });
}

export async function action(args: ActionFunctionArgs) {
  const { request, context } = args;
  const form = await request.formData();
  const email = String(form.get('email') ?? '').trim();
  const password = String(form.get('password') ?? '');
  const redirectTo = safeRedirect(form.get('redirectTo'));

  // The first step: the address alone. Its municipality's identity provider, if it has one; else the password.
  const firstStep = form.get('intent') === 'email' || !form.has('password');
  const fields: Record<string, Message> = {};
  if (!email) fields.email = { key: 'validation.required' };
  else if (!emailSchema.safeParse(email).success) fields.email = { key: 'validation.email' };
  if (firstStep) {
    if (Object.keys(fields).length > 0) return failure(email, { fields }, 400, {}, 'email');
    if ((await signInMethod(context.deps, email)) === 'identity_provider') {
      const sent = await toProvider(context, email, redirectTo);
      if (sent) throw sent;
    }
    return data({ step: 'password' as Step, email, errors: undefined, throttled: false });
  }
  if (!password) fields.password = { key: 'validation.required' };
  if (Object.keys(fields).length > 0) return failure(email, { fields }, 400);

  let step: Awaited<ReturnType<typeof beginLogin>>;
  try {
    step = await beginLogin(context.deps, { email, password, redirectTo, ...sessionMeta(args), currentSessionToken: readSessionToken(args), deviceToken: readDeviceToken(args) });
  } catch (error) {
    if (isDomainError(error) && error.details.reason === 'use_identity_provider') {
      const sent = await toProvider(context, email, redirectTo);
      if (sent) throw sent;
    }
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
  if ('challenge' in step) {
    // The password was right; the second factor (or setting one up) comes next, on its own page.
    const next = step.challenge.kind === 'totp' ? '/login/code' : '/login/setup';
    throw redirect(next, { headers: { 'Set-Cookie': signInCookie(context, CHALLENGE_COOKIE, step.challenge.token, step.challenge.expiresAt) } });
  }
  const { signedIn } = step;
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
  const step: Step = result?.step ?? 'email';
  return (
    <Main>
      <div className="narrow">
        <h1>{t('login.title')}</h1>
        {notice && !errors ? <StatusMessage>{t(notice)}</StatusMessage> : null}
        <p>{step === 'email' ? t('login.introEmail') : t('login.intro')}</p>
        <ErrorSummary errors={errors} labels={{ email: t('login.email'), password: t('login.password') }} />
        {result?.throttled ? <p className="notice notice-info">{t('login.throttledHelp')}</p> : null}
        {step === 'email' ? (
          <Form method="post" noValidate className="form" key="email">
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <input type="hidden" name="intent" value="email" />
            <Field name="email" type="email" label={t('login.email')} autoComplete="username" required defaultValue={result?.email ?? ''} error={errors?.fields.email} hint={t('login.emailHint')} />
            <SubmitButton pending={submitting} pendingLabel={t('login.continuing')}>
              {t('login.continue')}
            </SubmitButton>
          </Form>
        ) : (
          <Form method="post" noValidate className="form" key="password">
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <input type="hidden" name="email" value={result?.email ?? ''} />
            {/* The address again for password managers, which pair it with the password. */}
            <input type="email" name="username" autoComplete="username" value={result?.email ?? ''} readOnly hidden />
            <p className="login-as">
              {t('login.as', { email: result?.email ?? '' })} <Link to={redirectTo === '/' ? '/login' : `/login?${new URLSearchParams({ redirectTo })}`}>{t('login.changeEmail')}</Link>
            </p>
            <Field name="password" type="password" label={t('login.password')} autoComplete="current-password" required autoFocus error={errors?.fields.password} />
            <SubmitButton pending={submitting} pendingLabel={t('login.submitting')}>
              {t('login.submit')}
            </SubmitButton>
          </Form>
        )}
      </div>
    </Main>
  );
}
