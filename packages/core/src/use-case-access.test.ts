import { createHash } from 'node:crypto';
import { sql, type Db } from '@sopu/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as core from './index.ts';
import { calculateCostShares, chairRotation } from './areas/index.ts';
import { issueApprovalToken, listApprovalTokens, revokeApprovalToken } from './approvals/index.ts';
import { approvalsOverview, recordCouncilDecision, sendForApproval } from './approvals/index.ts';
import { getArea, getAreaDashboard, getMe } from './areas/index.ts';
import { listChecks } from './areas/index.ts';
import { getAreaSettings, updateEntryIntoForce, updateExceptionGround, updateJointBody, updateKeyFacts, updateLabourForce, updateMilestones } from './areas/index.ts';
import { listAuditLog } from './shared/audit-log.ts';
import { addComment, createThread, deleteComment, editComment, hideComment, listMentionable, listThreads, reopenThread, resolveThread } from './comments/index.ts';
import {
  listAdoptions, recordAdoption, parseDeadline, getConsultationSummary, publishSummary, respondToStatements, closeRound, createConsultationRound,
  discardDraftRound, getRound, listAreaRounds, listRounds, openConsultationRound, openDraftRound, remindInvitees, submitStatement, updateDraftRound,
} from './consultation/index.ts';
import { helsinkiDate } from './shared/helsinki.ts';
import type { Actor } from './shared/deps.ts';
import { createDocument, getTranslations, listDocuments, makeDocumentBilingual, markTranslationUpdated, openDocument } from './documents/index.ts';
import { canonicalSections, documentLanguages, makeBilingual } from '@sopu/doc-model';
import { isDomainError } from './shared/errors.ts';
import { newId } from './shared/ids.ts';
import { changeMemberRole, inviteMember, listPendingInvitations, removeMember, revokeInvitation } from './members/index.ts';
import { listNotifications, markNotificationsRead } from './comments/index.ts';
import { disableSecondFactor, finishSecondFactorSetup, getSecondFactorStatus, regenerateRecoveryCodes, startSecondFactorSetup } from './session/index.ts';
import { updateSecondFactorRequirement } from './areas/index.ts';
import { generateTotpKey, totpCode, totpStep } from '@sopu/auth';
import { createCalendarFeed, getMailSettings, revokeCalendarFeed, updateMailSettings } from './notify/index.ts';
import { listOutbox } from './shared/outbox.ts';
import { can, type Member } from './shared/roles.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, fixtureFile, writeSection, type TestDeps } from './testing.ts';
import { USE_CASE_ACCESS, type UseCaseAccess, type UseCaseName } from './use-case-access.ts';
import { compareVersions, documentAccessOf, getVersion, listVersions, restoreVersion, saveVersion } from './versions/index.ts';
import { approvalsMatrix, consultationSummaryFile, decisionProposal, exportCurrent, exportVersion, verifyExport } from './exports/index.ts';
import { agreeSection, decideAuthorSuggestions, decideSuggestion, listPositions, listSuggestionDecisions, listSuggestions, reopenSection, setPosition } from './negotiation/index.ts';
import { updateConsultationPeriod, updateDirectEditing } from './areas/index.ts';
import { addRoundAttachment, addStatementAttachment, getAttachment, removeAttachment } from './consultation/index.ts';

/** The smallest file file-type reads as a PDF. */
const TINY_PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

async function statementIdOf(c: Call, code: string): Promise<string> {
  const row = await c.t.db
    .selectFrom('consultation_invitees')
    .innerJoin('municipalities', 'municipalities.id', 'consultation_invitees.municipality_id')
    .select('consultation_invitees.id')
    .where('consultation_invitees.consultation_round_id', '=', c.fx.openRound)
    .where('municipalities.code', '=', code)
    .executeTakeFirstOrThrow();
  return row.id;
}
import * as Y from 'yjs';

/*
 * Every use case that acts for a person, called as every role of a demo area, each with input that would be valid
 * for that person, and held to the roles table: allowed exactly when `can` says so (USE_CASE_ACCESS names the
 * permission), refused `forbidden` (or `not_found`, where the table says so) otherwise, and a refusal changes no row
 * of any table. The use cases are enumerated from core's exports (every function taking an `actor`), so a new one
 * fails here until it is in the table and called below.
 */

const AREA = 'kainuu-koillismaa';
const AUDIT_KEY = new Uint8Array(32).fill(7);

