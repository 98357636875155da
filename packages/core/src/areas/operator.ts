import { canonicalDocument, contentHash } from '@sopu/doc-model';
import { sql, type Database, type Db, type Transaction } from '@sopu/db';
import * as Y from 'yjs';
import { z } from 'zod';
import { findAreaBySlug, type Area, type AreaStatus } from '../shared/tenancy.repository.ts';
import { insertArea, newAreaInput, toNewArea, type NewArea, type NewAreaInput } from './new-area.ts';
import type { AuditProblem } from '../shared/audit.ts';
import type { CoreDeps } from '../shared/deps.ts';
import { mailDelivery, type MailDelivery } from '../shared/deployment.ts';
import { loadDocumentState } from '../documents/index.ts';
import { DomainError } from '../shared/errors.ts';
import { insertInvitation } from '../members/index.ts';
import { redactMailBody } from '../shared/outbox.ts';
import { cleanText } from '../shared/text.ts';
import { displayNameSchema, emailSchema, parseInput } from '../shared/validation.ts';

/**
 * What the operator does from the command line (`npm run sopu -- area …`, services/ops): create an area and invite
 * its first host admin, list areas, suspend and resume one, export one. These run with the database's own
 * authority (whoever can run the command can read the database anyway): there is no actor, and every change is
 * audited with no person and `by: 'operator'`. docs/decisions/019-tenants-and-checks.md.
 */

export const createAreaInput = z
  .object({
    area: newAreaInput,
    admin: z.object({ email: emailSchema, displayName: displayNameSchema.optional() }).strict(),
  })
  .strict();

export interface CreatedAreaReport {
  area: { id: string; slug: string; name: Area['name'] };
  municipalities: number;
  documents: { cooperation_agreement: string; administrative_rules: string };
  invitation: { id: string; email: string; link: string; expiresAt: number };
  /** Where the invitation mail goes from the outbox (the server sends it). */
  mailDelivery: MailDelivery;
}

/** Creates an area with its municipalities and empty documents, and invites its first host admin (host municipality). */
export async function createArea(deps: CoreDeps, raw: { area: NewAreaInput; admin: { email: string; displayName?: string } } | unknown): Promise<CreatedAreaReport> {
  const input = parseInput(createAreaInput, raw);
  const area = toNewArea(input.area);
  if (await findAreaBySlug(deps.db, area.slug)) throw new DomainError('conflict', `an area with the slug ${area.slug} exists already`, { reason: 'slug_taken' });
  const host = area.municipalities.find((m) => m.code === area.hostCode)!;
  const hostLang = host.language.startsWith('sv') ? 'sv' : 'fi';
  const displayName = input.admin.displayName ?? `${hostLang === 'sv' ? 'Huvudanvändare' : 'Pääkäyttäjä'} ${host.name[hostLang]}`;
  const now = deps.now();
  const { created, invitation } = await deps.db.transaction().execute(async (trx) => {
    await refuseTakenMunicipalities(trx, area);
    const created = await insertArea(trx, deps.audit, area, now, { source: 'operator' });
    const invitation = await insertInvitation(trx, deps, {
      area: { id: created.areaId, name: area.name },
      municipality: { id: created.municipalityIds.get(host.code)!, code: host.code, name: host.name },
      email: input.admin.email,
      displayName,
      role: 'host_admin',
      inviter: null,
    });
    return { created, invitation };
  });
  return {
    area: { id: created.areaId, slug: area.slug, name: area.name },
    municipalities: area.municipalities.length,
    documents: created.documentIds,
    invitation: { id: invitation.id, email: input.admin.email, link: invitation.link, expiresAt: invitation.expiresAt },
    mailDelivery: deps.mailDelivery ?? mailDelivery({ smtpConfigured: false, publicUrl: deps.publicUrl }),
  };
}

/**
 * A municipality belongs to one employment area (the act on organising employment services, 7 §): a code that is
 * already a member of another area, active or suspended, is refused at its own --municipality, nothing created.
 * Checked in the creating transaction, so two operators cannot both take one municipality.
 */
