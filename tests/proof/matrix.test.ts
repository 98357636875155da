import { SESSION_COOKIE } from '@sopu/auth';
import { canEditDocument, ROLES, writeModeOf } from '@sopu/core';
import type { DocumentKind } from '@sopu/doc-model';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../services/api/src/app.ts';
import { lastSeq, RoomClient } from './matrix/collab.ts';
import {
  actorsOf, changedTables, digest, distinct, inviteSomeone, leakWordsOf, leaksIn, missingValue, readSchema, throwawayToken, valuesInArea,
  type Actor, type Area, type LeakWords, type Schema,
} from './matrix/fixtures.ts';
import { accepts, classify, describeExpected, expected, type Origin } from './matrix/oracle.ts';
import { apiEndpoints, label, pageEndpoints, type Endpoint } from './matrix/routes.ts';
import { startServer, webRoot, type Running } from './matrix/server.ts';

/**
 * Cross-tenant and role matrix (docs/decisions/013-route-access-matrix.md). Every page and API operation, taken from
 * the production build's route table and /openapi.json, is called as every role of both demo areas, anonymously and
 * with an ended session, with ids of the caller's own area, of the other area and made-up ones; every collab room is
 * opened the same way. The expected answer comes from the route's declared access and the roles table (`can()`),
 * not from the route. A leak is any other answer, a foreign id answered differently from a made-up one, the other
 * area's names or ids in an answer, or a refused request that changed the database.
 *
 * Short form (npm test): one person per role per area, one row per path parameter. Long form (PROOF_LONG=1): every
 * member of both areas, up to three rows per path parameter.
 */
const LONG = process.env.PROOF_LONG === '1';
const ROWS = LONG ? 3 : 1;
/**
 * Each request must be answered within a minute (a hung request fails as itself, naming the call). The whole run is
 * thousands of requests in the long form, taking from a few minutes to far more on a busy shared machine: its own
 * timeout only catches a run that stopped, not a slow one.
 */
const REQUEST_TIMEOUT_MS = 60_000;
const ROUTES = process.env.PROOF_ROUTES ?? '';
const RUN_TIMEOUT_MS = LONG ? 4 * 3_600_000 : 1_800_000;

let server: Running;
let areas: Area[] = [];
let actors: Actor[] = [];
let schema: Schema;
let endpoints: Endpoint[] = [];
const problems: string[] = [];
const tokens = new Map<string, string>();
const words = new Map<string, LeakWords>();
const leaks: string[] = [];
let requests = 0;

/** Who calls: a person of an area, or nobody (no cookie, or a session that has ended) with that area's ids as "own". */
interface Caller {
  actor: Actor | null;
  /** The cookie of a caller without a valid session: none, or an ended session's. */
  staleToken?: string;
  home: Area;
  name: string;
}
let callers: Caller[] = [];

beforeAll(async () => {
  server = await startServer();
  const { deps } = server.sopu;
  areas = await deps.db.selectFrom('areas').select(['id', 'slug']).orderBy('slug').execute();
  expect(areas.length, 'the demo data has two areas').toBe(2);
  actors = await actorsOf(deps, areas, LONG);
  for (const area of areas) {
    const admin = actors.find((a) => a.area.id === area.id && a.role === 'host_admin')!;
    const invitation = await inviteSomeone(deps, admin);
    tokens.set(invitation.id, invitation.token);
  }
  schema = await readSchema(deps.db);
  for (const area of areas) words.set(area.id, await leakWordsOf(deps.db, schema, area));

  const ended = await throwawayToken(deps, actors[0]!);
  await deps.sessions.invalidate(ended);
  callers = [
    ...actors.map((actor) => ({ actor, home: actor.area, name: actor.name })),
    ...areas.map((home) => ({ actor: null, home, name: `anonymous with ids of ${home.slug}` })),
    ...areas.map((home) => ({ actor: null, staleToken: ended, home, name: `ended session with ids of ${home.slug}` })),
  ];

  const pages = pageEndpoints(server.build, join(webRoot, 'app', 'routes'), problems);
  const openapi = (await (await fetch(`${server.origin}/api/v1/openapi.json`)).json()) as Parameters<typeof apiEndpoints>[0];
  const api = apiEndpoints(openapi, createApi(deps, { trustProxy: false }).routes, problems);
  endpoints = [...pages, ...api];
  // PROOF_ROUTES=<text>: only the routes whose label ("GET /api/v1/documents/:documentId/versions/:number") has it,
  // to replay the leaks a run named without the thousands of other requests.
  if (ROUTES) endpoints = endpoints.filter((e) => label(e).includes(ROUTES));
});

