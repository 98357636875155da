import type { FormErrors } from '../../form-errors.ts';
import { municipalityName } from '../../format.ts';
import { Form } from '@remix-run/react';
import { useState, type ReactNode } from 'react';
import { parseDeadline, shortPeriod, type MinimumPeriod } from '@sopu/core/rules';
import { ErrorSummary, Field, SelectField, TextAreaField } from '../form.tsx';
import { useT } from '../../hooks.ts';

const STATE_CLASS: Record<string, string> = { draft: 'badge', open: 'badge badge--new', closed: 'badge badge--warning', summary_published: 'badge badge--done' };

/** A round's state as a badge: draft, open for statements, closed, summary published. */
export function RoundState({ state }: { state: string }) {
  const { t } = useT();
  return <span className={STATE_CLASS[state] ?? 'badge'}>{t(`consultation.state.${state}`, { defaultValue: state })}</span>;
}

/** Days to a deadline in Helsinki calendar days: "14 päivää jäljellä", "viimeinen päivä", "päättynyt". */
export function DaysLeft({ days, passed }: { days: number; passed: boolean }) {
  const { t } = useT();
  if (passed) return <span className="days-left days-left--passed">{t('consultation.deadlinePassed')}</span>;
  if (days <= 0) return <span className="days-left days-left--today">{t('consultation.lastDay')}</span>;
  return <span className={days <= 3 ? 'days-left days-left--soon' : 'days-left'}>{t('consultation.daysLeft', { count: days })}</span>;
}

const INVITEE_CLASS: Record<string, string> = { invited: 'invitee-status invitee-status--waiting', answered: 'invitee-status invitee-status--answered', no_answer: 'invitee-status invitee-status--none' };

/** An invited municipality's status in a round. */
export function InviteeStatus({ status }: { status: string | null }) {
  const { t } = useT();
  if (status === null) return <span className="muted">–</span>;
  return <span className={INVITEE_CLASS[status] ?? 'invitee-status'}>{t(`consultation.invitee.${status}`, { defaultValue: status })}</span>;
}

export interface RoundFieldValues {
  version: string;
  title: string;
  questions: string;
  deadlineDate: string;
  deadlineTime: string;
  invited: string[];
  coverLetter: string;
  shortPeriodReason?: string;
}

/**
 * The fields of a round being prepared (opened at once, or kept as a draft): the version, title, questions,
 * deadline in Finnish time, invited municipalities and cover letter. Used by the form that opens a round and by a
 * draft's edit form.
 */
