import { authorizeDocumentConnections, type CoreDeps } from '@sopu/core';
import { CLOSE } from './close-codes.ts';
import type { Authorize } from './server.ts';

/** The production authoriser: the session cookie, then membership of the document's area (core decides). */
export function createCoreAuthorizer(deps: Pick<CoreDeps, 'db' | 'sessions'>): Authorize {
  return async (documentId, requests) => {
    const verdicts = await authorizeDocumentConnections(
      deps,
      documentId,
      requests.map((r) => ({ token: deps.sessions.readCookie(r.cookie), activity: r.activity })),
    );
    return verdicts.map((v) =>
      'denied' in v
        ? v.denied === 'unauthenticated'
          ? { deny: CLOSE.unauthenticated, reason: 'log in again' }
          : { deny: CLOSE.notFound, reason: 'not found' }
        : { userId: v.userId, areaId: v.areaId, kind: v.kind, readOnly: v.readOnly, suggestOnly: v.suggestOnly, identity: v.identity },
    );
  };
}
