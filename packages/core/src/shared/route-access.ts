import type { Permission } from './roles.ts';

/**
 * Who may call a transport route, declared beside the route (a Remix module's `handle`, an API operation's
 * `x-sopu-access`), so that the cross-tenant and role matrix (tests/proof/matrix.test.ts) can hold every route's
 * answers against the roles table without knowing the route. A route without a declaration fails that suite.
 *
 * - `'public'`: anyone, signed in or not (login, an invitation link: its token is the key).
 * - `'signed-in'`: any signed-in person; the route names no area.
 * - `'development'`: a developer's tool that exists only on a local address and answers only this machine (the
 *   dev mailbox); core answers 404 anywhere else. It shows every area's data: on such a machine all of it is the
 *   developer's own.
 * - `{ area: P }`: a member of the area in the path (`:slug`) whose role may P (`can()`); every other id in the
 *   path belongs to that area. Outsiders get not_found, members without P forbidden, the anonymous the login.
 *   With `own: true` the rule is also the object's: only its author (or, for threads, a drafter or the host admin)
 *   may act, so a member with P may still be forbidden for an object that is not theirs.
 */
export type RouteAccess = 'public' | 'signed-in' | 'development' | { area: Permission; own?: true };

/** A Remix route module's `handle`: one rule for its loader and action, or one each (other keys are the route's own). */
export interface RouteHandle {
  access: RouteAccess | { loader?: RouteAccess; action?: RouteAccess };
  [key: string]: unknown;
}