/** The roles of the demo area, and the member who plays each (Kajaani is the host). */
const PEOPLE = {
  host_admin: { email: 'admin.kajaani@sopu.example', code: '205', member: { role: 'host_admin', isHostMunicipality: true } },
  drafter_of_host: { email: 'drafter.kajaani@sopu.example', code: '205', member: { role: 'drafter', isHostMunicipality: true } },
  drafter_of_member: { email: 'drafter.sotkamo@sopu.example', code: '765', member: { role: 'drafter', isHostMunicipality: false } },
  member_rep: { email: 'rep.kuhmo@sopu.example', code: '290', member: { role: 'member_rep', isHostMunicipality: false } },
  council_secretary: { email: 'secretary.kuhmo@sopu.example', code: '290', member: { role: 'council_secretary', isHostMunicipality: false } },
  viewer: { email: 'viewer.kuhmo@sopu.example', code: '290', member: { role: 'viewer', isHostMunicipality: false } },
} as const satisfies Record<string, { email: string; code: string; member: Member }>;
type Who = keyof typeof PEOPLE;

/** What the fixture holds: ids the calls use. */
interface Fixture {
  agreement: string;
  rules: string;
  /** An open approval request of the agreement's version 1. */
  request: string;
  /** An open round on the rules' version 2, every member invited. */
  openRound: string;
  /** A closed round on the rules' version 1: only Kuhmo invited, and it answered. */
  closedRound: string;
  /** A draft round. */
  draft: string;
  /** A thread on the agreement, started by Sotkamo's drafter, with one comment. */
  thread: string;
  comment: string;
}

interface Call {
  t: TestDeps;
  fx: Fixture;
  actor: Actor;
  who: Who;
  /** The person's own municipality's code (Kajaani's people: another member's, where the host cannot be the subject). */
  code: string;
  /** The document the call acts on, where the table distinguishes the agreement and the rules. */
  document: string;
  /** Different for every call, for names and addresses that must be unique. */
  n: number;
}

/** How to call each use case: `prepare` (run as the host admin before the call, not counted as the call) makes the state the call needs. */
type Invoker = { run: (c: Call) => Promise<unknown>; prepare?: (c: Call) => Promise<Record<string, string>> };
const prepared = new Map<Call, Record<string, string>>();
const get = (c: Call, key: string) => prepared.get(c)![key]!;

const DEADLINE_PASSED = Date.UTC(2026, 11, 16, 10, 0, 0);

/** Closes the open round (its deadline passed), once: another round can then be opened. */
async function closeOpenRound(c: Call) {
  const round = await c.t.db.selectFrom('consultation_rounds').select('state').where('id', '=', c.fx.openRound).executeTakeFirstOrThrow();
  if (round.state !== 'open') return;
  c.t.clock.set(DEADLINE_PASSED);
  await closeRound(c.t.deps, await admin(c), c.fx.openRound);
}
const admin = (c: Call) => actorFor(c.t.deps, PEOPLE.host_admin.email);

/** A thread (with its first comment) on the agreement whose author is `c.actor`, written as a writer would, whoever they are. */
async function ownThread(c: Call, resolved: boolean): Promise<string> {
  const thread = await createThread(c.t.deps, await admin(c), c.fx.agreement, { section: 'parties', body: `Oma ketju ${c.n}` });
  if (resolved) await resolveThread(c.t.deps, await admin(c), thread.id);
  await c.t.db.updateTable('comment_threads').set({ created_by: c.actor.userId }).where('id', '=', thread.id).execute();
  await c.t.db.updateTable('comments').set({ author_id: c.actor.userId }).where('thread_id', '=', thread.id).execute();
  return thread.id;
}
async function ownComment(c: Call): Promise<string> {
  const id = newId();
  const areaId = (await c.t.db.selectFrom('comment_threads').select('area_id').where('id', '=', c.fx.thread).executeTakeFirstOrThrow()).area_id;
  await c.t.db
    .insertInto('comments')
    .values({ id, area_id: areaId, thread_id: c.fx.thread, author_id: c.actor.userId, body: 'Oma kommentti', mentions: '[]', created_at: c.t.clock.now(), edited_at: null, deleted_at: null, hidden_at: null, hidden_by: null, hidden_reason: null })
    .execute();
  return id;
}

/** A file on the person's municipality's statement in the open round, uploaded by the person (the remover's own). */
async function ownStatementFile(c: Call): Promise<string> {
  const id = newId();
  const invitee = await statementIdOf(c, c.code);
  const areaId = (await c.t.db.selectFrom('consultation_rounds').select('area_id').where('id', '=', c.fx.openRound).executeTakeFirstOrThrow()).area_id;
  await c.t.db
    .insertInto('consultation_attachments')
    .values({ id, area_id: areaId, consultation_round_id: c.fx.openRound, consultation_invitee_id: invitee, file_name: 'oma.pdf', media_type: 'application/pdf', size: TINY_PDF.byteLength, sha256: 'x', content: TINY_PDF, uploaded_by: c.actor.userId, created_at: c.t.clock.now() })
    .execute();
  return id;
}

