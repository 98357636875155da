import { templateFor, type DocumentKind } from '@sopu/doc-model';
import type { Database, Db, Transaction } from '@sopu/db';
import { z } from 'zod';
import { requireAreaAccess } from '../shared/access.ts';
import { findMembership, listMunicipalities, type Membership, type Municipality } from '../shared/tenancy.repository.ts';
import { authenticateApprovalToken, type ApprovalTokenPrincipal } from './approval-tokens.ts';
import {
  allowedTargets, dateProblem, decideTransition, DECISION_NOTE_MAX_LENGTH, DECISION_STATES, eventFor, helsinkiDate, isAllowedMinutesUrl, isApproval, isDecided, laterDateProblem, normaliseMinutesSection,
  requestEventFor, requestTransition, PROPOSAL_BACKGROUND_MAX_LENGTH, SIGNATORY_MAX_LENGTH, type DecisionEvent, type DecisionState, type Recorder, type RequestStatus, standingOf,
} from './approvals.rules.ts';
import { approvalSentences, approvedTextStatus, type ApprovalProgress, type ApprovalSentences, type ApprovedText, type InForce } from './summary.rules.ts';
import { areaOfRequest, decisionsOfRequests, eventsOfDecisions, findRequestInArea, requestsOfDocument, type DecisionEventRow, type DecisionRow, type RequestRow } from './approvals.repository.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { appendFeedEvent } from '../shared/feed.ts';
import { recordNotificationEvent } from '../shared/notification-events.ts';
import { newId } from '../shared/ids.ts';
import { can } from '../shared/roles.ts';
import { userText } from '../shared/text.ts';
import { parseInput } from '../shared/validation.ts';
import { currentContent, documentAccessOf } from '../versions/index.ts';
import { APPROVABLE_KINDS, type ApprovableKind } from '../documents/index.ts';

/**
 * Council approvals (docs/decisions/017-council-approvals.md): the host admin sends a version of the cooperation
 * agreement (or a 54 § agreement) to the councils; each party municipality's council secretary, its system's
 * token, or the host admin on its behalf records the council's handling step by step; the agreement is in force when
 * every party's council approved the same text (hash).
 */

export { APPROVABLE_KINDS, type ApprovableKind };
const isApprovable = (kind: string): kind is ApprovableKind => (APPROVABLE_KINDS as readonly string[]).includes(kind);

export type RecordedVia = 'member' | 'on_behalf' | 'token';

/** What a council's handling records: its state, when it met and decided, the minutes, a note. */
interface DecisionRecord {
  state: DecisionState;
  /** YYYY-MM-DD. */
  meetingDate: string | null;
  decisionDate: string | null;
  /** Normalised "45 §". */
  minutesSection: string | null;
  minutesUrl: string | null;
  note: string | null;
  /** YYYY-MM-DD: the day an approval became final (lainvoimainen), once it has. */
  finalDate: string | null;
  /** YYYY-MM-DD and who signed the agreement for the municipality, once it has (optional step). */
  signedDate: string | null;
  signatory: string | null;
}

/** One recorded step of a council's handling, as it was recorded. */
export interface DecisionStep extends DecisionRecord {
  recordedAt: number;
  /** The person who recorded it (a secretary, or the host admin on the municipality's behalf); null for a token. */
  recordedBy: { id: string; name: string } | null;
  via: RecordedVia;
  /** The token's label when a municipality's system recorded it. */
  tokenLabel: string | null;
}

/** One cell of the matrix: a municipality's council and one request. */
export interface CouncilDecisionView extends DecisionRecord {
  id: string;
  municipalityCode: string;
  municipalityName: { fi: string; sv: string };
  recordedAt: number | null;
  recordedBy: { id: string; name: string } | null;
  recordedVia: RecordedVia | null;
  /** False when the document's text now differs from the version this decision is about (show the diff since it). */
  coversCurrentText: boolean;
  /** The states the person asking may record now (empty: nothing for them to do here). */
  mayRecord: DecisionState[];
  /** Whether the person asking may take this council's decision proposal (its secretary, the host admin; decision 022). */
  mayTakeProposal: boolean;
  /** Every step, oldest first. */
  history: DecisionStep[];
}

/** One column of the matrix: a version sent to the councils. */
export interface ApprovalRequestView {
  id: string;
  documentId: string;
  version: number;
  versionLabel: string;
  hash: string;
  status: RequestStatus;
  sentAt: number;
  sentBy: { id: string; name: string } | null;
  supersededAt: number | null;
  /** When every party council had decided (status closed). */
  closedAt: number | null;
  coversCurrentText: boolean;
  /** One per party municipality, in the order of `ApprovalsOverview.municipalities`. */
  decisions: CouncilDecisionView[];
}

export interface ApprovalsOverview {
  areaSlug: string;
  documentId: string;
  documentKind: ApprovableKind;
  documentTitle: string;
  /** The hash of the document's text now. */
  currentHash: string;
  /** In force today: every party council approved the same text, every decision is final, and the day it enters into force has come. */
  inForce: boolean;
  inForceHash: string | null;
  /** Which version, and since when (the day it entered into force), when in force. */
  inForceDetail: InForce | null;
  /** The newest text every party council approved, and its steps towards being in force; null when there is none. */
  approvedText: ApprovedText | null;
  /** The date this agreement states for its entry into force (the area's setting), YYYY-MM-DD; null when not set. */
  entryIntoForce: string | null;
  /** True when in force and the current text is the text in force. */
  currentMatchesInForce: boolean;
  /** The sentence above the matrix, in Finnish, Swedish and English. */
  summary: ApprovalSentences;
  /** The same as data: where the councils stand on the current request's version (open, or closed once all decided); null when nothing was sent. */
  progress: ApprovalProgress | null;
  /** The matrix's rows: every party municipality (Finnish alphabetical order), the host flagged. */
  municipalities: Array<Pick<Municipality, 'code' | 'name' | 'isHost'>>;
  /** The matrix's columns, newest first; the first is the current one (open, or closed), if any. */
  requests: ApprovalRequestView[];
  /** What the person asking may do. */
  canSend: boolean;
  canManageTokens: boolean;
  /** The host admin may set the entry-into-force date (an area setting). */
  canSetEntryIntoForce: boolean;
}

