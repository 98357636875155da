import type { Db } from '@sopu/db';
import { requireAreaAccess, type AreaAccess } from '../shared/access.ts';
import { listMunicipalities, listUserMemberships, type Area, type Membership, type Municipality } from '../shared/tenancy.repository.ts';
import { checkLabourForceThreshold, type ThresholdCheck } from './threshold.rules.ts';
import { DomainError } from '../shared/errors.ts';
import type { Actor } from '../shared/deps.ts';
import { listDocumentsOfArea, type DocumentSummary } from '../documents/index.ts';
import { listMembersOfArea, type MemberSummary } from '../members/index.ts';
import { listMilestones, type Milestone } from './settings.ts';
import { helsinkiDate } from '../shared/helsinki.ts';
import type { KeyFact } from '../shared/tenancy.repository.ts';

export interface Me {
  user: { id: string; email: string; displayName: string; locale: string };
  memberships: Array<Membership & { areaName: Area['name'] }>;
}

export async function getMe(db: Db, actor: Actor): Promise<Me> {
  const user = await db.selectFrom('users').select(['id', 'email', 'display_name', 'locale']).where('id', '=', actor.userId).executeTakeFirst();
  if (!user) throw new DomainError('unauthenticated');
  return {
    user: { id: user.id, email: user.email, displayName: user.display_name, locale: user.locale },
    memberships: await listUserMemberships(db, actor.userId),
  };
}

export interface AreaSummary extends AreaAccess {
  municipalities: Municipality[];
  threshold: ThresholdCheck;
}

export async function getArea(db: Db, actor: Actor, slug: string): Promise<AreaSummary> {
  const access = await requireAreaAccess(db, actor.userId, slug);
  const municipalities = await listMunicipalities(db, access.area);
  return { ...access, municipalities, threshold: checkLabourForceThreshold(municipalities, access.area.exceptionGrounds) };
}

export interface AreaDashboard extends AreaSummary {
  members: MemberSummary[];
  documents: DocumentSummary[];
  /** Every milestone by date, with Helsinki days left (negative once past); the page shows the coming ones. */
  milestones: Milestone[];
  /** The area's key facts in fi/sv/en (a language may be ''; show another, see inLanguage in @sopu/core/rules). */
  keyFacts: KeyFact[];
}

/** `now` (default: the clock) decides the days left of milestones. */
export async function getAreaDashboard(db: Db, actor: Actor, slug: string, now: number = Date.now()): Promise<AreaDashboard> {
  const summary = await getArea(db, actor, slug);
  const [members, documents, milestones] = await Promise.all([
    listMembersOfArea(db, summary.area.id),
    listDocumentsOfArea(db, summary.area.id),
    listMilestones(db, summary.area.id, summary.municipalities, helsinkiDate(now)),
  ]);
  return { ...summary, members, documents, milestones, keyFacts: summary.area.keyFacts };
}