export function RoundFields({
  versions,
  members,
  hostName,
  values,
  errors,
  minimumPeriod = null,
  now = 0,
}: {
  versions: Array<{ number: number; label: string }>;
  members: Array<{ code: string; name: { fi: string; sv: string } }>;
  hostName: { fi: string; sv: string } | null;
  values: RoundFieldValues;
  errors: FormErrors | undefined;
  /** The agreement's minimum consultation period (the area's setting): a shorter deadline warns and asks why. */
  minimumPeriod?: MinimumPeriod | null;
  /** The server's clock when the page was made (ms), for counting the days. */
  now?: number;
}) {
  const { t, lang } = useT();
  const [deadlineDate, setDeadlineDate] = useState(values.deadlineDate);
  const [deadlineTime, setDeadlineTime] = useState(values.deadlineTime || '16:00');
  const parsed = deadlineDate ? parseDeadline(`${deadlineDate}T${deadlineTime || '16:00'}`) : null;
  const short = parsed?.ok ? shortPeriod(minimumPeriod, now, parsed.ms) : null;
  const showReason = short !== null || Boolean(errors?.fields?.shortPeriodReason);
  const message = (m: { key: string; values?: Record<string, string | number> } | undefined) => (m ? t(m.key, m.values ?? {}) : null);
  return (
    <>
      <SelectField name="version" id="round-version" label={t('consultation.version')} hint={t('consultation.versionHint')} error={errors?.fields?.version} defaultValue={values.version}>
        {versions.map((v) => (
          <option key={v.number} value={v.number}>
            {t('versions.option', { number: v.number, label: v.label })}
          </option>
        ))}
      </SelectField>
      <Field name="title" id="round-title" label={t('consultation.roundTitle')} error={errors?.fields?.title} maxLength={200} defaultValue={values.title} required />
      <TextAreaField name="questions" id="round-questions" label={t('consultation.questions')} hint={t('consultation.questionsHint')} error={errors?.fields?.questions} rows={4} defaultValue={values.questions} />
      <div className={errors?.fields?.deadline ? 'field field-error' : 'field'}>
        <fieldset className="deadline-fieldset" aria-describedby="round-deadline-hint">
          <legend>{t('consultation.deadline')}</legend>
          <p id="round-deadline-hint" className="hint">
            {t('consultation.deadlineHint')}
          </p>
          {errors?.fields?.deadline ? (
            <p id="round-deadline-error" className="error-message">
              {message(errors.fields.deadline)}
            </p>
          ) : null}
          <span className="deadline-inputs">
            <label htmlFor="round-deadline">{t('consultation.deadlineDate')}</label>
            <input id="round-deadline" name="deadlineDate" type="date" className="input input-date" value={deadlineDate} onChange={(e) => setDeadlineDate(e.target.value)} required aria-invalid={errors?.fields?.deadline ? true : undefined} />
            <label htmlFor="round-deadline-time">{t('consultation.deadlineTime')}</label>
            <input id="round-deadline-time" name="deadlineTime" type="time" className="input input-time" value={deadlineTime} onChange={(e) => setDeadlineTime(e.target.value)} required />
          </span>
          {minimumPeriod ? (
            <p className="hint" id="round-period-hint">
              {t(minimumPeriod.excludesJuly ? 'consultation.minimumPeriodHintJuly' : 'consultation.minimumPeriodHint', { days: minimumPeriod.days })}
            </p>
          ) : null}
        </fieldset>
      </div>
      {showReason ? (
        <div className={errors?.fields?.shortPeriodReason ? 'field field-error short-period' : 'field short-period'}>
          <p className="notice notice-warning" role="status" id="round-short-period">
            {short ? t('consultation.shortPeriodWarning', { days: short.days, minimum: short.minimum }) : t('consultation.shortPeriodConfirm')}
          </p>
          <label htmlFor="round-shortPeriodReason">{t('consultation.shortPeriodReason')}</label>
          <p className="hint" id="round-shortPeriodReason-hint">
            {t('consultation.shortPeriodReasonHint')}
          </p>
          {errors?.fields?.shortPeriodReason ? (
            <p id="round-shortPeriodReason-error" className="error-message">
              {message(errors.fields.shortPeriodReason)}
            </p>
          ) : null}
          <textarea
            id="round-shortPeriodReason"
            name="shortPeriodReason"
            className="textarea"
            rows={2}
            maxLength={2000}
            defaultValue={values.shortPeriodReason ?? ''}
            aria-describedby="round-shortPeriodReason-hint"
            aria-invalid={errors?.fields?.shortPeriodReason ? true : undefined}
          />
        </div>
      ) : null}
      <div className={errors?.fields?.invited ? 'field field-error' : 'field'}>
        <fieldset id="round-invited" aria-describedby="round-invited-hint">
          <legend>{t('consultation.invited')}</legend>
          <p id="round-invited-hint" className="hint">
            {t('consultation.invitedHint', { host: hostName ? municipalityName(hostName, lang) : '' })}
          </p>
          {errors?.fields?.invited ? <p className="error-message">{message(errors.fields.invited)}</p> : null}
          <ul className="checkbox-list">
            {members.map((m) => (
              <li key={m.code}>
                <label>
                  <input type="checkbox" name="invited" value={m.code} defaultChecked={values.invited.includes(m.code)} /> {municipalityName(m.name, lang)}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      </div>
      <TextAreaField name="coverLetter" id="round-coverLetter" label={t('consultation.coverLetter')} hint={t('consultation.coverLetterHint')} error={errors?.fields?.coverLetter} rows={5} defaultValue={values.coverLetter} />
    </>
  );
}

/** The labels of the round fields, for an error summary. */
export function roundFieldLabels(t: (key: string) => string): Record<string, string> {
  return {
    version: t('consultation.version'),
    title: t('consultation.roundTitle'),
    questions: t('consultation.questions'),
    deadline: t('consultation.deadlineDate'),
    invited: t('consultation.invited'),
    coverLetter: t('consultation.coverLetter'),
    shortPeriodReason: t('consultation.shortPeriodReason'),
  };
}

/** A round's form (opening a new one, or a draft): heading, purpose, what is wrong, the fields, and its buttons. */
export function RoundForm({ id, heading, intro, errors, children, ...fields }: Parameters<typeof RoundFields>[0] & { id: string; heading: string; intro: string; children: ReactNode }) {
  const { t } = useT();
  return (
    <Form method="post" className="round-form" aria-labelledby={id} noValidate>
      <h2 id={id}>{heading}</h2>
      <p>{intro}</p>
      <ErrorSummary errors={errors} idPrefix="round-" labels={roundFieldLabels(t)} />
      <RoundFields {...fields} errors={errors} />
      <span className="form-actions">{children}</span>
    </Form>
  );
}