// --- input ---------------------------------------------------------------------------------------------------------

export { PROPOSAL_BACKGROUND_MAX_LENGTH } from './approvals.rules.ts';

export const sendForApprovalInput = z.strictObject({
  version: z.number().int().min(1).max(1_000_000),
  background: userText({ min: 0, max: PROPOSAL_BACKGROUND_MAX_LENGTH, multiline: true }).optional(),
});

/** Plain text, cleaned as all user text (shared/text.ts); empty means none. */
const noteSchema = userText({ min: 0, max: DECISION_NOTE_MAX_LENGTH, multiline: true });
const optionalText = (max: number) => z.string().max(max).nullish();
const signatorySchema = z
  .string()
  .transform((s) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim())
  .pipe(z.string().max(SIGNATORY_MAX_LENGTH));

export const recordDecisionInput = z.strictObject({
  municipalityCode: z.string().trim().min(1).max(10),
  state: z.enum(DECISION_STATES),
  meetingDate: optionalText(10),
  decisionDate: optionalText(10),
  minutesSection: userText({ min: 0, max: 20 }).nullish(),
  minutesUrl: optionalText(2000),
  note: noteSchema.nullish(),
  finalDate: optionalText(10),
  signedDate: optionalText(10),
  signatory: signatorySchema.nullish(),
});
export type RecordDecisionInput = z.input<typeof recordDecisionInput>;

interface DecisionFields {
  meetingDate: string | null;
  decisionDate: string | null;
  minutesSection: string | null;
  minutesUrl: string | null;
  note: string | null;
  finalDate: string | null;
  signedDate: string | null;
  signatory: string | null;
}

type Issue = { path: string[]; code: string; message: string; params?: Record<string, string | number> };
const blank = (v: string | null | undefined): v is null | undefined => v === null || v === undefined || v.trim() === '';

/** The request a decision is recorded on, as its dates are checked against it. */
interface SentRequest {
  version: number;
  /** The Helsinki day it was sent, YYYY-MM-DD. */
  sentOn: string;
}

/**
 * The fields the state asked for carries, checked and normalised: a schedule has its meeting date; a decision its
 * date and minutes section (and its meeting date defaults to the decision date: a council decides at its meeting);
 * a final approval also the day it became final, a signed one also the day it was signed and, optionally, who signed;
 * nothing else may be given for a state that does not carry it. `today` is the date in Finland; no meeting or decision
 * may be before the day the request was sent. Finality and signature go on from the approval recorded (`current`):
 * what is left out is taken from it, and only a correction (the host admin's) may change it.
 */
function decisionFields(input: z.infer<typeof recordDecisionInput>, today: string, sent: SentRequest, current: DecisionRow, event: DecisionEvent): DecisionFields {
  const issues: Issue[] = [];
  const refuse = (field: string, code: string, message: string, params?: Issue['params']) => issues.push({ path: [field], code, message, ...(params ? { params } : {}) });
  const onward = input.state === 'final' || input.state === 'signed';
  const carried = onward && isApproval(current.state as DecisionState) ? current : null;
  const given = { ...input };
  if (carried) {
    const was = { meetingDate: carried.meeting_date, decisionDate: carried.decision_date, minutesSection: carried.minutes_section, minutesUrl: carried.minutes_url, finalDate: carried.final_date } as const;
    for (const field of ['meetingDate', 'decisionDate', 'minutesSection', 'minutesUrl'] as const) {
      const value = input[field];
      if (blank(value)) given[field] = was[field];
      else if (event !== 'correct' && (field === 'minutesSection' ? normaliseMinutesSection(value) : value) !== was[field]) {
        refuse(field, 'changes_decision', `the approval recorded ${was[field] ?? 'nothing'} here: only the host admin corrects a recorded decision`);
      }
    }
    if (input.state === 'signed' && blank(input.finalDate)) given.finalDate = was.finalDate;
  }
  const date = (field: 'meetingDate' | 'decisionDate', kind: 'meeting' | 'decision'): string | null => {
    const value = given[field];
    if (blank(value)) return null;
    const problem = dateProblem(value, kind, today, sent.sentOn);
    if (problem === 'before_sent') {
      refuse(field, problem, `${kind === 'meeting' ? 'the meeting' : 'the decision'} is dated before version ${sent.version} was sent to the councils (${sent.sentOn})`, { version: sent.version, sentOn: sent.sentOn });
    } else if (problem) {
      refuse(field, problem, { not_a_date: 'a calendar date as YYYY-MM-DD', too_far_past: 'more than ten years ago', in_future: 'a decision cannot be dated after today', too_far_future: 'more than two years ahead' }[problem]);
    }
    return problem ? null : value;
  };
  const decided = isDecided(input.state);
  const fields: DecisionFields = { meetingDate: null, decisionDate: null, minutesSection: null, minutesUrl: null, note: blank(input.note) ? null : input.note, finalDate: null, signedDate: null, signatory: null };
  if (input.state === 'scheduled' || decided) {
    fields.meetingDate = date('meetingDate', 'meeting');
    if (input.state === 'scheduled' && blank(given.meetingDate)) refuse('meetingDate', 'required', 'the date of the council meeting');
  } else if (!blank(input.meetingDate)) refuse('meetingDate', 'not_allowed', `a ${input.state} decision has no meeting date`);
  if (decided) {
    fields.decisionDate = date('decisionDate', 'decision');
    if (blank(given.decisionDate)) refuse('decisionDate', 'required', 'the date of the decision');
    if (blank(given.minutesSection)) refuse('minutesSection', 'required', 'the section of the minutes, e.g. 45 §');
    else {
      fields.minutesSection = normaliseMinutesSection(given.minutesSection);
      if (!fields.minutesSection) refuse('minutesSection', 'invalid', 'a section of the minutes as "45 §"');
    }
    if (!blank(given.minutesUrl)) {
      if (isAllowedMinutesUrl(given.minutesUrl)) fields.minutesUrl = given.minutesUrl;
      else refuse('minutesUrl', 'invalid', 'an https link to the published minutes');
    }
    fields.meetingDate ??= fields.decisionDate;
  } else {
    for (const field of ['decisionDate', 'minutesSection', 'minutesUrl'] as const) if (!blank(input[field])) refuse(field, 'not_allowed', `a ${input.state} decision has no ${field}`);
  }
  // The later steps of an approval: each date after (or, for a signature, on) the decision's own.
  const later = (field: 'finalDate' | 'signedDate', kind: 'final' | 'signed'): string | null => {
    const value = given[field];
    if (blank(value)) {
      refuse(field, 'required', kind === 'final' ? 'the day the decision became final' : 'the day the agreement was signed');
      return null;
    }
    // Without a valid decision date the step is refused already (its own issue).
    if (fields.decisionDate === null) return null;
    const problem = laterDateProblem(value, kind, fields.decisionDate, today);
    if (problem) {
      const d = fields.decisionDate;
      refuse(field, problem, { not_a_date: 'a calendar date as YYYY-MM-DD', in_future: 'a date after today', not_after_decision: `a decision becomes final after it was taken (${d})`, before_decision: `the agreement is signed on or after the decision (${d})` }[problem], problem === 'not_a_date' || problem === 'in_future' ? undefined : { decisionDate: d });
      return null;
    }
    return value;
  };
  if (onward) fields.finalDate = later('finalDate', 'final');
  else if (!blank(input.finalDate)) refuse('finalDate', 'not_allowed', `a ${input.state} decision has no finalDate`);
  if (input.state === 'signed') {
    fields.signedDate = later('signedDate', 'signed');
    fields.signatory = blank(input.signatory) ? null : input.signatory;
  } else {
    for (const field of ['signedDate', 'signatory'] as const) if (!blank(input[field])) refuse(field, 'not_allowed', `a ${input.state} decision has no ${field}`);
  }
  if (issues.length > 0) throw new DomainError('invalid_input', issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), { issues });
  return fields;
}

