import { templateFor } from '@sopu/doc-model';
import { formatDateTime, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { InviteeStatus } from './round.tsx';
import { StatementText } from './StatementText.tsx';
import { AttachmentList, AttachmentUpload } from './Attachments.tsx';
import type { Round } from './types.ts';

/**
 * The invited municipalities with their statements as far as the caller may see them (while the round is open, a
 * member sees only their own), the host's responses once published, and earlier revisions folded away.
 */
export function StatementList({ round, kind, ownCode, manager, userId }: { round: Round; kind: Parameters<typeof templateFor>[0]; ownCode: string | null; manager: boolean; userId: string }) {
  const { t, lang } = useT();
  return (
    <section aria-labelledby="invitees-heading">
      <h2 id="invitees-heading">{round.state === 'open' && !manager ? t('consultation.ownStatementHeading') : t('consultation.statementsHeading')}</h2>
      {round.state === 'open' && !manager ? <p className="hint">{t('consultation.othersHidden')}</p> : null}
      <ul className="invitee-list">
        {round.invitees
          .filter((i) => manager || round.state !== 'open' || i.municipality.code === ownCode)
          .map((i) => (
            <li key={i.municipality.code} className="invitee" data-municipality={i.municipality.code}>
              <h3>
                {municipalityName(i.municipality.name, lang)} <InviteeStatus status={i.status} />
                {i.answeredAt ? <span className="muted invitee__when"> {formatDateTime(i.answeredAt, lang)}</span> : null}
              </h3>
              {i.statement ? <StatementText statement={i.statement} kind={kind} questions={round.questions} /> : i.status === 'invited' ? <p className="muted">{t('consultation.notYet')}</p> : null}
              {/* A file is removed by whoever uploaded it, while the municipality may still change its statement. */}
              <AttachmentList items={i.attachments} label={t('consultation.attachment.statementFiles')} canRemove={(a) => round.actions.submitFor.includes(i.municipality.code) && a.uploadedBy?.id === userId} />
              {round.actions.submitFor.includes(i.municipality.code) ? (
                <AttachmentUpload action={`/api/v1/statements/${encodeURIComponent(i.statementId)}/attachments`} label={t('consultation.attachment.toStatement')} />
              ) : null}
              {i.responses.length > 0 && round.state === 'summary_published' ? (
                <ul className="invitee__responses">
                  {i.responses.map((r) => (
                    <li key={r.question ? `q${r.question}` : (r.section ?? '_')}>
                      {r.question ? `${t('consultation.questionNumber', { number: r.question })}: ` : ''}
                      <strong>{t(`consultation.response.${r.status}`)}</strong>
                      {r.reason ? `: ${r.reason}` : ''}
                    </li>
                  ))}
                </ul>
              ) : null}
              {i.revisions.length > 1 ? (
                <details className="invitee__revisions">
                  <summary>{t('consultation.revisions', { count: i.revisions.length })}</summary>
                  <ol>
                    {i.revisions.map((r) => (
                      <li key={r.number}>
                        <StatementText statement={r} kind={kind} questions={round.questions} />
                      </li>
                    ))}
                  </ol>
                </details>
              ) : null}
            </li>
          ))}
      </ul>
    </section>
  );
}
