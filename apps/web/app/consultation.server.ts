import { isDomainError } from '@sopu/core';
import { formFailure } from './errors.server.ts';
import type { Message } from './form-errors.ts';

/** The reasons core gives when a consultation step is refused; each has a sentence in the locales (consultation.refusal). */
const REASONS = new Set([
  'round_not_open',
  'deadline_passed',
  'already_closed_for_municipality',
  'deadline_not_passed',
  'nobody_to_remind',
  'round_open',
  'summary_published',
  'responses_missing',
  'not_consultable',
  'round_already_open',
  'not_invited',
  'no_round',
  'not_everyone_heard',
  'already_adopted',
  'decided_before_hearing_ended',
  'decision_in_future',
  'not_draft',
  'draft',
]);

/** The sentence for a refusal: the rule's own reason when core gave one we know, else a general one. */
export function refusalMessage(error: unknown): Message {
  const reason = isDomainError(error) ? error.details.reason : undefined;
  if (typeof reason === 'string' && REASONS.has(reason)) {
    const values: Record<string, string | number> = {};
    const missing = isDomainError(error) ? error.details.missing : undefined;
    if (Array.isArray(missing)) values.count = missing.length;
    return { key: `consultation.refusal.${reason}`, values };
  }
  return { key: 'consultation.conflict' };
}

/** A consultation form's failure: field errors, or the rule's reason for a refusal, shown on the page. */
export function consultationFailure<Extra extends Record<string, unknown>>(error: unknown, request: Request, extra: Extra, submitted: Parameters<typeof formFailure>[4] = {}) {
  return formFailure(error, request, extra, { forbidden: { key: 'consultation.forbidden' }, conflict: refusalMessage(error), not_found: { key: 'consultation.notFound' } }, submitted);
}
