import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { readDeviceCookie } from '@sopu/auth';
import { authenticate, deviceCookieHeader, getArea, getMe, isDomainError, listDocuments, login, logout, DomainError, type CoreDeps } from '@sopu/core';
import type { MiddlewareHandler } from 'hono';
import { access } from './access.ts';
import { approvalRoutes } from './approvals.ts';
import { commentRoutes } from './comments.ts';
import { consultationRoutes } from './consultation.ts';
import { settingsRoutes } from './settings.ts';
import { versionRoutes } from './versions.ts';
import { exportRoutes } from './exports.ts';
import { negotiationRoutes } from './negotiation.ts';
import { errors, type Vars } from './openapi.ts';
import { errorResponse, type ErrorLog } from './errors.ts';
import { clientIp, noStore } from './security.ts';


const UserSchema = z.object({ id: z.string(), email: z.string(), displayName: z.string(), locale: z.string() }).openapi('User');
const MembershipSchema = z
  .object({ areaSlug: z.string(), areaName: z.object({ fi: z.string(), sv: z.string(), en: z.string() }), municipalityCode: z.string(), role: z.string() })
  .openapi('Membership');
const MunicipalitySchema = z
  .object({
    code: z.string(),
    name: z.object({ fi: z.string(), sv: z.string() }),
    language: z.string(),
    labourForce: z.number().nullable(),
    labourForceIsDemo: z.boolean(),
    isHost: z.boolean(),
  })
  .openapi('Municipality');
const AreaSchema = z
  .object({
    slug: z.string(),
    name: z.object({ fi: z.string(), sv: z.string(), en: z.string() }),
    cooperationModel: z.string(),
    hostMunicipalityCode: z.string().nullable(),
    exceptionGrounds: z.array(z.string()),
    municipalities: z.array(MunicipalitySchema),
  })
  .openapi('Area');
const DocumentSchema = z.object({ id: z.string(), kind: z.enum(['cooperation_agreement', 'administrative_rules', 'authority_task_agreement', 'service_plan']), title: z.string() }).openapi('Document');
const SlugParam = z.object({ slug: z.string().min(1).max(100).openapi({ param: { name: 'slug', in: 'path' }, example: 'kainuu-koillismaa' }) });

/** Why a log-in was refused, when a script can act on it (docs/decisions/024). */
const LOGIN_REASONS = new Set(['second_factor_required', 'second_factor_enrolment_required', 'wrong_code', 'use_identity_provider']);

export interface ApiOptions {
  trustProxy: boolean;
  /** Where an unforeseen error is logged (the server's logger; default: console.error). */
  log?: ErrorLog;
}

