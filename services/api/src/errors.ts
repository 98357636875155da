import { isDomainError, type DomainErrorCode } from '@sopu/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const STATUS_BY_CODE: Record<DomainErrorCode, ContentfulStatusCode> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  throttled: 429,
  invitation_expired: 410,
  invitation_used: 410,
  last_host_admin: 409,
  too_large: 413,
  unavailable: 503,
};

/** Where an unforeseen error goes (the server's pino logger has this shape). */
export interface ErrorLog {
  error(fields: object, message: string): void;
}

/** Maps a DomainError to `{error: {code, message}}` with its status; anything else is a 500 that reveals nothing. */
export function errorResponse(c: Context, error: unknown, log?: ErrorLog): Response {
  if (isDomainError(error)) {
    if (error.code === 'throttled') c.header('Retry-After', String(error.details.retryAfterSeconds ?? 60));
    if (error.code === 'unavailable') c.header('Retry-After', String(error.details.retryAfterSeconds ?? 5));
    const body: { error: { code: string; message: string; issues?: unknown; reason?: string } } = { error: { code: error.code, message: error.message } };
    if (error.details.issues) body.error.issues = error.details.issues;
    // Why something was not found, where the use case says (verify: altered, not_an_export, unknown_hash, ambiguous).
    if (typeof error.details.reason === 'string') body.error.reason = error.details.reason;
    return c.json(body, STATUS_BY_CODE[error.code]);
  }
  // Hono's request validation throws these for a body it cannot read (malformed JSON, another media type): bad
  // input like any other, not a server fault.
  if (error instanceof HTTPException && error.status < 500) {
    const code = error.status === 415 ? 'unsupported_media_type' : 'malformed_body';
    const message = error.status === 415 ? 'send the body as application/json' : error.message;
    return c.json({ error: { code: 'invalid_input', message: 'invalid request', issues: [{ path: [], code, message }] } }, 400);
  }
  if (log) log.error({ err: error }, 'internal error in the API');
  else console.error(error);
  return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
}
