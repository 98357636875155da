// The browser-safe part of core: pure rules and constants, no database, no Node modules. UI components import
// from '@sopu/core/rules'; everything else stays behind '@sopu/core' in *.server.ts modules and loaders.
export { ROLES, isRole, can, type Role, type Permission, type Member } from './shared/roles.ts';
export { checkLabourForceThreshold, LABOUR_FORCE_THRESHOLD, EXCEPTION_GROUNDS, type ThresholdCheck, type ExceptionGround } from './areas/threshold.rules.ts';
export { CREATABLE_KINDS, type CreatableKind, firstLanguage, mayBeBilingual } from './documents/documents.rules.ts';
export { DOMAIN_ERROR_CODES, type DomainErrorCode } from './shared/errors.ts';
export { splitMentions, mentionToken } from './comments/mentions.rules.ts';
export {
  DECISION_STATES, DECISION_EVENTS, TRANSITIONS, EVENT_RECORDERS, OPEN_REQUEST_ONLY, allowedTargets, decideTransition, eventFor, standingOf, requiredFields, isDecisionState, isDecided, normaliseMinutesSection,
  isAllowedMinutesUrl, isCalendarDate, dateProblem, helsinkiDate, shortHash, DECISION_NOTE_MAX_LENGTH, MINUTES_URL_MAX_LENGTH,
  REQUEST_STATUSES, REQUEST_EVENTS, REQUEST_TRANSITIONS, requestTransition, requestEventFor, hasDecided, isApproval, laterDateProblem, SIGNATORY_MAX_LENGTH, PROPOSAL_BACKGROUND_MAX_LENGTH,
  type DecisionState, type DecisionEvent, type DecisionField, type RequestStatus, type Recorder, type RecorderStanding, type TransitionVerdict, type DateProblem,
} from './approvals/approvals.rules.ts';
export { joinList } from './shared/language.ts';
export { approvalSentences, approvedTextStatus, dayMonth, fullDate, type ApprovalProgress, type ApprovalSentences, type ApprovedText, type CouncilApproval, type InForce } from './approvals/summary.rules.ts';
export {
  labourForceCheck, sourceIn, majorityCheck, tieRuleCheck, requiredTopicsCheck, mentionsTieRule, pickLanguage, inLanguage, formatInteger, formatDecimal, formatPercent, formatEuros, formatDate,
  EXCEPTION_GROUND_LABELS, CHECKED_KINDS, type CheckStatus, type CheckVerdict, type Localised, type Lang, type CheckedKind, type TopicState, type LabourForceFacts,
} from './areas/checks.rules.ts';
export { readTypedNumber, type NumberProblem, type TypedNumber } from './areas/typed-number.rules.ts';
export { voteShares, SEATS_MAX, VOTES_PER_SEAT_MAX, type VoteShares, type VoteShare, type VoteVerdict, type VoteReason, type JointBodyMember } from './areas/vote-shares.rules.ts';
export { generateChairRotation, ROTATION_MIN_MEMBERS, ROTATION_MAX_MEMBERS, ROTATION_MIN_YEARS, ROTATION_MAX_YEARS, type RotationYear } from './areas/chair-rotation.rules.ts';
export { computeCostShares, COST_SHARE_KEYS, FIGURE_DECIMALS, NET_COSTS_MAX_CENTS, type CostShareKey, type CostShares, type CostShareRow } from './areas/cost-shares.rules.ts';
export { MILESTONE_KINDS, type MilestoneKind } from './areas/milestones.rules.ts';
export { STANCES, POSITION_TEXT_MAX, DECISION_REASON_MAX, PLACEHOLDER, agreeProblems, type Stance, type AgreeProblem } from './negotiation/negotiation.rules.ts';
export { writeModeOf, type WriteMode } from './documents/documents.rules.ts';
export { DIRECT_EDITING, type DirectEditing } from './shared/roles.ts';
export { consultationDays, shortPeriod, parseDeadline, type MinimumPeriod, type ShortPeriod } from './consultation/consultation.rules.ts';
export { MAIL_KINDS, MAIL_MODES, MAIL_LANGUAGES, DEFAULT_MAIL_MODE, type MailKind, type MailMode } from './notify/notify.rules.ts';
