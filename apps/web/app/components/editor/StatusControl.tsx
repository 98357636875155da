import { useFetcher } from '@remix-run/react';
import { LayoutError, setSectionStatus, type SectionMeta, type SectionStatus } from '@sopu/doc-model';
import { useEffect, useId, useState } from 'react';
import type * as Y from 'yjs';
import { useT } from '../../hooks.ts';

export function StatusBadge({ status }: { status: SectionStatus }) {
  const { t } = useT();
  return <span className={`status-badge status-badge--${status}`}>{t(`editor.status.${status}`)}</span>;
}

interface Props {
  doc: Y.Doc;
  meta: SectionMeta;
  userId: string;
  sectionTitle: string;
  /** The host: marks the section agreed (when the rule allows) and reopens it. */
  canDecide: boolean;
  /** The host admin: marks it agreed over the rule, with a reason. */
  canOverride: boolean;
}

type ActionData = { ok: boolean; intent?: string; problems?: string[]; errors?: { form?: { key: string }; fields?: Record<string, { key: string }> } };

/**
 * A section's status. Drafting and not applicable (with its required reason) are written in the shared document:
 * everyone sees them at once, and the server audits them. "Agreed" is the negotiation's decision (docs/decisions/025):
 * the host asks the server, which refuses while the section has a placeholder, an open thread, a pending suggestion
 * or an objection (the host admin may override with a reason); an agreed section is locked and only the host reopens it.
 */
export function StatusControl({ doc, meta, userId, sectionTitle, canDecide, canOverride }: Props) {
  const { t } = useT();
  const id = useId();
  const fetcher = useFetcher<ActionData>({ key: `status-${meta.key}` });
  const [status, setStatus] = useState<SectionStatus>(meta.status);
  const [reason, setReason] = useState(meta.reason);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // Someone else changed the status: show theirs.
  useEffect(() => {
    setStatus(meta.status);
    setReason(meta.reason);
  }, [meta.status, meta.reason]);
  const answer = fetcher.state === 'idle' ? fetcher.data : undefined;
  const refused = answer && !answer.ok ? answer : undefined;
  const busy = fetcher.state !== 'idle';

  const apply = (next: SectionStatus, nextReason: string) => {
    try {
      setSectionStatus(doc, meta.key, next, nextReason, userId);
      setError(null);
      setSaved(true);
    } catch (e) {
      setSaved(false);
      setError(e instanceof LayoutError ? t(`editor.statusError.${e.code}`) : t('editor.statusError.unknown'));
    }
  };
  const pendingReason = status === 'not_applicable' && (meta.status !== 'not_applicable' || reason.trim() !== meta.reason);

  if (meta.status === 'agreed') {
    return canDecide ? (
      <fetcher.Form method="post" className="status-control" aria-label={t('editor.statusFormLabel', { title: sectionTitle })}>
        <input type="hidden" name="section" value={meta.key} />
        <p className="muted">{t('negotiation.lockedNote')}</p>
        <label htmlFor={`${id}-reopen`}>{t('negotiation.reopenReason')}</label>
        <input id={`${id}-reopen`} name="reason" maxLength={2000} />
        <button type="submit" name="intent" value="reopen-section" className="button button-small button-secondary" disabled={busy}>
          {t('negotiation.reopen')}
        </button>
      </fetcher.Form>
    ) : null;
  }
  const choices: SectionStatus[] = canDecide ? ['drafting', 'agreed', 'not_applicable'] : ['drafting', 'not_applicable'];
  return (
    <div className="status-control">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          apply(status, reason);
        }}
        aria-label={t('editor.statusFormLabel', { title: sectionTitle })}
      >
        <label htmlFor={`${id}-status`}>{t('editor.statusLabel')}</label>
        <select
          id={`${id}-status`}
          value={status}
          onChange={(e) => {
            const next = e.target.value as SectionStatus;
            setStatus(next);
            setSaved(false);
            setError(null);
            if (next === 'agreed') fetcher.submit({ intent: 'agree-section', section: meta.key }, { method: 'post' });
            else if (next !== 'not_applicable') apply(next, '');
          }}
        >
          {choices.map((s) => (
            <option key={s} value={s}>
              {t(`editor.status.${s}`)}
            </option>
          ))}
        </select>
        {status === 'not_applicable' ? (
          <div className="status-control__reason">
            <label htmlFor={`${id}-reason`}>{t('editor.reasonLabel')}</label>
            <textarea
              id={`${id}-reason`}
              value={reason}
              required
              rows={2}
              maxLength={2000}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={(e) => {
                setReason(e.target.value);
                setSaved(false);
              }}
            />
            {pendingReason ? (
              <button type="submit" className="button button--secondary status-control__save">
                {t('editor.saveStatus')}
              </button>
            ) : null}
          </div>
        ) : null}
      </form>
      {refused ? (
        <div className="status-control__refused" role="alert">
          <p>{t(refused.errors?.form?.key ?? 'negotiation.failed')}</p>
          {refused.problems && refused.problems.length > 0 ? (
            <ul>
              {refused.problems.map((p) => (
                <li key={p}>{t(`negotiation.problem.${p}`)}</li>
              ))}
            </ul>
          ) : null}
          {canOverride && refused.problems && refused.problems.length > 0 && !refused.problems.includes('empty') ? (
            <fetcher.Form method="post" className="status-control__override">
              <input type="hidden" name="section" value={meta.key} />
              <label htmlFor={`${id}-override`}>{t('negotiation.overrideReason')}</label>
              <input id={`${id}-override`} name="override" required maxLength={2000} />
              <button type="submit" name="intent" value="agree-section" className="button button-small">
                {t('negotiation.override')}
              </button>
            </fetcher.Form>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : saved ? (
        <p className="status-control__saved" role="status">
          {t('editor.statusSaved')}
        </p>
      ) : null}
    </div>
  );
}
