import type { Db } from '@sopu/db';
import { z } from 'zod';
import { requireAreaAccess, type AreaAccess } from '../shared/access.ts';
import { DIRECT_EDITING, listMunicipalities, type Area, type AreaStatus, type DirectEditing, type KeyFact, type Municipality, type MunicipalityRef } from '../shared/tenancy.repository.ts';
import { checkLabourForceThreshold, EXCEPTION_GROUNDS, type ExceptionGround, type ThresholdCheck } from './threshold.rules.ts';
import { COST_SHARE_KEYS, type CostShareKey } from './cost-shares.rules.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { daysBetween, helsinkiDate, isCalendarDate } from '../shared/helsinki.ts';
import { newId } from '../shared/ids.ts';
import { can } from '../shared/roles.ts';
import { userText } from '../shared/text.ts';
import { parseInput } from '../shared/validation.ts';
import { APPROVABLE_KINDS, type ApprovableKind } from '../documents/index.ts';
import { MILESTONE_KINDS, type MilestoneKind } from './milestones.rules.ts';
import { typedNumber } from './typed-number.rules.ts';
import { SEATS_MAX, voteShares, VOTES_PER_SEAT_MAX, type VoteShares } from './vote-shares.rules.ts';

/**
 * The area's settings (docs/decisions/019): the municipalities' labour-force figures with source and year, the joint
 * body's seats and votes and who chairs it, the exception ground and permit, milestones and key facts. Every member
 * reads them (the dashboard shows milestones and key facts, the checks use the rest); the host admin changes them
 * (`area.settings`), each change one transaction with its audit event.
 */

export { MILESTONE_KINDS, type MilestoneKind };
export const MILESTONES_MAX = 50;
export const KEY_FACTS_MAX = 12;
export const LABOUR_FORCE_MAX = 10_000_000;
const TEXT_MAX = 300;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

export type { MunicipalityRef };

export interface MunicipalitySettings extends MunicipalityRef {
  language: string;
  isHost: boolean;
  labourForce: { value: number | null; source: string | null; year: number | null; isDemo: boolean };
  jointBody: { seats: number | null; votesPerSeat: number | null; holdsChair: boolean };
}

export interface Milestone {
  id: string;
  kind: MilestoneKind;
  /** As entered; either may be '' (show the other). */
  label: { fi: string; sv: string };
  /** YYYY-MM-DD. */
  date: string;
  municipality: MunicipalityRef | null;
  /** Helsinki calendar days from today: 0 on the day, negative after it. */
  daysLeft: number;
  /**
   * A council meeting of one municipality, tied to that council's handling of the cooperation agreement sent for
   * approval (the newest request not superseded): its state, and whether the council has decided (approved,
   * rejected, returned, final or signed). null for other milestones, or when nothing has been sent yet.
   */
  approval: { requestId: string; version: number; state: string; decided: boolean } | null;
  /** Upcoming and still to happen for the process: not past, and for a council meeting, its council has not decided. */
  upcoming: boolean;
  /**
   * What does not fit the process: `after_entry_into_force` (a council meeting after the date the agreement states
   * for its entry into force: the council cannot approve in time), `round_deadline_after` (an open consultation
   * round's deadline falls after the host's council meeting, which needs the round's outcome).
   */
  warnings: Array<{ kind: 'after_entry_into_force'; date: string } | { kind: 'round_deadline_after'; roundId: string; title: string; deadline: number }>;
}

/** A council's step that is a decision (the meeting has decided the matter). */
const DECIDED_STATES = ['approved', 'rejected', 'returned', 'final', 'signed'];

export interface CostShareCalculationView {
  year: number;
  netCostsCents: number;
  key: CostShareKey;
  figures: Array<{ code: string; value: number }>;
  computedAt: number;
}