/** The person's second factor on (a known key, for a code in the call); demo accounts are password-only until then. */
async function ownSecondFactor(c: Call): Promise<Record<string, string>> {
  const key = generateTotpKey();
  await c.t.db.updateTable('users').set({ password_only: 0 }).where('id', '=', c.actor.userId).execute();
  await c.t.db
    .insertInto('totp_credentials')
    .values({ user_id: c.actor.userId, secret_enc: c.t.deps.secrets!.seal(Buffer.from(key).toString('base64'), `totp:${c.actor.userId}`), created_at: c.t.clock.now(), confirmed_at: c.t.clock.now(), last_used_step: null })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  return { key: Buffer.from(key).toString('base64') };
}
const codeOf = (c: Call) => totpCode(Buffer.from(get(c, 'key'), 'base64'), totpStep(c.t.clock.now()));
const browser = { ip: null, userAgent: null };

const INVOKERS: Record<UseCaseName, Invoker> = {
  getSecondFactorStatus: { run: (c) => getSecondFactorStatus(c.t.deps, c.actor) },
  startSecondFactorSetup: {
    prepare: async (c) => {
      await c.t.db.updateTable('users').set({ password_only: 0 }).where('id', '=', c.actor.userId).execute();
      return {};
    },
    run: (c) => startSecondFactorSetup(c.t.deps, c.actor),
  },
  finishSecondFactorSetup: {
    prepare: async (c) => {
      const owned = await ownSecondFactor(c);
      await c.t.db.updateTable('totp_credentials').set({ confirmed_at: null }).where('user_id', '=', c.actor.userId).execute();
      return owned;
    },
    run: (c) => finishSecondFactorSetup(c.t.deps, c.actor, codeOf(c), browser),
  },
  disableSecondFactor: {
    prepare: ownSecondFactor,
    run: async (c) => {
      try {
        await disableSecondFactor(c.t.deps, c.actor, codeOf(c), browser);
      } catch (error) {
        // A rule of its own on top of the permission: a host admin always needs a second factor
        // (session/second-factor.test.ts); everyone may otherwise turn their own off.
        if (c.who === 'host_admin' && isDomainError(error) && error.details.reason === 'second_factor_required') return;
        throw error;
      }
    },
  },
  regenerateRecoveryCodes: { prepare: ownSecondFactor, run: (c) => regenerateRecoveryCodes(c.t.deps, c.actor, codeOf(c), browser) },
  updateSecondFactorRequirement: { run: (c) => updateSecondFactorRequirement(c.t.deps, c.actor, AREA, { required: true }) },
  getMe: { run: (c) => getMe(c.t.db, c.actor) },
  getArea: { run: (c) => getArea(c.t.db, c.actor, AREA) },
  getAreaDashboard: { run: (c) => getAreaDashboard(c.t.db, c.actor, AREA) },
  listNotifications: { run: (c) => listNotifications(c.t.deps, c.actor) },
  markNotificationsRead: { run: (c) => markNotificationsRead(c.t.deps, c.actor, {}) },
  getMailSettings: { run: (c) => getMailSettings(c.t.deps, c.actor) },
  updateMailSettings: { run: (c) => updateMailSettings(c.t.deps, c.actor, { language: 'sv', modes: { mention: 'daily' } }) },
  createCalendarFeed: { run: (c) => createCalendarFeed(c.t.deps, c.actor) },
  revokeCalendarFeed: { run: (c) => revokeCalendarFeed(c.t.deps, c.actor) },

  inviteMember: { run: (c) => inviteMember(c.t.deps, c.actor, AREA, { email: `uusi${c.n}@example.fi`, displayName: `Uusi Henkilö ${c.n}`, municipalityCode: c.code, role: 'viewer' }) },
  listPendingInvitations: { run: (c) => listPendingInvitations(c.t.deps, c.actor, AREA) },
  revokeInvitation: {
    prepare: async (c) => ({ invitation: (await inviteMember(c.t.deps, await admin(c), AREA, { email: `kutsuttu${c.n}@example.fi`, displayName: `Kutsuttu ${c.n}`, municipalityCode: '290', role: 'viewer' })).invitationId }),
    run: (c) => revokeInvitation(c.t.deps, c.actor, AREA, get(c, 'invitation')),
  },
  changeMemberRole: { prepare: (c) => membershipOf(c, 'rep.paltamo@sopu.example'), run: (c) => changeMemberRole(c.t.deps, c.actor, AREA, get(c, 'membership'), { role: 'viewer' }) },
  removeMember: { prepare: (c) => membershipOf(c, 'rep.paltamo@sopu.example'), run: (c) => removeMember(c.t.deps, c.actor, AREA, get(c, 'membership')) },
  listOutbox: { run: (c) => listOutbox(c.t.deps, c.actor, AREA) },
  listAuditLog: { run: (c) => listAuditLog(c.t.deps, c.actor, AREA) },

  listDocuments: { run: (c) => listDocuments(c.t.db, c.actor, AREA) },
  openDocument: { run: (c) => openDocument(c.t.db, c.actor, AREA, c.fx.agreement) },
  documentAccessOf: { run: (c) => documentAccessOf(c.t.db, c.actor, c.fx.agreement) },
  createDocument: { run: (c) => createDocument(c.t.deps, c.actor, AREA, { kind: 'service_plan' }) },
  saveVersion: { run: (c) => saveVersion(c.t.deps, c.actor, c.document, { label: `Versio ${c.n}` }) },
  restoreVersion: { run: (c) => restoreVersion(c.t.deps, c.actor, c.document, 1) },
  listVersions: { run: (c) => listVersions(c.t.deps, c.actor, c.fx.agreement) },
  getVersion: { run: (c) => getVersion(c.t.deps, c.actor, c.fx.agreement, 1) },
  compareVersions: { run: (c) => compareVersions(c.t.deps, c.actor, c.fx.agreement, { from: 1, to: 'current' }) },
  getTranslations: { run: (c) => getTranslations(c.t.deps, c.actor, c.fx.agreement) },
  // The area needs a Swedish-speaking or bilingual municipality: Kuhmo is made one for the call.
  makeDocumentBilingual: {
    prepare: async (c) => {
      await c.t.db.updateTable('municipalities').set({ language: 'fi-sv' }).where('code', '=', '290').execute();
      return {};
    },
    run: (c) => makeDocumentBilingual(c.t.deps, c.actor, c.fx.agreement),
  },
  markTranslationUpdated: {
    prepare: async (c) => {
      await changeDocument(c.t.db, c.document, (doc) => {
        if (!documentLanguages(doc)) makeBilingual(doc, 'fi', new Map(canonicalSections(doc).map((s) => [s.key, s.content])), null, 0);
      });
      return {};
    },
    run: (c) => markTranslationUpdated(c.t.deps, c.actor, c.document, { section: c.document === c.fx.rules ? 'scope' : 'parties' }),
  },

  listThreads: { run: (c) => listThreads(c.t.deps, c.actor, c.fx.agreement) },
  listMentionable: { run: (c) => listMentionable(c.t.deps, c.actor, c.fx.agreement) },
  createThread: { run: (c) => createThread(c.t.deps, c.actor, c.fx.agreement, { section: 'purpose', body: `Kysymys ${c.n}` }) },
  addComment: { run: (c) => addComment(c.t.deps, c.actor, c.fx.thread, { body: `Vastaus ${c.n}` }) },
  editComment: { prepare: async (c) => ({ comment: await ownComment(c) }), run: (c) => editComment(c.t.deps, c.actor, get(c, 'comment'), { body: 'Korjattu' }) },
  deleteComment: { prepare: async (c) => ({ comment: await ownComment(c) }), run: (c) => deleteComment(c.t.deps, c.actor, get(c, 'comment')) },
  resolveThread: { prepare: async (c) => ({ thread: await ownThread(c, false) }), run: (c) => resolveThread(c.t.deps, c.actor, get(c, 'thread')) },
  reopenThread: { prepare: async (c) => ({ thread: await ownThread(c, true) }), run: (c) => reopenThread(c.t.deps, c.actor, get(c, 'thread')) },
  hideComment: { run: (c) => hideComment(c.t.deps, c.actor, c.fx.comment, { reason: 'Asiaton' }) },

  approvalsOverview: { run: (c) => approvalsOverview(c.t.deps, c.actor, AREA) },
  sendForApproval: {
    prepare: async (c) => {
      await changeDocument(c.t.db, c.fx.agreement, (doc) => writeSection(doc, 'purpose', ['Uusi tarkoitus.']));
      return { version: String((await saveVersion(c.t.deps, await admin(c), c.fx.agreement, { label: 'Toinen' })).number) };
    },
    run: (c) => sendForApproval(c.t.deps, c.actor, c.fx.agreement, { version: Number(get(c, 'version')) }),
  },
  // Each records its own municipality's council (the host admin, on a member's behalf, Paltamo's).
  recordCouncilDecision: {
    run: (c) => recordCouncilDecision(c.t.deps, c.actor, c.fx.request, { municipalityCode: c.who === 'host_admin' ? '578' : PEOPLE[c.who].code, state: 'scheduled', meetingDate: '2026-12-10' }),
  },
  issueApprovalToken: { run: (c) => issueApprovalToken(c.t.deps, c.actor, AREA, { municipalityCode: c.code, label: `Asianhallinta ${c.n}` }) },
  listApprovalTokens: { run: (c) => listApprovalTokens(c.t.deps, c.actor, AREA) },
  revokeApprovalToken: {
    prepare: async (c) => ({ token: (await issueApprovalToken(c.t.deps, await admin(c), AREA, { municipalityCode: '290', label: `Peruttava ${c.n}` })).id }),
    run: (c) => revokeApprovalToken(c.t.deps, c.actor, get(c, 'token')),
  },

  listRounds: { run: (c) => listRounds(c.t.deps, c.actor, c.fx.rules) },
  listAreaRounds: { run: (c) => listAreaRounds(c.t.deps, c.actor, AREA) },
  getRound: { run: (c) => getRound(c.t.deps, c.actor, c.fx.openRound) },
  getConsultationSummary: { run: (c) => getConsultationSummary(c.t.deps, c.actor, c.fx.closedRound) },
  listAdoptions: { run: (c) => listAdoptions(c.t.deps, c.actor, c.fx.rules) },
  createConsultationRound: { run: (c) => createConsultationRound(c.t.deps, c.actor, c.fx.rules, { version: 2, title: `Luonnos ${c.n}`, questions: [], deadline: '2026-12-20T16:00', draft: true }) },
  openConsultationRound: {
    prepare: async (c) => (await closeOpenRound(c), {}),
    run: (c) => openConsultationRound(c.t.deps, c.actor, c.fx.rules, { version: 2, title: 'Uusi kierros', questions: ['Kysymys?'], deadline: '2027-01-15T16:00' }),
  },
  updateDraftRound: { run: (c) => updateDraftRound(c.t.deps, c.actor, c.fx.draft, { title: `Muutettu ${c.n}` }) },
  openDraftRound: { prepare: async (c) => (await closeOpenRound(c), {}), run: (c) => openDraftRound(c.t.deps, c.actor, c.fx.draft) },
  discardDraftRound: { run: (c) => discardDraftRound(c.t.deps, c.actor, c.fx.draft) },
  closeRound: { prepare: async (c) => (c.t.clock.set(DEADLINE_PASSED), {}), run: (c) => closeRound(c.t.deps, c.actor, c.fx.openRound) },
  remindInvitees: { run: (c) => remindInvitees(c.t.deps, c.actor, c.fx.openRound, {}) },
  respondToStatements: { run: (c) => respondToStatements(c.t.deps, c.actor, c.fx.closedRound, RESPONSES) },
  publishSummary: {
    prepare: async (c) => (await respondToStatements(c.t.deps, await admin(c), c.fx.closedRound, RESPONSES), {}),
    run: (c) => publishSummary(c.t.deps, c.actor, c.fx.closedRound),
  },
  recordAdoption: { run: (c) => recordAdoption(c.t.deps, c.actor, c.fx.rules, { version: 1, body: 'Kajaanin kaupunginvaltuusto', date: helsinkiDate(c.t.clock.now()), minutesSection: '§ 45' }) },
  // A rep answers for their own municipality; the host admin on Kuhmo's behalf; Kajaani's drafter would answer for Kuhmo too.
  submitStatement: { run: (c) => submitStatement(c.t.deps, c.actor, c.fx.openRound, { municipalityCode: c.code, general: `Lausunto ${c.n}` }) },
  addRoundAttachment: { run: (c) => addRoundAttachment(c.t.deps, c.actor, c.fx.openRound, { file: TINY_PDF, fileName: `liite-${c.n}.pdf` }) },
  // Each to its own municipality's statement (the host admin to Kuhmo's, on its behalf).
  addStatementAttachment: { prepare: async (c) => ({ statement: await statementIdOf(c, c.code) }), run: (c) => addStatementAttachment(c.t.deps, c.actor, get(c, 'statement'), { file: TINY_PDF, fileName: `paatos-${c.n}.pdf` }) },
  getAttachment: { prepare: async (c) => ({ attachment: (await addRoundAttachment(c.t.deps, await admin(c), c.fx.openRound, { file: TINY_PDF, fileName: 'saate.pdf' })).id }), run: (c) => getAttachment(c.t.deps, c.actor, get(c, 'attachment')) },
  removeAttachment: { prepare: async (c) => ({ attachment: await ownStatementFile(c) }), run: (c) => removeAttachment(c.t.deps, c.actor, get(c, 'attachment')) },

  getAreaSettings: { run: (c) => getAreaSettings(c.t.deps, c.actor, AREA) },
  updateLabourForce: { run: (c) => updateLabourForce(c.t.deps, c.actor, AREA, { municipalities: [{ code: '290', labourForce: 3500, source: 'Tilastokeskus', year: 2024 }] }) },
  updateJointBody: { run: async (c) => updateJointBody(c.t.deps, c.actor, AREA, { municipalities: (await codes(c)).map((code) => ({ code, seats: 1, votesPerSeat: 1 })), chairCode: null }) },
  updateExceptionGround: { run: (c) => updateExceptionGround(c.t.deps, c.actor, AREA, { grounds: ['language_rights'], permit: null }) },
  updateMilestones: { run: (c) => updateMilestones(c.t.deps, c.actor, AREA, { milestones: [{ kind: 'in_force', label: { fi: 'Voimaan' }, date: '2027-01-01' }] }) },
  updateKeyFacts: { run: (c) => updateKeyFacts(c.t.deps, c.actor, AREA, { facts: [{ fi: 'Fakta', sv: 'Faktum' }] }) },
  updateEntryIntoForce: { run: (c) => updateEntryIntoForce(c.t.deps, c.actor, AREA, { date: '2027-01-01' }) },
  chairRotation: { run: (c) => chairRotation(c.t.deps, c.actor, AREA, { startYear: 2027, years: 2, insert: true }) },
  calculateCostShares: { run: (c) => calculateCostShares(c.t.deps, c.actor, AREA, { year: 2027, netCosts: 1000, key: 'labour_force', insert: true }) },
  listChecks: { run: (c) => listChecks(c.t.deps, c.actor, AREA) },

  exportVersion: { run: (c) => exportVersion(c.t.deps, c.actor, c.fx.agreement, 1, 'docx') },
  exportCurrent: { run: (c) => exportCurrent(c.t.deps, c.actor, c.fx.agreement, 'docx') },
  // Each takes its own municipality's council's proposal (the host admin Paltamo's).
  decisionProposal: { run: (c) => decisionProposal(c.t.deps, c.actor, c.fx.request, c.who === 'host_admin' ? '578' : PEOPLE[c.who].code) },
  approvalsMatrix: { run: (c) => approvalsMatrix(c.t.deps, c.actor, AREA, 'csv') },
  consultationSummaryFile: { run: (c) => consultationSummaryFile(c.t.deps, c.actor, c.fx.closedRound, 'pdf') },
  verifyExport: {
    run: async (c) => verifyExport(c.t.deps, c.actor, { hash: (await c.t.db.selectFrom('versions').select('hash').where('document_id', '=', c.fx.agreement).where('number', '=', 1).executeTakeFirstOrThrow()).hash }),
  },
  updateDirectEditing: { run: (c) => updateDirectEditing(c.t.deps, c.actor, AREA, { directEditing: c.n % 2 === 0 ? 'everyone' : 'host' }) },
  updateConsultationPeriod: { run: (c) => updateConsultationPeriod(c.t.deps, c.actor, AREA, { days: 40 + c.n, excludesJuly: true }) },

  listSuggestions: { run: (c) => listSuggestions(c.t.deps, c.actor, c.fx.agreement) },
  listSuggestionDecisions: { run: (c) => listSuggestionDecisions(c.t.deps, c.actor, c.fx.agreement) },
  decideSuggestion: {
    prepare: async (c) => ({ suggestion: await suggest(c, 'purpose') }),
    run: (c) => decideSuggestion(c.t.deps, c.actor, c.fx.agreement, get(c, 'suggestion'), { decision: 'reject', reason: 'Ei tarpeen' }),
  },
  decideAuthorSuggestions: {
    prepare: async (c) => (await suggest(c, 'premises'), {}),
    run: (c) => decideAuthorSuggestions(c.t.deps, c.actor, c.fx.agreement, { section: 'premises', author: SUGGESTER, decision: 'accept' }),
  },
  listPositions: { run: (c) => listPositions(c.t.deps, c.actor, c.fx.agreement) },
  // Each for their own municipality.
  setPosition: { run: (c) => setPosition(c.t.deps, c.actor, c.fx.agreement, 'parties', PEOPLE[c.who].code, { stance: 'reservations', text: `Varauma ${c.n}` }) },
  agreeSection: {
    prepare: async (c) => (await changeDocument(c.t.db, c.fx.agreement, (doc) => writeSection(doc, AGREEABLE[c.n]!, ['Sovittava teksti.'])), {}),
    run: (c) => agreeSection(c.t.deps, c.actor, c.fx.agreement, AGREEABLE[c.n]!, {}),
  },
  reopenSection: {
    prepare: async (c) => {
      await changeDocument(c.t.db, c.fx.agreement, (doc) => writeSection(doc, AGREEABLE[c.n]!, ['Sovittu teksti.']));
      await agreeSection(c.t.deps, await admin(c), c.fx.agreement, AGREEABLE[c.n]!, {});
      return {};
    },
    run: (c) => reopenSection(c.t.deps, c.actor, c.fx.agreement, AGREEABLE[c.n]!, { reason: 'Avataan' }),
  },
};

