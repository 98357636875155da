import { EXCEPTION_GROUNDS, EXCEPTION_GROUND_LABELS } from '@sopu/core/rules';
import { useSubmitting } from '../form.tsx';
import { useT } from '../../hooks.ts';
import { type Settings, SettingsBlock, SaveButton } from './SettingsBlock.tsx';

export function Exception({ settings }: { settings: Settings }) {
  const { t, lang } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'exception');
  return (
    <SettingsBlock id="exception-heading" heading={t('settings.exceptionHeading')} intro={t('settings.exceptionIntro')} saved={['exception']} intent="exception">
      <fieldset className="plain-fieldset">
        <legend>{t('settings.grounds')}</legend>
        <ul className="checkbox-list checkbox-list--wide">
          {EXCEPTION_GROUNDS.map((g) => (
            <li key={g}>
              <label>
                <input type="checkbox" name="ground" value={g} defaultChecked={settings.exception.grounds.includes(g)} disabled={!settings.canEdit} /> {EXCEPTION_GROUND_LABELS[g][lang]}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className="field-row">
        <div className="field">
          <label htmlFor="permit-reference">{t('settings.permitReference')}</label>
          <p className="hint" id="permit-reference-hint">
            {t('settings.permitReferenceHint')}
          </p>
          <input id="permit-reference" name="permitReference" className="input" maxLength={200} aria-describedby="permit-reference-hint" defaultValue={settings.exception.permit?.reference ?? ''} disabled={!settings.canEdit} />
        </div>
        <div className="field">
          <label htmlFor="permit-date">{t('settings.permitDate')}</label>
          <input id="permit-date" name="permitDate" type="date" className="input input-date" defaultValue={settings.exception.permit?.date ?? ''} disabled={!settings.canEdit} />
        </div>
      </div>
      {settings.canEdit ? <SaveButton pending={pending} /> : null}
    </SettingsBlock>
  );
}
