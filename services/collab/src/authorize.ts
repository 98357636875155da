import { authenticate, authorizeDocumentConnection, isDomainError, type CoreDeps } from '@sopu/core';
import { CLOSE } from './close-codes.ts';
import type { Authorize } from './server.ts';

/** The production authoriser: the session cookie, then membership of the document's area (core decides). */
export function createCoreAuthorizer(deps: CoreDeps): Authorize {
  return async ({ cookie, documentId, activity }) => {
    const user = await authenticate(deps, deps.sessions.readCookie(cookie), { activity });
    if (!user) return { deny: CLOSE.unauthenticated, reason: 'log in again' };
    try {
      const grant = await authorizeDocumentConnection(deps.db, user.id, documentId);
      return { userId: user.id, areaId: grant.areaId, readOnly: grant.readOnly };
    } catch (error) {
      if (isDomainError(error) && error.code === 'not_found') return { deny: CLOSE.notFound, reason: 'not found' };
      throw error;
    }
  };
}