async function refuseTakenMunicipalities(trx: Transaction<Database>, area: NewArea): Promise<void> {
  const codes = area.municipalities.map((m) => m.code);
  const taken = await trx.selectFrom('municipalities').innerJoin('areas', 'areas.id', 'municipalities.area_id').select(['municipalities.code', 'areas.slug']).where('municipalities.code', 'in', codes).execute();
  if (taken.length === 0) return;
  const issues = taken
    .map((row) => ({ row, index: codes.indexOf(row.code) }))
    .sort((a, b) => a.index - b.index)
    .map(({ row, index }) => {
      const message = `municipality ${row.code} (${area.municipalities[index]!.name.fi}) already belongs to the area ${row.slug}: a municipality is in one employment area`;
      return { path: ['area', 'municipalities', String(index), 'code'], code: 'taken', message };
    });
  throw new DomainError('invalid_input', issues[0]!.message, { issues, reason: 'municipality_taken' });
}

export interface AreaListing {
  slug: string;
  name: Area['name'];
  status: AreaStatus;
  createdAt: number;
  municipalities: number;
  members: number;
  pendingInvitations: number;
  documents: number;
}

/** Every area, by slug, with its status and counts. */
export async function listAreas(deps: Pick<CoreDeps, 'db' | 'now'>): Promise<AreaListing[]> {
  const count = (table: 'municipalities' | 'memberships' | 'documents' | 'invitations', alias: string) =>
    sql<number>`(SELECT COUNT(*) FROM ${sql.table(table)} t WHERE t.area_id = areas.id${table === 'invitations' ? sql` AND t.accepted_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > ${deps.now()}` : sql``})`.as(alias);
  const rows = await deps.db
    .selectFrom('areas')
    .select(['slug', 'name_fi', 'name_sv', 'name_en', 'status', 'created_at'])
    .select([count('municipalities', 'municipalities'), count('memberships', 'members'), count('documents', 'documents'), count('invitations', 'pending')])
    .orderBy('slug')
    .execute();
  return rows.map((r) => ({
    slug: r.slug,
    name: { fi: r.name_fi, sv: r.name_sv, en: r.name_en },
    status: r.status === 'suspended' ? 'suspended' : 'active',
    createdAt: r.created_at,
    municipalities: Number(r.municipalities),
    members: Number(r.members),
    pendingInvitations: Number(r.pending),
    documents: Number(r.documents),
  }));
}

async function areaOrNotFound(db: Db, slug: string): Promise<Area> {
  const area = typeof slug === 'string' && slug.length <= 100 ? await findAreaBySlug(db, slug) : undefined;
  if (!area) throw new DomainError('not_found', `no area ${slug}`);
  return area;
}

/**
 * Suspends an area (or resumes it): while suspended, its members are no members (requireAreaAccess and every other
 * membership check answer not_found, open live connections are closed at the next re-check, approval tokens and
 * invitations do not work). Nothing is deleted. Returns whether the status changed.
 */
export async function setAreaStatus(deps: CoreDeps, slug: string, status: AreaStatus, reason: string | null = null): Promise<boolean> {
  const area = await areaOrNotFound(deps.db, slug);
  if (area.status === status) return false;
  reason = reason === null ? null : cleanText(reason, { multiline: true }).slice(0, 500) || null;
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('areas').set({ status, status_changed_at: now }).where('id', '=', area.id).execute();
    await deps.audit.append(trx, { areaId: area.id, actorUserId: null, action: status === 'suspended' ? 'area.suspended' : 'area.resumed', subjectType: 'area', subjectId: area.id, details: { by: 'operator', reason } }, now);
  });
  return true;
}

// --- audit verification ------------------------------------------------------------------------------------------

export interface AuditChainReport {
  slug: string;
  /** Events stored for the area. */
  events: number;
  /** The signed head: how many events the chain had when it was last extended; null when never signed. */
  signedSeq: number | null;
  /** Where the chain stops holding (shared/audit.ts), or null when every link and the signed head hold. */
  problem: AuditProblem | null;
}