export interface AreaSettings {
  slug: string;
  name: Area['name'];
  status: AreaStatus;
  /** Whether the caller may change the settings (the host admin). */
  canEdit: boolean;
  /** By Finnish name, the host among them. */
  municipalities: MunicipalitySettings[];
  threshold: ThresholdCheck;
  exception: { grounds: ExceptionGround[]; permit: { reference: string; date: string | null } | null };
  jointBody: { chair: MunicipalityRef | null; shares: VoteShares };
  /** By date, then label. */
  milestones: Milestone[];
  keyFacts: KeyFact[];
  /** The latest calculation of each year, newest year first. */
  costShares: CostShareCalculationView[];
  /** The date each agreement the councils approve states for its entry into force (null: not set), the cooperation agreement first. */
  entryIntoForce: EntryIntoForce[];
  /** Whether every member who signs in with a password needs a second factor (host admins always do). */
  requireSecondFactor: boolean;
  /** Who changes agreement text directly: the host's drafters (the others suggest changes), or every drafter. */
  directEditing: DirectEditing;
  /** The agreement's minimum consultation period (null: it states none); a shorter round asks the host to confirm. */
  consultationPeriod: { days: number; excludesJuly: boolean } | null;
}

export interface EntryIntoForce {
  documentId: string;
  kind: ApprovableKind;
  title: string;
  /** YYYY-MM-DD. */
  date: string | null;
}

/** The agreements the councils approve (approvals/approvals.ts), oldest first: the area's cooperation agreement leads. */
async function agreementsOf(db: Db, areaId: string): Promise<EntryIntoForce[]> {
  const rows = await db
    .selectFrom('documents')
    .select(['id', 'kind', 'title', 'entry_into_force_date'])
    .where('area_id', '=', areaId)
    .where('kind', 'in', [...APPROVABLE_KINDS])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows
    .sort((a, b) => Number(b.kind === 'cooperation_agreement') - Number(a.kind === 'cooperation_agreement'))
    .map((r) => ({ documentId: r.id, kind: r.kind as ApprovableKind, title: r.title, date: r.entry_into_force_date }));
}

export const ref = (m: Pick<Municipality, 'code' | 'name'>): MunicipalityRef => ({ code: m.code, name: m.name });

/** Days from `today` to `date` (both YYYY-MM-DD), counted in calendar days. */
export { daysBetween };

export async function listMilestones(db: Db, areaId: string, municipalities: readonly Municipality[], today: string): Promise<Milestone[]> {
  const rows = await db.selectFrom('milestones').selectAll().where('area_id', '=', areaId).orderBy('date').orderBy('label_fi').orderBy('id').execute();
  const byId = new Map(municipalities.map((m) => [m.id, m]));
  // The process the timetable is for: the cooperation agreement's current request, its entry into force, open rounds.
  const request = await db
    .selectFrom('approval_requests')
    .innerJoin('documents', 'documents.id', 'approval_requests.document_id')
    .innerJoin('versions', 'versions.id', 'approval_requests.version_id')
    .select(['approval_requests.id', 'versions.number'])
    .where('approval_requests.area_id', '=', areaId)
    .where('documents.kind', '=', 'cooperation_agreement')
    .where('approval_requests.status', '!=', 'superseded')
    .orderBy('approval_requests.sent_at', 'desc')
    .executeTakeFirst();
  const decisions = request ? await db.selectFrom('council_decisions').select(['municipality_id', 'state']).where('area_id', '=', areaId).where('approval_request_id', '=', request.id).execute() : [];
  const agreement = await db.selectFrom('documents').select('entry_into_force_date').where('area_id', '=', areaId).where('kind', '=', 'cooperation_agreement').orderBy('created_at').executeTakeFirst();
  const entryIntoForce = agreement?.entry_into_force_date ?? null;
  const host = municipalities.find((m) => m.isHost);
  const openRounds = await db.selectFrom('consultation_rounds').select(['id', 'title', 'deadline']).where('area_id', '=', areaId).where('state', '=', 'open').execute();
  return rows.map((r) => {
    const m = r.municipality_id ? byId.get(r.municipality_id) : undefined;
    const council = r.kind === 'council_meeting' && m !== undefined;
    const decision = council && request ? decisions.find((d) => d.municipality_id === m.id) : undefined;
    const approval = request && decision ? { requestId: request.id, version: request.number, state: decision.state, decided: DECIDED_STATES.includes(decision.state) } : null;
    const daysLeft = daysBetween(today, r.date);
    const warnings: Milestone['warnings'] = [];
    if (council && entryIntoForce && r.date > entryIntoForce && !approval?.decided) warnings.push({ kind: 'after_entry_into_force', date: entryIntoForce });
    if (council && m.id === host?.id && daysLeft >= 0) {
      for (const round of openRounds) if (helsinkiDate(round.deadline) >= r.date) warnings.push({ kind: 'round_deadline_after', roundId: round.id, title: round.title, deadline: round.deadline });
    }
    return { id: r.id, kind: r.kind as MilestoneKind, label: { fi: r.label_fi, sv: r.label_sv }, date: r.date, municipality: m ? ref(m) : null, daysLeft, approval, upcoming: daysLeft >= 0 && !approval?.decided, warnings };
  });
}

