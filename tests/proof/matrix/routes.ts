import { can, type RouteAccess } from '@sopu/core';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RemixBuild } from './server.ts';

/** One thing a client can call: a page (Remix loader or action) or an API operation. */
export interface Endpoint {
  transport: 'page' | 'api';
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** With `:name` for each path parameter, e.g. /areas/:slug/documents/:documentId. */
  path: string;
  params: string[];
  /** A Remix index route: an action is addressed with `?index`. */
  index: boolean;
  /** Every declared rule that governs the answer: the module's own and, for pages, the loaders of its parents. */
  rules: RouteAccess[];
  /** An API operation that declares a request body (the matrix sends one that no schema accepts). */
  hasBody: boolean;
}

export const label = (e: Pick<Endpoint, 'method' | 'path' | 'transport'>) => `${e.method} ${e.path}${e.transport === 'api' ? '' : ' (page)'}`;

/** A declaration the matrix can act on: 'public', 'signed-in' or {area: <a permission can() knows>}. */
function checkRule(rule: unknown, where: string, problems: string[]): rule is RouteAccess {
  if (rule === 'public' || rule === 'signed-in' || rule === 'development') return true;
  if (rule && typeof rule === 'object' && 'area' in rule && Object.keys(rule).every((k) => k === 'area' || (k === 'own' && (rule as unknown as { own: unknown }).own === true))) {
    const permission = (rule as { area: unknown }).area;
    // can() answers a boolean for every Permission it knows (an unknown name falls through its switch).
    if (typeof permission === 'string' && typeof can({ role: 'host_admin', isHostMunicipality: true }, permission as never) === 'boolean') return true;
    problems.push(`${where}: unknown permission ${JSON.stringify(permission)} (see can() in packages/core/src/shared/roles.ts)`);
    return false;
  }
  problems.push(`${where}: access must be 'public', 'signed-in', 'development' or { area: <permission> }, not ${JSON.stringify(rule)}`);
  return false;
}

type RouteEntry = RemixBuild['routes'][string];

/** The rule of a module's loader or action, from its `handle.access` (one rule, or { loader, action }). */
function ruleOf(route: RouteEntry, part: 'loader' | 'action', problems: string[]): RouteAccess | null {
  const where = `apps/web/app/${route.id}: ${part}`;
  const handle = route.module.handle as { access?: unknown } | undefined;
  const access = handle?.access;
  if (access === undefined) {
    problems.push(`${where} has no declared access: export const handle = { access: … } satisfies RouteHandle`);
    return null;
  }
  const split = access && typeof access === 'object' && ('loader' in access || 'action' in access);
  const rule = split ? (access as Record<string, unknown>)[part] : access;
  if (rule === undefined) {
    problems.push(`${where} has no declared access (handle.access.${part})`);
    return null;
  }
  return checkRule(rule, where, problems) ? rule : null;
}

const paramsOf = (path: string) => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);

/**
 * The pages, from the production build's route table: every URL a route answers by itself (an index route, or a
 * route without an index child), GET through the loaders of its whole branch, POST when the module has an action.
 * Every module with a loader or action must declare its access. The route files are compared with the build, so
 * that a stale build does not leave a new route out.
 */
export function pageEndpoints(build: RemixBuild, routesDir: string, problems: string[]): Endpoint[] {
  const routes = Object.values(build.routes);
  const byId = new Map(routes.map((r) => [r.id, r]));
  for (const name of readdirSync(routesDir)) {
    const isDirectory = statSync(join(routesDir, name)).isDirectory();
    if (!isDirectory && !/\.[jt]sx?$/.test(name)) continue;
    const id = `routes/${isDirectory ? name : name.replace(/\.[jt]sx?$/, '')}`;
    if (!byId.has(id)) problems.push(`apps/web/app/${id} is not in the build: the build is older than the route files (cd apps/web && npx remix vite:build)`);
  }
  const chain = (r: RouteEntry): RouteEntry[] => (r.parentId ? [...chain(byId.get(r.parentId)!), r] : [r]);
  const fullPath = (r: RouteEntry) =>
    '/' +
    chain(r)
      .map((x) => x.path ?? '')
      .filter(Boolean)
      .join('/');

  const endpoints: Endpoint[] = [];
  for (const route of routes) {
    const hasLoader = typeof route.module.loader === 'function';
    const hasAction = typeof route.module.action === 'function';
    // Declarations are required of every module with server code, layouts included: their loaders run for every child.
    const loaderRule = hasLoader ? ruleOf(route, 'loader', problems) : null;
    const actionRule = hasAction ? ruleOf(route, 'action', problems) : null;
    const answersAlone = route.index === true || !routes.some((r) => r.parentId === route.id && r.index);
    if (!answersAlone) continue;
    const branch = chain(route);
    const loaderRules = branch.flatMap((r) => (typeof r.module.loader === 'function' ? [ruleOf(r, 'loader', [])] : []));
    if (loaderRules.some((r) => r === null)) continue; // reported above
    const path = fullPath(route);
    const base = { transport: 'page' as const, path, params: paramsOf(path), index: route.index === true, hasBody: true };
    if (/[*?]/.test(path)) {
      problems.push(`apps/web/app/${route.id}: optional and splat segments are not in the matrix yet (${path})`);
      continue;
    }
    endpoints.push({ ...base, method: 'GET', rules: loaderRules as RouteAccess[] });
    if (hasAction && actionRule) endpoints.push({ ...base, method: 'POST', rules: [actionRule, ...(loaderRules as RouteAccess[])] });
  }
  return endpoints.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

interface OpenApiDocument {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, { 'x-sopu-access'?: unknown; requestBody?: unknown }>>;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/**
 * The API operations, from /openapi.json, each with its `x-sopu-access`. `routeTable` is the Hono app's own list
 * of handlers: one that is not in the OpenAPI document would escape the matrix, so it is a problem too.
 */
export function apiEndpoints(doc: OpenApiDocument, routeTable: Array<{ method: string; path: string }>, problems: string[]): Endpoint[] {
  const base = (doc.servers?.[0]?.url ?? '').replace(/\/$/, '');
  const endpoints: Endpoint[] = [];
  const documented = new Set<string>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!METHODS.has(method)) continue;
      documented.add(`${method.toUpperCase()} ${path}`);
      const where = `services/api: ${method.toUpperCase()} ${path}`;
      const rule = operation['x-sopu-access'];
      if (rule === undefined) {
        problems.push(`${where} has no declared access: add ...access(…) to its createRoute`);
        continue;
      }
      if (!checkRule(rule, where, problems)) continue;
      const colonPath = base + path.replace(/\{([^}]+)\}/g, ':$1');
      endpoints.push({ transport: 'api', method: method.toUpperCase() as Endpoint['method'], path: colonPath, params: paramsOf(colonPath), index: false, rules: [rule], hasBody: operation.requestBody !== undefined });
    }
  }
  for (const route of routeTable) {
    // Middleware (use) and the JSON 404 for unknown paths are registered for every method; /openapi.json is the table itself.
    if (route.method === 'ALL' || route.path === '/openapi.json') continue;
    const key = `${route.method} ${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
    if (!documented.has(key)) problems.push(`services/api: ${key} is served but not in /openapi.json: declare it with createRoute (and ...access(…))`);
  }
  return endpoints.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