/** The JSON API, mounted at /api/v1. Handlers parse, authenticate, call one use case, and map DomainError codes. */
export function createApi(deps: CoreDeps, options: ApiOptions) {
  const api = new OpenAPIHono<Vars>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return c.json({ error: { code: 'invalid_input', message: 'invalid request', issues: result.error.issues.map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })) } }, 400);
      }
      return undefined;
    },
  });
  api.onError((error, c) => errorResponse(c, error, options.log));
  api.use('*', noStore());

  const requireActor: MiddlewareHandler<Vars> = async (c, next) => {
    const token = deps.sessions.readBearer(c.req.header('authorization')) ?? deps.sessions.readCookie(c.req.header('cookie'));
    const user = await authenticate(deps, token);
    if (!user || !token) throw new DomainError('unauthenticated', 'log in first');
    c.set('actor', { userId: user.id, email: user.email, displayName: user.displayName });
    c.set('token', token);
    await next();
  };

  api.openapi(
    createRoute({
      method: 'post',
      path: '/session',
      ...access('public'),
      summary: 'Log in with e-mail and password (and the second factor\'s code, when the account has one); sets the session cookie',
      description:
        'Also sets `sopu_device`, the cookie of a known device: a login that shows it is throttled per device, not held back by the account\'s lock (after five failed logins the account is locked for 1 min, doubling up to 15 min, for browsers it does not know; 30 failures from one address in 15 min lock the address). 429 with Retry-After while locked. ' +
        'An account with two-step verification sends `code` (six digits from its authenticator app, or a recovery code): without it 401 with `reason: second_factor_required`, a wrong one 401 `wrong_code`, throttled like passwords. An account that must set it up first: 403 `second_factor_enrolment_required` (set it up in the browser). An address whose municipality signs in through its identity provider: 403 `use_identity_provider` (docs/decisions/024).',
      request: { body: { required: true, content: { 'application/json': { schema: z.object({ email: z.string().max(254), password: z.string().max(1024), code: z.string().max(32).optional() }) } } } },
      responses: { 200: { description: 'Logged in', content: { 'application/json': { schema: z.object({ user: UserSchema }) } } }, ...errors(400, 401, 403, 429) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      let signedIn: Awaited<ReturnType<typeof login>>;
      try {
        signedIn = await login(deps, {
          ...body,
          ip: clientIp(c, options.trustProxy),
          userAgent: c.req.header('user-agent') ?? null,
          currentSessionToken: deps.sessions.readCookie(c.req.header('cookie')),
          deviceToken: readDeviceCookie(c.req.header('cookie')),
        });
      } catch (error) {
        // The log-in's refusals that a script must tell apart carry their reason (the body is extended, never renamed).
        if (isDomainError(error) && typeof error.details.reason === 'string' && LOGIN_REASONS.has(error.details.reason)) {
          return c.json({ error: { code: error.code, message: error.message, reason: error.details.reason } }, error.code === 'forbidden' ? 403 : 401) as never;
        }
        throw error;
      }
      const { token, user, device } = signedIn;
      const cookie = deps.sessions.cookie(token);
      c.header('Set-Cookie', cookie.serialize(), { append: true });
      c.header('Set-Cookie', deviceCookieHeader(deps, device), { append: true });
      return c.json({ user }, 200);
    },
  );

  api.use('/session', async (c, next) => (c.req.method === 'DELETE' ? requireActor(c, next) : next()));
  api.openapi(
    createRoute({ method: 'delete', path: '/session', ...access('signed-in'), summary: 'Log out: ends this session', responses: { 204: { description: 'Logged out' }, ...errors(401, 403) } }),
    async (c) => {
      await logout(deps, c.get('token'), { ip: clientIp(c, options.trustProxy), userAgent: c.req.header('user-agent') ?? null });
      c.header('Set-Cookie', deps.sessions.blankCookie().serialize(), { append: true });
      return c.body(null, 204);
    },
  );

  api.use('/me', requireActor);
  api.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      ...access('signed-in'),
      summary: 'The logged-in user and their memberships',
      responses: { 200: { description: 'Me', content: { 'application/json': { schema: z.object({ user: UserSchema, memberships: z.array(MembershipSchema) }) } } }, ...errors(401) },
    }),
    async (c) => {
      const me = await getMe(deps.db, c.get('actor'));
      return c.json({ user: me.user, memberships: me.memberships.map((m) => ({ areaSlug: m.areaSlug, areaName: m.areaName, municipalityCode: m.municipalityCode, role: m.role })) }, 200);
    },
  );

  api.use('/areas/*', requireActor);
  api.openapi(
    createRoute({
      method: 'get',
      path: '/areas/{slug}',
      ...access({ area: 'area.read' }),
      summary: 'An employment area and its municipalities',
      request: { params: SlugParam },
      responses: { 200: { description: 'Area', content: { 'application/json': { schema: AreaSchema } } }, ...errors(401, 404) },
    }),
    async (c) => {
      const { area, municipalities } = await getArea(deps.db, c.get('actor'), c.req.valid('param').slug);
      return c.json(
        {
          slug: area.slug,
          name: area.name,
          cooperationModel: area.cooperationModel,
          hostMunicipalityCode: municipalities.find((m) => m.isHost)?.code ?? null,
          exceptionGrounds: area.exceptionGrounds,
          municipalities: municipalities.map((m) => ({ code: m.code, name: m.name, language: m.language, labourForce: m.labourForce, labourForceIsDemo: m.labourForceIsDemo, isHost: m.isHost })),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/areas/{slug}/documents',
      ...access({ area: 'area.read' }),
      summary: "The area's documents",
      request: { params: SlugParam },
      responses: { 200: { description: 'Documents', content: { 'application/json': { schema: z.array(DocumentSchema) } } }, ...errors(401, 404) },
    }),
    async (c) => {
      const documents = await listDocuments(deps.db, c.get('actor'), c.req.valid('param').slug);
      return c.json(documents.map((d) => ({ id: d.id, kind: d.kind, title: d.title })), 200);
    },
  );

  commentRoutes(api, deps, requireActor);
  versionRoutes(api, deps);
  approvalRoutes(api, deps, requireActor);
  consultationRoutes(api, deps, requireActor);
  settingsRoutes(api, deps);
  exportRoutes(api, deps, requireActor);
  negotiationRoutes(api, deps);

  // The paths are relative to where the API is mounted; the server entry says where that is.
  api.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'Sopu API', version: '1' }, servers: [{ url: '/api/v1' }] });
  // notFound() of a sub-app is not used once it is mounted with route(): without this, an unknown /api/v1 path would
  // fall through to the parent (the Remix app) and answer HTML.
  api.all('*', (c) => c.json({ error: { code: 'not_found', message: 'no such endpoint' } }, 404));
  return api;
}
