import { useActionData, Form } from '@remix-run/react';
import { templateFor } from '@sopu/doc-model';
import { useSubmitting, ErrorSummary, SubmitButton } from '../form.tsx';
import { TableWrap } from '../table-wrap.tsx';
import { municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { action } from '../../routes/areas.$slug.rounds.$consultationRoundId.tsx';
import { useSectionTitles } from './StatementText.tsx';
import type { Round, Invitee } from './types.ts';

const RESPONSE_STATUSES = ['taken_into_account', 'partly', 'not_taken_into_account'] as const;

/** The host's answers: one row per general statement and per section comment, with a status and a reason. */
export function ResponsesForm({ round, kind }: { round: Round; kind: Parameters<typeof templateFor>[0] }) {
  const { t, lang } = useT();
  const titles = useSectionTitles(kind);
  const result = useActionData<typeof action>();
  const submitting = useSubmitting((f) => f.get('intent') === 'respond');
  const mine = result && 'intent' in result && result.intent === 'respond';
  const errors = mine && 'errors' in result ? result.errors : undefined;
  const items = round.invitees.flatMap((i) => {
    const s = i.statement;
    if (!s || s.noComments) return [];
    const rows: Array<{ invitee: Invitee; section: string | null; text: string; question?: number }> = [];
    if (s.general) rows.push({ invitee: i, section: null, text: s.general });
    for (const a of s.answers) rows.push({ invitee: i, section: `q${a.question}`, text: a.text, question: a.question });
    for (const c of s.sections) rows.push({ invitee: i, section: c.key, text: c.text });
    return rows;
  });
  if (items.length === 0) return <p>{t('consultation.nothingToAnswer')}</p>;
  return (
    <Form method="post" className="responses-form" aria-labelledby="responses-heading">
      <h2 id="responses-heading">{t('consultation.responsesHeading')}</h2>
      <p>{t('consultation.responsesIntro')}</p>
      <ErrorSummary errors={errors} idPrefix="response-" labels={{ responses: t('consultation.responsesHeading') }} />
      <input type="hidden" name="intent" value="respond" />
      <TableWrap label={t('consultation.responsesHeading')}>
        <table className="data-table responses-table">
          <thead>
            <tr>
              <th scope="col">{t('consultation.colMunicipality')}</th>
              <th scope="col">{t('consultation.colStatement')}</th>
              <th scope="col">{t('consultation.colResponse')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map(({ invitee, section, text: statement, question }) => {
              const id = `${invitee.municipality.code}-${section ?? 'general'}`;
              const existing = invitee.responses.find((r) => (question ? r.question === question : r.question === null && r.section === section));
              const name = municipalityName(invitee.municipality.name, lang);
              const what = question ? t('consultation.questionNumber', { number: question }) : section ? titles.get(section) ?? section : t('consultation.generalShort');
              return (
                <tr key={id} data-item={id}>
                  <th scope="row">
                    {name}
                    <span className="muted responses-table__what">{what}</span>
                  </th>
                  <td className="responses-table__statement">{statement}</td>
                  <td>
                    <label htmlFor={`status-${id}`} className="visually-hidden">
                      {t('consultation.responseFor', { municipality: name, what })}
                    </label>
                    <select id={`status-${id}`} name={`status:${invitee.municipality.code}:${section ?? ''}`} className="select" defaultValue={existing?.status ?? ''}>
                      <option value="">{t('consultation.notAnswered')}</option>
                      {RESPONSE_STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {t(`consultation.response.${s}`)}
                        </option>
                      ))}
                    </select>
                    <label htmlFor={`reason-${id}`} className="visually-hidden">
                      {t('consultation.reasonFor', { municipality: name, what })}
                    </label>
                    <textarea id={`reason-${id}`} name={`reason:${invitee.municipality.code}:${section ?? ''}`} className="textarea" rows={2} maxLength={5000} defaultValue={existing?.reason ?? ''} placeholder={t('consultation.reasonPlaceholder')} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      <SubmitButton pending={submitting} pendingLabel={t('consultation.saving')}>
        {t('consultation.saveResponses')}
      </SubmitButton>
    </Form>
  );
}
