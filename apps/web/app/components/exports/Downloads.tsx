import { useRef, useState } from 'react';
import { useT } from '../../hooks.ts';

/*
 * Files Sopu draws on request (docs/decisions/022-exports.md): plain links to the API, which the browser saves without
 * JavaScript. With it, the page shows that the file is being made (a PDF of an agreement takes a moment), then how
 * much of it has arrived, and saves it under the name the server gave it; a refusal is said in words, not as JSON.
 */

export interface DownloadItem {
  href: string;
  /** The visible label: "PDF", "Word (DOCX)". */
  label: string;
  /** The kind of file in a sentence ("Making the Word file…"); the label by default. */
  fileKind?: 'PDF' | 'Word' | 'CSV';
  /** What it is, for a screen reader when the label alone is not enough ("Versio 2 PDF-tiedostona"). */
  accessibleName?: string;
  /** Test hook. */
  testId?: string;
}

type Progress = { state: 'idle' } | { state: 'making'; label: string } | { state: 'receiving'; label: string; percent: number | null } | { state: 'done'; fileName: string } | { state: 'failed'; key: string };

/** The name the server gave the file (RFC 6266: filename* first, then filename). */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1]!.trim());
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
}

/** The words for a refusal, by the API's status and code. */
function failureKey(status: number, code: string | undefined): string {
  if (status === 503) return 'exports.busy';
  if (status === 401) return 'exports.signedOut';
  if (status === 403) return 'exports.forbidden';
  if (status === 404) return 'exports.notFound';
  if (status === 400 && code === 'invalid_input') return 'exports.badFormat';
  return 'exports.failed';
}

async function readWithProgress(res: Response, onProgress: (percent: number | null) => void): Promise<Blob> {
  const total = Number(res.headers.get('content-length') ?? '') || null;
  if (!res.body) return res.blob();
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.byteLength;
    onProgress(total ? Math.min(100, Math.round((received / total) * 100)) : null);
  }
  return new Blob(parts as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' });
}

/** A group of downloads of one thing (a version as PDF and as DOCX), with one line saying how the file is coming. */
export function Downloads({ label, items, variant = 'buttons', hint }: { label: string; items: DownloadItem[]; variant?: 'buttons' | 'links' | 'row'; hint?: string }) {
  const { t } = useT();
  const [progress, setProgress] = useState<Progress>({ state: 'idle' });
  const busy = useRef(false);

  async function download(event: React.MouseEvent<HTMLAnchorElement>, item: DownloadItem) {
    // A modified click (new tab, save as) is the browser's to handle.
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (busy.current) return;
    busy.current = true;
    setProgress({ state: 'making', label: item.fileKind ?? item.label });
    try {
      const res = await fetch(item.href, { credentials: 'same-origin', headers: { accept: '*/*' } });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
        setProgress({ state: 'failed', key: failureKey(res.status, body?.error?.code) });
        return;
      }
      const kind = item.fileKind ?? item.label;
      setProgress({ state: 'receiving', label: kind, percent: 0 });
      const blob = await readWithProgress(res, (percent) => setProgress({ state: 'receiving', label: kind, percent }));
      const fileName = fileNameOf(res.headers.get('content-disposition')) ?? 'sopu';
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      // The browser has taken the file by the time the click returns; the address is freed a little later for old engines.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setProgress({ state: 'done', fileName });
    } catch {
      setProgress({ state: 'failed', key: 'exports.failed' });
    } finally {
      busy.current = false;
    }
  }

  const working = progress.state === 'making' || progress.state === 'receiving';
  const compact = variant !== 'buttons';
  return (
    <div className={`downloads downloads--${variant}`}>
      <div className="downloads__row" role="group" aria-label={label}>
        {variant === 'row' ? null : <span className="downloads__label">{label}</span>}
        {items.map((item) => (
          <a
            key={item.href}
            href={item.href}
            download
            className={compact ? 'downloads__link' : 'button button-secondary button-small'}
            aria-label={item.accessibleName}
            aria-disabled={working ? true : undefined}
            data-testid={item.testId}
            onClick={(event) => void download(event, item)}
          >
            {item.label}
          </a>
        ))}
      </div>
      {hint && !compact ? <p className="hint downloads__hint">{hint}</p> : null}
      <p className="downloads__status" role="status" aria-live="polite">
        {progress.state === 'making' ? (
          <>
            <progress className="downloads__progress" aria-label={t('exports.making', { format: progress.label })} /> {t('exports.making', { format: progress.label })}
          </>
        ) : progress.state === 'receiving' ? (
          <>
            <progress className="downloads__progress" max={100} value={progress.percent ?? undefined} aria-label={t('exports.receiving', { format: progress.label })} />{' '}
            {progress.percent === null ? t('exports.receiving', { format: progress.label }) : t('exports.receivingPercent', { format: progress.label, percent: progress.percent })}
          </>
        ) : progress.state === 'done' ? (
          <span className="downloads__done">{t('exports.done', { fileName: progress.fileName })}</span>
        ) : progress.state === 'failed' ? (
          <span className="downloads__failed">{t(progress.key)}</span>
        ) : null}
      </p>
    </div>
  );
}

/** A document's text as PDF and DOCX: the API's addresses for a version (or, with `version` null, the text now). */
export function documentFileItems(documentId: string, version: number | null, t: (key: string, values?: Record<string, unknown>) => string): DownloadItem[] {
  const base = version === null ? `/api/v1/documents/${encodeURIComponent(documentId)}/export` : `/api/v1/documents/${encodeURIComponent(documentId)}/versions/${version}/export`;
  const what = version === null ? t('exports.currentText') : t('exports.versionN', { number: version });
  return [
    { href: `${base}?format=pdf`, label: 'PDF', fileKind: 'PDF', accessibleName: t('exports.asPdf', { what }), testId: `download-${version ?? 'current'}-pdf` },
    { href: `${base}?format=docx`, label: t('exports.word'), fileKind: 'Word', accessibleName: t('exports.asDocx', { what }), testId: `download-${version ?? 'current'}-docx` },
  ];
}
