// Reading the approvals page's forms (routes/areas.$slug.approvals.tsx): words for core's complaints about the recording
// form's fields.

import { isDomainError } from '@sopu/core';
import type { Message } from './form-errors.ts';
import { formatDay } from './format.ts';
import { resolveLanguage } from './i18n.server.ts';
import { isDocumentKind, sectionTemplate } from '@sopu/doc-model';

/**
 * The recording form's reasons for core's field codes: a date before the request was sent names the version and its
 * day (from the issue's params), so that the secretary knows what to check, not just that something is wrong.
 */
export function decisionFieldCodes(error: unknown, request: Request): Record<string, Message> {
  const codes: Record<string, Message> = {
    'meetingDate:required': { key: 'validation.required' },
    'decisionDate:required': { key: 'validation.required' },
    'minutesSection:required': { key: 'validation.required' },
    'meetingDate:not_a_date': { key: 'validation.date' },
    'decisionDate:not_a_date': { key: 'validation.date' },
    'meetingDate:too_far_past': { key: 'approvals.fieldError.tooFarPast' },
    'decisionDate:too_far_past': { key: 'approvals.fieldError.tooFarPast' },
    'decisionDate:in_future': { key: 'approvals.fieldError.decisionInFuture' },
    'meetingDate:too_far_future': { key: 'approvals.fieldError.meetingTooFarAhead' },
    'minutesSection:invalid': { key: 'approvals.fieldError.minutesSection' },
    'minutesUrl:invalid': { key: 'approvals.fieldError.minutesUrl' },
    'finalDate:required': { key: 'validation.required' },
    'signedDate:required': { key: 'validation.required' },
    'finalDate:not_a_date': { key: 'validation.date' },
    'signedDate:not_a_date': { key: 'validation.date' },
    'finalDate:in_future': { key: 'approvals.fieldError.laterInFuture' },
    'signedDate:in_future': { key: 'approvals.fieldError.laterInFuture' },
  };
  for (const field of ['meetingDate', 'decisionDate', 'minutesSection', 'minutesUrl']) codes[`${field}:changes_decision`] = { key: 'approvals.fieldError.changesDecision' };
  const lang = resolveLanguage(request);
  const issues = isDomainError(error) && Array.isArray(error.details.issues) ? (error.details.issues as Array<{ path?: string[]; code?: string; params?: { version?: number; sentOn?: string; decisionDate?: string } }>) : [];
  for (const issue of issues) {
    const path = issue.path?.[0];
    if (issue.code === 'before_sent' && (path === 'meetingDate' || path === 'decisionDate')) {
      const key = path === 'meetingDate' ? 'approvals.fieldError.meetingBeforeSent' : 'approvals.fieldError.decisionBeforeSent';
      codes[`${path}:before_sent`] = { key, values: { version: issue.params?.version ?? '', date: formatDay(issue.params?.sentOn, lang) } };
    }
    if (issue.code === 'not_after_decision') codes['finalDate:not_after_decision'] = { key: 'approvals.fieldError.finalNotAfterDecision', values: { date: formatDay(issue.params?.decisionDate, lang) } };
    if (issue.code === 'before_decision') codes['signedDate:before_decision'] = { key: 'approvals.fieldError.signedBeforeDecision', values: { date: formatDay(issue.params?.decisionDate, lang) } };
  }
  return codes;
}

/** A version refused for its pending suggestions (decision 025): how many, and in which sections (by their titles). */
export function pendingSuggestionsMessage(error: unknown, request: Request): { key: string; values: Record<string, string | number> } | null {
  if (!isDomainError(error) || error.code !== 'conflict' || error.details.reason !== 'pending_suggestions') return null;
  const lang = resolveLanguage(request);
  const kind = error.details.documentKind;
  const keys = Array.isArray(error.details.sections) ? error.details.sections.filter((k): k is string => typeof k === 'string') : [];
  const titles = keys.map((key) => (typeof kind === 'string' && isDocumentKind(kind) ? sectionTemplate(kind, key)?.title[lang] : undefined) ?? key);
  return { key: 'approvals.pendingSuggestions', values: { count: Number(error.details.count) || 0, sections: titles.join(', ') } };
}
