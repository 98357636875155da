import { Link } from '@remix-run/react';
import type { AreaCheck } from '@sopu/core';
import { DocumentChecks } from '../checks.tsx';
import type { Ended } from '../editor/use-collab.ts';
import { useT } from '../../hooks.ts';

/** Above a document: demo content, the checks that concern it, read-only, and a connection the server ended for good. */
export function DocumentNotices({ data, ended }: { data: { demo: boolean; checks: AreaCheck[]; slug: string; document: { id: string }; canEdit: boolean; canComment: boolean; role: string }; ended: Ended }) {
  const { t } = useT();
  return (
    <>
      {data.demo ? <p className="notice notice--info document-demo">{t('editor.demoNotice')}</p> : null}
      {data.checks.length > 0 ? <DocumentChecks checks={data.checks} slug={data.slug} /> : null}
      {!data.canEdit ? (
        <p className="notice notice--info" data-testid="read-only-notice">
          {t(data.canComment ? 'editor.readOnlyCommentNotice' : 'editor.readOnlyNotice', { role: t(`roles.${data.role}`) })}
        </p>
      ) : null}
      {ended ? (
        <p className="notice notice--error" role="alert">
          {ended === 'session' ? t('editor.connection.sessionEndedLong') : t('editor.connection.accessEndedLong')}{' '}
          {ended === 'session' ? <Link to={`/login?redirectTo=${encodeURIComponent(`/areas/${data.slug}/documents/${data.document.id}`)}`}>{t('editor.loginAgain')}</Link> : null}
        </p>
      ) : null}
    </>
  );
}