/**
 * Checks each area's audit chain (or one area's): every event's hash from the genesis hash on, the sequence without
 * gaps, and the head signed with the audit key, so that an altered, removed or cut-off event is found. Read-only:
 * verifying appends nothing. `npm run sopu -- audit verify [--area slug]`.
 */
export async function verifyAuditChains(deps: Pick<CoreDeps, 'db' | 'audit'>, slug?: string): Promise<AuditChainReport[]> {
  const areas = slug === undefined ? await deps.db.selectFrom('areas').select(['id', 'slug']).orderBy('slug').execute() : [await areaOrNotFound(deps.db, slug)];
  const reports: AuditChainReport[] = [];
  for (const area of areas) {
    const count = await deps.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('area_id', '=', area.id).executeTakeFirstOrThrow();
    const head = await deps.db.selectFrom('audit_heads').select('seq').where('area_id', '=', area.id).executeTakeFirst();
    reports.push({ slug: area.slug, events: Number(count.n), signedSeq: head?.seq ?? null, problem: await deps.audit.verify(deps.db, area.id) });
  }
  return reports;
}

// --- export ------------------------------------------------------------------------------------------------------

type TableName = keyof Database;

/** Tables that hold an area_id column: all of their rows of the area are exported. */
const BY_AREA: TableName[] = [
  'municipalities', 'memberships', 'invitations', 'outbox', 'audit_events', 'audit_heads', 'documents', 'comment_threads', 'comments', 'notifications', 'feed_events',
  'versions', 'approval_requests', 'council_decisions', 'council_decision_events', 'api_tokens', 'consultation_rounds', 'consultation_invitees',
  'consultation_statement_revisions', 'consultation_attachments', 'consultation_responses', 'consultation_reminders', 'rule_adoptions', 'milestones', 'cost_share_calculations', 'export_files',
  'suggestion_decisions', 'section_positions',
  'notification_events', 'notification_jobs', 'approval_watch',
  'identity_providers', 'identity_provider_domains',
];
/** Tables that belong to an area through a document. */
const BY_DOCUMENT: TableName[] = ['doc_updates', 'doc_snapshots', 'doc_clients'];

/** What the export leaves out, and why. Every other table of the database is exported (the test holds it to that). */
export const EXPORT_EXCLUDED: Record<string, string> = {
  sessions: 'session secrets; sessions are per person, not per area',
  login_attempts: 'per e-mail address and client address, not per area',
  security_events: "people's log-ins, failures and lock-outs: per person, not per area",
  known_devices: 'hashes of device cookies; per person, not per area',
  login_unlocks: 'hashes of unlock links; per person, not per area',
  notification_preferences: "a person's mail choices: per person, not per area",
  unsubscribe_tokens: 'hashes of unsubscribe links; per person, not per area',
  calendar_feeds: 'hashes of calendar feed addresses; per person, not per area',
  document_leases: "which process writes a document now: the running server's state, not data",
  oidc_login_states: 'sign-ins on their way to an identity provider: minutes long, per browser',
  user_identities: "people's identities at their municipality's provider: per person, not per area",
  idp_sessions: 'refresh tokens of sessions from identity providers: per person, not per area',
  totp_credentials: "people's second-factor keys: per person, not per area",
  recovery_codes: "hashes of people's recovery codes: per person, not per area",
  login_challenges: 'log-ins between the password and the second factor: per person, minutes long',
  'identity_providers.client_secret_enc': "the provider's client secret (the operator adds the provider again with `sopu idp add`)",
  'users.password_hash': 'password hashes',
  'invitations.token_hash': 'hashes of invitation links',
  'api_tokens.token_hash': 'hashes of approval tokens',
  'outbox.body_text': 'kept, with invitation links replaced by [link removed]; mail of no area (unlock links) is not the area\'s',
  'outbox.body_html': 'the HTML part of unsent notification mail (with working unsubscribe links); dropped once sent',
  'outbox.headers': 'the unsubscribe header of unsent notification mail (a working link); dropped once sent',
};

