import { isRouteErrorResponse } from '@remix-run/react';
import { useT } from '../hooks.ts';
import { Main } from './main.tsx';

const KEYS: Record<number, [string, string]> = {
  400: ['errors.badRequestTitle', 'errors.badRequestBody'],
  403: ['errors.forbiddenTitle', 'errors.forbiddenBody'],
  404: ['errors.notFoundTitle', 'errors.notFoundBody'],
  405: ['errors.badRequestTitle', 'errors.badRequestBody'],
  409: ['errors.conflictTitle', 'errors.conflict'],
  410: ['errors.goneTitle', 'errors.goneBody'],
  429: ['errors.tooManyTitle', 'errors.tooManyBody'],
};

/** The translated page for a thrown response (404, 403, …) or an unexpected error (500, details only in the log). */
export function ErrorPage({ error }: { error: unknown }) {
  const { t } = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, body] = KEYS[status] ?? ['errors.serverErrorTitle', 'errors.serverErrorBody'];
  return (
    <Main>
      <h1>{t(title)}</h1>
      <p>{t(body)}</p>
      <p className="muted">{t('errors.status', { status })}</p>
      <p>
        <a href="/">{t('errors.backHome')}</a>
      </p>
    </Main>
  );
}