export function jointBodyOf(area: Area, municipalities: readonly Municipality[]): { chair: MunicipalityRef | null; shares: VoteShares } {
  const chair = municipalities.find((m) => m.id === area.chairMunicipalityId) ?? null;
  return { chair: chair && ref(chair), shares: voteShares(municipalities.map((m) => ({ code: m.code, seats: m.seats, votesPerSeat: m.votesPerSeat })), chair?.code ?? null) };
}

async function settingsOf(deps: CoreDeps, access: AreaAccess): Promise<AreaSettings> {
  const { area } = access;
  const municipalities = await listMunicipalities(deps.db, area);
  const calculations = await deps.db.selectFrom('cost_share_calculations').selectAll().where('area_id', '=', area.id).orderBy('year', 'desc').execute();
  const { chair, shares } = jointBodyOf(area, municipalities);
  return {
    slug: area.slug,
    name: area.name,
    status: area.status,
    canEdit: can(access.membership, 'area.settings'),
    municipalities: municipalities.map((m) => ({
      ...ref(m),
      language: m.language,
      isHost: m.isHost,
      labourForce: { value: m.labourForce, source: m.labourForceSource, year: m.labourForceYear, isDemo: m.labourForceIsDemo },
      jointBody: { seats: m.seats, votesPerSeat: m.votesPerSeat, holdsChair: m.id === area.chairMunicipalityId },
    })),
    threshold: checkLabourForceThreshold(municipalities, area.exceptionGrounds),
    exception: { grounds: area.exceptionGrounds.filter((g): g is ExceptionGround => (EXCEPTION_GROUNDS as readonly string[]).includes(g)), permit: area.exceptionPermit },
    jointBody: { chair, shares },
    milestones: await listMilestones(deps.db, area.id, municipalities, helsinkiDate(deps.now())),
    keyFacts: area.keyFacts,
    costShares: calculations.map((c) => ({ year: c.year, netCostsCents: c.net_costs_cents, key: c.key as CostShareKey, figures: JSON.parse(c.figures) as Array<{ code: string; value: number }>, computedAt: c.created_at })),
    entryIntoForce: await agreementsOf(deps.db, area.id),
    requireSecondFactor: (await deps.db.selectFrom('areas').select('require_second_factor').where('id', '=', area.id).executeTakeFirstOrThrow()).require_second_factor === 1,
    directEditing: area.directEditing,
    consultationPeriod: await consultationPeriodOf(deps.db, area.id),
  };
}

/** The area's minimum consultation period, as its agreement states it (null: none). */
export async function consultationPeriodOf(db: Db, areaId: string): Promise<{ days: number; excludesJuly: boolean } | null> {
  const row = await db.selectFrom('areas').select(['min_consultation_days', 'min_consultation_excludes_july']).where('id', '=', areaId).executeTakeFirstOrThrow();
  return row.min_consultation_days === null ? null : { days: row.min_consultation_days, excludesJuly: row.min_consultation_excludes_july === 1 };
}

/** The area's settings as any member may read them; `canEdit` says whether the caller is the host admin. */
export async function getAreaSettings(deps: CoreDeps, actor: Actor, slug: string): Promise<AreaSettings> {
  return settingsOf(deps, await requireAreaAccess(deps.db, actor.userId, slug));
}

function invalid(path: Array<string | number>, code: string, message: string): DomainError {
  return new DomainError('invalid_input', message, { issues: [{ path: path.map(String), code, message }] });
}

