import { Link } from '@remix-run/react';
import { COST_SHARE_KEYS, formatEuros, formatInteger, formatPercent } from '@sopu/core/rules';
import { useState } from 'react';
import { useSubmitting, SubmitButton } from '../form.tsx';
import { TableWrap } from '../table-wrap.tsx';
import { municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { type Settings, useResult, SettingsBlock } from './SettingsBlock.tsx';

export function CostShares({ settings, thisYear }: { settings: Settings; thisYear: number }) {
  const { t, lang } = useT();
  const { result } = useResult(['cost-shares', 'cost-shares-insert']);
  const previewing = useSubmitting((f) => f.get('intent') === 'cost-shares');
  const inserting = useSubmitting((f) => f.get('intent') === 'cost-shares-insert');
  const [key, setKey] = useState<string>(settings.costShares[0]?.key ?? 'labour_force');
  const shares = result && 'shares' in result ? result.shares : null;
  if (!settings.canEdit) return null;
  return (
    <SettingsBlock id="costs-heading" heading={t('settings.costsHeading')} intro={t('settings.costsIntro')} saved={['cost-shares', 'cost-shares-insert']}>
      <div className="field-row">
        <div className="field">
          <label htmlFor="costs-year">{t('settings.year')}</label>
          <input id="costs-year" name="year" className="input input-year" inputMode="numeric" defaultValue={settings.costShares[0]?.year ?? thisYear + 1} />
        </div>
        <div className="field">
          <label htmlFor="costs-net">{t('settings.netCosts')}</label>
          <input id="costs-net" name="netCosts" className="input input-money" inputMode="decimal" placeholder="1 250 000,00" defaultValue={settings.costShares[0] ? (settings.costShares[0].netCostsCents / 100).toFixed(2).replace('.', ',') : ''} />
        </div>
      </div>
      <fieldset className="plain-fieldset">
        <legend>{t('settings.costKey')}</legend>
        <ul className="checkbox-list checkbox-list--wide">
          {COST_SHARE_KEYS.map((k) => (
            <li key={k}>
              <label>
                <input type="radio" name="key" value={k} checked={key === k} onChange={() => setKey(k)} /> {t(`settings.keys.${k}`)}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {key !== 'labour_force' ? (
        <TableWrap label={t(`settings.keys.${key}`)}>
          <table className="data-table settings-table">
            <tbody>
              {settings.municipalities.map((m) => {
                const name = municipalityName(m.name, lang);
                const saved = settings.costShares[0]?.key === key ? settings.costShares[0].figures.find((f) => f.code === m.code)?.value : undefined;
                return (
                  <tr key={m.code}>
                    <th scope="row">{name}</th>
                    <td>
                      <input className="input input-number" name={`figure.${m.code}`} inputMode="decimal" aria-label={t(key === 'job_seekers' ? 'settings.jobSeekersOf' : 'settings.weightOf', { name })} defaultValue={saved ?? ''} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <span className="form-actions">
        <SubmitButton name="intent" value="cost-shares" variant="secondary" pending={previewing} pendingLabel={t('settings.calculating')}>
          {t('settings.calculate')}
        </SubmitButton>
        <SubmitButton name="intent" value="cost-shares-insert" pending={inserting} pendingLabel={t('settings.inserting')}>
          {t('settings.insertCosts')}
        </SubmitButton>
      </span>
      {shares ? (
        <TableWrap label={t('settings.costsHeading')}>
          <table className="data-table" data-testid="cost-shares">
            <caption>{t('settings.costsCaption', { year: shares.year, total: formatEuros(shares.netCostsCents, lang) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.colName')}</th>
                <th scope="col" className="numeric">
                  {t(`settings.keys.${shares.key}`)}
                </th>
                <th scope="col" className="numeric">
                  {t('settings.share')}
                </th>
                <th scope="col" className="numeric">
                  {t('settings.euros')}
                </th>
              </tr>
            </thead>
            <tbody>
              {shares.rows.map((r) => (
                <tr key={r.code}>
                  <th scope="row">{municipalityName(r.name, lang)}</th>
                  <td className="numeric">{formatInteger(r.value, lang)}</td>
                  <td className="numeric">{formatPercent(r.percentHundredths, lang)}</td>
                  <td className="numeric">{formatEuros(r.cents, lang)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('settings.total')}</th>
                <td className="numeric">{formatInteger(shares.totalValue, lang)}</td>
                <td className="numeric">{formatPercent(10_000, lang)}</td>
                <td className="numeric">{formatEuros(shares.totalCents, lang)}</td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
      ) : null}
      {shares?.inserted ? (
        <p>
          <Link to={`/areas/${settings.slug}/documents/${shares.inserted.documentId}#section-${shares.inserted.section}`}>{t('settings.openSection')}</Link>
        </p>
      ) : null}
    </SettingsBlock>
  );
}
