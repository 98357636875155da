import { Link } from '@remix-run/react';
import { formatDateTime, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { Downloads } from '../exports/Downloads.tsx';
import { TableWrap } from '../table-wrap.tsx';
import { DecisionCell } from './DecisionCell.tsx';
import { short, type Overview } from './types.ts';

/** The councils × the requests sent: each council's step on each version, stale where the text has changed since. */
export function ApprovalMatrix({ overview, docBase }: { overview: Overview; docBase: string }) {
  const { t, lang } = useT();
  const file = (format: 'csv' | 'pdf') => `/api/v1/areas/${encodeURIComponent(overview.areaSlug)}/approvals?format=${format}&document=${encodeURIComponent(overview.documentId)}`;
  return (
    <>
      <h2>{t('approvals.matrixHeading')}</h2>
      {overview.requests.length > 0 ? (
        <Downloads
          variant="links"
          label={t('exports.matrixFile')}
          items={[
            { href: file('pdf'), label: 'PDF', fileKind: 'PDF', accessibleName: t('exports.asPdf', { what: t('approvals.matrixHeading') }), testId: 'matrix-pdf' },
            { href: file('csv'), label: t('exports.csv'), fileKind: 'CSV', accessibleName: t('exports.asCsv', { what: t('approvals.matrixHeading') }), testId: 'matrix-csv' },
          ]}
        />
      ) : null}
      {overview.requests.length === 0 ? (
        <p>{t('approvals.nothingSent')}</p>
      ) : (
        <TableWrap label={t('approvals.matrixCaption')}>
          <table className="data-table approval-matrix">
            <caption className="visually-hidden">{t('approvals.matrixCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('approvals.municipality')}</th>
                {overview.requests.map((r) => (
                  <th scope="col" key={r.id} className={r.status === 'superseded' ? 'approval-matrix__old' : undefined}>
                    <Link to={`${docBase}/versions/${r.version}`}>{t('approvals.versionColumn', { version: r.version })}</Link>
                    <span className="approval-matrix__meta">
                      <code title={r.hash}>{short(r.hash)}</code> · {t(`approvals.request.${r.status}`)} · {formatDateTime(r.sentAt, lang)}
                    </span>
                    {!r.coversCurrentText ? (
                      <Link to={`${docBase}/compare?from=${r.version}&to=current`} className="approval-matrix__stale">
                        {t('approvals.olderTextColumn')}
                      </Link>
                    ) : null}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {overview.municipalities.map((m, row) => (
                <tr key={m.code}>
                  <th scope="row">
                    {municipalityName(m.name, lang)}
                    {m.isHost ? <span className="muted"> ({t('approvals.host')})</span> : null}
                  </th>
                  {overview.requests.map((r) => (
                    <DecisionCell key={r.id} decision={r.decisions[row]!} requestId={r.id} open={r.status !== 'superseded'} diffHref={`${docBase}/compare?from=${r.version}&to=current`} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}