/** Each code of the input once, and a municipality of this area. */
function resolveCodes<T extends { code: string }>(items: readonly T[], municipalities: readonly Municipality[], field: string): Array<T & { municipality: Municipality }> {
  const byCode = new Map(municipalities.map((m) => [m.code, m]));
  const seen = new Set<string>();
  return items.map((item, i) => {
    const municipality = byCode.get(item.code);
    if (!municipality) throw invalid([field, i, 'code'], 'unknown_municipality', `no municipality ${item.code} in this area`);
    if (seen.has(item.code)) throw invalid([field, i, 'code'], 'duplicate', `municipality ${item.code} is listed twice`);
    seen.add(item.code);
    return { ...item, municipality };
  });
}

const code = z.string().trim().regex(/^\d{3}$/, 'a three-digit municipality code');
const year = z.number().int().min(FIRST_YEAR).max(LAST_YEAR);
/** One line of user text (shared/text.ts), empty allowed unless `.min(1)` is added by the field. */
const text = (max = TEXT_MAX) => userText({ min: 0, max });

// --- labour force ------------------------------------------------------------------------------------------------

export const labourForceInput = z
  .object({
    municipalities: z
      .array(
        z
          .object({
            code,
            /** A whole number, or a string as typed ("20 333"; a point or comma is refused: typed-number.rules.ts); null clears the figure. */
            labourForce: typedNumber(0, 0, LABOUR_FORCE_MAX).nullable(),
            source: userText({ max: 200 }).optional(),
            year: typedNumber(0, FIRST_YEAR, LAST_YEAR).optional(),
          })
          .strict()
          .refine((m) => m.labourForce === null || (m.source !== undefined && m.year !== undefined), { message: 'a figure needs its source and year', path: ['source'] }),
      )
      .min(1)
      .max(100),
  })
  .strict();

/** Sets the labour-force figures (with source and year) of the municipalities listed; the others stay as they are. */
export async function updateLabourForce(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<AreaSettings> {
  const access = await requireAreaAccess(deps.db, actor.userId, slug, 'area.settings');
  const input = parseInput(labourForceInput, raw);
  const municipalities = await listMunicipalities(deps.db, access.area);
  const items = resolveCodes(input.municipalities, municipalities, 'municipalities');
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const item of items) {
      await trx
        .updateTable('municipalities')
        .set({
          labour_force: item.labourForce,
          labour_force_source: item.labourForce === null ? null : item.source!,
          labour_force_year: item.labourForce === null ? null : item.year!,
          labour_force_is_demo: 0,
        })
        .where('area_id', '=', access.area.id)
        .where('id', '=', item.municipality.id)
        .execute();
    }
    await deps.audit.append(
      trx,
      {
        areaId: access.area.id,
        actorUserId: actor.userId,
        action: 'area.labour_force_updated',
        subjectType: 'area',
        subjectId: access.area.id,
        details: { municipalities: items.map((i) => ({ code: i.code, from: i.municipality.labourForce, to: i.labourForce, source: i.source ?? null, year: i.year ?? null })) },
      },
      now,
    );
  });
  return getAreaSettings(deps, actor, slug);
}

// --- the joint body ----------------------------------------------------------------------------------------------

export const jointBodyInput = z
  .object({
    municipalities: z
      .array(
        z
          .object({
            code,
            /** Whole seats; votes per seat with at most two decimals ("1,5" or "1.5"); numbers or strings as typed. */
            seats: typedNumber(0, 0, SEATS_MAX),
            votesPerSeat: typedNumber(2, 0, VOTES_PER_SEAT_MAX),
          })
          .strict(),
      )
      .min(1)
      .max(100),
    /** The municipality whose member chairs the joint body now; null when not decided. */
    chairCode: code.nullable(),
  })
  .strict();

/**
 * Sets the joint body's seats and votes per seat for every municipality of the area (all of them, each once: the
 * composition is one whole), and which municipality chairs it. A municipality may have no seat (since 2017); the
 * chair must come from one that has.
 */
