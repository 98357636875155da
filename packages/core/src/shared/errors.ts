/**
 * The only error core throws on purpose. Transports map the code to an HTTP status or a WebSocket close code;
 * core never knows about either.
 */
export const DOMAIN_ERROR_CODES = [
  'unauthenticated',
  'forbidden',
  'not_found',
  'invalid_input',
  'conflict',
  'throttled',
  'invitation_expired',
  'invitation_used',
  'last_host_admin',
  /** Too large to take (an upload over its limit). */
  'too_large',
  /** Busy: nothing is wrong with the request, it may be sent again in a moment (the file renderer's queue is full). */
  'unavailable',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string = code,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Works across module copies (Remix's server bundle and the Node process may each load core). */
export function isDomainError(error: unknown): error is DomainError {
  return error instanceof Error && error.name === 'DomainError' && typeof (error as DomainError).code === 'string';
}
