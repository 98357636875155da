// The face of approvals: council approvals of a version, the in-force sentence, and councils' approval tokens.
// Other features import approvals from here only (docs/decisions/021-feature-folders.md).

export {
  APPROVAL_TOKEN_PREFIX, type ApprovalTokenView, authenticateApprovalToken, issueApprovalToken, issueApprovalTokenInput, type IssuedApprovalToken,
  listApprovalTokens, readApprovalToken, revokeApprovalToken,
} from './approval-tokens.ts';
export {
  allowedTargets, dateProblem, decideTransition, DECISION_EVENTS, DECISION_NOTE_MAX_LENGTH, DECISION_STATES, type DecisionEvent, type DecisionField,
  type DecisionState, EVENT_RECORDERS, eventFor, hasDecided, isAllowedMinutesUrl, isApproval, isDecided, isDecisionState, laterDateProblem,
  MINUTES_URL_MAX_LENGTH, normaliseMinutesSection, type Recorder, type RecorderStanding, REQUEST_EVENTS, REQUEST_STATUSES, REQUEST_TRANSITIONS,
  requestEventFor, type RequestStatus, requestTransition, requiredFields, shortHash, SIGNATORY_MAX_LENGTH, TRANSITIONS,
} from './approvals.rules.ts';
export {
  type ApprovalRequestView, approvalsOverview, type ApprovalsOverview, approvalTokenInfo, type ApprovalTokenInfo, type CouncilDecisionView,
  type DecisionStep, recordCouncilDecision, recordCouncilDecisionWithToken, recordDecisionInput, type RecordDecisionInput, type RecordedDecision,
  type RecordedVia, sendForApproval, sendForApprovalInput, type SentApprovalRequest, type TokenRequest, councilsOnText, type CouncilsOnText,
  proposalSubject, type ProposalAsker, type ProposalSubject, PROPOSAL_BACKGROUND_MAX_LENGTH,
} from './approvals.ts';
export {
  type ApprovalProgress, approvalSentences, type ApprovalSentences, type ApprovedText, approvedTextStatus, type CouncilApproval, dayMonth, fullDate,
  type InForce,
} from './summary.rules.ts';
