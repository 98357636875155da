import { Link } from '@remix-run/react';
import type { DocumentKind } from '@sopu/doc-model';
import { useEffect, useRef } from 'react';
import { areaName, formatDateTime, municipalityName } from '../../format.ts';
import { useT } from '../../hooks.ts';
import { useDocumentName } from '../document-name.tsx';

interface Answer {
  ok: boolean;
  intent: 'file' | 'hash';
  fileName?: string | null;
  reason?: string | null;
  result?: {
    area: string;
    areaName: { fi: string; sv: string; en: string };
    document: string;
    documentKind: string;
    documentTitle: string;
    version: number | null;
    versionLabel: string | null;
    hash: string;
    sentForApproval: boolean;
    approvedCouncils: Array<{ code: string; name: { fi: string; sv: string } }>;
    matchesCurrent: boolean;
    file: { fileName: string; exportedAt: number } | null;
  };
}

/**
 * What a file or hash is: its area, document and version, whether it went to the councils, which councils approved
 * exactly that text, and whether the text now is still it; or, in words, why nothing can be said. A changed copy is
 * told apart from the original and never guessed at.
 */
export function VerifyAnswer({ slug, answer }: { slug: string; answer: Answer }) {
  const { t, lang } = useT();
  const documentName = useDocumentName();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [answer]);
  // A missing file or a malformed hash is said at its field.
  if (!answer.ok && (answer.reason === 'no_file' || answer.reason === 'bad_hash')) return null;
  const r = answer.result;
  return (
    <section className="verify-answer" aria-labelledby="verify-answer-heading" data-testid="verify-answer">
      <h2 id="verify-answer-heading" ref={heading} tabIndex={-1}>
        {t('exports.answerHeading')}
      </h2>
      {!answer.ok || !r ? (
        <div className="notice notice-error" data-reason={answer.reason ?? ''}>
          {answer.fileName ? <p className="verify-answer__file">{answer.fileName}</p> : null}
          <p>{t(`exports.refusal.${answer.reason ?? 'not_an_export'}`)}</p>
        </div>
      ) : (
        <>
          <p className="notice notice-success" data-testid="verify-found">
            {answer.intent === 'file'
              ? t('exports.foundFile', { fileName: answer.fileName ?? r.file?.fileName ?? '' })
              : t('exports.foundHash')}
          </p>
          <dl className="summary-list verify-facts">
            <div>
              <dt>{t('exports.fact.area')}</dt>
              <dd>{areaName(r.areaName, lang)}</dd>
            </div>
            <div>
              <dt>{t('exports.fact.document')}</dt>
              <dd>
                <Link to={`/areas/${r.area}/documents/${r.document}`}>{documentName(r.documentKind as DocumentKind, r.documentTitle)}</Link>
              </dd>
            </div>
            <div>
              <dt>{t('exports.fact.version')}</dt>
              <dd data-testid="verify-version">
                {r.version === null ? (
                  t('exports.noVersion')
                ) : (
                  <Link to={`/areas/${r.area}/documents/${r.document}/versions/${r.version}`}>{t('versions.versionTitle', { number: r.version, label: r.versionLabel ?? '' })}</Link>
                )}
              </dd>
            </div>
            <div>
              <dt>{t('exports.fact.hash')}</dt>
              <dd>
                <code className="hash">{r.hash}</code>
              </dd>
            </div>
            <div>
              <dt>{t('exports.fact.sent')}</dt>
              <dd data-testid="verify-sent">{r.sentForApproval ? t('exports.sentYes') : t('exports.sentNo')}</dd>
            </div>
            <div>
              <dt>{t('exports.fact.approvedBy')}</dt>
              <dd data-testid="verify-approved">
                {r.approvedCouncils.length === 0 ? t('exports.approvedNone') : r.approvedCouncils.map((c) => municipalityName(c.name, lang)).join(', ')}
              </dd>
            </div>
            <div>
              <dt>{t('exports.fact.current')}</dt>
              <dd data-testid="verify-current">
                {r.matchesCurrent ? (
                  t('exports.currentSame')
                ) : (
                  <>
                    {t('exports.currentChanged')}{' '}
                    {r.version !== null ? <Link to={`/areas/${r.area}/documents/${r.document}/compare?from=${r.version}&to=current`}>{t('approvals.showDiff')}</Link> : null}
                  </>
                )}
              </dd>
            </div>
            {r.file ? (
              <div>
                <dt>{t('exports.fact.file')}</dt>
                <dd>{t('exports.exportedAt', { fileName: r.file.fileName, when: formatDateTime(r.file.exportedAt, lang) })}</dd>
              </div>
            ) : null}
          </dl>
          {r.area !== slug ? <p className="hint">{t('exports.otherArea')}</p> : null}
        </>
      )}
    </section>
  );
}
