import { useSubmitting } from '../form.tsx';
import { useT } from '../../hooks.ts';
import { type Settings, SettingsBlock, SaveButton } from './SettingsBlock.tsx';

/**
 * Whether every member who signs in with a password needs two-step verification (docs/decisions/024). Host admins
 * always do; people signing in with their municipality's accounts use their provider's.
 */
export function SecondFactor({ settings }: { settings: Settings }) {
  const { t } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'second-factor');
  return (
    <SettingsBlock id="second-factor-heading" heading={t('settings.secondFactorHeading')} intro={t('settings.secondFactorIntro')} saved={['second-factor']} intent="second-factor">
      <p>
        <label className="checkbox-label">
          <input type="checkbox" name="required" value="true" defaultChecked={settings.requireSecondFactor} disabled={!settings.canEdit} /> {t('settings.secondFactorRequired')}
        </label>
      </p>
      {settings.canEdit ? <SaveButton pending={pending} /> : null}
    </SettingsBlock>
  );
}