// --- access --------------------------------------------------------------------------------------------------------

/** A request and the caller's membership of its area; another area's request and a missing one look the same. */
async function requestAccess(db: Db, actor: Actor, requestId: string): Promise<{ request: RequestRow; membership: Membership }> {
  const areaId = await areaOfRequest(db, requestId);
  const membership = areaId && (await findMembership(db, areaId, actor.userId));
  const request = membership && (await findRequestInArea(db, membership.areaId, requestId));
  if (!request || !membership) throw new DomainError('not_found', 'approval request not found');
  return { request, membership };
}

// --- sending -------------------------------------------------------------------------------------------------------

export interface SentApprovalRequest {
  id: string;
  documentId: string;
  version: number;
  hash: string;
  sentAt: number;
  /** The request this one superseded, if one was open. */
  supersededRequestId: string | null;
}

/**
 * Sends a saved version of an agreement to every party municipality's council (host admin). Supersedes the open
 * request, whose recorded decisions stay on record against their hash; each party municipality gets a pending row.
 */
export async function sendForApproval(deps: CoreDeps, actor: Actor, documentId: string, raw: unknown): Promise<SentApprovalRequest> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  if (!can(access.membership, 'approvals.send')) throw new DomainError('forbidden', 'requires approvals.send');
  const { version: number, background } = parseInput(sendForApprovalInput, raw);
  if (!isApprovable(access.kind)) {
    throw new DomainError('invalid_input', 'only the cooperation agreement and 54 § agreements go to the councils', { issues: [{ path: [], code: 'not_approvable', message: 'this document is not approved by the councils' }] });
  }
  const version = await deps.db.selectFrom('versions').select(['id', 'number', 'hash', 'pending_suggestions']).where('area_id', '=', access.areaId).where('document_id', '=', access.id).where('number', '=', number).executeTakeFirst();
  if (!version) throw new DomainError('invalid_input', 'no such version of this document', { issues: [{ path: ['version'], code: 'not_found', message: 'no such version of this document' }] });
  // The councils approve an agreed text: a version saved while suggested changes were pending is not one (decision 025).
  const pending = JSON.parse(version.pending_suggestions) as Array<{ section: string }>;
  if (pending.length > 0) {
    const sections = [...new Set(pending.map((s) => s.section))];
    throw new DomainError('conflict', `version ${version.number} has ${pending.length} pending suggested change(s) in ${sections.join(', ')}: decide them and save a new version`, { reason: 'pending_suggestions', count: pending.length, sections, documentKind: access.kind });
  }
  const now = deps.now();
  const id = newId();
  const superseded = await deps.db.transaction().execute(async (trx) => {
    const open = await trx.selectFrom('approval_requests').select(['id', 'version_id']).where('area_id', '=', access.areaId).where('document_id', '=', access.id).where('status', '=', 'open').execute();
    if (open.some((r) => r.version_id === version.id)) throw new DomainError('conflict', 'this version is already out for approval');
    for (const r of open) await trx.updateTable('approval_requests').set({ status: requestTransition('open', 'supersede')!, superseded_at: now }).where('id', '=', r.id).where('area_id', '=', access.areaId).execute();
    await trx.insertInto('approval_requests').values({ id, area_id: access.areaId, document_id: access.id, version_id: version.id, status: 'open', sent_by: actor.userId, sent_at: now, superseded_at: null, background: background ?? '' }).execute();
    const parties = await trx.selectFrom('municipalities').select('id').where('area_id', '=', access.areaId).execute();
    for (const m of parties) {
      await trx
        .insertInto('council_decisions')
        .values({ id: newId(), area_id: access.areaId, approval_request_id: id, municipality_id: m.id, state: 'pending', meeting_date: null, decision_date: null, minutes_section: null, minutes_url: null, note: null, recorded_by: null, recorded_at: null })
        .execute();
    }
    const supersededId = open[0]?.id ?? null;
    await appendFeedEvent(trx, { areaId: access.areaId, documentId: access.id, userId: null, kind: 'approval', subjectId: id, createdAt: now });
    await recordNotificationEvent(trx, { areaId: access.areaId, kind: 'approval.requested', subjectId: id, actorId: actor.userId }, now);
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: 'approval.requested', subjectType: 'approval_request', subjectId: id, details: { documentId: access.id, version: version.number, hash: version.hash, supersededRequestId: supersededId, parties: parties.length, background: (background ?? '') !== '' } }, now);
    return supersededId;
  });
  deps.feed.notify();
  return { id, documentId: access.id, version: version.number, hash: version.hash, sentAt: now, supersededRequestId: superseded };
}

