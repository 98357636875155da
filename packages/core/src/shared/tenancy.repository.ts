import type { AreaRow, Db, MembershipRow, MunicipalityRow } from '@sopu/db';
import type { DirectEditing } from './roles.ts';
export { DIRECT_EDITING, type DirectEditing } from './roles.ts';
import type { Role } from './roles.ts';

export interface Area {
  id: string;
  slug: string;
  name: { fi: string; sv: string; en: string };
  cooperationModel: string;
  legalBasis: string | null;
  hostMunicipalityId: string | null;
  exceptionGrounds: string[];
  facts: string[];
  /** Suspended by the operator: closed to every member (docs/decisions/019). */
  status: AreaStatus;
  /** The municipality whose member chairs the joint body now. */
  chairMunicipalityId: string | null;
  /** The Government's exception-permit decision as recorded (implementing act 4 §), or null. */
  exceptionPermit: { reference: string; date: string | null } | null;
  /** Key facts for the dashboard, in each language. */
  keyFacts: KeyFact[];
  /** Who changes agreement text directly: the host's drafters only (the others suggest), or every drafter. */
  directEditing: DirectEditing;
}


export const AREA_STATUSES = ['active', 'suspended'] as const;
export type AreaStatus = (typeof AREA_STATUSES)[number];

export interface KeyFact {
  fi: string;
  sv: string;
  en: string;
}

/** A municipality as views name it: its code and its names. */
export interface MunicipalityRef {
  code: string;
  name: { fi: string; sv: string };
}

export interface Municipality {
  id: string;
  code: string;
  name: { fi: string; sv: string };
  language: string;
  labourForce: number | null;
  labourForceIsDemo: boolean;
  /** Where the labour-force figure comes from, and its statistical year. */
  labourForceSource: string | null;
  labourForceYear: number | null;
  seats: number | null;
  votesPerSeat: number | null;
  isHost: boolean;
}

export interface Membership {
  id: string;
  areaId: string;
  areaSlug: string;
  userId: string;
  municipalityId: string;
  municipalityCode: string;
  municipalityName: { fi: string; sv: string };
  role: Role;
  isHostMunicipality: boolean;
}

export const toArea = (r: AreaRow): Area => ({
  id: r.id,
  slug: r.slug,
  name: { fi: r.name_fi, sv: r.name_sv, en: r.name_en },
  cooperationModel: r.cooperation_model,
  legalBasis: r.legal_basis,
  hostMunicipalityId: r.host_municipality_id,
  exceptionGrounds: JSON.parse(r.exception_grounds) as string[],
  facts: JSON.parse(r.facts) as string[],
  status: r.status === 'suspended' ? 'suspended' : 'active',
  chairMunicipalityId: r.chair_municipality_id,
  exceptionPermit: r.exception_permit_reference ? { reference: r.exception_permit_reference, date: r.exception_permit_date } : null,
  keyFacts: JSON.parse(r.key_facts) as KeyFact[],
  directEditing: r.direct_editing === 'everyone' ? 'everyone' : 'host',
});

export const toMunicipality = (r: MunicipalityRow, hostId: string | null): Municipality => ({
  id: r.id,
  code: r.code,
  name: { fi: r.name_fi, sv: r.name_sv },
  language: r.language,
  labourForce: r.labour_force,
  labourForceIsDemo: r.labour_force_is_demo === 1,
  labourForceSource: r.labour_force_source,
  labourForceYear: r.labour_force_year,
  seats: r.seats,
  votesPerSeat: r.votes_per_seat,
  isHost: r.id === hostId,
});

export async function findAreaBySlug(db: Db, slug: string): Promise<Area | undefined> {
  const row = await db.selectFrom('areas').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row && toArea(row);
}

export async function listMunicipalities(db: Db, area: Area): Promise<Municipality[]> {
  const rows = await db.selectFrom('municipalities').selectAll().where('area_id', '=', area.id).orderBy('name_fi').execute();
  return rows.map((r) => toMunicipality(r, area.hostMunicipalityId));
}

export async function findMunicipalityByCode(db: Db, areaId: string, code: string): Promise<MunicipalityRow | undefined> {
  return db.selectFrom('municipalities').selectAll().where('area_id', '=', areaId).where('code', '=', code).executeTakeFirst();
}

type MembershipJoin = MembershipRow & { area_slug: string; municipality_code: string; municipality_name_fi: string; municipality_name_sv: string; host_municipality_id: string | null };
const toMembership = (r: MembershipJoin): Membership => ({
  id: r.id,
  areaId: r.area_id,
  areaSlug: r.area_slug,
  userId: r.user_id,
  municipalityId: r.municipality_id,
  municipalityCode: r.municipality_code,
  municipalityName: { fi: r.municipality_name_fi, sv: r.municipality_name_sv },
  role: r.role as Role,
  isHostMunicipality: r.municipality_id === r.host_municipality_id,
});

/**
 * Memberships count only in active areas: a suspended area's members are, for every use case, the collab rooms'
 * re-checks and approval tokens alike, no members at all (not_found), exactly as outsiders.
 */
function membershipQuery(db: Db) {
  return db
    .selectFrom('memberships')
    .innerJoin('areas', (join) => join.onRef('areas.id', '=', 'memberships.area_id').on('areas.status', '=', 'active'))
    .innerJoin('municipalities', 'municipalities.id', 'memberships.municipality_id')
    .selectAll('memberships')
    .select(['areas.slug as area_slug', 'municipalities.code as municipality_code', 'municipalities.name_fi as municipality_name_fi', 'municipalities.name_sv as municipality_name_sv', 'areas.host_municipality_id']);
}

export async function findMembership(db: Db, areaId: string, userId: string): Promise<Membership | undefined> {
  const row = await membershipQuery(db).where('memberships.area_id', '=', areaId).where('memberships.user_id', '=', userId).executeTakeFirst();
  return row && toMembership(row);
}

export async function findMembershipsOfUsers(db: Db, areaId: string, userIds: string[]): Promise<Membership[]> {
  if (userIds.length === 0) return [];
  const rows = await membershipQuery(db).where('memberships.area_id', '=', areaId).where('memberships.user_id', 'in', userIds).execute();
  return rows.map(toMembership);
}

export async function listUserMemberships(db: Db, userId: string): Promise<Array<Membership & { areaName: Area['name'] }>> {
  const rows = await membershipQuery(db)
    .select(['areas.name_fi', 'areas.name_sv', 'areas.name_en'])
    .where('memberships.user_id', '=', userId)
    .orderBy('areas.name_fi')
    .execute();
  return rows.map((r) => ({ ...toMembership(r), areaName: { fi: r.name_fi, sv: r.name_sv, en: r.name_en } }));
}