afterAll(async () => {
  // Roles: the five of the roles table, and nobody (anonymous or an ended session). Routes: pages, API, collab room.
  console.log(`matrix: ${requests} requests tried, ${ROLES.length + 1} roles × ${endpoints.length + 1} routes × ${areas.length} areas, ${leaks.length} leaks`);
  console.log(`matrix: ${LONG ? 'long' : 'short'} form, ${actors.length} people and 2 kinds of nobody; ${endpoints.map(label).join(', ')}, /collab/:documentId`);
  await server?.close();
});

const otherThan = (area: Area) => areas.find((a) => a.id !== area.id)!;
const fill = (path: string, params: string[], values: string[]) => params.reduce((p, name, i) => p.replace(`:${name}`, encodeURIComponent(values[i]!)), path);

/**
 * How a call is made: a page as a browser loads or submits it (`document`) and as the app's client-side navigation
 * and forms fetch it (Remix's `.data` requests: the loaders' and the action's own answers); an API call as JSON.
 */
type Encoding = 'document' | 'data' | 'json';
const encodingsOf = (endpoint: Endpoint): Encoding[] => (endpoint.transport === 'page' ? ['document', 'data'] : ['json']);

function urlOf(endpoint: Endpoint, encoding: Encoding, values: string[]): string {
  let path = fill(endpoint.path, endpoint.params, values);
  if (encoding === 'data') path = path === '/' ? '/_root.data' : `${path}.data`;
  return `${path}${endpoint.method !== 'GET' && endpoint.index ? '?index' : ''}`;
}

interface Answer {
  status: number;
  /** Where the answer sends the client, if it redirects. */
  redirect: string | null;
  body: string;
}

async function call(endpoint: Endpoint, encoding: Encoding, values: string[], token: string | null): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.cookie = `${SESSION_COOKIE}=${token}`;
  let body: string | undefined;
  if (endpoint.method !== 'GET') {
    headers.origin = server.origin;
    // Bodies no handler accepts: an empty form; for the API a JSON array where every body is an object.
    if (endpoint.transport === 'page') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = '';
    } else if (endpoint.hasBody) {
      headers['content-type'] = 'application/json';
      body = '[]';
    }
  }
  requests++;
  const url = urlOf(endpoint, encoding, values);
  const res = await fetch(`${server.origin}${url}`, { method: endpoint.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).catch((error: unknown) => {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new Error(`${endpoint.method} ${url}: ${timedOut ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : `the request failed (${String(error)}; ${String((error as { cause?: unknown }).cause ?? '')})`}`);
  });
  const location = res.headers.get('location');
  const redirects = (res.status >= 300 && res.status < 400) || (encoding === 'data' && res.status === 202 && location !== null);
  return { status: res.status, redirect: redirects ? location : null, body: await res.text() };
}

/** Values shorter than this (a version number) name nothing outside the path: only the path is normalised for them. */
const SHORTEST_ID = 4;

/**
 * The answer with the ids it was asked about (and the per-response CSP nonce) written as the parameter names: the
 * filled path first (as it is, and URL-encoded as in a redirect's `redirectTo`), then every id of SHORTEST_ID
 * characters or more wherever it occurs. A version number ("1", "2") is only replaced within the path: replacing its
 * digit everywhere would rewrite the status line and every other number in the answer, and tell a version 2 of
 * another area's document from a made-up document's version 1 by nothing but the digit.
 */
function normalised(answer: Answer, endpoint: Endpoint, values: string[]): string {
  let text = `${answer.status}\n${answer.redirect ?? ''}\n${answer.body}`;
  const filled = fill(endpoint.path, endpoint.params, values);
  text = text.replaceAll(filled, endpoint.path).replaceAll(encodeURIComponent(filled), encodeURIComponent(endpoint.path));
  const pairs = endpoint.params.map((p, i) => [values[i]!, `:${p}`] as const).filter(([value]) => value.length >= SHORTEST_ID).sort((a, b) => b[0].length - a[0].length);
  for (const [value, name] of pairs) text = text.replaceAll(value, name).replaceAll(encodeURIComponent(value), name);
  return text.replace(/nonce="[^"]*"/g, 'nonce=""');
}