// --- recording -----------------------------------------------------------------------------------------------------

/** Who records: a member (by their membership) or a municipality's token. */
type Recording = { recorder: Recorder; userId: string | null; token: ApprovalTokenPrincipal | null };

export interface RecordedDecision {
  approvalRequestId: string;
  /** False when the same step was already recorded (a repeated post changes nothing). */
  recorded: boolean;
  decision: CouncilDecisionView;
}

/**
 * Records a step of a council's handling of a request: the municipality's council secretary, or the host admin on
 * its behalf (audited as such). Access first (another area's request is not found; a role that never records is
 * forbidden whatever it sends), then the input, then whether this recorder may record this municipality's step.
 */
export async function recordCouncilDecision(deps: CoreDeps, actor: Actor, approvalRequestId: string, raw: unknown): Promise<RecordedDecision> {
  const { request, membership } = await requestAccess(deps.db, actor, approvalRequestId);
  if (!can(membership, 'approvals.record')) throw new DomainError('forbidden', 'requires approvals.record');
  const input = parseInput(recordDecisionInput, raw);
  return record(deps, { recorder: { kind: 'member', role: membership.role, municipalityId: membership.municipalityId }, userId: actor.userId, token: null }, request, input);
}

/**
 * The same, by a municipality's token (its case-management system): an unknown or revoked token is unauthenticated;
 * a request of another area is not found; another municipality's decision is forbidden.
 */
export async function recordCouncilDecisionWithToken(deps: CoreDeps, token: string, approvalRequestId: string, raw: unknown): Promise<RecordedDecision> {
  const principal = await authenticateApprovalToken(deps.db, token);
  if (!principal) throw new DomainError('unauthenticated', 'unknown or revoked token');
  const request = typeof approvalRequestId === 'string' && approvalRequestId.length <= 64 ? await findRequestInArea(deps.db, principal.areaId, approvalRequestId) : undefined;
  if (!request) throw new DomainError('not_found', 'approval request not found');
  const input = parseInput(recordDecisionInput, raw);
  return record(deps, { recorder: { kind: 'token', municipalityId: principal.municipalityId }, userId: null, token: principal }, request, input);
}

const sameFields = (row: DecisionRow, state: DecisionState, f: DecisionFields) =>
  row.state === state &&
  row.meeting_date === f.meetingDate &&
  row.decision_date === f.decisionDate &&
  row.minutes_section === f.minutesSection &&
  row.minutes_url === f.minutesUrl &&
  row.note === f.note &&
  row.final_date === f.finalDate &&
  row.signed_date === f.signedDate &&
  row.signatory === f.signatory;

async function record(deps: CoreDeps, by: Recording, request: RequestRow, input: z.infer<typeof recordDecisionInput>): Promise<RecordedDecision> {
  const areaId = request.area_id;
  const municipality = await deps.db.selectFrom('municipalities').select(['id', 'code']).where('area_id', '=', areaId).where('code', '=', input.municipalityCode).executeTakeFirst();
  if (!municipality) throw new DomainError('invalid_input', 'no such municipality in this area', { issues: [{ path: ['municipalityCode'], code: 'not_found', message: 'no such municipality in this area' }] });
  if (!standingOf(by.recorder, municipality.id)) throw new DomainError('forbidden', "only the municipality's council secretary, its token or the host admin records its council's decision");
  const now = deps.now();
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const current = await findRequestInArea(trx, areaId, request.id);
    const [row] = await decisionsOfRequests(trx, areaId, [request.id], municipality.id);
    if (!current || !row) throw new DomainError('invalid_input', 'that municipality is not a party to this request', { issues: [{ path: ['municipalityCode'], code: 'not_a_party', message: 'not a party to this request' }] });
    const from = row.state as DecisionState;
    const event: DecisionEvent = eventFor(from, input.state);
    const fields = decisionFields(input, helsinkiDate(now), { version: request.version_number, sentOn: helsinkiDate(request.sent_at) }, row, event);
    if (sameFields(row, input.state, fields)) return { recorded: false, decisionId: row.id };
    const verdict = decideTransition({ state: from, event, target: input.state, recorder: by.recorder, municipalityId: municipality.id, requestStatus: current.status as RequestStatus });
    if (!verdict.ok) throw new DomainError(verdict.code, verdict.reason);
    await trx
      .updateTable('council_decisions')
      .set({ state: verdict.to, ...columnsOf(fields), recorded_by: by.userId, recorded_at: now })
      .where('id', '=', row.id)
      .where('area_id', '=', areaId)
      .execute();
    const eventId = newId();
    await trx
      .insertInto('council_decision_events')
      .values({ id: eventId, area_id: areaId, council_decision_id: row.id, state: verdict.to, ...columnsOf(fields), recorded_by: by.userId, api_token_id: by.token?.id ?? null, on_behalf: verdict.onBehalf ? 1 : 0, created_at: now })
      .execute();
    if (by.token) await trx.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', by.token.id).where('area_id', '=', areaId).execute();
    const requestStatus = await settleRequest(trx, current, now);
    await appendFeedEvent(trx, { areaId, documentId: request.document_id, userId: null, kind: 'approval', subjectId: request.id, createdAt: now });
    await recordNotificationEvent(trx, { areaId, kind: 'approval.decision_recorded', subjectId: eventId, actorId: by.userId, details: { approvalRequestId: request.id, municipalityCode: municipality.code } }, now);
    await deps.audit.append(
      trx,
      {
        areaId,
        actorUserId: by.userId,
        action: 'approval.decision_recorded',
        subjectType: 'council_decision',
        subjectId: row.id,
        details: {
          approvalRequestId: request.id,
          documentId: request.document_id,
          version: request.version_number,
          hash: request.version_hash,
          municipalityCode: municipality.code,
          event,
          from,
          to: verdict.to,
          onBehalf: verdict.onBehalf,
          ...(by.token ? { tokenId: by.token.id } : {}),
          ...fields,
          ...(requestStatus ? { requestStatus } : {}),
        },
      },
      now,
    );
    return { recorded: true, decisionId: row.id };
  });
  if (outcome.recorded) deps.feed.notify();
  const decision = await decisionView(deps.db, by, request, outcome.decisionId);
  return { approvalRequestId: request.id, recorded: outcome.recorded, decision };
}

