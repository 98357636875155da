import { createLoginThrottle, createOidc, createSecretBox, createSessions, DEFAULT_THROTTLE, hashToken, type SessionOptions, type ThrottleOptions } from '@sopu/auth';
import { createTestDb, sql, type Db } from '@sopu/db';
import type { Actor, CoreDeps } from './shared/deps.ts';
import { randomBytes } from 'node:crypto';
import { createAuditLog } from './shared/audit.ts';
import { createFeedSignal } from './shared/feed.ts';
import { createStoreDocumentWriter } from './documents/index.ts';
import { loadDocumentState } from './documents/index.ts';
import * as Y from 'yjs';
import { loadDemoAreasIfEmpty } from './demo/index.ts';

/** A clock the test moves by hand; every part of the deps reads time from it. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function createTestClock(start: number = Date.UTC(2026, 10, 28, 8, 0, 0)): TestClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}

export interface TestDeps {
  deps: CoreDeps;
  db: Db;
  clock: TestClock;
  /** The database file (to copy as a fixture: see `fixtureFile`). */
  path: string;
  cleanup: () => Promise<void>;
}

export const TEST_PUBLIC_URL = 'http://localhost';
export const TEST_INVITATION_TTL_MS = 72 * 3_600_000;

/**
 * CoreDeps the way apps/web/server/deps.ts builds them, over a fresh migrated temp-file database and an injected
 * clock. With `demo` (the default) the two demo areas are loaded.
 */
export async function createTestDeps(
  options: { now?: number; demo?: boolean; sessions?: Partial<SessionOptions>; throttle?: Partial<ThrottleOptions>; copyOf?: string; auditKey?: Uint8Array } = {},
): Promise<TestDeps> {
  const { db, path, cleanup } = await createTestDb(options.copyOf ? { copyOf: options.copyOf } : {});
  const clock = createTestClock(options.now);
  const audit = createAuditLog(options.auditKey ?? randomBytes(32));
  const deps: CoreDeps = {
    db,
    sessions: createSessions(db, {
      idleTimeoutMs: 8 * 3_600_000,
      absoluteTimeoutMs: 7 * 24 * 3_600_000,
      secureCookies: false,
      ...options.sessions,
      now: clock.now,
    }),
    throttle: createLoginThrottle(db, { ...DEFAULT_THROTTLE, ...options.throttle, now: clock.now }),
    audit,
    feed: createFeedSignal(),
    documents: createStoreDocumentWriter(db, clock.now, audit),
    now: clock.now,
    publicUrl: TEST_PUBLIC_URL,
    invitationTtlMs: TEST_INVITATION_TTL_MS,
    secrets: createSecretBox(randomBytes(32)),
    oidc: createOidc({ now: clock.now }),
  };
  if (options.demo ?? true) await loadDemoAreasIfEmpty(deps, clock.now());
  return { deps, db, clock, path, cleanup };
}

/**
 * Writes everything of a test database into its file (a WAL checkpoint), so that the file can be copied as the
 * starting point of other tests (`createTestDeps({ copyOf })`): a fixture built once instead of once per test.
 */
export async function fixtureFile(t: TestDeps): Promise<string> {
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(t.db);
  return t.path;
}

/** The Actor of an existing user, as a transport would build it from their session. */
export async function actorFor(deps: Pick<CoreDeps, 'db'>, email: string): Promise<Actor> {
  const user = await deps.db.selectFrom('users').select(['id', 'email', 'display_name']).where('email', '=', email.toLowerCase()).executeTakeFirst();
  if (!user) throw new Error(`no user ${email} in the test database`);
  return { userId: user.id, email: user.email, displayName: user.display_name };
}

/** A session token for an existing user without a password check (argon2 is slow; most tests need no login). */
export async function sessionTokenFor(deps: CoreDeps, email: string): Promise<string> {
  const actor = await actorFor(deps, email);
  return (await deps.sessions.create(actor.userId)).token;
}

