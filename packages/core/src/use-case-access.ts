import type { Permission } from './shared/roles.ts';

/**
 * Which permission of the roles table (shared/roles.ts `can`) each use case that acts for a person requires: the table the
 * generated test (use-case-access.test.ts) holds every such use case to, called as every role of a demo area. Every
 * exported function of core taking an `actor` must be listed here, or that test fails: a new use case joins the table
 * by being written down, not by someone remembering a test.
 *
 * - `permission`: what the person needs in the area of what the use case acts on (`'self'`: their own data, which
 *   names no area: every person). A use case with a rule of its own on top (only one's own municipality, comment or
 *   thread) is listed with what it needs for one's own.
 * - `onRules`: for a use case on a document, the permission when the document is the host's administrative rules
 *   (`permission` is then the cooperation agreement's).
 * - `refusal`: how a person without the permission is refused: `forbidden` (the default), or `not_found` where the
 *   thing does not exist for them (a draft round is the host admin's alone).
 */
export interface UseCaseAccess {
  permission: Permission | 'self';
  onRules?: Permission;
  refusal?: 'forbidden' | 'not_found';
}

const read: UseCaseAccess = { permission: 'area.read' };

export const USE_CASE_ACCESS = {
  // The person and the area.
  getMe: { permission: 'self' },
  getArea: read,
  getAreaDashboard: read,
  listNotifications: { permission: 'self' },
  // The person's second factor (the account page).
  getSecondFactorStatus: { permission: 'self' },
  startSecondFactorSetup: { permission: 'self' },
  finishSecondFactorSetup: { permission: 'self' },
  disableSecondFactor: { permission: 'self' },
  regenerateRecoveryCodes: { permission: 'self' },
  markNotificationsRead: { permission: 'self' },
  // One's own mail settings and calendar feed (notify/).
  getMailSettings: { permission: 'self' },
  updateMailSettings: { permission: 'self' },
  createCalendarFeed: { permission: 'self' },
  revokeCalendarFeed: { permission: 'self' },
  // Members and invitations.
  inviteMember: { permission: 'members.manage' },
  listPendingInvitations: { permission: 'members.manage' },
  revokeInvitation: { permission: 'members.manage' },
  changeMemberRole: { permission: 'members.manage' },
  removeMember: { permission: 'members.manage' },
  listOutbox: { permission: 'outbox.read' },
  listAuditLog: { permission: 'audit.read' },
  // Documents and versions.
  listDocuments: read,
  openDocument: read,
  documentAccessOf: read,
  createDocument: { permission: 'documents.create' },
  saveVersion: { permission: 'agreement.edit', onRules: 'rules.edit' },
  restoreVersion: { permission: 'agreement.edit', onRules: 'rules.edit' },
  listVersions: read,
  getVersion: read,
  compareVersions: read,
  // Two languages (decision 026).
  getTranslations: read,
  makeDocumentBilingual: { permission: 'documents.create' },
  markTranslationUpdated: { permission: 'agreement.edit', onRules: 'rules.edit' },
  // Comments.
  listThreads: read,
  listMentionable: read,
  createThread: { permission: 'comments.write' },
  addComment: { permission: 'comments.write' },
  editComment: { permission: 'comments.write' },
  deleteComment: { permission: 'comments.write' },
  resolveThread: { permission: 'comments.write' },
  reopenThread: { permission: 'comments.write' },
  hideComment: { permission: 'comments.moderate' },
  // Council approvals.
  approvalsOverview: read,
  sendForApproval: { permission: 'approvals.send' },
  recordCouncilDecision: { permission: 'approvals.record' },
  issueApprovalToken: { permission: 'approvals.tokens' },
  listApprovalTokens: { permission: 'approvals.tokens' },
  revokeApprovalToken: { permission: 'approvals.tokens' },
  // Consultation rounds on the administrative rules.
  listRounds: read,
  listAreaRounds: read,
  getRound: read,
  getConsultationSummary: read,
  listAdoptions: read,
  createConsultationRound: { permission: 'consultation.manage' },
  openConsultationRound: { permission: 'consultation.manage' },
  updateDraftRound: { permission: 'consultation.manage', refusal: 'not_found' },
  openDraftRound: { permission: 'consultation.manage', refusal: 'not_found' },
  discardDraftRound: { permission: 'consultation.manage', refusal: 'not_found' },
  closeRound: { permission: 'consultation.manage' },
  remindInvitees: { permission: 'consultation.manage' },
  respondToStatements: { permission: 'consultation.manage' },
  publishSummary: { permission: 'consultation.manage' },
  recordAdoption: { permission: 'consultation.manage' },
  submitStatement: { permission: 'consultation.answer' },
  addRoundAttachment: { permission: 'consultation.manage' },
  addStatementAttachment: { permission: 'consultation.answer' },
  getAttachment: read,
  removeAttachment: { permission: 'consultation.answer' },
  // The area's settings, the tables they make, the checks.
  getAreaSettings: read,
  updateLabourForce: { permission: 'area.settings' },
  updateJointBody: { permission: 'area.settings' },
  updateExceptionGround: { permission: 'area.settings' },
  updateMilestones: { permission: 'area.settings' },
  updateKeyFacts: { permission: 'area.settings' },
  updateEntryIntoForce: { permission: 'area.settings' },
  updateSecondFactorRequirement: { permission: 'area.settings' },
  chairRotation: { permission: 'area.settings' },
  calculateCostShares: { permission: 'area.settings' },
  listChecks: read,
  // Files (docs/decisions/022): what the pages show, as DOCX, PDF or CSV; verify answers in the person's own areas.
  exportVersion: read,
  exportCurrent: read,
  decisionProposal: { permission: 'approvals.record' },
  approvalsMatrix: read,
  consultationSummaryFile: read,
  verifyExport: { permission: 'self' },
  updateDirectEditing: { permission: 'area.settings' },
  updateConsultationPeriod: { permission: 'area.settings' },
  // The negotiation: suggested changes, positions per section, agreed sections (docs/decisions/025).
  listSuggestions: read,
  listSuggestionDecisions: read,
  decideSuggestion: { permission: 'negotiation.decide' },
  decideAuthorSuggestions: { permission: 'negotiation.decide' },
  listPositions: read,
  setPosition: { permission: 'positions.record' },
  agreeSection: { permission: 'negotiation.decide' },
  reopenSection: { permission: 'negotiation.decide' },
} as const satisfies Record<string, UseCaseAccess>;

export type UseCaseName = keyof typeof USE_CASE_ACCESS;