interface Variant {
  origins: Origin[];
  values: string[];
}
type Variants = { own: Variant[]; absentUnderOwn: Variant[]; mixes: Array<{ foreign: Variant; missing: Variant }> } | null;
const variantCache = new Map<string, Promise<Variants>>();

/** The caller's own ids; each mix of own and other-area ids; and for each mix, the same with made-up ids. */
function variants(endpoint: Endpoint, home: Area): Promise<Variants> {
  const key = `${endpoint.transport} ${endpoint.method} ${endpoint.path} ${home.id}`;
  if (!variantCache.has(key)) variantCache.set(key, variantsOf(endpoint, home));
  return variantCache.get(key)!;
}

/** Parameters that are not ids of their own but relative to the one before (a version's number in a document). */
const RELATIVE_PARAMS = new Set(['number', 'key']);

async function variantsOf(endpoint: Endpoint, home: Area): Promise<Variants> {
  const { db } = server.sopu.deps;
  const mine = await valuesInArea(db, schema, endpoint.params, home, tokens, ROWS);
  const theirs = await valuesInArea(db, schema, endpoint.params, otherThan(home), tokens, ROWS);
  for (const r of [mine, theirs]) if ('missing' in r) problems.push(`${label(endpoint)}: cannot fill its path: ${r.missing}`);
  if ('missing' in mine || 'missing' in theirs) return null;
  const own = mine.combos.map((values) => ({ origins: values.map(() => 'own' as const), values }));
  // A number relative to the caller's own row that names nothing there (a version its document does not have): the
  // oracle allows a precise 404 (docs/decisions/013). No demo document has 9,999 versions; one that had would answer 200
  // and be reported.
  const lastRelative = endpoint.params.length > 1 && RELATIVE_PARAMS.has(endpoint.params.at(-1)!);
  const absentUnderOwn = lastRelative
    ? distinctBy(mine.combos.map((values) => values.slice(0, -1)), (v) => v.join('/')).map((head) => ({ origins: [...head.map(() => 'own' as const), 'absent_under_own' as const], values: [...head, ABSENT_NUMBER] }))
    : [];
  const mixes: Array<{ foreign: Variant; missing: Variant }> = [];
  const n = endpoint.params.length;
  // Own rows paired with the other area's (round robin, so that every row of both is used once).
  const pairs = n === 0 ? 0 : Math.max(mine.combos.length, theirs.combos.length);
  for (let p = 0; p < pairs; p++) {
    const a = mine.combos[p % mine.combos.length]!;
    const b = theirs.combos[p % theirs.combos.length]!;
    const made = endpoint.params.map(missingValue);
    for (let mask = 1; mask < 1 << n; mask++) {
      const foreignAt = (i: number) => (mask & (1 << i)) !== 0;
      // A version number names nothing alone: it is the number of a version of the document before it, so it is
      // the other area's (or made up) exactly when that document is.
      if (endpoint.params.some((p, i) => RELATIVE_PARAMS.has(p) && i > 0 && foreignAt(i) !== foreignAt(i - 1))) continue;
      mixes.push({
        foreign: { origins: endpoint.params.map((_, i) => (foreignAt(i) ? 'foreign' : 'own')), values: endpoint.params.map((_, i) => (foreignAt(i) ? b[i]! : a[i]!)) },
        missing: { origins: endpoint.params.map((_, i) => (foreignAt(i) ? 'missing' : 'own')), values: endpoint.params.map((_, i) => (foreignAt(i) ? made[i]! : a[i]!)) },
      });
    }
  }
  return { own, absentUnderOwn, mixes };
}

const ABSENT_NUMBER = '9999';
const distinctBy = <T>(items: T[], key: (item: T) => string): T[] => [...new Map(items.map((item) => [key(item), item])).values()];

const isPublic = (endpoint: Endpoint) => endpoint.rules.every((r) => r === 'public');

/** Everything the caller must not see: the other area's words, or for nobody both areas' (on a non-public route). */
function forbiddenWords(caller: Caller): LeakWords {
  const mine = words.get(caller.home.id)!;
  const theirs = words.get(otherThan(caller.home).id)!;
  if (caller.actor) return distinct(mine, theirs);
  return { words: [...mine.words, ...theirs.words], codes: [...mine.codes, ...theirs.codes] };
}

const isErrorResponse = (value: unknown, status: number) =>
  typeof value === 'object' && value !== null && 'internal' in value && 'status' in value && value.status === status;

