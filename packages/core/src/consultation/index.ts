// The face of consultation: consultation rounds on the administrative rules, statements, responses, summary and adoption.
// Other features import consultation from here only (docs/decisions/021-feature-folders.md).

export { adoptionInput, type AdoptionView, listAdoptions, recordAdoption } from './adoption.ts';
export {
  type AdoptionRefusalReason, adoptionVerdict, type AdoptionVerdict, changedSections, closeRefusal, daysLeft, deadlinePassed, type DeadlineProblem,
  draftRefusal, hearingEnded, INVITEE_EVENTS, INVITEE_STATUSES, INVITEE_TRANSITIONS, type InviteeEvent, type InviteeStatus, inviteeTransition,
  consultationDays, itemsToAnswer, membersHeard, questionItemKey, questionOfItemKey, shortPeriod, type MinimumPeriod, type ShortPeriod, missingResponses, openRefusal, parseDeadline, publishRefusal, type Refusal, reminderRefusal, respondRefusal,
  RESPONSE_STATUSES, type ResponseStatus, ROUND_EVENT_PERMISSION, ROUND_EVENTS, ROUND_STATES, ROUND_TRANSITIONS, type RoundEvent, roundEventOutcome,
  type RoundFacts, type RoundOutcome, type RoundState, roundTransition, roundVisible, statementRefusal,
} from './consultation.rules.ts';
export {
  closeRound, createConsultationRound, createRoundInput, discardDraftRound, draftRoundUpdateInput, getRound, listAreaRounds, listRounds,
  openConsultationRound, openDraftInput, openDraftRound, openRoundInput, statementDecisionInput, reminderInput, type ReminderResult, remindInvitees, statementInput, submitStatement,
  updateDraftRound,
} from './consultation.ts';
export type {
  ActionState, AttachmentView, InviteeView, StatementDecision, PersonRef, ResponseView, RoundSummary, RoundView, StatementRevision, TimelineEvent,
} from './consultation.view.ts';
export { type ConsultationSummary, getConsultationSummary, publishSummary, respondToStatements, responsesInput, type SummaryRow } from './summary.ts';
export {
  addRoundAttachment, addStatementAttachment, ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, attachmentFileName, type AttachmentFile, getAttachment, removeAttachment, ROUND_ATTACHMENTS_MAX_BYTES, sniffAttachment, zipProblem,
} from './attachments.ts';
