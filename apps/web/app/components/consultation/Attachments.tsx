import { useRevalidator } from '@remix-run/react';
import { useId, useState } from 'react';
import { useT } from '../../hooks.ts';

export interface AttachmentItem {
  id: string;
  fileName: string;
  mediaType: string;
  size: number;
  uploadedBy?: { id: string } | null;
}

/** 10 MB each: the same limit core holds (docs/decisions/027); the browser says so before sending a larger file. */
const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = '.pdf,.docx,.odt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text';

const kindOf = (mediaType: string) => (mediaType === 'application/pdf' ? 'PDF' : mediaType.includes('opendocument') ? 'ODT' : 'DOCX');
const sizeOf = (bytes: number, lang: string) => `${new Intl.NumberFormat(lang === 'sv' ? 'sv-FI' : lang === 'en' ? 'en-GB' : 'fi-FI', { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024 < 0.1 ? bytes / 1024 : bytes / 1024 / 1024)} ${bytes / 1024 / 1024 < 0.1 ? 'kt' : 'Mt'}`;

/**
 * A list of attached files, each a download (served as an attachment, never shown inline); with `canRemove`, a remove
 * button beside each file the caller may remove (DELETE /api/v1/attachments/:id; core decides, the page only offers).
 */
export function AttachmentList({ items, label, canRemove }: { items: AttachmentItem[]; label: string; canRemove?: (item: AttachmentItem) => boolean }) {
  const { t, lang } = useT();
  const revalidator = useRevalidator();
  const [status, setStatus] = useState<{ kind: 'error' | 'done'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const remove = async (item: AttachmentItem) => {
    setBusy(item.id);
    setStatus(null);
    try {
      const res = await fetch(`/api/v1/attachments/${encodeURIComponent(item.id)}`, { method: 'DELETE', credentials: 'same-origin' });
      if (res.ok) {
        setStatus({ kind: 'done', text: t('consultation.attachment.removed', { name: item.fileName }) });
        revalidator.revalidate();
      } else setStatus({ kind: 'error', text: t(res.status === 409 ? 'consultation.attachment.removeClosed' : 'consultation.attachment.removeFailed') });
    } finally {
      setBusy(null);
    }
  };
  if (items.length === 0) return status ? <p className={status.kind === 'error' ? 'error-message' : 'notice notice-success'} role={status.kind === 'error' ? 'alert' : 'status'}>{status.text}</p> : null;
  return (
    <>
      <ul className="attachment-list" aria-label={label}>
        {items.map((a) => (
          <li key={a.id}>
            <a href={`/api/v1/attachments/${encodeURIComponent(a.id)}`} download={a.fileName}>
              {a.fileName}
            </a>{' '}
            <span className="muted">
              ({kindOf(a.mediaType)}, {sizeOf(a.size, lang)})
            </span>
            {canRemove?.(a) ? (
              <>
                {' '}
                <button type="button" className="link-button" onClick={() => void remove(a)} disabled={busy !== null} aria-label={t('consultation.attachment.removeLabel', { name: a.fileName })}>
                  {busy === a.id ? t('consultation.attachment.removing') : t('consultation.attachment.remove')}
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {status ? (
        <p className={status.kind === 'error' ? 'error-message' : 'notice notice-success'} role={status.kind === 'error' ? 'alert' : 'status'}>
          {status.text}
        </p>
      ) : null}
    </>
  );
}

/**
 * Attach a file: sent to the API's upload route (the pages' forms take 64 KB; only the upload paths take files),
 * then the page is read again. The server decides what the file is by its content and answers in words.
 */
export function AttachmentUpload({ action, label }: { action: string; label: string }) {
  const { t } = useT();
  const id = useId();
  const revalidator = useRevalidator();
  const [status, setStatus] = useState<{ kind: 'error' | 'done'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="attachment-upload"
      encType="multipart/form-data"
      method="post"
      action={action}
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
        if (!file) return setStatus({ kind: 'error', text: t('consultation.attachment.choose') });
        if (file.size > MAX_BYTES) return setStatus({ kind: 'error', text: t('consultation.attachment.tooLarge') });
        setBusy(true);
        setStatus(null);
        try {
          const body = new FormData();
          body.set('file', file, file.name);
          const res = await fetch(action, { method: 'POST', body, credentials: 'same-origin' });
          if (res.ok) {
            form.reset();
            setStatus({ kind: 'done', text: t('consultation.attachment.added') });
            revalidator.revalidate();
          } else {
            const reason = ((await res.json().catch(() => null)) as { error?: { code?: string; issues?: Array<{ code?: string }> } } | null)?.error;
            const code = res.status === 413 ? 'tooLarge' : reason?.issues?.[0]?.code === 'unsafe_archive' ? 'unsafe' : reason?.issues?.[0]?.code === 'unsupported_type' ? 'wrongType' : reason?.code === 'conflict' ? 'closed' : 'failed';
            setStatus({ kind: 'error', text: t(`consultation.attachment.${code}`) });
          }
        } finally {
          setBusy(false);
        }
      }}
    >
      <label htmlFor={`${id}-file`}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {t('consultation.attachment.hint')}
      </p>
      <input id={`${id}-file`} name="file" type="file" accept={ACCEPT} aria-describedby={`${id}-hint`} className="input-file" />
      <button type="submit" className="button button-secondary" disabled={busy}>
        {busy ? t('consultation.attachment.sending') : t('consultation.attachment.send')}
      </button>
      {status ? (
        <p className={status.kind === 'error' ? 'error-message' : 'notice notice-success'} role={status.kind === 'error' ? 'alert' : 'status'}>
          {status.text}
        </p>
      ) : null}
    </form>
  );
}
