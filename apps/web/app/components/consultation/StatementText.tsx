import { templateFor } from '@sopu/doc-model';
import { formatDateTime, formatDay, isolate } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { Statement } from './types.ts';

export function useSectionTitles(kind: Parameters<typeof templateFor>[0]) {
  const { lang } = useT();
  return new Map(templateFor(kind).map((s, i) => [s.key, `${i + 1}. ${s.title[lang]}`]));
}

/** A statement as submitted: general text, section comments, or "no comments"; who submitted it and when. */
export function StatementText({ statement, kind, questions = [] }: { statement: Statement; kind: Parameters<typeof templateFor>[0]; questions?: string[] }) {
  const { t, lang } = useT();
  const titles = useSectionTitles(kind);
  return (
    <div className="statement">
      {statement.noComments ? <p className="statement__none">{t('consultation.noCommentsText')}</p> : null}
      {statement.answers.length > 0 ? (
        <dl className="statement__answers">
          {statement.answers.map((a) => (
            <div key={a.question}>
              <dt>
                {t('consultation.questionNumber', { number: a.question })}
                {questions[a.question - 1] ? `: ${questions[a.question - 1]}` : ''}
              </dt>
              <dd>{a.text}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {statement.general ? <p className="statement__general">{statement.general}</p> : null}
      {statement.sections.length > 0 ? (
        <dl className="statement__sections">
          {statement.sections.map((s) => (
            <div key={s.key}>
              <dt>{titles.get(s.key) ?? s.key}</dt>
              <dd>{s.text}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {statement.decision ? (
        <p className="statement__decision">
          {t('consultation.decidedBy', { body: statement.decision.body, date: formatDay(statement.decision.date, lang), section: statement.decision.section })}
          {statement.decision.url ? (
            <>
              {' '}
              <a href={statement.decision.url} rel="noopener noreferrer external" target="_blank">
                {t('consultation.minutesLink')}
              </a>
            </>
          ) : null}
        </p>
      ) : null}
      <p className="muted statement__meta">
        {t(statement.onBehalf ? 'consultation.submittedOnBehalf' : 'consultation.submittedBy', { who: isolate(statement.submittedBy?.name ?? '–'), when: formatDateTime(statement.submittedAt, lang) })}
        {statement.number > 1 ? ` · ${t('consultation.revision', { number: statement.number })}` : ''}
      </p>
    </div>
  );
}
