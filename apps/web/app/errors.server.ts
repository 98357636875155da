import { data, redirect } from '@remix-run/node';
import { isDomainError, type DomainError, type DomainErrorCode } from '@sopu/core';
import type { FormErrors, Message } from './form-errors.ts';
import { loginUrl } from './session.server.ts';

/** Core's error codes as HTTP statuses; `unauthenticated` is a redirect to the login page instead. */
export const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  last_host_admin: 409,
  too_large: 413,
  unavailable: 503,
  throttled: 429,
  invitation_expired: 410,
  invitation_used: 410,
};

/** The body of an error response; the ErrorBoundary reads `code`. */
export interface ErrorPayload {
  code: DomainErrorCode;
}

/**
 * Turns a DomainError into what Remix understands (a thrown response: the nearest ErrorBoundary shows it, or a
 * redirect to the login page); anything else is rethrown unchanged and becomes a 500.
 */
export function toHttpError(error: unknown, request: Request): never {
  if (!isDomainError(error)) throw error;
  if (error.code === 'unauthenticated') throw redirect(loginUrl(request));
  const headers: HeadersInit = {};
  const retry = error.details.retryAfterSeconds;
  if (error.code === 'throttled' && typeof retry === 'number') headers['Retry-After'] = String(Math.ceil(retry));
  throw data<ErrorPayload>({ code: error.code }, { status: STATUS_BY_CODE[error.code], headers });
}

/** Awaits a use case in a loader; a DomainError becomes the matching error response. */
export async function orHttpError<T>(request: Request, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    toHttpError(error, request);
  }
}

function issueMessage(code: string, path: string): Message {
  switch (code) {
    case 'invalid_type':
    case 'too_small':
      return { key: 'validation.required' };
    case 'too_big':
      return { key: 'validation.tooLong' };
    case 'invalid_format':
      return { key: path === 'email' ? 'validation.email' : 'validation.invalid' };
    case 'invalid_value':
      return { key: 'validation.choose' };
    default:
      return { key: 'validation.invalid' };
  }
}

/** What the form sent, so that an empty field reads "fill in" (or "choose", for a select) rather than "invalid". */
export interface SubmittedForm {
  values?: Record<string, string>;
  selects?: readonly string[];
  /** Wording for a rule's own issue codes, by `field:code` (e.g. `deadline:no_such_time`). */
  codes?: Record<string, Message>;
}

/** Field messages from an invalid_input DomainError: zod issues (`details.issues`) or one named field (`details.field`). */
export function fieldErrorsOf(error: DomainError, submitted: SubmittedForm = {}): Record<string, Message> {
  const fields: Record<string, Message> = {};
  const issues = Array.isArray(error.details.issues) ? (error.details.issues as Array<{ path?: string[]; code?: string }>) : [];
  for (const issue of issues) {
    const path = issue.path?.[0] ?? '';
    if (!path || fields[path]) continue;
    const isSelect = submitted.selects?.includes(path) ?? false;
    const empty = submitted.values !== undefined && (submitted.values[path] ?? '').trim() === '';
    const own = submitted.codes?.[`${path}:${issue.code ?? ''}`];
    fields[path] = own ?? (isSelect ? { key: 'validation.choose' } : empty ? { key: 'validation.required' } : issueMessage(issue.code ?? '', path));
  }
  const field = typeof error.details.field === 'string' ? error.details.field : null;
  if (field && !fields[field]) fields[field] = { key: 'validation.invalid' };
  return fields;
}

/** Route-specific wording for a code (e.g. conflict on the invite form means "already a member"). */
export type FormMessages = Partial<Record<DomainErrorCode, Message>>;

const DEFAULT_FORM_MESSAGES: FormMessages = {
  invalid_input: { key: 'errors.invalidForm' },
  conflict: { key: 'errors.conflict' },
  last_host_admin: { key: 'members.lastHostAdmin' },
};

/**
 * For actions: the errors a person can fix in the form (invalid_input 400, conflict and last_host_admin 409, and any
 * code the route gives a message for) come back as data for the form to show, with `extra` merged in (e.g. which form
 * failed); every other code is thrown as by `toHttpError`.
 */
export function formFailure<Extra extends Record<string, unknown>>(
  error: unknown,
  request: Request,
  extra: Extra,
  messages: FormMessages = {},
  submitted: SubmittedForm = {},
) {
  if (!isDomainError(error) || !(error.code in DEFAULT_FORM_MESSAGES || error.code in messages)) toHttpError(error, request);
  const fields = error.code === 'invalid_input' ? fieldErrorsOf(error, submitted) : {};
  let form = messages[error.code] ?? DEFAULT_FORM_MESSAGES[error.code];
  // A conflict about one field (e.g. the e-mail of someone already a member) is shown at that field instead.
  const field = error.details.field;
  if (error.code !== 'invalid_input' && typeof field === 'string' && form) {
    fields[field] = form;
    form = undefined;
  }
  // With field messages the summary lists them under its own heading; a generic "check the form" adds nothing.
  if (error.code === 'invalid_input' && Object.keys(fields).length > 0 && !messages.invalid_input) form = undefined;
  const errors: FormErrors = { fields, ...(form ? { form } : {}) };
  return data({ ...extra, ok: false as const, errors }, { status: STATUS_BY_CODE[error.code] });
}
