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
  'round_not_draft',
  'short_period',
]);

/** The sentence for a refusal: the rule's own reason when core gave one we know, else a general one. */
export function refusalMessage(error: unknown): Message {
  const reason = isDomainError(error) ? error.details.reason : undefined;
  if (typeof reason === 'string' && REASONS.has(reason)) {
    const values: Record<string, string | number> = {};
    const missing = isDomainError(error) ? error.details.missing : undefined;
    if (Array.isArray(missing)) values.count = missing.length;
    if (isDomainError(error) && typeof error.details.days === 'number') Object.assign(values, { days: error.details.days, minimum: Number(error.details.minimum) });
    return { key: `consultation.refusal.${reason}`, values };
  }
  return { key: 'consultation.conflict' };
}

/** A consultation form's failure: field errors, or the rule's reason for a refusal, shown on the page. */
export function consultationFailure<Extra extends Record<string, unknown>>(error: unknown, request: Request, extra: Extra, submitted: Parameters<typeof formFailure>[4] = {}) {
  return formFailure(error, request, extra, { forbidden: { key: 'consultation.forbidden' }, conflict: refusalMessage(error), not_found: { key: 'consultation.notFound' } }, submitted);
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

/** A round's fields from its form: questions one per line, the deadline's day and time read in Helsinki by core. */
export function roundInputOf(form: FormData) {
  const date = text(form, 'deadlineDate');
  const time = text(form, 'deadlineTime') || '16:00';
  return {
    version: Number(text(form, 'version')),
    title: text(form, 'title'),
    questions: text(form, 'questions')
      .split(/\r?\n/)
      .map((q) => q.trim())
      .filter(Boolean),
    deadline: date ? `${date}T${time}` : '',
    invited: form.getAll('invited').map(String),
    coverLetter: text(form, 'coverLetter'),
    // Given only when the form showed the minimum-period warning (docs/decisions/027).
    ...(text(form, 'shortPeriodReason').trim() ? { shortPeriodReason: text(form, 'shortPeriodReason') } : {}),
  };
}

/** What a round form sent, to show it again after a failure (the invited municipalities' codes joined by commas). */
export function roundValuesOf(form: FormData): Record<string, string> {
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  if (values.deadlineDate !== undefined) values.deadline = values.deadlineDate;
  return { ...values, invited: form.getAll('invited').map(String).join(',') };
}

/** Wording for the round rules' own field codes. */
export const ROUND_FIELD_CODES = {
  'deadline:no_such_time': { key: 'consultation.deadlineNoSuchTime' },
  'deadline:in_past': { key: 'consultation.deadlineInPast' },
  'deadline:too_far': { key: 'consultation.deadlineTooFar' },
  'deadline:format': { key: 'validation.required' },
  'invited:too_small': { key: 'consultation.chooseInvited' },
  'invited:nobody_invited': { key: 'consultation.chooseInvited' },
  'date:custom': { key: 'validation.date' },
};
