import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { acceptInvitationAndSignIn, beginProviderSignIn, getInvitation, identityProviderOrigins, isDomainError, NAME_TAKEN, SIGN_IN_AS_INVITEE } from '@sopu/core';
import { ErrorSummary, Field, StatusMessage, SubmitButton, useSubmitting } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { fieldErrorsOf, formFailure } from '../errors.server.ts';
import type { FormErrors, Message } from '../form-errors.ts';
import { areaName, formatDateTime, isolate, municipalityName } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password-policy.server.ts';
import { getActor, readSessionToken, sessionCookieHeader, sessionMeta } from '../session.server.ts';
import { FORM_ACTION_HEADER, formActionHeaders, OIDC_COOKIE, providerUnavailable, signInCookie } from '../sign-in.server.ts';
import type { RouteHandle } from '@sopu/core';

/** Who may call this route (docs/decisions/013-route-access-matrix.md). */
export const handle = { access: 'public' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('invitation.title')]);

/** The loader's form-action origins reach the document (see sign-in.server.ts). */
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const formAction = loaderHeaders.get(FORM_ACTION_HEADER);
  const headers: Record<string, string> = {};
  if (formAction) headers[FORM_ACTION_HEADER] = formAction;
  return headers;
};

/** An invitation that cannot be used shows why, with its own status: unknown or revoked 404, expired or used 410. */
const UNUSABLE = { not_found: 404, invitation_expired: 410, invitation_used: 410 } as const;
type Unusable = keyof typeof UNUSABLE;
const isUnusable = (code: string): code is Unusable => code in UNUSABLE;

/** The login page, coming back here afterwards: how a person with an account accepts. */
const loginHref = (token: string) => `/login?${new URLSearchParams({ redirectTo: `/invitations/${token}` })}`;

export async function loader(args: LoaderFunctionArgs) {
  const token = args.params.token ?? '';
  try {
    const invitation = await getInvitation(args.context.deps, token);
    const actor = await getActor(args);
    // Who is signed in here is this browser's own business; whether the invited address has an account is not said.
    const signedIn = actor ? { email: actor.email, isInvitee: actor.email === invitation.email } : null;
    // An address of a provider's domain accepts there: the form may send the browser to it (form-action).
    const origins = invitation.signInThroughProvider ? await identityProviderOrigins(args.context.deps, { email: invitation.email }) : [];
    return data({ state: 'open' as const, invitation, signedIn, loginHref: loginHref(token), passwordMin: PASSWORD_MIN_LENGTH }, { headers: formActionHeaders(origins) });
  } catch (error) {
    if (isDomainError(error) && isUnusable(error.code)) return data({ state: error.code }, { status: UNUSABLE[error.code] });
    throw error;
  }
}

