import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { getConsultationSummary, openDocument, type RouteHandle } from '@sopu/core';
import { useDocumentName } from '../components/document-name.tsx';
import { Downloads } from '../components/exports/Downloads.tsx';
import { AttachmentList } from '../components/consultation/Attachments.tsx';
import { Main } from '../components/main.tsx';
import { orHttpError } from '../errors.server.ts';
import { formatDateTime, formatDeadline, municipalityName, isolate, formatDay } from '../format.ts';
import { useT } from '../hooks.ts';
import { pageTitle } from '../meta.ts';
import { requireActor } from '../session.server.ts';

/** Who may call this route (docs/decisions/013-route-access-matrix.md): members read it once published; the host admin always. */
export const handle = { access: { area: 'area.read' } } satisfies RouteHandle;

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, (t) => [t('consultation.summaryTitle'), data?.summary.round.title]);

export async function loader(args: LoaderFunctionArgs) {
  const actor = await requireActor(args);
  const { deps } = args.context;
  const summary = await orHttpError(args.request, getConsultationSummary(deps, actor, args.params.consultationRoundId ?? ''));
  const opened = await orHttpError(args.request, openDocument(deps.db, actor, args.params.slug ?? '', summary.round.documentId));
  return { slug: opened.area.slug, summary, kind: opened.document.kind };
}

