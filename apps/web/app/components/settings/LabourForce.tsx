import { formatInteger, sourceIn } from '@sopu/core/rules';
import { useSubmitting } from '../form.tsx';
import { TableWrap } from '../table-wrap.tsx';
import { municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { type Settings, SettingsBlock, SaveButton } from './SettingsBlock.tsx';

export function LabourForce({ settings, thisYear }: { settings: Settings; thisYear: number }) {
  const { t, lang } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'labour-force');
  const th = settings.threshold;
  return (
    <SettingsBlock id="lf-heading" heading={t('settings.labourForceHeading')} intro={t('settings.labourForceIntro', { total: formatInteger(th.total, lang), threshold: formatInteger(th.threshold, lang) })} saved={['labour-force']} intent="labour-force">
      <TableWrap label={t('settings.labourForceHeading')}>
        <table className="data-table settings-table">
          <thead>
            <tr>
              <th scope="col">{t('dashboard.colName')}</th>
              <th scope="col">{t('settings.labourForce')}</th>
              <th scope="col">{t('settings.source')}</th>
              <th scope="col">{t('settings.year')}</th>
            </tr>
          </thead>
          <tbody>
            {settings.municipalities.map((m) => {
              const name = municipalityName(m.name, lang);
              return (
                <tr key={m.code}>
                  <th scope="row">
                    {name}
                    {m.labourForce.isDemo ? <span className="badge badge-demo">{t('dashboard.demoFigures')}</span> : null}
                  </th>
                  <td>
                    <input className="input input-number" name={`labourForce.${m.code}`} inputMode="numeric" aria-label={t('settings.labourForceOf', { name })} defaultValue={m.labourForce.value ?? ''} disabled={!settings.canEdit} />
                  </td>
                  <td>
                    <input className="input" name={`source.${m.code}`} maxLength={200} aria-label={t('settings.sourceOf', { name })} defaultValue={m.labourForce.source ? sourceIn(m.labourForce.source, lang) : (m.labourForce.isDemo ? '' : t('settings.defaultSource'))} disabled={!settings.canEdit} />
                  </td>
                  <td>
                    <input className="input input-year" name={`year.${m.code}`} inputMode="numeric" aria-label={t('settings.yearOf', { name })} defaultValue={m.labourForce.year ?? thisYear - 2} disabled={!settings.canEdit} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {settings.canEdit ? <SaveButton pending={pending} /> : null}
    </SettingsBlock>
  );
}
