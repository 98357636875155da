import { useFetcher } from '@remix-run/react';
import { STANCES, type Stance } from '@sopu/core/rules';
import { useId, useState } from 'react';
import { formatDateTime, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { DocumentPageData } from './types.ts';

type ActionData = { ok: boolean; intent?: string; errors?: { form?: { key: string }; fields?: Record<string, { key: string }> } };
const SYMBOL: Record<Stance, string> = { agree: '✓', reservations: '!', objects: '✗' };

/** My municipality's position on a section: agree, agree with reservations, or object (with the text). */
function PositionForm({ data, sectionTitle }: { data: DocumentPageData; sectionTitle: (key: string) => string }) {
  const { t } = useT();
  const id = useId();
  const fetcher = useFetcher<ActionData>({ key: 'position' });
  const [stance, setStance] = useState<Stance>('agree');
  const result = fetcher.state === 'idle' ? fetcher.data : undefined;
  const error = result && !result.ok ? t(result.errors?.fields?.text?.key ?? result.errors?.fields?.language?.key ?? result.errors?.form?.key ?? 'negotiation.failed') : null;
  // In a bilingual document a position may concern one language column (decision 026): then only that text binds it.
  const languages = data.bilingual;
  return (
    <fetcher.Form method="post" className="position-form" aria-labelledby={`${id}-heading`}>
      <h4 id={`${id}-heading`}>{t('negotiation.positionFormHeading', { municipality: municipalityName(data.me.municipality, 'fi') })}</h4>
      <input type="hidden" name="intent" value="set-position" />
      <input type="hidden" name="municipalityCode" value={data.me.municipalityCode} />
      <label htmlFor={`${id}-section`}>{t('negotiation.section')}</label>
      <select id={`${id}-section`} name="section">
        {data.negotiation.positions.sections.map((s) => (
          <option key={s.key} value={s.key}>
            {sectionTitle(s.key)}
          </option>
        ))}
      </select>
      {languages ? (
        <>
          <label htmlFor={`${id}-language`}>{t('negotiation.concernsLabel')}</label>
          <select id={`${id}-language`} name="language" aria-describedby={`${id}-language-hint`}>
            <option value="">{t('negotiation.concerns.both')}</option>
            {[languages.main, languages.parallel].map((l) => (
              <option key={l} value={l}>
                {t(`negotiation.concerns.${l}`)}
              </option>
            ))}
          </select>
          <p id={`${id}-language-hint`} className="muted">
            {t('negotiation.concernsHint')}
          </p>
        </>
      ) : null}
      <fieldset>
        <legend>{t('negotiation.stanceLegend')}</legend>
        {STANCES.map((s) => (
          <label key={s} className="radio">
            <input type="radio" name="stance" value={s} checked={stance === s} onChange={() => setStance(s)} /> {t(`negotiation.stance.${s}`)}
          </label>
        ))}
      </fieldset>
      {stance !== 'agree' ? (
        <>
          <label htmlFor={`${id}-text`}>{t(stance === 'objects' ? 'negotiation.objectionText' : 'negotiation.reservationText')}</label>
          <textarea id={`${id}-text`} name="text" rows={3} maxLength={5000} required aria-invalid={error ? true : undefined} />
        </>
      ) : null}
      <button type="submit" className="button button-small" disabled={fetcher.state !== 'idle'}>
        {t('negotiation.savePosition')}
      </button>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : result?.ok ? (
        <p role="status">{t('negotiation.positionSaved')}</p>
      ) : null}
    </fetcher.Form>
  );
}

/**
 * Where consensus stands: sections × municipalities, each cell the municipality's position on the section's text,
 * marked when it was given on an earlier text.
 */
export function PositionsMatrix({ data, sectionTitle }: { data: DocumentPageData; sectionTitle: (key: string) => string }) {
  const { t, lang } = useT();
  const { municipalities, sections } = data.negotiation.positions;
  return (
    <section className="positions" aria-labelledby="positions-heading">
      <h3 id="positions-heading">{t('negotiation.positionsHeading')}</h3>
      <p className="muted">{t('negotiation.positionsIntro')}</p>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="positions-heading">
        <table className="positions-matrix">
          <thead>
            <tr>
              <th scope="col">{t('negotiation.section')}</th>
              {municipalities.map((m) => (
                <th key={m.code} scope="col">
                  {municipalityName(m.name, lang)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sections.map((s, i) => (
              <tr key={s.key}>
                <th scope="row">
                  {i + 1}. {sectionTitle(s.key)}
                  {s.status === 'agreed' ? <span className="status-badge status-badge--agreed">{t('editor.status.agreed')}</span> : null}
                </th>
                {municipalities.map((m) => {
                  const p = s.positions.find((x) => x.municipalityCode === m.code);
                  if (!p) return <td key={m.code} className="position position--none" aria-label={t('negotiation.noPosition')} />;
                  const concerns = p.language ? `, ${t(`negotiation.concernsShort.${p.language}`)}` : '';
                  const words = `${t(`negotiation.stance.${p.stance}`)}${concerns}${p.current ? '' : ` (${t('negotiation.earlierText')})`}`;
                  return (
                    <td key={m.code} className={`position position--${p.stance}${p.current ? '' : ' position--old'}`} title={`${words}${p.text ? `: ${p.text}` : ''} · ${p.setBy?.name ?? ''} ${formatDateTime(p.setAt, lang)}`}>
                      <span aria-hidden="true">{SYMBOL[p.stance]}</span> <span className="visually-hidden">{words}</span>
                      {p.language ? <small className="position__language" aria-hidden="true"> {t(`negotiation.concernsShort.${p.language}`)}</small> : null}
                      {p.current ? null : <small className="position__old"> {t('negotiation.earlierTextShort')}</small>}
                      {p.text ? <p className="position__text">{p.text}</p> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.negotiation.canRecordPosition ? <PositionForm data={data} sectionTitle={sectionTitle} /> : null}
    </section>
  );
}
