import { Form } from '@remix-run/react';
import type { MailSettings } from '@sopu/core';
import { MAIL_MODES } from '@sopu/core/rules';
import type { FormErrors } from '../../form-errors.ts';
import { useT } from '../../hooks.ts';
import { LANGUAGES } from '../../i18n.ts';
import { ErrorSummary, SelectField, SubmitButton, useSubmitting } from '../form.tsx';

/**
 * The person's own mail settings as one plain form: the language of their mail, and for each kind of notification
 * at once, in the daily digest, or not at all. Works without JavaScript.
 */
export function MailSettingsForm({ settings, errors }: { settings: MailSettings; errors: FormErrors | undefined }) {
  const { t } = useT();
  const saving = useSubmitting((form) => form.get('intent') === 'save');
  return (
    <Form method="post" className="form" aria-labelledby="kinds-heading">
      <ErrorSummary errors={errors} labels={{ language: t('mailSettings.language') }} />
      <input type="hidden" name="intent" value="save" />
      <SelectField name="language" label={t('mailSettings.language')} hint={t('mailSettings.languageHint')} defaultValue={settings.language} error={errors?.fields.language}>
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {t(`language.${code}`)}
          </option>
        ))}
      </SelectField>
      <h2 id="kinds-heading">{t('mailSettings.kindsHeading')}</h2>
      <p className="hint">{t('mailSettings.kindsIntro')}</p>
      <div className="mail-kinds">
        {settings.modes.map(({ kind, mode }) => (
          <fieldset key={kind} className="mail-kind" aria-describedby={`kind-${kind}-hint`}>
            <legend>{t(`mailSettings.kinds.${kind}`)}</legend>
            <p id={`kind-${kind}-hint`} className="hint">
              {t(`mailSettings.kindHints.${kind}`)}
            </p>
            <div className="mail-kind__modes">
              {MAIL_MODES.map((m) => (
                <label key={m} className="checkbox-label">
                  <input type="radio" name={`mode.${kind}`} value={m} defaultChecked={mode === m} /> {t(`mailSettings.modes.${m}`)}
                </label>
              ))}
            </div>
          </fieldset>
        ))}
      </div>
      <SubmitButton pending={saving} pendingLabel={t('mailSettings.saving')}>
        {t('mailSettings.save')}
      </SubmitButton>
    </Form>
  );
}
