import { Link } from '@remix-run/react';
import { useT } from '../../hooks.ts';
import { documentFileItems, Downloads } from '../exports/Downloads.tsx';

/** Where a document leads: its versions, and by kind its consultation rounds or its council approvals; its text now as a file. */
export function DocumentLinks({ slug, documentId, kind }: { slug: string; documentId: string; kind: string }) {
  const { t } = useT();
  return (
    <>
      <p className="document-links">
        <Link to={`/areas/${slug}/documents/${documentId}/versions`}>{t('versions.title')}</Link>
        {kind === 'administrative_rules' ? (
          <>
            {' · '}
            <Link to={`/areas/${slug}/documents/${documentId}/rounds`}>{t('consultation.roundsTitle')}</Link>
          </>
        ) : null}
        {kind === 'cooperation_agreement' || kind === 'authority_task_agreement' ? (
          <>
            {' · '}
            <Link to={`/areas/${slug}/approvals?document=${documentId}`}>{t('approvals.title')}</Link>
          </>
        ) : null}
      </p>
      <Downloads variant="links" label={t('exports.downloadCurrent')} items={documentFileItems(documentId, null, t)} />
    </>
  );
}
