export { DomainError, isDomainError, DOMAIN_ERROR_CODES, type DomainErrorCode } from './shared/errors.ts';
export { ROLES, isRole, can, type Role, type Permission, type Member } from './shared/roles.ts';
export type { CoreDeps, Actor, DocumentWriter, DocumentAudit } from './shared/deps.ts';
export { createStoreDocumentWriter } from './documents/index.ts';
export { AREA_STATUSES, type Area, type AreaStatus, type KeyFact, type Municipality, type MunicipalityRef, type Membership } from './shared/tenancy.repository.ts';
export type { MemberSummary } from './members/index.ts';
export type { DocumentSummary } from './documents/index.ts';
export { requireAreaAccess, type AreaAccess } from './shared/access.ts';
export type { RouteAccess, RouteHandle } from './shared/route-access.ts';
export { login, logout, authenticate, pruneExpired, deviceCookieHeader, type LoginInput } from './session/index.ts';
export {
  beginLogin, completeLogin, completeEnrolment, enrolmentOfChallenge, identityProviderDomain, CHALLENGE_TTL_MS, disableSecondFactor, getSecondFactorStatus, pendingEnrolment, confirmEnrolment,
  regenerateRecoveryCodes, secondFactorPolicy, findLoginChallenge, startSecondFactorSetup, finishSecondFactorSetup, type ChallengeInput, type EnrolmentView, type LoginStep, type SecondFactorPolicy, type SecondFactorStatus, type SignedIn,
} from './session/index.ts';
export { getUnlock, unlockLogin, mailUnlockLink, UNLOCK_TTL_MS, UNLOCK_MAIL_INTERVAL_MS, type UnusableUnlock } from './session/index.ts';
export { recordSecurityEvent, securityEventsOf, SECURITY_LOG_RETENTION_MS, type SecurityEvent, type SecurityEventKind, type SecurityLogEntry } from './shared/security-log.ts';
export { getMe, getArea, getAreaDashboard, type Me, type AreaSummary, type AreaDashboard } from './areas/index.ts';
export {
  inviteMember, listPendingInvitations, revokeInvitation, getInvitation, acceptInvitation, acceptInvitationAndSignIn, changeMemberRole, removeMember,
  inviteMemberInput, acceptInvitationInput, changeRoleInput, SIGN_IN_AS_INVITEE, NAME_TAKEN, type PendingInvitation, type InvitationView,
} from './members/index.ts';
export { listDocuments, openDocument, createDocument, authorizeDocumentConnection, authorizeDocumentConnections, canEditDocument, createDocumentInput, type OpenDocument, type DocumentConnection, type ConnectionVerdict } from './documents/index.ts';
export {
  listOutbox, deliverOutbox, listDevMailbox, redactMailBody, enqueueMail, REDACTED_LINK, MAIL_RETRY_DELAYS_MS, MAIL_MAX_ATTEMPTS, MAIL_SEND_LEASE_MS,
  type OutboxMessage, type OutboxStatus, type SendMail, type OutgoingMail, type MailAttachment, type NewMail, type DevMailboxMessage,
} from './shared/outbox.ts';
export { recordNotificationEvent, type NotificationEventKind, type NotificationEventInput } from './shared/notification-events.ts';
export {
  runMailWork, pruneNotifications, planEvents, planReminders, detectStaleApprovals, composeDue, getMailSettings, updateMailSettings, mailSettingsInput,
  getUnsubscribe, unsubscribe, createCalendarFeed, revokeCalendarFeed, calendarFeed, calendarFile, MAIL_KINDS, MAIL_MODES, MAIL_LANGUAGES, DEFAULT_MAIL_MODE,
  GATHER_MS, isMailKind, isMailMode, mailLanguage,
  type MailKind, type MailMode, type MailSettings, type UnsubscribeView, type MailWorkOptions, type MailWorkResult, type NotifyOptions,
} from './notify/index.ts';
export { isLocalUrl, isLoopbackHostname, isLoopbackAddress, demoSeeding, mailDelivery, type MailDelivery } from './shared/deployment.ts';
export { listAuditLog, type AuditPage } from './shared/audit-log.ts';
export { createAuditLog, resolveAuditKey, auditDetailsJson, AUDIT_DETAILS_MAX_BYTES, GENESIS_HASH, type AuditLog, type AuditEvent, type AuditInput, type AuditProblem } from './shared/audit.ts';
export { checkLabourForceThreshold, LABOUR_FORCE_THRESHOLD, EXCEPTION_GROUNDS, type ThresholdCheck, type ExceptionGround } from './areas/index.ts';
export { emailSchema, parseInput } from './shared/validation.ts';
export { CREATABLE_KINDS, type CreatableKind } from './documents/index.ts';
export { getTranslations, makeDocumentBilingual, markTranslationUpdated, markTranslationInput, type DocumentTranslations } from './documents/index.ts';
export { listThreads, listMentionable, createThread, addComment, editComment, deleteComment, hideComment, resolveThread, reopenThread, canResolveThread, COMMENT_MAX_LENGTH, createThreadInput, commentInput, hideCommentInput, type ThreadView, type CommentView, type Person, type ThreadStatus } from './comments/index.ts';
export { listNotifications, markNotificationsRead, type NotificationView, type NotificationList } from './comments/index.ts';
export { createFeedSignal, readFeedAfter, latestFeedId, pruneFeed, type FeedEvent, type FeedSignal } from './shared/feed.ts';
export { mentionToken, mentionedIds, renderMentions, splitMentions } from './comments/index.ts';
export { loadDocumentState, loadRepairedDocument, contentRepairedAudit } from './documents/index.ts';
export { saveVersion, listVersions, getVersion, restoreVersion, compareVersions, comparisonTarget, type Comparison, type ComparisonSide, currentContent, documentAccessOf, canVersion, versionNumber, type VersionSummary, type VersionDetail, type VersionSection } from './versions/index.ts';
export {
  sendForApproval, recordCouncilDecision, recordCouncilDecisionWithToken, approvalsOverview, approvalTokenInfo, sendForApprovalInput,
  recordDecisionInput, type ApprovalsOverview, type ApprovalRequestView, type CouncilDecisionView, type DecisionStep, type RecordedVia,
  type RecordedDecision, type SentApprovalRequest, type ApprovalTokenInfo, type TokenRequest, type RecordDecisionInput,
} from './approvals/index.ts';
export { APPROVABLE_KINDS, type ApprovableKind } from './documents/index.ts';
export { issueApprovalToken, listApprovalTokens, revokeApprovalToken, readApprovalToken, APPROVAL_TOKEN_PREFIX, issueApprovalTokenInput, type ApprovalTokenView, type IssuedApprovalToken } from './approvals/index.ts';
export {
  DECISION_STATES, DECISION_EVENTS, TRANSITIONS, EVENT_RECORDERS, allowedTargets, decideTransition, eventFor, requiredFields, isDecisionState,
  isDecided, normaliseMinutesSection, isAllowedMinutesUrl, dateProblem, shortHash, REQUEST_STATUSES, REQUEST_EVENTS, REQUEST_TRANSITIONS,
  requestTransition, requestEventFor, hasDecided, isApproval, laterDateProblem, SIGNATORY_MAX_LENGTH, DECISION_NOTE_MAX_LENGTH,
  MINUTES_URL_MAX_LENGTH, type DecisionState, type DecisionEvent, type DecisionField, type RequestStatus, type Recorder, type RecorderStanding,
} from './approvals/index.ts';
export { isCalendarDate, helsinkiDate } from './shared/helsinki.ts';
export { joinList, languageOfMunicipality } from './shared/language.ts';
export { approvalSentences, approvedTextStatus, dayMonth, fullDate, type ApprovalProgress, type ApprovalSentences, type ApprovedText, type CouncilApproval, type InForce } from './approvals/index.ts';
export {
  ROUND_STATES, ROUND_EVENTS, ROUND_TRANSITIONS, roundTransition, ROUND_EVENT_PERMISSION, roundVisible, roundEventOutcome, draftRefusal,
  openRefusal, INVITEE_STATUSES, INVITEE_EVENTS, INVITEE_TRANSITIONS, inviteeTransition, RESPONSE_STATUSES, parseDeadline, daysLeft, deadlinePassed,
  statementRefusal, closeRefusal, reminderRefusal, respondRefusal, publishRefusal, adoptionVerdict, membersHeard, hearingEnded, itemsToAnswer,
  missingResponses, changedSections, type RoundState, type RoundEvent, type RoundOutcome, type InviteeStatus, type InviteeEvent,
  type ResponseStatus, type Refusal, type RoundFacts, type AdoptionVerdict, type AdoptionRefusalReason, type DeadlineProblem,
} from './consultation/index.ts';
export { HELSINKI, helsinkiLocalIso, helsinkiOffsetMinutes } from './shared/helsinki.ts';
export { addDays, parseDateTime, type DateTimeProblem } from './shared/helsinki.ts';
export { createConsultationRound, openConsultationRound, updateDraftRound, openDraftRound, discardDraftRound, createRoundInput, draftRoundUpdateInput, listRounds, listAreaRounds, getRound, submitStatement, closeRound, remindInvitees, openRoundInput, statementInput, reminderInput, type ReminderResult } from './consultation/index.ts';
export { respondToStatements, publishSummary, getConsultationSummary, responsesInput, type ConsultationSummary, type SummaryRow } from './consultation/index.ts';
export { recordAdoption, listAdoptions, adoptionInput, type AdoptionView } from './consultation/index.ts';
export type { RoundSummary, RoundView, InviteeView, StatementRevision, ResponseView, TimelineEvent, ActionState, PersonRef } from './consultation/index.ts';
export { consultationPeriodOf } from './areas/index.ts';
export { addRoundAttachment, addStatementAttachment, getAttachment, removeAttachment, ATTACHMENT_MAX_BYTES, ROUND_ATTACHMENTS_MAX_BYTES, type AttachmentFile, type AttachmentView, type StatementDecision, shortPeriod, consultationDays } from './consultation/index.ts';
export type { NotificationKind } from './comments/index.ts';
export {
  getAreaSettings, updateLabourForce, updateJointBody, updateExceptionGround, updateMilestones, updateKeyFacts, updateEntryIntoForce, updateDirectEditing, directEditingInput, updateConsultationPeriod, consultationPeriodInput, updateSecondFactorRequirement,
  entryIntoForceInput, labourForceInput, jointBodyInput, exceptionInput, milestonesInput, keyFactsInput, MILESTONE_KINDS, MILESTONES_MAX,
  KEY_FACTS_MAX, LABOUR_FORCE_MAX, type AreaSettings, type EntryIntoForce, type MunicipalitySettings, type Milestone, type MilestoneKind,
  type CostShareCalculationView,
} from './areas/index.ts';
export { daysBetween } from './shared/helsinki.ts';
export { chairRotation, calculateCostShares, chairRotationInput, costSharesInput, ROTATION_SECTION, COST_SHARE_SECTION, type ChairRotation, type CostShareTable, type InsertedTable, type TableLanguage } from './areas/index.ts';
export { listChecks, type AreaCheck } from './areas/index.ts';
export {
  labourForceCheck, majorityCheck, tieRuleCheck, requiredTopicsCheck, mentionsTieRule, pickLanguage, inLanguage, formatInteger, formatDecimal,
  formatPercent, formatEuros, formatDate, EXCEPTION_GROUND_LABELS, CHECKED_KINDS, type CheckStatus, type CheckVerdict, type Localised,
  type CheckedKind, type TopicState, type LabourForceFacts,
} from './areas/index.ts';
export type { Lang } from './shared/language.ts';
export { voteShares, SEATS_MAX, VOTES_PER_SEAT_MAX, type VoteShares, type VoteShare, type VoteVerdict, type VoteReason, type JointBodyMember } from './areas/index.ts';
export { generateChairRotation, ROTATION_MIN_MEMBERS, ROTATION_MAX_MEMBERS, ROTATION_MIN_YEARS, ROTATION_MAX_YEARS, type RotationYear } from './areas/index.ts';
export { computeCostShares, COST_SHARE_KEYS, FIGURE_DECIMALS, NET_COSTS_MAX_CENTS, type CostShareKey, type CostShares, type CostShareRow, type CostShareInput } from './areas/index.ts';
export { apportion, toUnits } from './areas/index.ts';
export { insertArea, newAreaInput, toNewArea, MUNICIPALITY_LANGUAGES, isBilingual, type NewArea, type NewAreaInput, type NewMunicipality, type MunicipalityLanguage } from './areas/index.ts';
export { USE_CASE_ACCESS, type UseCaseAccess, type UseCaseName } from './use-case-access.ts';
export { createArea, listAreas, setAreaStatus, exportArea, verifyAuditChains, createAreaInput, EXPORT_EXCLUDED, EXPORTED_TABLES, type CreatedAreaReport, type AreaListing, type AreaExport, type AuditChainReport } from './areas/index.ts';
export { USE_IDENTITY_PROVIDER } from './shared/identity-domains.ts';
export { userText, nameText, optionalNameText, cleanText, balanceBidi, nameKey, BIDI_CONTROLS, REQUIRED_MESSAGE, type UserTextOptions } from './shared/text.ts';
export {
  addIdentityProvider, addIdentityProviderInput, type AddIdentityProviderInput, identityProviderOrigins, type IdentityProviderListing, listIdentityProviders, REDIRECT_PATH, redirectUri, removeIdentityProvider,
  beginProviderSignIn, type CallbackInput, completeProviderSignIn, IDP_RECHECK_GRACE_MS, IDP_RECHECK_MS, IDP_SESSION_WITHOUT_REFRESH_MS, OIDC_STATE_TTL_MS, recheckProviderSessions, SIGN_IN_REFUSALS, type SignInRefusal,
  signInMethod,
} from './identity/index.ts';
export {
  exportVersion, exportCurrent, decisionProposal, decisionProposalWithToken, approvalsMatrix, consultationSummaryFile, verifyExport, sniffExportType, verifyInput,
  CONTENT_TYPES, DOCUMENT_FORMATS, PROPOSAL_FORMATS, SUMMARY_FORMATS, MATRIX_FORMATS, VERIFY_MAX_BYTES, type ExportedFile, type VerifyResult, type VerifyMiss,
  type DocumentFormat, type MatrixFormat,
} from './exports/index.ts';
export { PROPOSAL_BACKGROUND_MAX_LENGTH } from './approvals/index.ts';
export {
  agreeSection, agreeSectionInput, decideAuthorSuggestions, decideAuthorSuggestionsInput, type DecidedSuggestions, decideSuggestion, decideSuggestionInput,
  listPositions, listSuggestionDecisions, listSuggestions, type PositionsOverview, type PositionView, positionInput, reopenSection, reopenSectionInput,
  type SuggestionDecisionView, type SuggestionView, setPosition, agreeProblems, type AgreeProblem, DECISION_REASON_MAX, PLACEHOLDER, POSITION_TEXT_MAX,
  type Stance, STANCES,
} from './negotiation/index.ts';
export { writeModeOf, type WriteMode } from './documents/index.ts';
export { DIRECT_EDITING, type DirectEditing } from './shared/tenancy.repository.ts';
