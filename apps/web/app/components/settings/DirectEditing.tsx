import { DIRECT_EDITING } from '@sopu/core/rules';
import { useSubmitting } from '../form.tsx';
import { useT } from '../../hooks.ts';
import { type Settings, SettingsBlock, SaveButton } from './SettingsBlock.tsx';

/** Who changes the agreement's text directly (docs/decisions/025): the host's drafters, or every drafter. */
export function DirectEditing({ settings }: { settings: Settings }) {
  const { t } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'direct-editing');
  return (
    <SettingsBlock id="editing-heading" heading={t('settings.directEditingHeading')} intro={t('settings.directEditingIntro')} saved={['direct-editing']} intent="direct-editing">
      <fieldset className="radio-group">
        <legend className="visually-hidden">{t('settings.directEditingHeading')}</legend>
        {DIRECT_EDITING.map((value) => (
          <label key={value} className="radio">
            <input type="radio" name="directEditing" value={value} defaultChecked={settings.directEditing === value} disabled={!settings.canEdit} /> {t(`settings.directEditing.${value}`)}
          </label>
        ))}
      </fieldset>
      {settings.canEdit ? <SaveButton pending={pending} /> : null}
    </SettingsBlock>
  );
}
