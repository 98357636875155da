import { inviteMember, loadDocumentState, ROLES, type CoreDeps, type Role } from '@sopu/core';
import { readSuggestions, templateFor, type DocumentKind } from '@sopu/doc-model';
import { invitationLink } from '@sopu/core/testing';
import { sql } from '@sopu/db';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

type Db = CoreDeps['db'];

export interface Area {
  id: string;
  slug: string;
}

/** Someone the matrix calls as: a member of one area with one role, signed in with a session of their own. */
export interface Actor {
  name: string;
  userId: string;
  email: string;
  role: Role;
  isHostMunicipality: boolean;
  area: Area;
  token: string;
}

interface MemberRow {
  user_id: string;
  email: string;
  role: string;
  area_id: string;
  slug: string;
  is_host: number;
}

async function membersOf(db: Db): Promise<MemberRow[]> {
  const { rows } = await sql<MemberRow>`
    SELECT m.user_id, u.email, m.role, a.id AS area_id, a.slug, (a.host_municipality_id = m.municipality_id) AS is_host
    FROM memberships m JOIN users u ON u.id = m.user_id JOIN areas a ON a.id = m.area_id
    ORDER BY a.slug, u.email`.execute(db);
  return rows;
}

/**
 * Every role of every area, from the demo data; a role an area has no demo person for (Saaristo's member_rep and
 * viewer) gets a person of its own in a municipality other than the host. One person per role and area, or with
 * `everyone` (the long form) every member: host and non-host municipalities alike (a drafter of the host
 * municipality may edit administrative rules, another may not).
 */
export async function actorsOf(deps: CoreDeps, areas: Area[], everyone: boolean): Promise<Actor[]> {
  for (const area of areas) {
    const present = new Set((await membersOf(deps.db)).filter((m) => m.area_id === area.id).map((m) => m.role));
    for (const role of ROLES.filter((r) => !present.has(r))) {
      const municipality = await deps.db
        .selectFrom('municipalities')
        .innerJoin('areas', 'areas.id', 'municipalities.area_id')
        .select('municipalities.id')
        .where('municipalities.area_id', '=', area.id)
        .whereRef('municipalities.id', '!=', 'areas.host_municipality_id')
        .orderBy('municipalities.code')
        .executeTakeFirstOrThrow();
      const userId = randomUUID();
      const now = Date.now();
      await deps.db.insertInto('users').values({ id: userId, email: `matrix.${role}.${area.id.slice(0, 8)}@sopu.example`, display_name: `Matrix ${role}`, password_hash: null, locale: 'fi', created_at: now }).execute();
      await deps.db.insertInto('memberships').values({ id: randomUUID(), area_id: area.id, user_id: userId, municipality_id: municipality.id, role, created_at: now }).execute();
    }
  }
  const chosen = new Map<string, MemberRow>();
  for (const m of await membersOf(deps.db)) {
    const key = everyone ? `${m.area_id}/${m.user_id}` : `${m.area_id}/${m.role}`;
    if (!chosen.has(key)) chosen.set(key, m);
  }
  const actors: Actor[] = [];
  for (const m of chosen.values()) {
    const area = areas.find((a) => a.id === m.area_id)!;
    const session = await deps.sessions.create(m.user_id);
    actors.push({ name: `${m.role}${m.is_host ? ' (host)' : ''} of ${area.slug} <${m.email}>`, userId: m.user_id, email: m.email, role: m.role as Role, isHostMunicipality: Boolean(m.is_host), area, token: session.token });
  }
  return actors.sort((a, b) => a.area.slug.localeCompare(b.area.slug) || ROLES.indexOf(a.role) - ROLES.indexOf(b.role));
}

/** A fresh session for one request that may end it (logging out) without ending the actor's main one. */
export async function throwawayToken(deps: CoreDeps, actor: Actor): Promise<string> {
  return (await deps.sessions.create(actor.userId)).token;
}

// ---------------------------------------------------------------------------------------------------------------
// Path parameters: filled from the database, by name, so that a new route needs no change here.

interface ForeignKey {
  from: string;
  table: string;
  to: string;
}

/** The schema's foreign keys, table by table: the way from any row to the area it belongs to. */
export interface Schema {
  tables: string[];
  foreignKeys: Map<string, ForeignKey[]>;
  primaryKey: Map<string, string | null>;
}

