import type { Db } from '@sopu/db';
import type { Role } from '../shared/roles.ts';

export interface MemberSummary {
  membershipId: string;
  userId: string;
  displayName: string;
  email: string;
  municipalityId: string;
  municipalityCode: string;
  municipalityName: { fi: string; sv: string };
  role: Role;
}

export async function listMembersOfArea(db: Db, areaId: string): Promise<MemberSummary[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('municipalities', 'municipalities.id', 'memberships.municipality_id')
    .select([
      'memberships.id', 'memberships.user_id', 'memberships.role', 'memberships.municipality_id',
      'users.display_name', 'users.email', 'municipalities.code', 'municipalities.name_fi', 'municipalities.name_sv',
    ])
    .where('memberships.area_id', '=', areaId)
    .orderBy('municipalities.name_fi')
    .orderBy('users.display_name')
    .execute();
  return rows.map((r) => ({
    membershipId: r.id,
    userId: r.user_id,
    displayName: r.display_name,
    email: r.email,
    municipalityId: r.municipality_id,
    municipalityCode: r.code,
    municipalityName: { fi: r.name_fi, sv: r.name_sv },
    role: r.role as Role,
  }));
}
