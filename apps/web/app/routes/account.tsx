import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { disableSecondFactor, finishSecondFactorSetup, getSecondFactorStatus, isDomainError, regenerateRecoveryCodes, startSecondFactorSetup, type RouteHandle } from '@sopu/core';
import { SecondFactorOff, SecondFactorOn, SecondFactorSetup } from '../components/account/second-factor.tsx';
import { StatusMessage } from '../components/form.tsx';
import { Main } from '../components/main.tsx';
import { RecoveryCodes } from '../components/sign-in/recovery-codes.tsx';
import { toHttpError } from '../errors.server.ts';
import type { FormErrors } from '../form-errors.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor, sessionMeta } from '../session.server.ts';
import { qrCodeSvg } from '../sign-in.server.ts';

/**
 * The signed-in person's own account: how they sign in, and their two-step verification (docs/decisions/024): turning
 * it on with the QR code, new recovery codes and turning it off, each with a current code.
 */
export const handle = { access: 'signed-in' } satisfies RouteHandle;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, (t) => [t('account.title')]);

const NOTICES = { disabled: 'account.noticeDisabled' } as const;

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const status = await getSecondFactorStatus(args.context.deps, actor);
  const notice = new URL(args.request.url).searchParams.get('notice');
  return { email: actor.email, displayName: actor.displayName, status, notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null };
}

type Setup = { qrSvg: string; keyText: string; accountName: string };
interface Result {
  intent: string;
  setup?: Setup;
  recoveryCodes?: string[];
  errors?: FormErrors;
}

async function setupView(args: ActionFunctionArgs): Promise<Setup> {
  const view = await startSecondFactorSetup(args.context.deps, await requireActor(args));
  return { qrSvg: await qrCodeSvg(view.keyUri), keyText: view.keyText, accountName: view.accountName };
}

/** A code's refusal as the form shows it: wrong, throttled, or not allowed here; anything else is the error page's. */
function codeFailure(error: unknown, request: Request, intent: string, extra: Partial<Result> = {}) {
  const fail = (errors: FormErrors, status: number, headers: Record<string, string> = {}) => data<Result>({ intent, errors, ...extra }, { status, headers });
  if (isDomainError(error) && error.details.reason === 'wrong_code') return fail({ fields: { code: { key: 'signIn.wrongCode' } } }, 400);
  if (isDomainError(error) && error.details.problem === 'totp_needed') return fail({ fields: { code: { key: 'account.appCodeNeeded' } } }, 400);
  if (isDomainError(error) && error.details.reason === 'second_factor_required') return fail({ form: { key: 'account.requiredCannotDisable' }, fields: {} }, 403);
  if (isDomainError(error) && error.code === 'throttled') {
    const seconds = typeof error.details.retryAfterSeconds === 'number' ? error.details.retryAfterSeconds : 60;
    return fail({ form: { key: 'login.throttled', values: { count: Math.max(1, Math.ceil(seconds / 60)) } }, fields: {} }, 429, { 'Retry-After': String(Math.ceil(seconds)) });
  }
  return toHttpError(error, request);
}

export async function action(args: ActionFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const form = await args.request.formData();
  const intent = String(form.get('intent') ?? '');
  const code = String(form.get('code') ?? '').trim();
  const browser = sessionMeta(args);
  const needCode = (extra: Partial<Result> = {}) => data<Result>({ intent, errors: { fields: { code: { key: 'validation.required' } } }, ...extra }, { status: 400 });
  try {
    switch (intent) {
      case 'start':
        return data<Result>({ intent, setup: await setupView(args) });
      case 'confirm': {
        if (!code) return needCode({ setup: await setupView(args) });
        const { recoveryCodes } = await finishSecondFactorSetup(deps, actor, code, browser);
        return data<Result>({ intent, recoveryCodes });
      }
      case 'regenerate': {
        if (!code) return needCode();
        const { recoveryCodes } = await regenerateRecoveryCodes(deps, actor, code, browser);
        return data<Result>({ intent, recoveryCodes });
      }
      case 'disable': {
        if (!code) return needCode();
        await disableSecondFactor(deps, actor, code, browser);
        throw redirect('/account?notice=disabled');
      }
      default:
        return data<Result>({ intent, errors: { form: { key: 'errors.invalidForm' }, fields: {} } }, { status: 400 });
    }
  } catch (error) {
    // A wrong code during the set-up shows the same key again (the pending one is kept for half an hour).
    const again = intent === 'confirm' && isDomainError(error) && (error.details.reason === 'wrong_code' || error.code === 'throttled');
    return codeFailure(error, args.request, intent, again ? { setup: await setupView(args) } : {});
  }
}

export default function AccountPage() {
  const { email, displayName, status, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useT();
  const codes = result?.recoveryCodes;
  return (
    <Main>
      <div className="narrow">
        <h1>{t('account.title')}</h1>
        {notice && !result ? <StatusMessage>{t(notice)}</StatusMessage> : null}
        <dl className="summary-list">
          <div>
            <dt>{t('account.name')}</dt>
            <dd>
              <bdi>{displayName}</bdi>
            </dd>
          </div>
          <div>
            <dt>{t('account.email')}</dt>
            <dd>{email}</dd>
          </div>
          <div>
            <dt>{t('account.signInWith')}</dt>
            <dd>{status.viaIdentityProvider && !status.hasPassword ? t('account.viaProvider') : t('account.viaPassword')}</dd>
          </div>
        </dl>

        <section aria-labelledby="second-factor-title">
          <h2 id="second-factor-title">{t('account.secondFactorTitle')}</h2>
          {codes ? (
            <>
              <StatusMessage>{result.intent === 'confirm' ? t('account.noticeEnabled') : t('account.noticeRegenerated')}</StatusMessage>
              <RecoveryCodes codes={codes} />
            </>
          ) : status.viaIdentityProvider && !status.hasPassword ? (
            <p>{t('account.providerHandles')}</p>
          ) : status.policy === 'exempt' ? (
            <p>{t('account.demoExempt')}</p>
          ) : result?.setup ? (
            <SecondFactorSetup setup={result.setup} errors={result.errors} />
          ) : status.enabled ? (
            <SecondFactorOn status={status} errors={result?.errors} intent={result?.intent ?? null} />
          ) : (
            <SecondFactorOff status={status} />
          )}
        </section>
      </div>
    </Main>
  );
}