export async function readSchema(db: Db): Promise<Schema> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name`.execute(db);
  const tables = rows.map((r) => r.name);
  const foreignKeys = new Map<string, ForeignKey[]>();
  const primaryKey = new Map<string, string | null>();
  for (const t of tables) {
    foreignKeys.set(t, (await sql<ForeignKey>`SELECT "from", "table", "to" FROM pragma_foreign_key_list(${t})`.execute(db)).rows);
    const pk = (await sql<{ name: string; pk: number }>`SELECT name, pk FROM pragma_table_info(${t})`.execute(db)).rows.filter((c) => c.pk > 0);
    primaryKey.set(t, pk.length === 1 ? pk[0]!.name : null);
  }
  return { tables, foreignKeys, primaryKey };
}

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const plural = (word: string) => (word.endsWith('y') ? `${word.slice(0, -1)}ies` : word.endsWith('s') ? `${word}es` : `${word}s`);

/**
 * The table a path parameter names: `slug` is the area's, `token` an invitation's (its secret, which only the
 * matrix's own invitations reveal), `number` a version's number (of the document named before it), `municipalityCode`
 * a municipality's code, `<thing>Id` the
 * table `<things>` or `<…>_<things>` (threadId: comment_threads).
 */
export function tableOfParam(schema: Schema, param: string): string | null {
  if (param === 'slug') return 'areas';
  if (param === 'token') return 'invitations';
  if (param === 'number') return 'versions';
  if (param === 'municipalityCode') return 'municipalities';
  const match = /^(.+)Id$/.exec(param);
  if (!match) return null;
  const thing = plural(snake(match[1]!));
  return schema.tables.find((t) => t === thing) ?? schema.tables.find((t) => t.endsWith(`_${thing}`)) ?? null;
}

/** The shortest way along foreign keys from `table` to one of `targets` (areas, or a table named earlier in the path). */
function pathTo(schema: Schema, table: string, targets: string[]): ForeignKey[] | null {
  const queue: Array<{ at: string; via: ForeignKey[] }> = [{ at: table, via: [] }];
  const seen = new Set([table]);
  while (queue.length > 0) {
    const { at, via } = queue.shift()!;
    if (via.length > 0 && targets.includes(at)) return via;
    for (const fk of schema.foreignKeys.get(at) ?? []) {
      if (seen.has(fk.table)) continue;
      seen.add(fk.table);
      queue.push({ at: fk.table, via: [...via, fk] });
    }
  }
  return null;
}

/**
 * Values for a route's parameters from one area: a slug, then for each id a row of its table that belongs to that
 * area (through the nearest earlier parameter's row when the table hangs off it: a thread of that document).
 * `rows` values per parameter in the long form; null (with a reason) when the area has no such row.
 */
export async function valuesInArea(
  db: Db,
  schema: Schema,
  params: string[],
  area: Area,
  tokens: Map<string, string>,
  rows: number,
): Promise<{ combos: string[][] } | { missing: string }> {
  let combos: string[][] = [[]];
  const tablesSoFar: string[] = [];
  for (const param of params) {
    const special = SPECIAL_PARAMS[param];
    if (special) {
      const next: string[][] = [];
      for (const combo of combos) {
        const documentId = combo[tablesSoFar.lastIndexOf('documents')];
        const values = await special(db, area, documentId, rows);
        if (values.length === 0) return { missing: `${area.slug} has no value for :${param}${documentId ? ` in document ${documentId}` : ''} (add one to the demo data)` };
        for (const v of values) next.push([...combo, v]);
      }
      combos = next;
      tablesSoFar.push(`:${param}`);
      continue;
    }
    const table = tableOfParam(schema, param);
    if (!table) return { missing: `no table for :${param}: name it <thing>Id after its table, or teach tests/proof/matrix/fixtures.ts` };
    const next: string[][] = [];
    for (const combo of combos) {
      let values: string[];
      if (table === 'areas') values = [area.slug];
      else {
        // A version is named by its number within its document, not by its id.
        // A municipality by its Statistics Finland code.
        const pk = param === 'number' ? 'number' : param === 'municipalityCode' ? 'code' : schema.primaryKey.get(table);
        if (!pk) return { missing: `table ${table} (for :${param}) has no single-column primary key` };
        const earlier = tablesSoFar.filter((t) => t !== 'areas');
        const via = pathTo(schema, table, [...earlier, 'areas']);
        if (!via) return { missing: `table ${table} (for :${param}) has no foreign-key path to areas` };
        const target = via[via.length - 1]!.table;
        const anchor = target === 'areas' ? area.id : combo[tablesSoFar.lastIndexOf(target)]!;
        values = await rowsVia(db, table, pk, via, anchor, param === 'token' ? [...tokens.keys()] : null, rows);
        if (param === 'token') values = values.map((id) => tokens.get(id)!);
        if (values.length === 0) return { missing: `${area.slug} has no row in ${table} for :${param}${param === 'token' ? '' : ' (add one to the demo data)'}` };
      }
      for (const v of values) next.push([...combo, v]);
    }
    combos = next;
    tablesSoFar.push(table);
  }
  return { combos };
}

/**
 * Path parameters that are no row's id (docs/decisions/025, 027): a statement (a round's invitee), a section key of the document before it, a
 * municipality's code in the area, a suggestion's id in the document's text (its marks; the demo has some pending).
 */
const SPECIAL_PARAMS: Record<string, (db: Db, area: Area, documentId: string | undefined, rows: number) => Promise<string[]>> = {
  key: async (db, _area, documentId) => {
    const document = documentId ? await db.selectFrom('documents').select('kind').where('id', '=', documentId).executeTakeFirst() : undefined;
    return document ? [templateFor(document.kind as DocumentKind)[0]!.key] : [];
  },
  code: async (db, area, _documentId, rows) => (await db.selectFrom('municipalities').select('code').where('area_id', '=', area.id).orderBy('code').limit(rows).execute()).map((r) => r.code),
  // A statement is a round's invitee (docs/decisions/027): those of the area's open rounds first.
  statementId: async (db, area, _documentId, rows) =>
    (
      await db
        .selectFrom('consultation_invitees')
        .innerJoin('consultation_rounds', 'consultation_rounds.id', 'consultation_invitees.consultation_round_id')
        .select('consultation_invitees.id')
        .where('consultation_invitees.area_id', '=', area.id)
        .orderBy(sql`consultation_rounds.state = 'open'`, 'desc')
        .orderBy(sql`consultation_invitees.rowid`)
        .limit(rows)
        .execute()
    ).map((r) => r.id),
  suggestionId: async (db, _area, documentId, rows) => {
    if (!documentId) return [];
    const doc = await loadDocumentState(db, documentId);
    try {
      return [...new Set(readSuggestions(doc).map((s) => s.id))].slice(0, rows);
    } finally {
      doc.destroy();
    }
  },
};

async function rowsVia(db: Db, table: string, pk: string, via: ForeignKey[], anchor: string, onlyIds: string[] | null, limit: number): Promise<string[]> {
  // t0 is the table; each step joins the next table along the path; the last step's column must equal the anchor.
  let from = sql`${sql.table(table)} AS t0`;
  via.slice(0, -1).forEach((fk, i) => {
    from = sql`${from} JOIN ${sql.table(fk.table)} AS ${sql.id(`t${i + 1}`)} ON ${sql.ref(`t${i}.${fk.from}`)} = ${sql.ref(`t${i + 1}.${fk.to}`)}`;
  });
  const last = via[via.length - 1]!;
  const only = onlyIds ? sql` AND ${sql.ref(`t0.${pk}`)} IN (${sql.join(onlyIds.length > 0 ? onlyIds : [''])})` : sql``;
  const { rows } = await sql<{ v: string }>`SELECT ${sql.ref(`t0.${pk}`)} AS v FROM ${from} WHERE ${sql.ref(`t${via.length - 1}.${last.from}`)} = ${anchor}${only} ORDER BY t0.rowid LIMIT ${limit}`.execute(db);
  return rows.map((r) => String(r.v));
}

/** A value of the same kind that names nothing: the answer to it is what "not found" looks like. */
export function missingValue(param: string): string {
  if (param === 'slug') return `no-such-area-${randomBytes(4).toString('hex')}`;
  if (param === 'token') return randomBytes(32).toString('base64url');
  // Relative to its document (made up too whenever this is): the number every demo document has.
  if (param === 'number') return '1';
  // A municipality code no area has (three digits, as every code is: a UUID would be refused for its shape).
  if (param === 'municipalityCode' || param === 'code') return '999';
  return randomUUID();
}

// ---------------------------------------------------------------------------------------------------------------
// What an answer must not contain: the other area's names and ids.

export interface LeakWords {
  /** Compared case-insensitively as substrings: names, slugs, e-mail addresses, ids. */
  words: string[];
  /** Municipality codes: only as a whole JSON string or a whole element's text ("901", >901<), since digits occur everywhere. */
  codes: string[];
}

/** Everything that names area `area` or a row of it: from every table with a foreign-key path to areas, its ids. */
export async function leakWordsOf(db: Db, schema: Schema, area: Area): Promise<LeakWords> {
  const words = new Set<string>([area.id, area.slug]);
  const a = await db.selectFrom('areas').select(['name_fi', 'name_sv', 'name_en']).where('id', '=', area.id).executeTakeFirstOrThrow();
  for (const n of [a.name_fi, a.name_sv, a.name_en]) words.add(n);
  const municipalities = await db.selectFrom('municipalities').select(['name_fi', 'name_sv', 'code']).where('area_id', '=', area.id).execute();
  for (const m of municipalities) words.add(m.name_fi).add(m.name_sv);
  const people = await db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select(['users.id', 'users.email', 'users.display_name']).where('memberships.area_id', '=', area.id).execute();
  for (const p of people) words.add(p.id).add(p.email).add(p.display_name);
  const invited = await db.selectFrom('invitations').select(['email', 'display_name']).where('area_id', '=', area.id).execute();
  for (const i of invited) words.add(i.email).add(i.display_name);
  for (const table of schema.tables) {
    const pk = schema.primaryKey.get(table);
    const via = table === 'areas' ? null : pathTo(schema, table, ['areas']);
    if (!pk || !via) continue;
    for (const id of await rowsVia(db, table, pk, via, area.id, null, 10_000)) words.add(id);
  }
  return { words: [...words].filter((w) => w.length >= 4), codes: municipalities.map((m) => m.code) };
}

/** Drops what both areas share (a display name such as "Matrix viewer"), which names neither. */
export function distinct(mine: LeakWords, theirs: LeakWords): LeakWords {
  const shared = new Set(mine.words.map((w) => w.toLowerCase()));
  return { words: theirs.words.filter((w) => !shared.has(w.toLowerCase())), codes: theirs.codes.filter((c) => !mine.codes.includes(c)) };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const jsonEscaped = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The other area's words found in a text, if any. */
export function leaksIn(text: string, words: LeakWords): string[] {
  const lower = text.toLowerCase();
  const found = words.words.filter((w) => lower.includes(w.toLowerCase()) || lower.includes(jsonEscaped(w).toLowerCase()) || lower.includes(encodeURIComponent(w).toLowerCase()));
  for (const code of words.codes) if (new RegExp(`["'>]${escapeRegExp(code)}["'<]`).test(text)) found.push(code);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// "Nothing changed": a digest of every table's rows, except sessions (each request may extend or end its own) and
// document leases (the collab writer's heartbeat).

// Written by the server on its own schedule, not by the request: sessions, leases, and compaction snapshots (a cache of
// the stored updates, written when an idle room unloads).
const VOLATILE = new Set(['sessions', 'document_leases', 'doc_snapshots']);

/**
 * Written by a read on purpose: a file handed out (GET …/export, …/proposals/…) is recorded with its audit event, so
 * that verify knows it later (docs/decisions/022-exports.md). Left out of the digest: the export_files rows, the
 * audit events `document.exported` and the audit chain's heads, which move with every event. Any other audit event a
 * read appended still changes the digest.
 */
const RECORDED_BY_READS = new Set(['export_files', 'audit_heads']);

/** A digest per table (`table:sha256` lines), so that a change can be told by table. */
export async function digest(db: Db, schema: Schema): Promise<string> {
  const lines: string[] = [];
  for (const table of schema.tables) {
    if (VOLATILE.has(table) || RECORDED_BY_READS.has(table)) continue;
    const { rows } =
      table === 'audit_events'
        ? await sql<Record<string, unknown>>`SELECT * FROM audit_events WHERE action <> 'document.exported' ORDER BY rowid`.execute(db)
        : await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY rowid`.execute(db);
    const hash = createHash('sha256').update(JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : typeof v === 'bigint' ? String(v) : v)));
    lines.push(`${table}:${hash.digest('hex')}`);
  }
  return lines.join('\n');
}

/** The tables whose rows differ between two digests. */
export function changedTables(before: string, after: string): string[] {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((line) => !old.has(line)).map((line) => line.slice(0, line.indexOf(':')));
}

/** One pending invitation per area (for a person without an account), so that :token and invitation ids have a row. */
export async function inviteSomeone(deps: CoreDeps, admin: Actor): Promise<{ id: string; token: string }> {
  const municipality = await deps.db.selectFrom('municipalities').select('code').where('area_id', '=', admin.area.id).orderBy('code').executeTakeFirstOrThrow();
  const { invitationId } = await inviteMember(deps, { userId: admin.userId, email: admin.email, displayName: admin.role }, admin.area.slug, {
    email: `matrix.invitee.${admin.area.id.slice(0, 8)}@sopu.example`,
    displayName: 'Matrix Invitee',
    municipalityCode: municipality.code,
    role: 'viewer',
  });
  const link = await invitationLink(deps.db, invitationId);
  return { id: invitationId, token: link.slice(link.lastIndexOf('/') + 1) };
}