export async function updateJointBody(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<AreaSettings> {
  const access = await requireAreaAccess(deps.db, actor.userId, slug, 'area.settings');
  const input = parseInput(jointBodyInput, raw);
  const municipalities = await listMunicipalities(deps.db, access.area);
  const items = resolveCodes(input.municipalities, municipalities, 'municipalities');
  const listed = new Set(items.map((i) => i.code));
  const absent = municipalities.filter((m) => !listed.has(m.code)).map((m) => m.code);
  if (absent.length > 0) throw invalid(['municipalities'], 'missing_municipalities', `every municipality of the area must be listed; missing ${absent.join(', ')}`);
  if (items.every((i) => i.seats === 0)) throw invalid(['municipalities'], 'no_seats', 'the joint body needs at least one seat');
  let chairId: string | null = null;
  if (input.chairCode !== null) {
    const chair = items.find((i) => i.code === input.chairCode);
    if (!chair) throw invalid(['chairCode'], 'unknown_municipality', `no municipality ${input.chairCode} in this area`);
    if (chair.seats === 0) throw invalid(['chairCode'], 'no_seat', 'the chair must come from a municipality with a seat');
    chairId = chair.municipality.id;
  }
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const item of items) {
      await trx.updateTable('municipalities').set({ seats: item.seats, votes_per_seat: item.votesPerSeat }).where('area_id', '=', access.area.id).where('id', '=', item.municipality.id).execute();
    }
    await trx.updateTable('areas').set({ chair_municipality_id: chairId }).where('id', '=', access.area.id).execute();
    const shares = voteShares(items.map((i) => ({ code: i.code, seats: i.seats, votesPerSeat: i.votesPerSeat })), input.chairCode);
    await deps.audit.append(
      trx,
      {
        areaId: access.area.id,
        actorUserId: actor.userId,
        action: 'area.joint_body_updated',
        subjectType: 'area',
        subjectId: access.area.id,
        details: { seats: Object.fromEntries(items.map((i) => [i.code, [i.seats, i.votesPerSeat]])), chairCode: input.chairCode, verdict: shares.verdict },
      },
      now,
    );
  });
  return getAreaSettings(deps, actor, slug);
}

// --- the exception ground and permit -----------------------------------------------------------------------------

export const exceptionInput = z
  .object({
    grounds: z.array(z.enum(EXCEPTION_GROUNDS)).max(EXCEPTION_GROUNDS.length),
    /** The Government's decision, once it exists: its reference (diary number) and date. */
    permit: z
      .object({ reference: userText({ max: 200 }), date: z.string().refine(isCalendarDate, 'a calendar date as YYYY-MM-DD').nullable().optional() })
      .strict()
      .nullable(),
  })
  .strict();

/** Records the exception grounds the area relies on (implementing act 4 §) and the permit decision, if any. */
export async function updateExceptionGround(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<AreaSettings> {
  const access = await requireAreaAccess(deps.db, actor.userId, slug, 'area.settings');
  const input = parseInput(exceptionInput, raw);
  if (new Set(input.grounds).size !== input.grounds.length) throw invalid(['grounds'], 'duplicate', 'a ground is listed twice');
  const date = input.permit?.date ?? null;
  if (date !== null && date > helsinkiDate(deps.now())) throw invalid(['permit', 'date'], 'in_future', 'a decision cannot be dated after today');
  // In the order of the act, whatever the order sent.
  const grounds = EXCEPTION_GROUNDS.filter((g) => input.grounds.includes(g));
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('areas')
      .set({ exception_grounds: JSON.stringify(grounds), exception_permit_reference: input.permit?.reference ?? null, exception_permit_date: input.permit ? date : null })
      .where('id', '=', access.area.id)
      .execute();
    await deps.audit.append(
      trx,
      {
        areaId: access.area.id,
        actorUserId: actor.userId,
        action: 'area.exception_updated',
        subjectType: 'area',
        subjectId: access.area.id,
        details: { from: { grounds: access.area.exceptionGrounds, permit: access.area.exceptionPermit }, to: { grounds, permit: input.permit ? { reference: input.permit.reference, date } : null } },
      },
      now,
    );
  });
  return getAreaSettings(deps, actor, slug);
}

// --- milestones --------------------------------------------------------------------------------------------------

const calendarDate = z
  .string()
  .refine(isCalendarDate, 'a calendar date as YYYY-MM-DD')
  .refine((d) => d >= `${FIRST_YEAR}-01-01` && d <= `${LAST_YEAR}-12-31`, `between ${FIRST_YEAR} and ${LAST_YEAR}`);