/** The summary of statements and the host's answers, as a ministry prints one: a table, municipality by municipality. */
export default function Summary() {
  const { slug, summary, kind } = useLoaderData<typeof loader>();
  const documentName = useDocumentName();
  const { t, lang } = useT();
  const [params] = useSearchParams();
  const round = summary.round;
  const c = summary.counts;
  // The answers are shown by question above; the table has the general statements, section comments and the rest.
  const others = summary.rows.filter((row) => row.kind !== 'answer');
  return (
    <Main wide>
      <p className="breadcrumb no-print">
        <Link to={`/areas/${slug}/rounds/${round.id}`}>← {round.title}</Link>
      </p>
      {params.get('published') ? (
        <p className="notice notice-success no-print" role="status">
          {t('consultation.publishedNotice')}
        </p>
      ) : null}
      <h1>{t('consultation.summaryTitle')}</h1>
      <p className="summary-subtitle">
        {documentName(kind, summary.documentTitle)}: {round.title}
      </p>
      <dl className="summary-list">
        <div>
          <dt>{t('consultation.consultedVersion')}</dt>
          <dd>
            {t('versions.option', { number: round.version.number, label: round.version.label })} <code>{round.version.hash.slice(0, 8)}…</code>
          </dd>
        </div>
        <div>
          <dt>{t('consultation.deadline')}</dt>
          <dd>{formatDeadline(round.deadline, lang)}</dd>
        </div>
        <div>
          <dt>{t('consultation.summaryState')}</dt>
          <dd>{summary.published && summary.publishedAt !== null ? t('consultation.publishedBy', { who: isolate(summary.publishedBy?.name ?? '–'), when: formatDateTime(summary.publishedAt, lang) }) : t('consultation.notPublished')}</dd>
        </div>
      </dl>
      <p data-testid="summary-counts">{t('consultation.counts', { invited: c.invited, answered: c.answered, noComments: c.noComments, noAnswer: c.noAnswer, taken: c.taken_into_account, partly: c.partly, not: c.not_taken_into_account })}</p>
      {summary.rows.length > 0
        ? summary.byQuestion.map((q) => (
            <section key={q.number} aria-labelledby={`question-${q.number}`} className="summary-question">
              <h2 id={`question-${q.number}`}>
                {t('consultation.questionNumber', { number: q.number })}: {q.question}
              </h2>
              {q.answers.length === 0 ? (
                <p className="muted">{t('consultation.noAnswersToQuestion')}</p>
              ) : (
                <table className="data-table summary-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('consultation.colMunicipality')}</th>
                      <th scope="col">{t('consultation.colAnswer')}</th>
                      <th scope="col">{t('consultation.colResponse')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.answers.map((a) => (
                      <tr key={a.municipality.code} className="summary-row summary-row--answer">
                        <th scope="row">{municipalityName(a.municipality.name, lang)}</th>
                        <td className="summary-table__statement">{a.text}</td>
                        <td>
                          {a.response ? (
                            <>
                              <strong>{t(`consultation.response.${a.response.status}`)}</strong>
                              {a.response.reason ? <p className="summary-table__reason">{a.response.reason}</p> : null}
                            </>
                          ) : (
                            <span className="muted">{t('consultation.notAnswered')}</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          ))
        : summary.questions.length > 0 ? (
            <>
              <h2>{t('consultation.questions')}</h2>
              <ol>
                {summary.questions.map((q, i) => (
                  <li key={i}>{q}</li>
                ))}
              </ol>
            </>
          ) : null}
      {others.length > 0 ? <h2>{t('consultation.statementsAndResponses')}</h2> : null}
      {summary.rows.length === 0 ? (
        <p className="notice notice-info">{t('consultation.summaryNotYet')}</p>
      ) : others.length === 0 ? null : (
        <table className="data-table summary-table">
          <caption>{t('consultation.summaryCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('consultation.colMunicipality')}</th>
              <th scope="col">{t('consultation.colSection')}</th>
              <th scope="col">{t('consultation.colStatement')}</th>
              <th scope="col">{t('consultation.colResponse')}</th>
            </tr>
          </thead>
          <tbody>
            {others.map((row, i) => (
              <tr key={i} className={`summary-row summary-row--${row.kind}`}>
                <th scope="row">{municipalityName(row.municipality.name, lang)}</th>
                <td>{row.section ? row.section.title[lang] : row.kind === 'general' ? t('consultation.generalShort') : ''}</td>
                <td className="summary-table__statement">{row.kind === 'no_comments' ? t('consultation.noCommentsText') : row.kind === 'no_answer' ? t('consultation.noAnswerText') : row.kind === 'awaiting' ? t('consultation.notYet') : row.statement}</td>
                <td>
                  {row.response ? (
                    <>
                      <strong>{t(`consultation.response.${row.response.status}`)}</strong>
                      {row.response.reason ? <p className="summary-table__reason">{row.response.reason}</p> : null}
                    </>
                  ) : row.kind === 'general' || row.kind === 'section' ? (
                    <span className="muted">{t('consultation.notAnswered')}</span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {summary.statements.length > 0 ? (
        <section aria-labelledby="decisions-heading">
          <h2 id="decisions-heading">{t('consultation.decisionsHeading')}</h2>
          <ul className="summary-decisions">
            {summary.statements.map((s) => (
              <li key={s.municipality.code}>
                <strong>{municipalityName(s.municipality.name, lang)}:</strong>{' '}
                {s.decision ? t('consultation.decidedBy', { body: s.decision.body, date: formatDay(s.decision.date, lang), section: s.decision.section }) : <span className="muted">{t('consultation.noDecision')}</span>}
                {s.decision?.url ? (
                  <>
                    {' '}
                    <a href={s.decision.url} rel="noopener noreferrer external" target="_blank">
                      {t('consultation.minutesLink')}
                    </a>
                  </>
                ) : null}
                <AttachmentList items={s.attachments} label={t('consultation.attachment.statementFiles')} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="no-print summary-actions">
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          {t('consultation.print')}
        </button>
        <Downloads
          label={t('exports.summaryFile')}
          items={[{ href: `/api/v1/rounds/${encodeURIComponent(round.id)}/summary?format=pdf`, label: 'PDF', accessibleName: t('exports.asPdf', { what: t('consultation.summaryTitle') }), testId: 'summary-pdf' }]}
        />
      </div>
    </Main>
  );
}
