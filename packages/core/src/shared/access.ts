import type { Db } from '@sopu/db';
import { findAreaBySlug, findMembership, type Area, type Membership } from './tenancy.repository.ts';
import { DomainError } from './errors.ts';
import { can, type Permission } from './roles.ts';

export interface AreaAccess {
  area: Area;
  membership: Membership;
}

/**
 * The gate of every area-scoped use case. A missing area and an area the user does not belong to look the same
 * (not_found), so that an area's existence does not leak to outsiders.
 */
export async function requireAreaAccess(db: Db, userId: string, slug: string, permission: Permission = 'area.read'): Promise<AreaAccess> {
  const area = await findAreaBySlug(db, slug);
  const membership = area && (await findMembership(db, area.id, userId));
  if (!area || !membership) throw new DomainError('not_found', 'area not found');
  if (!can(membership, permission)) throw new DomainError('forbidden', `requires ${permission}`);
  return { area, membership };
}