/** Sections without threads, one per call (a call's `n`), for marking agreed. */
const AGREEABLE = ['equipment', 'premises', 'information_security', 'client_data', 'records_management', 'other_agreements'] as const;
const SUGGESTER = 'user-suggester';
/** A pending suggestion in a section of the agreement, written into the stored text as an editor would. */
async function suggest(c: Call, section: string): Promise<string> {
  const id = `sugg-${c.n}-${Math.random().toString(36).slice(2, 10)}`;
  await changeDocument(c.t.db, c.fx.agreement, (doc) => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('')]);
    doc.getXmlFragment(`section:${section}`).insert(0, [paragraph]);
    (paragraph.get(0) as Y.XmlText).insert(0, `Ehdotus ${c.n}`, { suggestionInsert: { id, author: SUGGESTER, municipality: '765', at: 1_796_000_000_000 } });
  });
  return id;
}

const RESPONSES = { responses: [{ municipalityCode: '290', section: null, status: 'taken_into_account', reason: '' }] };

async function membershipOf(c: Call, email: string) {
  const row = await c.t.db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select('memberships.id').where('users.email', '=', email).executeTakeFirstOrThrow();
  return { membership: row.id };
}
async function codes(c: Call): Promise<string[]> {
  const rows = await c.t.db.selectFrom('municipalities').innerJoin('areas', 'areas.id', 'municipalities.area_id').select('municipalities.code').where('areas.slug', '=', AREA).execute();
  return rows.map((r) => r.code);
}