export const milestonesInput = z
  .object({
    milestones: z
      .array(
        z
          .object({
            /** An existing milestone's id keeps it; without one a new milestone is made. */
            id: z.string().max(64).optional(),
            kind: z.enum(MILESTONE_KINDS),
            label: z
              .object({ fi: text(200).optional(), sv: text(200).optional() })
              .strict()
              .refine((l) => Boolean(l.fi) || Boolean(l.sv), 'a label in Finnish or Swedish'),
            date: calendarDate,
            municipalityCode: code.nullable().optional(),
          })
          .strict(),
      )
      .max(MILESTONES_MAX),
  })
  .strict();

/** Replaces the area's milestones with the list sent (an empty list removes them all). */
export async function updateMilestones(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<AreaSettings> {
  const access = await requireAreaAccess(deps.db, actor.userId, slug, 'area.settings');
  const input = parseInput(milestonesInput, raw);
  const municipalities = await listMunicipalities(deps.db, access.area);
  const byCode = new Map(municipalities.map((m) => [m.code, m]));
  const existing = new Set((await deps.db.selectFrom('milestones').select('id').where('area_id', '=', access.area.id).execute()).map((r) => r.id));
  const seenIds = new Set<string>();
  const rows = input.milestones.map((m, i) => {
    const municipality = m.municipalityCode ? byCode.get(m.municipalityCode) : undefined;
    if (m.municipalityCode && !municipality) throw invalid(['milestones', i, 'municipalityCode'], 'unknown_municipality', `no municipality ${m.municipalityCode} in this area`);
    // Another area's milestone id, or a made-up one, is simply a new milestone: ids are never taken over.
    const id = m.id && existing.has(m.id) && !seenIds.has(m.id) ? m.id : newId();
    seenIds.add(id);
    return { id, kind: m.kind, label_fi: m.label.fi ?? '', label_sv: m.label.sv ?? '', date: m.date, municipality_id: municipality?.id ?? null };
  });
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('milestones').where('area_id', '=', access.area.id).execute();
    for (const row of rows) await trx.insertInto('milestones').values({ ...row, area_id: access.area.id, created_by: actor.userId, created_at: now }).execute();
    await deps.audit.append(
      trx,
      {
        areaId: access.area.id,
        actorUserId: actor.userId,
        action: 'area.milestones_updated',
        subjectType: 'area',
        subjectId: access.area.id,
        details: { count: rows.length, milestones: rows.slice(0, 20).map((r) => [r.date, r.kind, r.label_fi || r.label_sv]) },
      },
      now,
    );
  });
  return getAreaSettings(deps, actor, slug);
}

// --- entry into force --------------------------------------------------------------------------------------------

export const entryIntoForceInput = z
  .object({
    /** The date the agreement states ("tulee voimaan 1.1.2027"); null when it states none (then: when the decisions are final). */
    date: calendarDate.nullable(),
    /** A 54 § agreement's id; by default the area's cooperation agreement. */
    documentId: z.string().max(64).optional(),
  })
  .strict();

/**
 * Sets the date an agreement states for its entry into force. It takes effect once every council's approval of the
 * text is final (docs/decisions/017): until then the approvals say "not yet in force", whatever the date.
 */
export async function updateEntryIntoForce(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<AreaSettings> {
  const access = await requireAreaAccess(deps.db, actor.userId, slug, 'area.settings');
  const input = parseInput(entryIntoForceInput, raw);
  const agreements = await agreementsOf(deps.db, access.area.id);
  const agreement = input.documentId === undefined ? agreements.find((a) => a.kind === 'cooperation_agreement') : agreements.find((a) => a.documentId === input.documentId);
  if (!agreement) throw invalid(['documentId'], 'not_found', 'no agreement the councils approve with that id in this area');
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('documents').set({ entry_into_force_date: input.date }).where('area_id', '=', access.area.id).where('id', '=', agreement.documentId).execute();
    await deps.audit.append(
      trx,
      { areaId: access.area.id, actorUserId: actor.userId, action: 'area.entry_into_force_updated', subjectType: 'document', subjectId: agreement.documentId, details: { kind: agreement.kind, from: agreement.date, to: input.date } },
      now,
    );
  });
  return getAreaSettings(deps, actor, slug);
}

// --- key facts ---------------------------------------------------------------------------------------------------

export const keyFactsInput = z
  .object({
    facts: z
      .array(
        z
          .object({ fi: text().optional(), sv: text().optional(), en: text().optional() })
          .strict()
          .refine((f) => Boolean(f.fi) || Boolean(f.sv), 'the fact in Finnish or Swedish'),
      )
      .max(KEY_FACTS_MAX),
  })
  .strict();

