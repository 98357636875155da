import { MILESTONE_KINDS } from '@sopu/core/rules';
import { useState } from 'react';
import { useSubmitting } from '../form.tsx';
import { TableWrap } from '../table-wrap.tsx';
import { municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { type Settings, SettingsBlock, SaveButton } from './SettingsBlock.tsx';

export function Milestones({ settings }: { settings: Settings }) {
  const { t, lang } = useT();
  const pending = useSubmitting((f) => f.get('intent') === 'milestones');
  const [items, setItems] = useState(() => [...settings.milestones.map((m) => ({ ...m, municipalityCode: m.municipality?.code ?? '' })), { id: '', kind: 'council_meeting', label: { fi: '', sv: '' }, date: '', municipalityCode: '', daysLeft: 0, municipality: null }]);
  return (
    <SettingsBlock id="milestones-heading" heading={t('settings.milestonesHeading')} intro={t('settings.milestonesIntro')} saved={['milestones']} intent="milestones">
      <TableWrap label={t('settings.milestonesHeading')}>
        <table className="data-table settings-table">
          <thead>
            <tr>
              <th scope="col">{t('settings.date')}</th>
              <th scope="col">{t('settings.kind')}</th>
              <th scope="col">{t('settings.labelFi')}</th>
              <th scope="col">{t('settings.labelSv')}</th>
              <th scope="col">{t('settings.municipality')}</th>
              {settings.canEdit ? <th scope="col">{t('settings.remove')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((m, i) => (
              <tr key={m.id || `new-${i}`}>
                <td>
                  <input type="hidden" name={`m.${i}.id`} value={m.id} />
                  <input type="date" className="input input-date" name={`m.${i}.date`} aria-label={t('settings.rowDate', { row: i + 1 })} defaultValue={m.date} disabled={!settings.canEdit} />
                </td>
                <td>
                  <select className="select select-compact" name={`m.${i}.kind`} aria-label={t('settings.rowKind', { row: i + 1 })} defaultValue={m.kind} disabled={!settings.canEdit}>
                    {MILESTONE_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`settings.milestoneKinds.${k}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input className="input" name={`m.${i}.fi`} maxLength={200} aria-label={t('settings.rowLabelFi', { row: i + 1 })} defaultValue={m.label.fi} disabled={!settings.canEdit} />
                </td>
                <td>
                  <input className="input" name={`m.${i}.sv`} maxLength={200} aria-label={t('settings.rowLabelSv', { row: i + 1 })} defaultValue={m.label.sv} disabled={!settings.canEdit} />
                </td>
                <td>
                  <select className="select select-compact" name={`m.${i}.municipality`} aria-label={t('settings.rowMunicipality', { row: i + 1 })} defaultValue={m.municipalityCode} disabled={!settings.canEdit}>
                    <option value="">{t('settings.wholeArea')}</option>
                    {settings.municipalities.map((x) => (
                      <option key={x.code} value={x.code}>
                        {municipalityName(x.name, lang)}
                      </option>
                    ))}
                  </select>
                </td>
                {settings.canEdit ? (
                  <td>
                    <button type="button" className="link-button" onClick={() => setItems(items.filter((_, j) => j !== i))} aria-label={t('settings.removeRow', { row: i + 1 })}>
                      {t('settings.remove')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {settings.canEdit ? (
        <span className="form-actions">
          <button type="button" className="button button-secondary" onClick={() => setItems([...items, { id: '', kind: 'other', label: { fi: '', sv: '' }, date: '', municipalityCode: '', daysLeft: 0, municipality: null }])}>
            {t('settings.addRow')}
          </button>
          <SaveButton pending={pending} />
        </span>
      ) : null}
    </SettingsBlock>
  );
}