/**
 * What the server logged while answering, less what answering with `answered` explains: Remix hands a 4xx response
 * thrown by an action (or a URL no route matches) to handleError, which logs it. Exactly that one, with the status
 * the request was answered with, is dropped; anything else logged (a second one, another status, any error) is a
 * leak of its own. Without `answered` (the collab rooms), nothing is explained.
 */
function serverLogs(answered?: number): unknown[][] {
  const calls = [...vi.mocked(console.error).mock.calls, ...vi.mocked(console.warn).mock.calls];
  vi.mocked(console.error).mockClear();
  vi.mocked(console.warn).mockClear();
  const own = answered !== undefined && answered >= 400 && answered < 500 ? calls.findIndex((args) => args.length === 1 && isErrorResponse(args[0], answered)) : -1;
  return calls.filter((_, i) => i !== own);
}

/** One call, checked: the answer against the roles table, the body for names, and for a mutation the database. */
async function probe(endpoint: Endpoint, encoding: Encoding, caller: Caller, variant: Variant): Promise<Answer> {
  const { deps } = server.sopu;
  const mutation = endpoint.method !== 'GET';
  // A mutation gets a session of its own: logging out must not end the caller's session for the calls after it.
  const token = caller.actor ? (mutation ? await throwawayToken(deps, caller.actor) : caller.actor.token) : (caller.staleToken ?? null);
  const before = mutation ? await digest(deps.db, schema) : null;
  const answer = await call(endpoint, encoding, variant.values, token);
  const where = `${caller.name}: ${endpoint.method} ${urlOf(endpoint, encoding, variant.values)} [${variant.origins.join(', ') || 'no ids'}]`;
  for (const logged of serverLogs(answer.status)) leaks.push(`${where}: the server logged ${inspect(logged, { depth: 3 })}`);
  const want = expected(endpoint, caller.actor, variant.origins);
  const got = classify(endpoint, answer);
  if (!accepts(want, got)) leaks.push(`${where}: expected ${describeExpected(want)}, got ${answer.status} (${got})${answer.redirect ? ` → ${answer.redirect}` : ''}`);
  // A public route's path holds a key (an invitation token): the page it opens may name that key's area.
  if (!(isPublic(endpoint) && endpoint.params.length > 0) && !endpoint.rules.includes('development')) {
    const found = leaksIn(normalised(answer, endpoint, variant.values), forbiddenWords(caller));
    if (found.length > 0) leaks.push(`${where}: the answer names the other area: ${found.slice(0, 5).join(', ')}`);
  }
  if (before !== null) {
    const changed = changedTables(before, await digest(deps.db, schema));
    const succeeded = got === 'allowed' && answer.status < 400;
    if (changed.length > 0 && !succeeded) leaks.push(`${where}: answered ${answer.status} but changed the database (${changed.join(', ')})`);
  }
  return answer;
}

