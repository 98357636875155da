import { useSubmitting } from '../form.tsx';
import { useT } from '../../hooks.ts';
import { type Settings, SettingsBlock, SaveButton } from './SettingsBlock.tsx';

/**
 * The agreement's minimum consultation period (docs/decisions/027): a round opened with a shorter deadline warns and
 * asks the host admin for a reason. Empty days: the agreement states none.
 */
export function ConsultationPeriod({ settings }: { settings: Settings }) {
  const { t } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'consultation-period');
  const period = settings.consultationPeriod;
  return (
    <SettingsBlock id="period-heading" heading={t('settings.periodHeading')} intro={t('settings.periodIntro')} saved={['consultation-period']} intent="consultation-period">
      <div className="field">
        <label htmlFor="period-days">{t('settings.periodDays')}</label>
        <p className="hint" id="period-days-hint">
          {t('settings.periodDaysHint')}
        </p>
        <input id="period-days" name="days" type="number" inputMode="numeric" min={1} max={365} className="input input-short" defaultValue={period?.days ?? ''} disabled={!settings.canEdit} aria-describedby="period-days-hint" />
      </div>
      <div className="field">
        <label className="checkbox-label">
          <input type="checkbox" name="excludesJuly" defaultChecked={period?.excludesJuly ?? false} disabled={!settings.canEdit} /> {t('settings.periodExcludesJuly')}
        </label>
      </div>
      {settings.canEdit ? <SaveButton pending={pending} /> : null}
    </SettingsBlock>
  );
}