/** Replaces the key facts shown on the dashboard (decision dates, the takeover right, the rotation…). */
export async function updateKeyFacts(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<AreaSettings> {
  const access = await requireAreaAccess(deps.db, actor.userId, slug, 'area.settings');
  const input = parseInput(keyFactsInput, raw);
  const facts: KeyFact[] = input.facts.map((f) => ({ fi: f.fi ?? '', sv: f.sv ?? '', en: f.en ?? '' }));
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('areas').set({ key_facts: JSON.stringify(facts) }).where('id', '=', access.area.id).execute();
    await deps.audit.append(trx, { areaId: access.area.id, actorUserId: actor.userId, action: 'area.key_facts_updated', subjectType: 'area', subjectId: access.area.id, details: { count: facts.length } }, now);
  });
  return getAreaSettings(deps, actor, slug);
}

export const secondFactorRequirementInput = z.object({ required: z.boolean() });

/**
 * Requires a second factor of every member of the area who signs in with a password (docs/decisions/024), or stops
 * requiring it (host admins need one anyway). It holds from each person's next log-in; people signing in through
 * their municipality's identity provider use the provider's.
 */
export async function updateSecondFactorRequirement(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<AreaSettings> {
  const access = await requireAreaAccess(deps.db, actor.userId, slug, 'area.settings');
  const input = parseInput(secondFactorRequirementInput, raw);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('areas').set({ require_second_factor: input.required ? 1 : 0 }).where('id', '=', access.area.id).execute();
    await deps.audit.append(trx, { areaId: access.area.id, actorUserId: actor.userId, action: 'area.second_factor_requirement_updated', subjectType: 'area', subjectId: access.area.id, details: { required: input.required } }, now);
  });
  return getAreaSettings(deps, actor, slug);
}

export const directEditingInput = z.object({ directEditing: z.enum(DIRECT_EDITING) });

/**
 * Who changes the agreement's text directly (docs/decisions/025): `host`, the default, lets the host municipality's
 * drafters edit and the others only suggest; `everyone` lets every drafter edit directly. Open editors follow
 * within seconds (the collab server re-checks its connections).
 */
export async function updateDirectEditing(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<AreaSettings> {
  const access = await requireAreaAccess(deps.db, actor.userId, slug, 'area.settings');
  const { directEditing } = parseInput(directEditingInput, raw);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('areas').set({ direct_editing: directEditing }).where('id', '=', access.area.id).execute();
    await deps.audit.append(trx, { areaId: access.area.id, actorUserId: actor.userId, action: 'area.direct_editing_updated', subjectType: 'area', subjectId: access.area.id, details: { directEditing, before: access.area.directEditing } }, now);
  });
  return getAreaSettings(deps, actor, slug);
}

export { COST_SHARE_KEYS };

export const CONSULTATION_DAYS_MAX = 365;
export const consultationPeriodInput = z.object({
  /** Days; null: the agreement states no minimum. */
  days: typedNumber(0, 1, CONSULTATION_DAYS_MAX).nullable(),
  excludesJuly: z.boolean().optional(),
});

/**
 * The agreement's minimum consultation period (the demo agreement: at least 45 days, July not counted). Opening a
 * round with a shorter deadline then warns and asks the host admin to confirm with a reason (consultation feature).
 */
export async function updateConsultationPeriod(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<AreaSettings> {
  const access = await requireAreaAccess(deps.db, actor.userId, slug, 'area.settings');
  const input = parseInput(consultationPeriodInput, raw);
  const now = deps.now();
  const before = await consultationPeriodOf(deps.db, access.area.id);
  const excludesJuly = input.days === null ? false : Boolean(input.excludesJuly);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('areas').set({ min_consultation_days: input.days, min_consultation_excludes_july: excludesJuly ? 1 : 0 }).where('id', '=', access.area.id).execute();
    await deps.audit.append(trx, { areaId: access.area.id, actorUserId: actor.userId, action: 'area.consultation_period_updated', subjectType: 'area', subjectId: access.area.id, details: { days: input.days, excludesJuly, before } }, now);
  });
  return getAreaSettings(deps, actor, slug);
}