const OMITTED_COLUMNS: Partial<Record<TableName, string[]>> = { invitations: ['token_hash'], api_tokens: ['token_hash'], outbox: ['body_html', 'headers'], identity_providers: ['client_secret_enc'] };

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function plainRow(table: TableName, row: Record<string, unknown>, base64Columns: Map<string, Set<string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (OMITTED_COLUMNS[table]?.includes(column)) continue;
    if (value instanceof Uint8Array) {
      out[column] = toBase64(value);
      base64Columns.set(table, (base64Columns.get(table) ?? new Set()).add(column));
    } else if (table === 'outbox' && column === 'body_text' && typeof value === 'string') {
      out[column] = redactMailBody(value);
    } else {
      out[column] = value;
    }
  }
  return out;
}

export interface AreaExport {
  format: 'sopu-area-export';
  version: 1;
  exportedAt: string;
  area: { slug: string; name: Area['name']; status: AreaStatus };
  excluded: Record<string, string>;
  /** Columns holding bytes, written as base64: table → columns. */
  base64Columns: Record<string, string[]>;
  tables: Record<string, Array<Record<string, unknown>>>;
  /** Each document's current content: its Yjs state (base64) and canonical JSON with its hash. */
  documents: Array<{ id: string; kind: string; title: string; hash: string; canonical: unknown; state: string }>;
}

/**
 * Every row of the area from every area-scoped table, the documents' content, and the users who are or were its
 * members (without password hashes); no secrets (EXPORT_EXCLUDED). The export itself is audited (`area.exported`).
 */
export async function exportArea(deps: CoreDeps, slug: string): Promise<AreaExport> {
  const area = await areaOrNotFound(deps.db, slug);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await deps.audit.append(trx, { areaId: area.id, actorUserId: null, action: 'area.exported', subjectType: 'area', subjectId: area.id, details: { by: 'operator' } }, now);
  });
  const db = deps.db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
  const base64Columns = new Map<string, Set<string>>();
  const tables: Record<string, Array<Record<string, unknown>>> = {};
  tables.areas = (await db.selectFrom('areas').selectAll().where('id', '=', area.id).execute()).map((r) => plainRow('areas', r, base64Columns));
  for (const table of BY_AREA) {
    const rows = await db.selectFrom(table).selectAll().where('area_id', '=', area.id).execute();
    tables[table] = rows.map((r) => plainRow(table, r, base64Columns));
  }
  const documentIds = (tables.documents ?? []).map((d) => d.id as string);
  for (const table of BY_DOCUMENT) {
    const rows = documentIds.length === 0 ? [] : await db.selectFrom(table).selectAll().where('document_id', 'in', documentIds).execute();
    tables[table] = rows.map((r) => plainRow(table, r, base64Columns));
  }
  // The people: members, and whoever acted in the area's audit log (a member since removed).
  const userIds = new Set<string>([...(tables.memberships ?? []).map((m) => m.user_id as string), ...(tables.audit_events ?? []).map((e) => e.actor_user_id as string | null).filter((id): id is string => id !== null)]);
  tables.users = userIds.size === 0 ? [] : await deps.db.selectFrom('users').select(['id', 'email', 'display_name', 'locale', 'created_at']).where('id', 'in', [...userIds]).orderBy('email').execute();

  const documents: AreaExport['documents'] = [];
  for (const d of tables.documents ?? []) {
    const doc: Y.Doc = await loadDocumentState(deps.db, d.id as string);
    try {
      documents.push({ id: d.id as string, kind: d.kind as string, title: d.title as string, hash: contentHash(doc), canonical: canonicalDocument(doc), state: toBase64(Y.encodeStateAsUpdate(doc)) });
    } finally {
      doc.destroy();
    }
  }
  return {
    format: 'sopu-area-export',
    version: 1,
    exportedAt: new Date(now).toISOString(),
    area: { slug: area.slug, name: area.name, status: area.status },
    excluded: EXPORT_EXCLUDED,
    base64Columns: Object.fromEntries([...base64Columns].map(([t, cols]) => [t, [...cols].sort()])),
    tables,
    documents,
  };
}

/** The tables the export covers, for the test that holds every table of the database to being exported or excluded. */
export const EXPORTED_TABLES: readonly string[] = ['areas', 'users', ...BY_AREA, ...BY_DOCUMENT];
