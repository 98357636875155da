import { useActionData, useNavigation, Link, Form } from '@remix-run/react';
import { useState } from 'react';
import { ErrorSummary } from '../form.tsx';
import { formatDay, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import type { action } from '../../routes/areas.$slug.approvals.tsx';
import type { Decision } from './types.ts';

/** One cell: the council's state, its date and §, and (for who may) the form to record the next step. */
export function DecisionCell({ decision, requestId, open, diffHref }: { decision: Decision; requestId: string; open: boolean; diffHref: string }) {
  const { t, lang } = useT();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [recording, setRecording] = useState(false);
  const cellKey = `${requestId}:${decision.municipalityCode}`;
  const mine = result && 'cell' in result && result.cell === cellKey;
  const errors = mine && result && 'errors' in result ? result.errors : undefined;
  const [state, setState] = useState(decision.mayRecord[0] ?? 'scheduled');
  const id = `rec-${requestId.slice(0, 8)}-${decision.municipalityCode}`;
  // Finality and signature go on from an approval: only their own dates are asked (a correction from elsewhere asks all).
  const approvedAlready = decision.state === 'approved' || decision.state === 'final' || decision.state === 'signed';
  const onward = (state === 'final' || state === 'signed') && approvedAlready;
  return (
    <td className={`approval-cell approval-cell--${decision.state}${open ? (decision.coversCurrentText ? '' : ' approval-cell--stale') : ' approval-cell--old'}`} data-municipality={decision.municipalityCode}>
      <span className={`approval-state approval-state--${decision.state}`}>{t(`approvals.state.${decision.state}`)}</span>
      {decision.state === 'scheduled' && decision.meetingDate ? <span className="approval-cell__date">{t('approvals.meeting', { date: formatDay(decision.meetingDate, lang) })}</span> : null}
      {decision.decisionDate ? <span className="approval-cell__date">{formatDay(decision.decisionDate, lang)}</span> : null}
      {decision.minutesSection ? (
        decision.minutesUrl ? (
          <a href={decision.minutesUrl} rel="noopener noreferrer nofollow" className="approval-cell__section">
            {decision.minutesSection}
          </a>
        ) : (
          <span className="approval-cell__section">{decision.minutesSection}</span>
        )
      ) : null}
      {decision.finalDate ? <span className="approval-cell__step">{t('approvals.finalOn', { date: formatDay(decision.finalDate, lang) })}</span> : null}
      {decision.signedDate ? (
        <span className="approval-cell__step">
          {t('approvals.signedOn', { date: formatDay(decision.signedDate, lang) })}
          {decision.signatory ? ` (${decision.signatory})` : ''}
        </span>
      ) : null}
      {decision.recordedVia === 'on_behalf' ? <span className="approval-cell__via">{t('approvals.onBehalf')}</span> : null}
      {decision.recordedVia === 'token' ? <span className="approval-cell__via">{t('approvals.byToken')}</span> : null}
      {open && decision.state === 'approved' && !decision.coversCurrentText ? (
        <Link to={diffHref} className="approval-cell__stale">
          {t('approvals.olderText')}
        </Link>
      ) : null}
      {/* A superseded request: only a council that had it on its agenda still records its decision on that text, and an approval its finality and signature. */}
      {decision.mayRecord.length > 0 && (open || decision.state === 'scheduled' || decision.state === 'approved' || decision.state === 'final') ? (
        recording || errors ? (
          <Form method="post" className="approval-record" aria-label={t('approvals.recordFor', { municipality: municipalityName(decision.municipalityName, lang) })}>
            <ErrorSummary
              errors={errors}
              idPrefix={`${id}-`}
              labels={{
                state: t('approvals.stateLabel'), meetingDate: t('approvals.meetingDate'), decisionDate: t('approvals.decisionDate'), minutesSection: t('approvals.minutesSection'), minutesUrl: t('approvals.minutesUrl'), note: t('approvals.note'),
                finalDate: t('approvals.finalDate'), signedDate: t('approvals.signedDate'), signatory: t('approvals.signatory'),
              }}
            />
            <input type="hidden" name="intent" value="record" />
            <input type="hidden" name="approvalRequestId" value={requestId} />
            <input type="hidden" name="municipalityCode" value={decision.municipalityCode} />
            <label htmlFor={`${id}-state`}>{t('approvals.stateLabel')}</label>
            <select id={`${id}-state`} name="state" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
              {decision.mayRecord.map((s) => (
                <option key={s} value={s}>
                  {t(`approvals.state.${s}`)}
                </option>
              ))}
            </select>
            {state === 'scheduled' ? (
              <>
                <label htmlFor={`${id}-meetingDate`}>{t('approvals.meetingDate')}</label>
                <input id={`${id}-meetingDate`} name="meetingDate" type="date" defaultValue={decision.meetingDate ?? ''} required />
              </>
            ) : onward ? (
              <>
                {/* The approval's own details go on as recorded; the form asks only for this step's. */}
                {state === 'final' ? (
                  <>
                    <label htmlFor={`${id}-finalDate`}>{t('approvals.finalDate')}</label>
                    <input id={`${id}-finalDate`} name="finalDate" type="date" required />
                  </>
                ) : (
                  <>
                    <label htmlFor={`${id}-signedDate`}>{t('approvals.signedDate')}</label>
                    <input id={`${id}-signedDate`} name="signedDate" type="date" required />
                    <label htmlFor={`${id}-signatory`}>{t('approvals.signatory')}</label>
                    <input id={`${id}-signatory`} name="signatory" maxLength={200} />
                  </>
                )}
              </>
            ) : state !== 'pending' ? (
              <>
                <label htmlFor={`${id}-decisionDate`}>{t('approvals.decisionDate')}</label>
                <input id={`${id}-decisionDate`} name="decisionDate" type="date" required />
                <label htmlFor={`${id}-minutesSection`}>{t('approvals.minutesSection')}</label>
                <input id={`${id}-minutesSection`} name="minutesSection" required maxLength={20} placeholder="45 §" />
                <label htmlFor={`${id}-minutesUrl`}>{t('approvals.minutesUrl')}</label>
                <input id={`${id}-minutesUrl`} name="minutesUrl" type="url" maxLength={2000} placeholder="https://" />
              </>
            ) : null}
            <label htmlFor={`${id}-note`}>{t('approvals.note')}</label>
            <textarea id={`${id}-note`} name="note" rows={2} maxLength={2000} />
            <span className="approval-record__actions">
              <button type="submit" className="button button-small" disabled={navigation.state !== 'idle'}>
                {t('approvals.record')}
              </button>
              <button type="button" className="button button-secondary button-small" onClick={() => setRecording(false)}>
                {t('comments.cancel')}
              </button>
            </span>
          </Form>
        ) : (
          <button type="button" className="link-button approval-cell__open" onClick={() => setRecording(true)} aria-label={t('approvals.recordFor', { municipality: municipalityName(decision.municipalityName, lang) })}>
            {t('approvals.record')}
          </button>
        )
      ) : null}
    </td>
  );
}
