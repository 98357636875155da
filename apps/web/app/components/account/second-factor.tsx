import { Form } from '@remix-run/react';
import type { SecondFactorStatus } from '@sopu/core';
import type { FormErrors } from '../../form-errors.ts';
import { useT } from '../../hooks.ts';
import { ErrorSummary, SubmitButton, useSubmitting } from '../form.tsx';
import { CodeField } from '../sign-in/code-field.tsx';
import { TotpSetup } from '../sign-in/totp-setup.tsx';

/** Two-step verification is off: what it is, whether it is required, and the button that starts the set-up. */
export function SecondFactorOff({ status }: { status: SecondFactorStatus }) {
  const { t } = useT();
  const submitting = useSubmitting((f) => f.get('intent') === 'start');
  return (
    <>
      <p>
        <strong>{t('account.stateOff')}</strong>
      </p>
      <p>{status.policy === 'required' ? t('account.requiredNextLogin') : t('account.optionalIntro')}</p>
      <Form method="post">
        <input type="hidden" name="intent" value="start" />
        <SubmitButton pending={submitting} pendingLabel={t('account.starting')}>
          {t('account.start')}
        </SubmitButton>
      </Form>
    </>
  );
}

/** The set-up in progress: the QR code and key, and the code that turns it on. */
export function SecondFactorSetup({ setup, errors }: { setup: { qrSvg: string; keyText: string; accountName: string }; errors?: FormErrors | undefined }) {
  const { t } = useT();
  const submitting = useSubmitting((f) => f.get('intent') === 'confirm');
  return (
    <>
      <ErrorSummary errors={errors} labels={{ code: t('signIn.code') }} />
      <TotpSetup qrSvg={setup.qrSvg} keyText={setup.keyText} accountName={setup.accountName} />
      <Form method="post" noValidate className="form">
        <input type="hidden" name="intent" value="confirm" />
        <CodeField error={errors?.fields.code} recovery={false} />
        <SubmitButton pending={submitting} pendingLabel={t('signIn.confirming')}>
          {t('signIn.confirm')}
        </SubmitButton>
      </Form>
    </>
  );
}

/** Two-step verification is on: recovery codes left, new ones, and turning it off (unless it is required). */
export function SecondFactorOn({ status, errors, intent }: { status: SecondFactorStatus; errors?: FormErrors | undefined; intent: string | null }) {
  const { t } = useT();
  const regenerating = useSubmitting((f) => f.get('intent') === 'regenerate');
  const disabling = useSubmitting((f) => f.get('intent') === 'disable');
  const mine = (which: string) => (intent === which ? errors : undefined);
  return (
    <>
      <p>
        <strong>{t('account.stateOn')}</strong> {t('account.recoveryLeft', { count: status.recoveryCodesLeft })}
      </p>
      <h3 id="regenerate-title" className="account-subheading">{t('account.regenerateTitle')}</h3>
      <p>{t('account.regenerateIntro')}</p>
      <ErrorSummary errors={mine('regenerate')} labels={{ code: t('signIn.code') }} idPrefix="regenerate-" />
      <Form method="post" noValidate className="form" aria-labelledby="regenerate-title">
        <input type="hidden" name="intent" value="regenerate" />
        <CodeField id="regenerate-code" error={mine('regenerate')?.fields.code} recovery={false} />
        <SubmitButton pending={regenerating} pendingLabel={t('account.regenerating')}>
          {t('account.regenerate')}
        </SubmitButton>
      </Form>
      <h3 id="disable-title" className="account-subheading">{t('account.disableTitle')}</h3>
      {status.policy === 'required' ? (
        <p>{t('account.requiredCannotDisable')}</p>
      ) : (
        <>
          <p>{t('account.disableIntro')}</p>
          <ErrorSummary errors={mine('disable')} labels={{ code: t('signIn.code') }} idPrefix="disable-" />
          <Form method="post" noValidate className="form" aria-labelledby="disable-title">
            <input type="hidden" name="intent" value="disable" />
            <CodeField id="disable-code" error={mine('disable')?.fields.code} />
            <SubmitButton pending={disabling} pendingLabel={t('account.disabling')}>
              {t('account.disable')}
            </SubmitButton>
          </Form>
        </>
      )}
    </>
  );
}