export async function action(args: ActionFunctionArgs) {
  const { request, context, params } = args;
  const token = params.token ?? '';
  const form = await request.formData();
  if (form.get('mode') === 'provider') {
    // The address signs in through its municipality's identity provider: the invitation is accepted when it comes
    // back with that address verified (docs/decisions/024).
    let started: Awaited<ReturnType<typeof beginProviderSignIn>>;
    try {
      started = await beginProviderSignIn(context.deps, { invitationToken: token, redirectTo: '/' });
    } catch (error) {
      if (isDomainError(error) && isUnusable(error.code)) throw redirect(new URL(request.url).pathname);
      if (providerUnavailable(error)) return data({ displayName: '', errors: { form: { key: 'login.providerUnreachable' }, fields: {} } as FormErrors }, { status: 502 });
      throw error;
    }
    if (!started) throw redirect(new URL(request.url).pathname);
    throw redirect(started.url, { headers: { 'Set-Cookie': signInCookie(context, OIDC_COOKIE, started.bindingToken, started.expiresAt) } });
  }
  const newUser = form.get('mode') === 'new';
  const password = String(form.get('password') ?? '');
  const displayName = String(form.get('displayName') ?? '');
  if (newUser && password !== String(form.get('passwordConfirm') ?? '')) {
    return data({ displayName, errors: { fields: { passwordConfirm: { key: 'validation.passwordMismatch' } } } as FormErrors }, { status: 400 });
  }

  let result: Awaited<ReturnType<typeof acceptInvitationAndSignIn>>;
  try {
    const { ip, userAgent } = sessionMeta(args);
    result = await acceptInvitationAndSignIn(context.deps, token, newUser ? { password, displayName } : {}, { currentSessionToken: readSessionToken(args), ip, userAgent });
  } catch (error) {
    // Someone else used it, it expired or was revoked meanwhile: the page itself explains.
    if (isDomainError(error) && isUnusable(error.code)) throw redirect(new URL(request.url).pathname);
    if (isDomainError(error) && error.code === 'forbidden' && error.details.reason === SIGN_IN_AS_INVITEE) {
      return data({ displayName, signInFirst: true, errors: { form: { key: 'invitation.signInFirst' }, fields: {} } as FormErrors }, { status: 403 });
    }
    if (isDomainError(error) && error.code === 'invalid_input') {
      const fields: Record<string, Message> = fieldErrorsOf(error, {
        values: { displayName, password },
        codes: { 'displayName:name_taken': { key: 'validation.nameTaken' }, 'displayName:custom': { key: 'validation.nameCharacters' } },
      });
      const problem = error.details.problem;
      if (problem === 'too_short') fields.password = { key: 'validation.passwordTooShort', values: { min: PASSWORD_MIN_LENGTH } };
      if (problem === 'too_long') fields.password = { key: 'validation.passwordTooLong', values: { max: PASSWORD_MAX_LENGTH } };
      return data({ displayName, errors: { fields } as FormErrors }, { status: 400 });
    }
    // An account's own name, taken in this area by another member: only the area's admin can sort it out.
    if (isDomainError(error) && error.code === 'conflict' && error.details.reason === NAME_TAKEN) {
      const name = typeof error.details.name === 'string' ? error.details.name : '';
      return data({ displayName, errors: { form: { key: 'invitation.nameTaken', values: { name: isolate(name) } }, fields: {} } as FormErrors }, { status: 409 });
    }
    return formFailure(error, request, { displayName }, { conflict: { key: 'invitation.alreadyMember' } });
  }

  const areaPath = `/areas/${encodeURIComponent(result.areaSlug)}`;
  // A new host admin logs in with the new password and sets up a second factor before anything else.
  if (result.secondFactorSetup) throw redirect(`/login?${new URLSearchParams({ notice: 'secondFactorSetup', redirectTo: areaPath })}`);
  // A new person is signed in straight away (whoever was signed in on this browser before is signed out); an account
  // holder accepted in their own session and stays in it.
  throw redirect(areaPath, result.sessionToken ? { headers: { 'Set-Cookie': sessionCookieHeader(context, result.sessionToken) } } : {});
}