const columnsOf = (f: DecisionFields) => ({
  meeting_date: f.meetingDate,
  decision_date: f.decisionDate,
  minutes_section: f.minutesSection,
  minutes_url: f.minutesUrl,
  note: f.note,
  final_date: f.finalDate,
  signed_date: f.signedDate,
  signatory: f.signatory,
});

/**
 * After a council's step, the request follows its councils (REQUEST_TRANSITIONS): closed when every one has decided,
 * open again when a correction leaves one undecided — and then superseded at once if a newer request of the document
 * went out meanwhile (one request is open at a time). Returns the change, for the audit, or null.
 */
async function settleRequest(trx: Transaction<Database>, request: RequestRow, now: number): Promise<{ from: RequestStatus; to: RequestStatus } | null> {
  const from = request.status as RequestStatus;
  const rows = await trx.selectFrom('council_decisions').select('state').where('area_id', '=', request.area_id).where('approval_request_id', '=', request.id).execute();
  const event = requestEventFor(from, rows.map((r) => r.state as DecisionState));
  let to = event ? requestTransition(from, event) : null;
  if (!to) return null;
  if (to === 'open') {
    const newer = await trx
      .selectFrom('approval_requests')
      .select('id')
      .where('area_id', '=', request.area_id)
      .where('document_id', '=', request.document_id)
      .where('status', '=', 'open')
      .where('id', '!=', request.id)
      .executeTakeFirst();
    if (newer) to = requestTransition('open', 'supersede');
  }
  await trx
    .updateTable('approval_requests')
    .set({ status: to!, closed_at: to === 'closed' ? now : null, ...(to === 'superseded' ? { superseded_at: now } : {}) })
    .where('id', '=', request.id)
    .where('area_id', '=', request.area_id)
    .execute();
  return { from, to: to! };
}

async function decisionView(db: Db, by: Recording, request: RequestRow, decisionId: string): Promise<CouncilDecisionView> {
  const fresh = (await findRequestInArea(db, request.area_id, request.id))!;
  const rows = (await decisionsOfRequests(db, request.area_id, [request.id])).filter((r) => r.id === decisionId);
  const events = await eventsOfDecisions(db, request.area_id, [decisionId]);
  const { hash } = await currentContent(db, request.document_id);
  return toDecisionView(rows[0]!, events, fresh.status as RequestStatus, fresh.version_hash === hash, by.recorder);
}

// --- reading -------------------------------------------------------------------------------------------------------

function toStep(e: DecisionEventRow): DecisionStep {
  return {
    state: e.state as DecisionState,
    meetingDate: e.meeting_date,
    decisionDate: e.decision_date,
    minutesSection: e.minutes_section,
    minutesUrl: e.minutes_url,
    note: e.note,
    finalDate: e.final_date,
    signedDate: e.signed_date,
    signatory: e.signatory,
    recordedAt: e.created_at,
    recordedBy: e.recorded_by ? { id: e.recorded_by, name: e.recorded_by_name ?? '' } : null,
    via: e.api_token_id ? 'token' : e.on_behalf ? 'on_behalf' : 'member',
    tokenLabel: e.api_token_id ? (e.token_label ?? '') : null,
  };
}

function toDecisionView(row: DecisionRow, events: DecisionEventRow[], status: RequestStatus, covers: boolean, viewer: Recorder | null): CouncilDecisionView {
  const history = events.filter((e) => e.council_decision_id === row.id).map(toStep);
  const state = row.state as DecisionState;
  return {
    id: row.id,
    municipalityCode: row.code,
    municipalityName: { fi: row.name_fi, sv: row.name_sv },
    state,
    meetingDate: row.meeting_date,
    decisionDate: row.decision_date,
    minutesSection: row.minutes_section,
    minutesUrl: row.minutes_url,
    note: row.note,
    finalDate: row.final_date,
    signedDate: row.signed_date,
    signatory: row.signatory,
    recordedAt: row.recorded_at,
    recordedBy: history.at(-1)?.recordedBy ?? null,
    recordedVia: history.at(-1)?.via ?? null,
    coversCurrentText: covers,
    mayRecord: viewer ? allowedTargets(state, viewer, row.municipality_id, status) : [],
    mayTakeProposal: viewer ? standingOf(viewer, row.municipality_id) !== null : false,
    history,
  };
}