/** Every row of every table, as one hash: a refusal must leave it as it was. */
async function databaseDigest(db: Db): Promise<string> {
  const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db);
  const hash = createHash('sha256');
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(db);
    const lines = rows.rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : typeof v === 'bigint' ? String(v) : v))).sort();
    hash.update(`${name}\n${lines.join('\n')}\n`);
  }
  return hash.digest('hex');
}

let fixture: TestDeps;
let fixturePath: string;
let fx: Fixture;

beforeAll(async () => {
  fixture = await createTestDeps({ auditKey: AUDIT_KEY });
  const t = fixture;
  const as = async (who: Who) => actorFor(t.deps, PEOPLE[who].email);
  const hostAdmin = await as('host_admin');
  const agreement = await documentIdOf(t.db, AREA, 'cooperation_agreement');
  const rules = await documentIdOf(t.db, AREA, 'administrative_rules');
  await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Kajaani on vastuukunta.', 'Sotkamo on jäsen.']));
  await changeDocument(t.db, rules, (doc) => writeSection(doc, 'scope', ['Lautakunta on yhteinen toimielin.']));
  await saveVersion(t.deps, hostAdmin, agreement, { label: 'Ensimmäinen' });
  await saveVersion(t.deps, hostAdmin, rules, { label: 'Lausunnolle' });
  const request = await sendForApproval(t.deps, hostAdmin, agreement, { version: 1 });
  // A round on version 1 that Kuhmo answered and the host closed; then one open on version 2, and a draft.
  const closed = await openConsultationRound(t.deps, hostAdmin, rules, { version: 1, title: 'Ensimmäinen kierros', questions: ['Kysymys?'], deadline: '2026-12-10T16:00', invited: ['290'] });
  await submitStatement(t.deps, await as('member_rep'), closed.id, { municipalityCode: '290', general: 'Ei huomautettavaa lautakunnasta.' });
  await closeRound(t.deps, hostAdmin, closed.id);
  await changeDocument(t.db, rules, (doc) => writeSection(doc, 'scope', ['Lautakunta on yhteinen toimielin, jossa jokainen kunta on edustettuna.']));
  await saveVersion(t.deps, hostAdmin, rules, { label: 'Toinen' });
  const open = await openConsultationRound(t.deps, hostAdmin, rules, { version: 2, title: 'Toinen kierros', questions: ['Kysymys?'], deadline: '2026-12-15T16:00' });
  expect(parseDeadline('2026-12-15T16:00')).toMatchObject({ ok: true });
  const draft = await createConsultationRound(t.deps, hostAdmin, rules, { version: 2, title: 'Luonnos', questions: [], deadline: '2026-12-20T16:00', draft: true });
  const thread = await createThread(t.deps, await as('drafter_of_member'), agreement, { section: 'parties', body: 'Tarkennetaanko?' });
  fx = { agreement, rules, request: request.id, openRound: open.id, closedRound: closed.id, draft: draft.id, thread: thread.id, comment: thread.comments[0]!.id };
  fixturePath = await fixtureFile(t);
});
afterAll(async () => {
  await fixture.cleanup();
});

