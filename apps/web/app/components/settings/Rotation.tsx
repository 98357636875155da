import { Link } from '@remix-run/react';
import { ROTATION_MIN_YEARS, ROTATION_MAX_YEARS } from '@sopu/core/rules';
import { useSubmitting, SubmitButton } from '../form.tsx';
import { TableWrap } from '../table-wrap.tsx';
import { municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { type Settings, useResult, SettingsBlock } from './SettingsBlock.tsx';

export function Rotation({ settings, thisYear }: { settings: Settings; thisYear: number }) {
  const { t, lang } = useT();
  const { result } = useResult(['rotation', 'rotation-insert']);
  const previewing = useSubmitting((f) => f.get('intent') === 'rotation');
  const inserting = useSubmitting((f) => f.get('intent') === 'rotation-insert');
  const rotation = result && 'rotation' in result ? result.rotation : null;
  if (!settings.canEdit) return null;
  return (
    <SettingsBlock id="rotation-heading" heading={t('settings.rotationHeading')} intro={t('settings.rotationIntro')} saved={['rotation', 'rotation-insert']}>
      <div className="field-row">
        <div className="field">
          <label htmlFor="rotation-start">{t('settings.startYear')}</label>
          <input id="rotation-start" name="startYear" className="input input-year" inputMode="numeric" defaultValue={thisYear + 1} />
        </div>
        <div className="field">
          <label htmlFor="rotation-years">{t('settings.years')}</label>
          <input id="rotation-years" name="years" type="number" min={ROTATION_MIN_YEARS} max={ROTATION_MAX_YEARS} className="input input-year" defaultValue={4} />
        </div>
      </div>
      <span className="form-actions">
        <SubmitButton name="intent" value="rotation" variant="secondary" pending={previewing} pendingLabel={t('settings.calculating')}>
          {t('settings.preview')}
        </SubmitButton>
        <SubmitButton name="intent" value="rotation-insert" pending={inserting} pendingLabel={t('settings.inserting')}>
          {t('settings.insertRotation')}
        </SubmitButton>
      </span>
      {rotation ? (
        <TableWrap label={t('settings.rotationHeading')}>
          <table className="data-table" data-testid="rotation">
            <thead>
              <tr>
                <th scope="col">{t('settings.year')}</th>
                <th scope="col">{t('settings.chairRole')}</th>
                <th scope="col">{t('settings.viceChairRole')}</th>
                <th scope="col">{t('settings.secretaryRole')}</th>
              </tr>
            </thead>
            <tbody>
              {rotation.rows.map((r) => (
                <tr key={r.year}>
                  <th scope="row">{r.year}</th>
                  <td>{municipalityName(r.chair.name, lang)}</td>
                  <td>{municipalityName(r.viceChair.name, lang)}</td>
                  <td>{municipalityName(r.secretary.name, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {rotation?.inserted ? (
        <p>
          <Link to={`/areas/${settings.slug}/documents/${rotation.inserted.documentId}#section-${rotation.inserted.section}`}>{t('settings.openSection')}</Link>
        </p>
      ) : null}
    </SettingsBlock>
  );
}