describe('cross-tenant and role matrix', () => {
  it('every route declares who may call it, and every path parameter can be filled', async () => {
    expect(endpoints.filter((e) => e.transport === 'page').length).toBeGreaterThan(0);
    expect(endpoints.filter((e) => e.transport === 'api').length).toBeGreaterThan(0);
    for (const e of endpoints) for (const area of areas) await variants(e, area);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('every page and API operation answers every role of both areas as the roles table says', async ({ signal }) => {
    const start = leaks.length;
    const { db } = server.sopu.deps;
    const before = await digest(db, schema);
    // Reads first (nothing may change), then mutations (each checked on its own). Mutations with the host admins
    // last: a call that succeeds may take its row away (removing an attachment deletes it), and every other role's
    // refusal of that row is checked while it is still there.
    const writeOrder = [...callers.filter((c) => c.actor?.role !== 'host_admin'), ...callers.filter((c) => c.actor?.role === 'host_admin')];
    for (const phase of ['read', 'write'] as const) {
      for (const endpoint of endpoints.filter((e) => (e.method === 'GET') === (phase === 'read'))) {
        for (const encoding of encodingsOf(endpoint)) {
          for (const caller of phase === 'read' ? callers : writeOrder) {
            // A run past its deadline stops here: requests still going while the next test runs would be taken
            // for that test's changes (a refused call "changed the database" with a room's edits of the next test).
            signal.throwIfAborted();
            const v = await variants(endpoint, caller.home);
            if (!v) continue;
            for (const own of v.own) await probe(endpoint, encoding, caller, own);
            for (const absent of v.absentUnderOwn) await probe(endpoint, encoding, caller, absent);
            for (const { foreign, missing } of v.mixes) {
              const a = await probe(endpoint, encoding, caller, foreign);
              const b = await probe(endpoint, encoding, caller, missing);
              // A foreign id must be indistinguishable from one that does not exist (a key in a public path opens its own area).
              if (isPublic(endpoint)) continue;
              if (normalised(a, endpoint, foreign.values) !== normalised(b, endpoint, missing.values)) {
                leaks.push(`${caller.name}: ${endpoint.method} ${urlOf(endpoint, encoding, foreign.values)}: answers other than for a made-up id (${a.status} vs ${b.status})`);
              }
            }
          }
        }
      }
      if (phase === 'read' && (await digest(db, schema)) !== before) leaks.push('reading pages and API changed the database');
    }
    const found = leaks.slice(start);
    expect(found, `${found.length} leaks:\n${found.join('\n')}`).toEqual([]);
  }, RUN_TIMEOUT_MS);

  it('every collab room refuses outsiders and nobody, and stores only what the roles table lets a member edit', async () => {
    const start = leaks.length;
    const { db } = server.sopu.deps;
    const wsOrigin = server.origin.replace(/^http/, 'ws');
    const documents = await db.selectFrom('documents').innerJoin('areas', 'areas.id', 'documents.area_id').select(['documents.id', 'documents.area_id', 'documents.kind', 'areas.slug']).orderBy('areas.slug').orderBy('documents.id').execute();
    const open = (documentId: string, token: string | null) => {
      requests++;
      return new RoomClient(`${wsOrigin}/collab/${documentId}`, { origin: server.origin, ...(token ? { cookie: `${SESSION_COOKIE}=${token}` } : {}) });
    };
    const refusal = async (client: RoomClient) => ({ ...(await client.closedWithin(10_000)), frames: client.frames });

    // Per area, not per caller: a room has no slug, so "own ids" means nothing to nobody; one of each kind suffices.
    const roomCallers = callers.filter((c) => c.actor || c.home.id === areas[0]!.id);
    for (const caller of roomCallers) {
      const token = caller.actor?.token ?? caller.staleToken ?? null;
      // What "no such document" looks like to this caller: another area's room must look the same.
      const nowhere = caller.actor ? await refusal(open(randomUUID(), token)) : null;
      for (const doc of documents) {
        const where = `${caller.actor?.name ?? caller.name.replace(/ with ids.*/, '')}: /collab/${doc.id} (${doc.kind} of ${doc.slug})`;
        const client = open(doc.id, token);
        if (!caller.actor || caller.actor.area.id !== doc.area_id) {
          const got = await refusal(client);
          const want = caller.actor ? { code: 4404, reason: nowhere!.reason } : { code: 4401, reason: got.reason };
          if (got.code !== want.code || got.reason !== want.reason || got.frames !== 0) leaks.push(`${where}: expected close ${want.code} "${want.reason}" before any data, got ${got.code} "${got.reason}" after ${got.frames} frames`);
          continue;
        }
        try {
          await client.opened;
          await client.roundTrip();
          const seq = await lastSeq(db, doc.id);
          client.sendEdit();
          // The demo areas keep the default (decision 025): a member municipality's drafter only suggests, so a plain
          // edit of theirs is refused (4422) and not stored; the host's edit directly; the others read.
          const mode = writeModeOf(caller.actor, doc.kind as DocumentKind, 'host');
          if (mode === 'suggest') {
            const got = await refusal(client);
            if (got.code !== 4422) leaks.push(`${where}: a plain edit of a suggest-only connection was answered ${got.code} "${got.reason}", not refused with 4422`);
          } else await client.roundTrip();
          const stored = (await lastSeq(db, doc.id)) > seq;
          const mayEdit = mode === 'edit' && canEditDocument(caller.actor, doc.kind as DocumentKind);
          if (stored !== mayEdit) leaks.push(`${where}: ${mayEdit ? 'an edit by a role that may edit was not stored' : 'an edit by a role that may not edit directly was stored'}`);
        } catch (error) {
          leaks.push(`${where}: ${String(error)}`);
        } finally {
          await client.close().catch(() => {});
        }
      }
    }
    for (const logged of serverLogs()) leaks.push(`collab: the server logged ${inspect(logged, { depth: 3 })}`);
    const found = leaks.slice(start);
    expect(found, `${found.length} leaks:\n${found.join('\n')}`).toEqual([]);
  });
});