let current: TestDeps | null = null;
afterEach(async () => {
  await current?.cleanup();
  current = null;
});

/** What the table says for this person: allowed, or refused with which code. */
function expected(rule: UseCaseAccess, who: Who, onRules: boolean): 'allowed' | 'forbidden' | 'not_found' {
  const permission = onRules && rule.onRules ? rule.onRules : rule.permission;
  if (permission === 'self' || can(PEOPLE[who].member, permission)) return 'allowed';
  return rule.refusal ?? 'forbidden';
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'allowed';
  } catch (error) {
    if (isDomainError(error)) return `${error.code}${error.code === 'forbidden' || error.code === 'not_found' ? '' : `: ${error.message}`}`;
    throw error;
  }
}

const cases = Object.entries(USE_CASE_ACCESS).flatMap(([name, rule]) =>
  'onRules' in rule ? [[name, rule, false] as const, [name, rule, true] as const] : [[name, rule, false] as const],
);

describe('every use case as every role, against the roles table', () => {
  it('the table lists exactly the use cases core exports that act for a person (an `actor` parameter), and each is called here', () => {
    const takingActor = Object.entries(core)
      .filter(([, value]) => typeof value === 'function')
      // `async function f(deps, actor, …)` and `(deps, actor, …) => …` alike.
      .filter(([, value]) => /^(?:async\s*)?(?:function\s*\*?\s*[\w$]*\s*)?\(([^)]*)\)/.exec(Function.prototype.toString.call(value))?.[1]?.split(',').some((p) => p.trim().split(/[\s=]/)[0] === 'actor'))
      .map(([name]) => name)
      .sort();
    expect(takingActor.length).toBeGreaterThan(50);
    expect(Object.keys(USE_CASE_ACCESS).sort()).toEqual(takingActor);
    expect(Object.keys(INVOKERS).sort()).toEqual(takingActor);
  });

  it.each(cases.map(([name, rule, onRules]) => [`${name}${onRules ? ' (on the rules)' : ''}`, name, rule, onRules] as const))(
    '%s',
    async (_title, name, rule, onRules) => {
      current = await createTestDeps({ copyOf: fixturePath, auditKey: AUDIT_KEY });
      const t = current;
      const invoker = INVOKERS[name as UseCaseName];
      const whos = Object.keys(PEOPLE) as Who[];
      // Refusals first, each from the same state, then the calls that are allowed.
      const order = [...whos.filter((w) => expected(rule, w, onRules) !== 'allowed'), ...whos.filter((w) => expected(rule, w, onRules) === 'allowed')];
      const seen: Record<string, string> = {};
      for (const [i, who] of order.entries()) {
        const c: Call = { t, fx, actor: await actorFor(t.deps, PEOPLE[who].email), who, code: PEOPLE[who].code === '205' ? '290' : PEOPLE[who].code, document: onRules ? fx.rules : fx.agreement, n: i };
        if (invoker.prepare) prepared.set(c, await invoker.prepare(c));
        const want = expected(rule, who, onRules);
        const before = want === 'allowed' ? null : await databaseDigest(t.db);
        seen[who] = await outcome(() => invoker.run(c));
        if (before !== null) expect(await databaseDigest(t.db), `${name} refused to ${who} changed nothing`).toBe(before);
        prepared.delete(c);
      }
      expect(seen).toEqual(Object.fromEntries(whos.map((w) => [w, expected(rule, w, onRules)])));
    },
    30_000,
  );
});