export default function InvitationPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, lang } = useT();
  const submitting = useSubmitting();

  if (loaded.state !== 'open') {
    const [title, body] =
      loaded.state === 'invitation_expired'
        ? ['invitation.expiredTitle', 'invitation.expiredBody']
        : loaded.state === 'invitation_used'
          ? ['invitation.usedTitle', 'invitation.usedBody']
          : ['invitation.notFoundTitle', 'invitation.notFoundBody'];
    return (
      <Main>
        <div className="narrow">
          <h1>{t(title)}</h1>
          <p>{t(body)}</p>
          <p>
            <Link to="/login">{t('invitation.goToLogin')}</Link>
          </p>
        </div>
      </Main>
    );
  }

  const { invitation: inv, passwordMin, signedIn } = loaded;
  const errors = result?.errors;
  const signInFirst = Boolean(result && 'signInFirst' in result && result.signInFirst);
  return (
    <Main>
      <div className="narrow">
        <h1>{t('invitation.title')}</h1>
        <p>{t('invitation.intro')}</p>
        <dl className="summary-list">
          <div>
            <dt>{t('invitation.area')}</dt>
            <dd>{areaName(inv.areaName, lang)}</dd>
          </div>
          <div>
            <dt>{t('invitation.municipality')}</dt>
            <dd>{municipalityName(inv.municipalityName, lang)}</dd>
          </div>
          <div>
            <dt>{t('invitation.role')}</dt>
            <dd>{t(`roles.${inv.role}`)}</dd>
          </div>
          <div>
            <dt>{t('invitation.email')}</dt>
            <dd>{inv.email}</dd>
          </div>
          <div>
            <dt>{t('invitation.expires')}</dt>
            <dd>{formatDateTime(inv.expiresAt, lang)}</dd>
          </div>
        </dl>

        <ErrorSummary errors={errors} labels={{ displayName: t('invitation.displayName'), password: t('invitation.password'), passwordConfirm: t('invitation.passwordConfirm') }} />
        {signInFirst ? (
          <p className="notice notice-info">
            <Link to={loaded.loginHref}>{t('invitation.signInLink', { email: inv.email })}</Link>
          </p>
        ) : null}
        {signedIn?.isInvitee ? (
          <section aria-labelledby="accept-heading">
            <h2 id="accept-heading">{t('invitation.signedInTitle')}</h2>
            <p>{t('invitation.signedInIntro', { email: inv.email })}</p>
            <Form method="post">
              <input type="hidden" name="mode" value="existing" />
              <SubmitButton pending={submitting} pendingLabel={t('invitation.accepting')}>
                {t('invitation.accept')}
              </SubmitButton>
            </Form>
          </section>
        ) : inv.signInThroughProvider ? (
          <>
            {signedIn ? <StatusMessage>{t('invitation.signedInAsOther', { current: signedIn.email, email: inv.email })}</StatusMessage> : null}
            <section aria-labelledby="accept-heading">
              <h2 id="accept-heading">{t('invitation.providerTitle')}</h2>
              <p>{t('invitation.providerIntro', { email: inv.email })}</p>
              <Form method="post">
                <input type="hidden" name="mode" value="provider" />
                <SubmitButton pending={submitting} pendingLabel={t('login.continuing')}>
                  {t('invitation.providerSubmit')}
                </SubmitButton>
              </Form>
            </section>
          </>
        ) : (
          <>
            {signedIn ? <StatusMessage>{t('invitation.signedInAsOther', { current: signedIn.email, email: inv.email })}</StatusMessage> : null}
            <section aria-labelledby="accept-heading">
              <h2 id="accept-heading">{t('invitation.newUserTitle')}</h2>
              <p>{t('invitation.newUserIntro', { email: inv.email })}</p>
              <Form method="post" noValidate className="form">
                <input type="hidden" name="mode" value="new" />
                {/* Lets password managers store the new account under the right e-mail. */}
                <input type="hidden" name="username" autoComplete="username" value={inv.email} />
                <Field name="displayName" label={t('invitation.displayName')} autoComplete="name" required defaultValue={result?.displayName ?? inv.displayName} error={errors?.fields.displayName} />
                <Field name="password" type="password" label={t('invitation.password')} hint={t('invitation.passwordHint', { min: passwordMin })} autoComplete="new-password" required error={errors?.fields.password} />
                <Field name="passwordConfirm" type="password" label={t('invitation.passwordConfirm')} autoComplete="new-password" required error={errors?.fields.passwordConfirm} />
                <SubmitButton pending={submitting} pendingLabel={t('invitation.accepting')}>
                  {t('invitation.acceptCreate')}
                </SubmitButton>
              </Form>
            </section>
            <section aria-labelledby="existing-heading">
              <h2 id="existing-heading">{t('invitation.existingUserTitle')}</h2>
              <p>{t('invitation.existingUserIntro', { email: inv.email })}</p>
              <p>
                <Link to={loaded.loginHref} className="button button-secondary">
                  {t('invitation.signInAndReturn')}
                </Link>
              </p>
            </section>
          </>
        )}
      </div>
    </Main>
  );
}
