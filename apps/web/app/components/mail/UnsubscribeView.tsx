import { Form, Link } from '@remix-run/react';
import type { UnsubscribeView as View } from '@sopu/core';
import { useT } from '../../hooks.ts';
import { SubmitButton, useSubmitting } from '../form.tsx';

/** What an unsubscribe link switches off, and the one button that does it (opening the link changes nothing). */
export function UnsubscribeView({ view }: { view: View }) {
  const { t } = useT();
  const submitting = useSubmitting();
  const kinds = (
    <ul>
      {view.kinds.map((kind) => (
        <li key={kind}>{t(`mailSettings.kinds.${kind}`)}</li>
      ))}
    </ul>
  );
  return (
    <div className="narrow">
      {view.done ? (
        <>
          <h1>{t('unsubscribe.doneTitle')}</h1>
          <div className="status-message" role="status">
            <p>{t('unsubscribe.done', { email: view.email })}</p>
            {kinds}
          </div>
        </>
      ) : (
        <>
          <h1>{t('unsubscribe.title')}</h1>
          <p>{t('unsubscribe.intro', { email: view.email })}</p>
          {kinds}
          <Form method="post" className="form unsubscribe-form">
            <input type="hidden" name="List-Unsubscribe" value="One-Click" />
            <SubmitButton pending={submitting} pendingLabel={t('unsubscribe.submitting')}>
              {t('unsubscribe.submit')}
            </SubmitButton>
          </Form>
        </>
      )}
      <p>{t('unsubscribe.otherKinds')}</p>
      <p>
        <Link to="/notifications/settings">{t('unsubscribe.settingsLink')}</Link>
      </p>
    </div>
  );
}
