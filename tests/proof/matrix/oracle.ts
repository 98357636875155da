import { can, type RouteAccess } from '@sopu/core';
import type { Actor } from './fixtures.ts';
import type { Endpoint } from './routes.ts';

/**
 * What an answer says about access, whatever its transport: sign in first (API 401, a page's redirect to /login),
 * not found (404), forbidden (403), or let through (the data, or for a mutation "invalid input"). `error` (5xx) and
 * `other` (anything else) are never expected.
 */
export type Outcome = 'unauthenticated' | 'not_found' | 'forbidden' | 'allowed' | 'error' | 'other';

/**
 * Where the path's ids came from, as seen by the caller: their own area, the other area, or nowhere (a made-up id);
 * or `absent_under_own`: a number relative to the caller's own row before it that names nothing there (a version
 * number the caller's own document does not have).
 */
export type Origin = 'own' | 'foreign' | 'missing' | 'absent_under_own';

const RANK: Record<Outcome, number> = { allowed: 0, forbidden: 1, not_found: 2, unauthenticated: 3, error: 9, other: 9 };

/**
 * The answers the roles table allows for one rule. The first path id is the area's (a slug, or the row that decides
 * the area); a member who lacks the permission may get 403 or 404 for a later id that is not theirs, since neither
 * says whether it exists.
 *
 * A missing version of one's own document: the document is the caller's to read, so its 404 may say what is missing
 * (version not found) and is not compared with anything; the caller's permission on the document (an object's own
 * rule: restoring needs its writer's role) may be decided first (403). Of another area's document, or a made-up one,
 * every version number gets the one answer of a made-up document (compared byte for byte by the matrix).
 */
function expectedFor(rule: RouteAccess, actor: Actor | null, origins: Origin[]): Set<Outcome> | 'any' {
  if (rule === 'public' || rule === 'development') return 'any';
  if (!actor) return new Set(['unauthenticated']);
  if (rule === 'signed-in') return new Set(['allowed']);
  const [areaOrigin = 'own', ...rest] = origins;
  if (areaOrigin !== 'own') return new Set(['not_found']);
  const ownRows = rest.every((o) => o === 'own');
  if (!can(actor, rule.area)) return new Set(ownRows ? ['forbidden'] : ['forbidden', 'not_found']);
  if (rest.includes('absent_under_own') && rest.every((o) => o === 'own' || o === 'absent_under_own')) return new Set(rule.own ? ['not_found', 'forbidden'] : ['not_found']);
  if (!ownRows) return new Set(['not_found']);
  // An object's own rule (its author): a member with the permission may still be refused an object not theirs.
  return new Set(rule.own ? ['allowed', 'forbidden'] : ['allowed']);
}

/**
 * The answers allowed for a call: of all the rules that govern it (a page's action and its branch's loaders), the
 * strictest decides. `'any'` for a public route: its answer is not an access decision (only a 5xx or a foreign name
 * in it is wrong). Rules that all let the caller through keep each other's refusals: an action's own rule may still
 * refuse an object not the caller's (403) while its page's loaders would let them read it.
 */
export function expected(endpoint: Endpoint, actor: Actor | null, origins: Origin[]): Set<Outcome> | 'any' {
  let strictest: Set<Outcome> | 'any' = 'any';
  for (const rule of endpoint.rules) {
    const e = expectedFor(rule, actor, origins);
    if (e === 'any') continue;
    if (strictest === 'any') strictest = e;
    else {
      const rank = (s: Set<Outcome>) => Math.min(...[...s].map((o) => RANK[o]));
      if (rank(e) > rank(strictest)) strictest = e;
      else if (rank(e) === rank(strictest)) {
        if (rank(e) === RANK.allowed) strictest = new Set([...strictest, ...e]);
        else {
          const both: Set<Outcome> = new Set([...strictest].filter((o) => e.has(o)));
          if (both.size > 0) strictest = both;
        }
      }
    }
  }
  return strictest;
}

/**
 * How a response reads as an access decision. `redirect` is where it sends the client: a 3xx, or for a Remix data
 * request (`.data`) the 202 whose body and Location say "redirect".
 */
export function classify(endpoint: Endpoint, res: { status: number; redirect: string | null }): Outcome {
  const { status } = res;
  if (status >= 500) return 'error';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (res.redirect !== null) {
    if (endpoint.transport === 'api') return 'other';
    // A public route answers everyone: its way to the login page (logging out) is its answer, not a refusal.
    if (endpoint.rules.every((r) => r === 'public')) return 'allowed';
    return new URL(res.redirect, 'http://x').pathname === '/login' ? 'unauthenticated' : 'allowed';
  }
  if (status >= 200 && status < 300) return 'allowed';
  // Invalid input, a conflict, a used invitation: the caller got past the access check.
  if (endpoint.method !== 'GET' && [400, 409, 410, 422].includes(status)) return 'allowed';
  return 'other';
}

export function accepts(want: Set<Outcome> | 'any', got: Outcome): boolean {
  if (want === 'any') return got !== 'error';
  return want.has(got);
}

export const describeExpected = (want: Set<Outcome> | 'any') => (want === 'any' ? 'any non-error answer' : [...want].join(' or '));