/** The document the overview is about: the one named (an agreement of the area), or the area's cooperation agreement. */
async function approvableDocument(db: Db, areaId: string, documentId: string | undefined) {
  let query = db.selectFrom('documents').select(['id', 'kind', 'title', 'entry_into_force_date']).where('area_id', '=', areaId);
  query = documentId === undefined ? query.where('kind', '=', 'cooperation_agreement').orderBy('created_at') : query.where('id', '=', typeof documentId === 'string' && documentId.length <= 64 ? documentId : '');
  const document = await query.executeTakeFirst();
  if (!document) throw new DomainError('not_found', 'document not found');
  if (!isApprovable(document.kind)) throw new DomainError('invalid_input', 'this document is not approved by the councils', { issues: [{ path: ['document'], code: 'not_approvable', message: 'not an agreement the councils approve' }] });
  return { id: document.id, kind: document.kind, title: document.title, entryIntoForce: document.entry_into_force_date };
}

/** The 1-based numbers, in template order, of the sections whose hashes differ between two versions. */
function differingSections(kind: DocumentKind, a: string, b: string): number[] {
  const ha = JSON.parse(a) as Record<string, string>;
  const hb = JSON.parse(b) as Record<string, string>;
  const keys = templateFor(kind).map((s) => s.key);
  return keys.flatMap((key, i) => (ha[key] !== hb[key] ? [i + 1] : []));
}

interface Approval {
  decisionDate: string;
  finalDate: string | null;
  signedDate: string | null;
}

/**
 * Whether each municipality approved each text, by hash: a text re-sent unchanged (a restored version) keeps the
 * approvals it had. The latest of a council's approvals and rejections of that text (by decision date, then by when
 * the request was sent) stands; a return for further preparation does not undo an earlier approval.
 */
function approvalsByHash(requests: RequestRow[], decisions: DecisionRow[]): Map<string, Map<string, Approval>> {
  const sentAt = new Map(requests.map((r) => [r.id, r]));
  const latest = new Map<string, { row: DecisionRow; key: string }>();
  for (const d of decisions) {
    if (!isApproval(d.state as DecisionState) && d.state !== 'rejected') continue;
    const request = sentAt.get(d.approval_request_id)!;
    const key = `${d.decision_date ?? ''} ${String(request.sent_at).padStart(16, '0')}`;
    const id = `${request.version_hash} ${d.municipality_id}`;
    const before = latest.get(id);
    if (!before || key > before.key) latest.set(id, { row: d, key });
  }
  const byHash = new Map<string, Map<string, Approval>>();
  for (const [id, { row }] of latest) {
    if (!isApproval(row.state as DecisionState)) continue;
    const hash = id.split(' ')[0]!;
    if (!byHash.has(hash)) byHash.set(hash, new Map());
    byHash.get(hash)!.set(row.municipality_id, { decisionDate: row.decision_date ?? '', finalDate: row.final_date, signedDate: row.signed_date });
  }
  return byHash;
}

/**
 * The approvals page: every request of the document (newest first) with each party's decision, whether the
 * agreement is in force (every party municipality's council approved the same hash, every one of those decisions is
 * final, and the date it enters into force has come), whether the current text is that text, and the sentence that
 * says where things stand. Any member of the area may read it.
 */
