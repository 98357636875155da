import { Form, useNavigation, useSubmit } from '@remix-run/react';
import { useRef, useState } from 'react';
import { useT } from '../../hooks.ts';

/** What the page's action answered, as far as the forms need it (which form to mark). */
interface Answered {
  ok: boolean;
  intent: 'file' | 'hash';
  reason?: string | null;
}

const ACCEPT = '.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * The two ways to ask: a file (dropped on the zone, or chosen; a plain multipart form without JavaScript) or a pasted
 * hash. While a file is sent and checked, the page says so.
 */
export function VerifyForms({ maxMegabytes, answer }: { maxMegabytes: number; answer: Answered | undefined }) {
  const { t } = useT();
  const navigation = useNavigation();
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  // A file over the limit is refused here, before it is sent (the server would refuse it too, with 413).
  const [tooLarge, setTooLarge] = useState(false);
  const checking = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null;
  const noFile = !tooLarge && answer && !answer.ok && answer.reason === 'no_file';
  const fits = (file: File | undefined) => {
    const ok = !file || file.size <= maxMegabytes * 1024 * 1024;
    setTooLarge(!ok);
    return ok;
  };
  const badHash = answer && !answer.ok && answer.reason === 'bad_hash';

  function onDrop(event: React.DragEvent<HTMLElement>) {
    event.preventDefault();
    setOver(false);
    const files = event.dataTransfer.files;
    if (!files.length || !input.current || !form.current) return;
    input.current.files = files;
    setChosen(files[0]!.name);
    if (fits(files[0])) submit(form.current, { method: 'post', encType: 'multipart/form-data' });
  }

  return (
    <div className="verify-forms">
      <Form
        method="post"
        encType="multipart/form-data"
        ref={form}
        className="verify-file"
        aria-labelledby="verify-file-heading"
        onSubmit={(event) => {
          if (!fits(input.current?.files?.[0])) event.preventDefault();
        }}
      >
        <h2 id="verify-file-heading">{t('exports.verifyFileHeading')}</h2>
        <input type="hidden" name="intent" value="file" />
        <div
          className={over ? 'dropzone dropzone--over' : 'dropzone'}
          data-testid="dropzone"
          onDragOver={(event) => {
            event.preventDefault();
            event.dataTransfer.dropEffect = 'copy';
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
        >
          <p className="dropzone__text" aria-hidden="true">
            {t('exports.dropHere')}
          </p>
          <label htmlFor="verify-file">{t('exports.chooseFile')}</label>
          <p id="verify-file-hint" className="hint">
            {t('exports.fileHint', { max: maxMegabytes })}
          </p>
          {noFile || tooLarge ? (
            <p id="verify-file-error" className="error-message">
              {t(tooLarge ? 'exports.refusal.too_large' : 'exports.refusal.no_file')}
            </p>
          ) : null}
          <input
            ref={input}
            id="verify-file"
            name="file"
            type="file"
            accept={ACCEPT}
            aria-describedby={noFile || tooLarge ? 'verify-file-hint verify-file-error' : 'verify-file-hint'}
            aria-invalid={noFile || tooLarge ? true : undefined}
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              setChosen(file?.name ?? null);
              fits(file);
            }}
          />
          {chosen ? <p className="dropzone__chosen">{t('exports.chosen', { fileName: chosen })}</p> : null}
        </div>
        <button type="submit" className="button" aria-disabled={checking ? true : undefined}>
          {t('exports.verifyFile')}
        </button>
        <p className="downloads__status" role="status" aria-live="polite">
          {checking === 'file' ? (
            <>
              <progress className="downloads__progress" aria-label={t('exports.checking')} /> {t('exports.checking')}
            </>
          ) : null}
        </p>
      </Form>
      <Form method="post" className="verify-hash" aria-labelledby="verify-hash-heading">
        <h2 id="verify-hash-heading">{t('exports.verifyHashHeading')}</h2>
        <input type="hidden" name="intent" value="hash" />
        <label htmlFor="verify-hash">{t('exports.hashLabel')}</label>
        <p id="verify-hash-hint" className="hint">
          {t('exports.hashHint')}
        </p>
        {badHash ? (
          <p id="verify-hash-error" className="error-message">
            {t('exports.refusal.bad_hash')}
          </p>
        ) : null}
        <input
          id="verify-hash"
          name="hash"
          className="input input-mono"
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          aria-describedby={badHash ? 'verify-hash-hint verify-hash-error' : 'verify-hash-hint'}
          aria-invalid={badHash ? true : undefined}
        />
        <button type="submit" className="button button-secondary" aria-disabled={checking ? true : undefined}>
          {t('exports.verifyHash')}
        </button>
      </Form>
    </div>
  );
}