const TABLES = [
  'areas', 'municipalities', 'users', 'sessions', 'memberships', 'invitations', 'outbox', 'audit_events', 'audit_heads', 'login_attempts',
  'documents', 'doc_updates', 'doc_snapshots', 'document_leases', 'doc_clients', 'comment_threads', 'comments', 'notifications', 'feed_events', 'versions', 'approval_requests', 'council_decisions', 'council_decision_events', 'api_tokens', 'export_files',
  'consultation_rounds', 'consultation_invitees', 'consultation_statement_revisions', 'consultation_responses', 'consultation_reminders', 'rule_adoptions', 'consultation_attachments',
  'milestones', 'cost_share_calculations', 'suggestion_decisions', 'section_positions',
  'security_events', 'known_devices', 'login_unlocks',
  'notification_events', 'notification_jobs', 'notification_preferences', 'unsubscribe_tokens', 'calendar_feeds', 'approval_watch',
  'identity_providers', 'identity_provider_domains', 'oidc_login_states', 'user_identities', 'idp_sessions', 'totp_credentials', 'recovery_codes', 'login_challenges',
] as const;

/** Row count of every table: compare before and after to show that a refused request changed nothing. */
export async function tableCounts(db: Db): Promise<Record<(typeof TABLES)[number], number>> {
  const counts = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/**
 * The invitation's link as the invitee receives it: read from the stored mail (only the mail has it; the invitation
 * row keeps a hash of the token), matched to the invitation by that hash.
 */
export async function invitationLink(db: Db, invitationId: string): Promise<string> {
  const invitation = await db.selectFrom('invitations').select(['area_id', 'email', 'token_hash']).where('id', '=', invitationId).executeTakeFirstOrThrow();
  const mails = await db.selectFrom('outbox').select('body_text').where('area_id', '=', invitation.area_id).where('to_email', '=', invitation.email).execute();
  for (const mail of mails) {
    for (const link of mail.body_text.match(/https?:\/\/\S+\/invitations\/[a-z2-7]+/g) ?? []) {
      if (hashToken(link.split('/').at(-1)!) === invitation.token_hash) return link;
    }
  }
  throw new Error(`no mail with the link of invitation ${invitationId}`);
}

/**
 * Changes a stored document as a client would through the collab server: loads it, applies `change`, and appends
 * the resulting update (tests of anchors and anything that reads document content).
 */
export async function changeDocument(db: Db, documentId: string, change: (doc: Y.Doc) => void): Promise<void> {
  const doc = await loadDocumentState(db, documentId);
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.transact(() => change(doc));
  doc.destroy();
  if (updates.length === 0) return;
  const last = await db.selectFrom('doc_updates').select((eb) => eb.fn.max('seq').as('seq')).where('document_id', '=', documentId).executeTakeFirst();
  await db.insertInto('doc_updates').values({ document_id: documentId, seq: Number(last?.seq ?? 0) + 1, update: Y.mergeUpdates(updates), user_id: null, created_at: Date.now() }).execute();
}

/** Writes paragraphs into a section (replacing what it had). */
export function writeSection(doc: Y.Doc, key: string, paragraphs: string[], parallel?: 'fi' | 'sv'): void {
  // `parallel`: a bilingual document's other language's text of the section (decision 026).
  const fragment = doc.getXmlFragment(parallel ? `section:${key}:${parallel}` : `section:${key}`);
  fragment.delete(0, fragment.length);
  fragment.insert(
    0,
    paragraphs.map((text) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(text)]);
      return p;
    }),
  );
}

export async function documentIdOf(db: Db, areaSlug: string, kind: string): Promise<string> {
  const row = await db.selectFrom('documents').innerJoin('areas', 'areas.id', 'documents.area_id').select('documents.id').where('areas.slug', '=', areaSlug).where('documents.kind', '=', kind).executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A suggested change in a section's first paragraph, as the editor's suggestion mode writes it (docs/decisions/025):
 * `insert` puts `text` at `index` marked as suggested; `delete` marks `length` characters from `index` for deletion.
 */
export function writeSuggestion(
  doc: Y.Doc,
  key: string,
  change: { kind: 'insert'; index: number; text: string } | { kind: 'delete'; index: number; length: number },
  mark: { id: string; author: string; municipality: string; at?: number },
): void {
  const text = (doc.getXmlFragment(`section:${key}`).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const value = { at: 1_796_000_000_000, ...mark };
  if (change.kind === 'insert') text.insert(change.index, change.text, { suggestionInsert: value });
  else text.format(change.index, change.length, { suggestionDelete: value });
}