export async function approvalsOverview(deps: CoreDeps, actor: Actor, slug: string, documentId?: string): Promise<ApprovalsOverview> {
  const { area, membership } = await requireAreaAccess(deps.db, actor.userId, slug);
  const document = await approvableDocument(deps.db, area.id, documentId);
  const kind = document.kind as ApprovableKind;
  const municipalities = await listMunicipalities(deps.db, area);
  const requests = await requestsOfDocument(deps.db, area.id, document.id);
  const decisions = await decisionsOfRequests(deps.db, area.id, requests.map((r) => r.id));
  const events = await eventsOfDecisions(deps.db, area.id, decisions.map((d) => d.id));
  const current = await currentContent(deps.db, document.id);
  const viewer: Recorder | null = can(membership, 'approvals.record') ? { kind: 'member', role: membership.role, municipalityId: membership.municipalityId } : null;
  const order = new Map(municipalities.map((m, i) => [m.id, i]));

  const approved = approvalsByHash(requests, decisions);
  // The texts every party approved, newest sent first (each with the newest version that carried it), and where each
  // stands: final, in force from. In force is the newest of them whose day has come.
  const today = helsinkiDate(deps.now());
  const texts: ApprovedText[] = [];
  for (const r of requests) {
    const byMunicipality = approved.get(r.version_hash);
    if (texts.some((t) => t.hash === r.version_hash) || !byMunicipality || municipalities.length === 0 || !municipalities.every((m) => byMunicipality.has(m.id))) continue;
    const approvals = municipalities.map((m) => ({ code: m.code, ...byMunicipality.get(m.id)! }));
    texts.push(approvedTextStatus({ version: r.version_number, hash: r.version_hash, approvals, entryIntoForce: document.entryIntoForce, today }));
  }
  const approvedText = texts[0] ?? null;
  const inForceText = texts.find((t) => t.inForce) ?? null;
  const inForce: InForce | null = inForceText ? { version: inForceText.version, hash: inForceText.hash, since: inForceText.inForceFrom! } : null;

  // The current request: the newest, open or closed (an older one is superseded).
  const open = requests[0] && requests[0].status !== 'superseded' ? requests[0] : null;
  let progress: ApprovalProgress | null = null;
  if (open) {
    progress = { version: open.version_number, hash: open.version_hash, parties: municipalities.length, approved: [], pending: [], scheduled: [], rejected: [], returned: [], approvedOther: [] };
    const target = approved.get(open.version_hash);
    for (const m of municipalities) {
      const row = decisions.find((d) => d.approval_request_id === open.id && d.municipality_id === m.id);
      const state = (row?.state ?? 'pending') as DecisionState;
      if (target?.has(m.id) || isApproval(state)) progress.approved.push(m.code);
      else if (state === 'rejected') progress.rejected.push(m.code);
      else if (state === 'returned') progress.returned.push(m.code);
      else if (state === 'scheduled') progress.scheduled.push({ code: m.code, meetingDate: row?.meeting_date ?? '' });
      else {
        // Not handled yet: say so, unless the council approved another text earlier (then say which, and how it differs).
        const earlier = requests.find((r) => r.version_hash !== open.version_hash && approved.get(r.version_hash)?.has(m.id));
        if (earlier) progress.approvedOther.push({ code: m.code, version: earlier.version_number, hash: earlier.version_hash, differingSections: differingSections(kind, earlier.section_hashes, open.section_hashes) });
        else progress.pending.push(m.code);
      }
    }
  }

  const names = new Map(municipalities.map((m) => [m.code, m.name]));
  return {
    areaSlug: area.slug,
    documentId: document.id,
    documentKind: kind,
    documentTitle: document.title,
    currentHash: current.hash,
    inForce: inForce !== null,
    inForceHash: inForce?.hash ?? null,
    inForceDetail: inForce,
    approvedText,
    entryIntoForce: document.entryIntoForce,
    currentMatchesInForce: inForce !== null && inForce.hash === current.hash,
    summary: approvalSentences({ approved: approvedText, inForce: inForceText, progress, parties: municipalities.length, names }),
    progress,
    municipalities: municipalities.map((m) => ({ code: m.code, name: m.name, isHost: m.isHost })),
    requests: requests.map((r) => ({
      id: r.id,
      documentId: r.document_id,
      version: r.version_number,
      versionLabel: r.version_label,
      hash: r.version_hash,
      status: r.status as RequestStatus,
      sentAt: r.sent_at,
      sentBy: r.sent_by ? { id: r.sent_by, name: r.sent_by_name ?? '' } : null,
      supersededAt: r.superseded_at,
      closedAt: r.closed_at,
      coversCurrentText: r.version_hash === current.hash,
      decisions: decisions
        .filter((d) => d.approval_request_id === r.id)
        .sort((a, b) => (order.get(a.municipality_id) ?? 0) - (order.get(b.municipality_id) ?? 0))
        .map((d) => toDecisionView(d, events, r.status as RequestStatus, r.version_hash === current.hash, viewer)),
    })),
    canSend: can(membership, 'approvals.send'),
    canManageTokens: can(membership, 'approvals.tokens'),
    canSetEntryIntoForce: can(membership, 'area.settings'),
  };
}

// --- a token's own view ----------------------------------------------------------------------------------------------

export interface ApprovalTokenInfo {
  areaSlug: string;
  municipalityCode: string;
  municipalityName: { fi: string; sv: string };
  label: string;
  /** The open requests of the area's agreements, with this municipality's decision on each: what the system posts to. */
  openRequests: TokenRequest[];
  /** The closed ones (every council decided): the system still posts its approval's finality and signature there. */
  closedRequests: TokenRequest[];
}

export interface TokenRequest {
  id: string;
  documentId: string;
  documentKind: ApprovableKind;
  version: number;
  hash: string;
  sentAt: number;
  decision: Pick<CouncilDecisionView, 'state' | 'meetingDate' | 'decisionDate' | 'minutesSection' | 'minutesUrl' | 'note' | 'finalDate' | 'signedDate' | 'signatory'>;
}

/** What a municipality's system needs to post its council's decisions: which requests are open, and where its council stands on each. */
export async function approvalTokenInfo(deps: CoreDeps, token: string): Promise<ApprovalTokenInfo> {
  const principal = await authenticateApprovalToken(deps.db, token);
  if (!principal) throw new DomainError('unauthenticated', 'unknown or revoked token');
  const rows = await deps.db
    .selectFrom('approval_requests')
    .innerJoin('versions', 'versions.id', 'approval_requests.version_id')
    .innerJoin('documents', 'documents.id', 'approval_requests.document_id')
    .innerJoin('council_decisions', (join) => join.onRef('council_decisions.approval_request_id', '=', 'approval_requests.id').on('council_decisions.municipality_id', '=', principal.municipalityId))
    .select([
      'approval_requests.id', 'approval_requests.document_id', 'approval_requests.sent_at', 'documents.kind', 'versions.number', 'versions.hash',
      'council_decisions.state', 'council_decisions.meeting_date', 'council_decisions.decision_date', 'council_decisions.minutes_section', 'council_decisions.minutes_url', 'council_decisions.note',
      'council_decisions.final_date', 'council_decisions.signed_date', 'council_decisions.signatory', 'approval_requests.status',
    ])
    .where('approval_requests.area_id', '=', principal.areaId)
    .where('council_decisions.area_id', '=', principal.areaId)
    .where('approval_requests.status', 'in', ['open', 'closed'])
    .orderBy('approval_requests.sent_at', 'desc')
    .execute();
  const requests = (status: RequestStatus): TokenRequest[] =>
    rows
      .filter((r) => isApprovable(r.kind) && r.status === status)
      .map((r) => ({
        id: r.id,
        documentId: r.document_id,
        documentKind: r.kind as ApprovableKind,
        version: r.number,
        hash: r.hash,
        sentAt: r.sent_at,
        decision: {
          state: r.state as DecisionState, meetingDate: r.meeting_date, decisionDate: r.decision_date, minutesSection: r.minutes_section, minutesUrl: r.minutes_url, note: r.note,
          finalDate: r.final_date, signedDate: r.signed_date, signatory: r.signatory,
        },
      }));
  return {
    areaSlug: principal.areaSlug,
    municipalityCode: principal.municipalityCode,
    municipalityName: principal.municipalityName,
    label: principal.label,
    openRequests: requests('open'),
    closedRequests: requests('closed'),
  };
}


