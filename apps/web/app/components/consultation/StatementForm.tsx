import { useActionData, Form } from '@remix-run/react';
import { templateFor } from '@sopu/doc-model';
import { useState } from 'react';
import { useSubmitting, ErrorSummary, SubmitButton } from '../form.tsx';
import { formatDeadline, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { action } from '../../routes/areas.$slug.rounds.$consultationRoundId.tsx';
import type { Round } from './types.ts';

/** The statement form: one municipality's general statement, section comments, or "ei lausuttavaa". */
export function StatementForm({ round, kind, codes, ownCode }: { round: Round; kind: Parameters<typeof templateFor>[0]; codes: string[]; ownCode: string | null }) {
  const { t, lang } = useT();
  const result = useActionData<typeof action>();
  const submitting = useSubmitting((f) => f.get('intent') === 'statement');
  const mine = result && 'intent' in result && result.intent === 'statement';
  const errors = mine && 'errors' in result ? result.errors : undefined;
  const [code, setCode] = useState(codes.includes(ownCode ?? '') ? ownCode! : codes[0]!);
  const invitee = round.invitees.find((i) => i.municipality.code === code);
  const current = invitee?.statement ?? null;
  const [none, setNone] = useState(current?.noComments ?? false);
  const sections = templateFor(kind);
  const commented = new Map((current?.sections ?? []).map((s) => [s.key, s.text]));
  const onBehalf = code !== ownCode;
  return (
    // Keyed by the saved revision too: after a save the fields show what was stored ("§ 112" typed is kept as "112 §",
    // decision 027), not what was typed (uncontrolled inputs keep their first default until they are mounted anew).
    <Form method="post" className="round-form statement-form" aria-labelledby="statement-heading" key={`${code}:${current?.number ?? 0}`} noValidate>
      <h2 id="statement-heading">{current ? t('consultation.amendHeading') : t('consultation.statementHeading')}</h2>
      <p>{t('consultation.statementIntro', { deadline: formatDeadline(round.deadline, lang) })}</p>
      <ErrorSummary errors={errors} idPrefix="statement-" labels={{
          general: t('consultation.general'),
          noComments: t('consultation.noComments'),
          municipalityCode: t('consultation.municipality'),
          answers: t('consultation.answersHeading'),
          'decision.body': t('consultation.decisionBody'),
          'decision.date': t('consultation.decisionDate'),
          'decision.section': t('consultation.decisionSection'),
          'decision.url': t('consultation.decisionUrl'),
        }} />
      <input type="hidden" name="intent" value="statement" />
      {codes.length > 1 ? (
        <div className="field">
          <label htmlFor="statement-municipalityCode">{t('consultation.municipality')}</label>
          <select id="statement-municipalityCode" name="municipalityCode" className="select" value={code} onChange={(e) => setCode(e.target.value)}>
            {codes.map((c) => {
              const m = round.invitees.find((i) => i.municipality.code === c)!;
              return (
                <option key={c} value={c}>
                  {municipalityName(m.municipality.name, lang)}
                </option>
              );
            })}
          </select>
        </div>
      ) : (
        <input type="hidden" name="municipalityCode" value={code} />
      )}
      {onBehalf ? <p className="notice notice-warning">{t('consultation.onBehalfNotice', { municipality: municipalityName(invitee!.municipality.name, lang) })}</p> : null}
      <div className="field">
        <label className="checkbox-label">
          <input type="checkbox" name="noComments" id="statement-noComments" checked={none} onChange={(e) => setNone(e.target.checked)} /> {t('consultation.noComments')}
        </label>
      </div>
      <fieldset disabled={none} className="statement-fields">
        {round.questions.length > 0 ? (
          <>
            <h3>{t('consultation.answersHeading')}</h3>
            {round.questions.map((q, i) => (
              <div className="field" key={i}>
                <label htmlFor={`statement-answer-${i + 1}`}>
                  {t('consultation.questionNumber', { number: i + 1 })}: {q}
                </label>
                <textarea id={`statement-answer-${i + 1}`} name={`answer:${i + 1}`} className="textarea" rows={3} maxLength={10_000} defaultValue={current?.answers.find((a) => a.question === i + 1)?.text ?? ''} />
              </div>
            ))}
          </>
        ) : null}
        <div className={errors?.fields?.general ? 'field field-error' : 'field'}>
          <label htmlFor="statement-general">{t('consultation.general')}</label>
          {errors?.fields?.general ? (
            <p id="statement-general-error" className="error-message">
              {t('consultation.statementEmpty')}
            </p>
          ) : null}
          <textarea id="statement-general" name="general" className="textarea" rows={6} maxLength={20_000} defaultValue={current?.general ?? ''} aria-invalid={errors?.fields?.general ? true : undefined} />
        </div>
        <h3>{t('consultation.sectionComments')}</h3>
        <p className="hint">{t('consultation.sectionCommentsHint')}</p>
        {sections.map((s, i) => (
          <details key={s.key} className="section-comment" open={commented.has(s.key)}>
            <summary>
              {i + 1}. {s.title[lang]}
              {commented.has(s.key) ? <span className="badge badge--done">{t('consultation.commented')}</span> : null}
            </summary>
            <label htmlFor={`statement-section-${s.key}`} className="visually-hidden">
              {t('consultation.commentOn', { section: `${i + 1}. ${s.title[lang]}` })}
            </label>
            <textarea id={`statement-section-${s.key}`} name={`section:${s.key}`} className="textarea" rows={3} maxLength={10_000} defaultValue={commented.get(s.key) ?? ''} />
          </details>
        ))}
      </fieldset>
      <fieldset className="statement-decision" aria-describedby="statement-decision-hint">
        <legend>{t('consultation.decisionHeading')}</legend>
        <p className="hint" id="statement-decision-hint">
          {t('consultation.decisionHint')}
        </p>
        <div className={errors?.fields?.['decision.body'] ? 'field field-error' : 'field'}>
          <label htmlFor="statement-decision.body">{t('consultation.decisionBody')}</label>
          <input id="statement-decision.body" name="decisionBody" className="input" maxLength={200} list="statement-decision-bodies" defaultValue={current?.decision?.body ?? ''} />
          <datalist id="statement-decision-bodies">
            <option value={t('consultation.decisionBodyBoard')} />
            <option value={t('consultation.decisionBodyOfficial')} />
          </datalist>
        </div>
        <span className="decision-inline">
          <span className={errors?.fields?.['decision.date'] ? 'field field-error' : 'field'}>
            <label htmlFor="statement-decision.date">{t('consultation.decisionDate')}</label>
            <input id="statement-decision.date" name="decisionDate" type="date" className="input input-date" defaultValue={current?.decision?.date ?? ''} />
          </span>
          <span className={errors?.fields?.['decision.section'] ? 'field field-error' : 'field'}>
            <label htmlFor="statement-decision.section">{t('consultation.decisionSection')}</label>
            <input id="statement-decision.section" name="decisionSection" className="input input-short" maxLength={20} placeholder="45 §" defaultValue={current?.decision?.section ?? ''} />
          </span>
        </span>
        <div className={errors?.fields?.['decision.url'] ? 'field field-error' : 'field'}>
          <label htmlFor="statement-decision.url">{t('consultation.decisionUrl')}</label>
          <input id="statement-decision.url" name="decisionUrl" type="url" className="input" maxLength={2000} placeholder="https://" defaultValue={current?.decision?.url ?? ''} />
        </div>
      </fieldset>
      <SubmitButton pending={submitting} pendingLabel={t('consultation.submitting')}>
        {current ? t('consultation.amend') : t('consultation.submit')}
      </SubmitButton>
    </Form>
  );
}
