import { fragmentHasText, LayoutError, SECTION_STATUSES, sectionFragment, setSectionStatus, type SectionMeta, type SectionStatus } from '@sopu/doc-model';
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
}

/**
 * Changes a section's status in the shared document: everyone sees it at once, and the server audits it.
 * Drafting and agreed apply as soon as they are chosen; not applicable waits for its required reason.
 */
export function StatusControl({ doc, meta, userId, sectionTitle }: Props) {
  const { t } = useT();
  const id = useId();
  const [status, setStatus] = useState<SectionStatus>(meta.status);
  const [reason, setReason] = useState(meta.reason);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // Someone else changed the status: show theirs.
  useEffect(() => {
    setStatus(meta.status);
    setReason(meta.reason);
  }, [meta.status, meta.reason]);

  const apply = (next: SectionStatus, nextReason: string) => {
    // Agreed means agreed on a text (the server refuses it on an empty section too).
    if (next === 'agreed' && !fragmentHasText(sectionFragment(doc, meta.key))) {
      setStatus(meta.status);
      setSaved(false);
      setError(t('editor.statusError.agreed_without_text'));
      return;
    }
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

  return (
    <form
      className="status-control"
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
          if (next !== 'not_applicable') apply(next, '');
        }}
      >
        {SECTION_STATUSES.map((s) => (
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
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : saved ? (
        <p className="status-control__saved" role="status">
          {t('editor.statusSaved')}
        </p>
      ) : null}
    </form>
  );
}
