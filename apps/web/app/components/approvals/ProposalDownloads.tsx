import { municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { documentFileItems, Downloads } from '../exports/Downloads.tsx';
import type { Overview } from './types.ts';

/**
 * What a council's secretary puts on the agenda for the version out for approval: the council's decision proposal
 * (päätösehdotus / beslutsförslag, DOCX in the council's language) and its appendix, the agreement's file. Shown to
 * whoever may take a proposal: each council's secretary their own, the host admin every council's.
 */
export function ProposalDownloads({ overview }: { overview: Overview }) {
  const { t, lang } = useT();
  const request = overview.requests[0] && overview.requests[0].status !== 'superseded' ? overview.requests[0] : null;
  const councils = request ? request.decisions.filter((d) => d.mayTakeProposal) : [];
  if (!request || councils.length === 0) return null;
  return (
    <section className="proposals" aria-labelledby="proposals-heading">
      <h2 id="proposals-heading">{t('exports.proposalsHeading', { version: request.version })}</h2>
      <p>{t('exports.proposalsIntro')}</p>
      <ul className="proposals__list">
        {councils.map((d) => {
          const name = municipalityName(d.municipalityName, lang);
          return (
            <li key={d.municipalityCode} data-municipality={d.municipalityCode}>
              <Downloads
                variant="links"
                label={name}
                items={[
                  {
                    href: `/api/v1/approval-requests/${encodeURIComponent(request.id)}/proposals/${encodeURIComponent(d.municipalityCode)}?format=docx`,
                    label: t('exports.proposalDocx'),
                    fileKind: 'Word',
                    accessibleName: t('exports.proposalFor', { municipality: name }),
                    testId: `proposal-${d.municipalityCode}`,
                  },
                ]}
              />
            </li>
          );
        })}
      </ul>
      <Downloads label={t('exports.appendix', { version: request.version })} items={documentFileItems(overview.documentId, request.version, t)} />
    </section>
  );
}