// --- what other features ask of the councils' standing -----------------------------------------------------------

/** Where the councils stand on one text (by hash): when a version carrying it was first sent, and who approved exactly it. */
export interface CouncilsOnText {
  /** When a version with this hash was first sent to the councils; null when never. */
  sentAt: number | null;
  /** The municipality codes whose council's latest decision on this text approved it (final and signed included). */
  approvedBy: string[];
  /** Every party municipality, code and names (Finnish alphabetical order). */
  parties: Array<{ code: string; name: { fi: string; sv: string } }>;
}

export async function councilsOnText(db: Db, areaId: string, documentId: string, hash: string): Promise<CouncilsOnText> {
  const requests = await requestsOfDocument(db, areaId, documentId);
  const decisions = await decisionsOfRequests(db, areaId, requests.map((r) => r.id));
  const approved = approvalsByHash(requests, decisions).get(hash) ?? new Map<string, Approval>();
  const sent = requests.filter((r) => r.version_hash === hash).map((r) => r.sent_at);
  const parties = await db.selectFrom('municipalities').select(['id', 'code', 'name_fi', 'name_sv']).where('area_id', '=', areaId).orderBy('name_fi').execute();
  return {
    sentAt: sent.length > 0 ? Math.min(...sent) : null,
    approvedBy: parties.filter((m) => approved.has(m.id)).map((m) => m.code),
    parties: parties.map((m) => ({ code: m.code, name: { fi: m.name_fi, sv: m.name_sv } })),
  };
}

/** A council's decision proposal is asked for: by a member (session) or by a municipality's approval token. */
export type ProposalAsker = { actor: Actor } | { token: string };

/** What a council's decision proposal is made of, once the asker may have it. */
export interface ProposalSubject {
  areaId: string;
  areaSlug: string;
  request: { id: string; documentId: string; version: number; versionLabel: string; hash: string; sentAt: number; background: string; status: RequestStatus };
  municipality: { id: string; code: string; name: { fi: string; sv: string }; language: string };
  /** This council's latest decision on an earlier text of the document, sent before this request; null when none. */
  earlier: { requestId: string; version: number; hash: string; state: DecisionState; decisionDate: string | null } | null;
  /** Who takes it, for the record: the member, or the token. */
  userId: string | null;
  tokenId: string | null;
}

/**
 * The request and the municipality whose council's decision proposal is asked for, when the asker may have it: the
 * municipality's council secretary or the host admin (as for recording its decision), or its own approval token.
 * Another area's request, and a municipality that is no party, are not found; a member who may not record that
 * council's decision is forbidden.
 */
export async function proposalSubject(deps: CoreDeps, asker: ProposalAsker, approvalRequestId: string, municipalityCode: unknown): Promise<ProposalSubject> {
  let request: RequestRow | undefined;
  let recorder: Recorder;
  let userId: string | null = null;
  let tokenId: string | null = null;
  let areaSlug: string;
  if ('token' in asker) {
    const principal = await authenticateApprovalToken(deps.db, asker.token);
    if (!principal) throw new DomainError('unauthenticated', 'unknown or revoked token');
    request = typeof approvalRequestId === 'string' && approvalRequestId.length <= 64 ? await findRequestInArea(deps.db, principal.areaId, approvalRequestId) : undefined;
    if (!request) throw new DomainError('not_found', 'approval request not found');
    recorder = { kind: 'token', municipalityId: principal.municipalityId };
    tokenId = principal.id;
    areaSlug = principal.areaSlug;
  } else {
    const access = await requestAccess(deps.db, asker.actor, approvalRequestId);
    request = access.request;
    if (!can(access.membership, 'approvals.record')) throw new DomainError('forbidden', "only the council's secretary and the host admin take its decision proposal");
    recorder = { kind: 'member', role: access.membership.role, municipalityId: access.membership.municipalityId };
    userId = asker.actor.userId;
    areaSlug = access.membership.areaSlug;
  }
  const code = typeof municipalityCode === 'string' && municipalityCode.length <= 10 ? municipalityCode : '';
  const municipality = await deps.db.selectFrom('municipalities').select(['id', 'code', 'name_fi', 'name_sv', 'language']).where('area_id', '=', request.area_id).where('code', '=', code).executeTakeFirst();
  if (!municipality) throw new DomainError('not_found', 'no such municipality in this area');
  if (!standingOf(recorder, municipality.id)) throw new DomainError('forbidden', "only the council's secretary, its token and the host admin take its decision proposal");
  const requests = await requestsOfDocument(deps.db, request.area_id, request.document_id);
  const before = requests.filter((r) => r.sent_at <= request!.sent_at && r.id !== request!.id && r.version_hash !== request!.version_hash);
  const decisions = (await decisionsOfRequests(deps.db, request.area_id, before.map((r) => r.id), municipality.id)).filter((d) => isDecided(d.state as DecisionState) || isApproval(d.state as DecisionState));
  const latest = decisions.map((d) => ({ d, r: before.find((r) => r.id === d.approval_request_id)! })).sort((a, b) => (b.d.decision_date ?? '').localeCompare(a.d.decision_date ?? '') || b.r.sent_at - a.r.sent_at)[0];
  return {
    areaId: request.area_id,
    areaSlug,
    request: { id: request.id, documentId: request.document_id, version: request.version_number, versionLabel: request.version_label, hash: request.version_hash, sentAt: request.sent_at, background: request.background, status: request.status as RequestStatus },
    municipality: { id: municipality.id, code: municipality.code, name: { fi: municipality.name_fi, sv: municipality.name_sv }, language: municipality.language },
    earlier: latest ? { requestId: latest.r.id, version: latest.r.version_number, hash: latest.r.version_hash, state: latest.d.state as DecisionState, decisionDate: latest.d.decision_date } : null,
    userId,
    tokenId,
  };
}
