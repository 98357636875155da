import { colourFor, createInitialState, documentTitle, type DocumentKind, type PresenceIdentity } from '@sopu/doc-model';
import type { Database, Db, Transaction } from '@sopu/db';
import { z } from 'zod';
import { requireAreaAccess, type AreaAccess } from '../shared/access.ts';
import { findMembership, findMembershipsOfUsers, type Membership } from '../shared/tenancy.repository.ts';
import { CREATABLE_KINDS, writeModeOf, type WriteMode } from './documents.rules.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { findDocumentInArea, listDocumentsOfArea, type DocumentSummary } from './documents.repository.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { can } from '../shared/roles.ts';
import { userText } from '../shared/text.ts';
import { parseInput } from '../shared/validation.ts';

export function canEditDocument(membership: Pick<Membership, 'role' | 'isHostMunicipality'>, kind: DocumentKind): boolean {
  return can(membership, kind === 'administrative_rules' ? 'rules.edit' : 'agreement.edit');
}

export async function listDocuments(db: Db, actor: Actor, slug: string): Promise<DocumentSummary[]> {
  const { area } = await requireAreaAccess(db, actor.userId, slug);
  return listDocumentsOfArea(db, area.id);
}

export interface OpenDocument extends AreaAccess {
  document: DocumentSummary;
  canEdit: boolean;
  /** How the person writes the text: directly, by suggesting changes, or not at all (docs/decisions/025). */
  writeMode: WriteMode;
}

export async function openDocument(db: Db, actor: Actor, slug: string, documentId: string): Promise<OpenDocument> {
  const access = await requireAreaAccess(db, actor.userId, slug);
  const document = await findDocumentInArea(db, access.area.id, documentId);
  if (!document) throw new DomainError('not_found', 'document not found');
  return { ...access, document, canEdit: canEditDocument(access.membership, document.kind), writeMode: writeModeOf(access.membership, document.kind, access.area.directEditing) };
}

export interface DocumentConnection {
  areaId: string;
  documentId: string;
  kind: DocumentKind;
  userId: string;
  readOnly: boolean;
  /** May write only suggested changes (and no section metadata): the server holds the connection to that. */
  suggestOnly: boolean;
  /** Who the person is in this area, as presence shows them. */
  identity: PresenceIdentity;
}

function identityOf(user: { id: string; displayName: string }, membership: Membership): PresenceIdentity {
  return {
    userId: user.id,
    name: user.displayName,
    municipality: membership.municipalityName,
    municipalityCode: membership.municipalityCode,
    role: membership.role,
    readOnly: false,
    colour: colourFor(user.id),
  };
}

/**
 * Who may join a document's live room: a member of the document's area; read-only unless their role may edit
 * this kind. A missing document and another area's document look the same.
 */
export async function authorizeDocumentConnection(db: Db, userId: string, documentId: string): Promise<DocumentConnection> {
  const document = await documentWithEditing(db, documentId);
  const membership = document && (await findMembership(db, document.area_id, userId));
  const user = await db.selectFrom('users').select(['id', 'display_name']).where('id', '=', userId).executeTakeFirst();
  if (!document || !membership || !user) throw new DomainError('not_found', 'document not found');
  const kind = document.kind as DocumentKind;
  const mode = writeModeOf(membership, kind, document.direct_editing === 'everyone' ? 'everyone' : 'host');
  const readOnly = mode === 'read';
  return { areaId: document.area_id, documentId: document.id, kind, userId, readOnly, suggestOnly: mode === 'suggest', identity: { ...identityOf({ id: user.id, displayName: user.display_name }, membership), readOnly } };
}

function documentWithEditing(db: Db, documentId: string) {
  return db
    .selectFrom('documents')
    .innerJoin('areas', 'areas.id', 'documents.area_id')
    .select(['documents.id', 'documents.area_id', 'documents.kind', 'areas.direct_editing'])
    .where('documents.id', '=', documentId)
    .executeTakeFirst();
}

export type ConnectionVerdict = DocumentConnection | { denied: 'unauthenticated' | 'not_found' };

/**
 * The same decision for every socket of a document at once, from their session tokens, in three queries whatever
 * their number (the collab server re-checks open sockets every few seconds). `activity` says whether the check is
 * the person's own doing (connecting, editing), which keeps their session from going idle.
 */
export async function authorizeDocumentConnections(deps: Pick<CoreDeps, 'db' | 'sessions'>, documentId: string, entries: Array<{ token: string | null; activity: boolean }>): Promise<ConnectionVerdict[]> {
  const sessions = await deps.sessions.validateMany(entries.map((e) => ({ token: e.token, extend: e.activity })));
  const document = await documentWithEditing(deps.db, documentId);
  const userIds = [...new Set(sessions.flatMap((s) => (s ? [s.user.id] : [])))];
  const memberships = new Map(document ? (await findMembershipsOfUsers(deps.db, document.area_id, userIds)).map((m) => [m.userId, m]) : []);
  return sessions.map((session): ConnectionVerdict => {
    if (!session) return { denied: 'unauthenticated' };
    const membership = memberships.get(session.user.id);
    if (!document || !membership) return { denied: 'not_found' };
    const kind = document.kind as DocumentKind;
    const mode = writeModeOf(membership, kind, document.direct_editing === 'everyone' ? 'everyone' : 'host');
    const readOnly = mode === 'read';
    return { areaId: document.area_id, documentId: document.id, kind, userId: session.user.id, readOnly, suggestOnly: mode === 'suggest', identity: { ...identityOf(session.user, membership), readOnly } };
  });
}


export const createDocumentInput = z.object({
  kind: z.enum(CREATABLE_KINDS),
  title: userText({ max: 200 }).optional(),
});

export async function insertDocument(trx: Transaction<Database>, input: { areaId: string; kind: DocumentKind; title: string; createdBy: string | null; now: number }): Promise<string> {
  const id = newId();
  await trx.insertInto('documents').values({ id, area_id: input.areaId, kind: input.kind, title: input.title, created_by: input.createdBy, created_at: input.now }).execute();
  // The template's sections are the document's first update, so every client starts from the same structure.
  await trx.insertInto('doc_updates').values({ document_id: id, seq: 1, update: createInitialState(input.kind), user_id: input.createdBy, created_at: input.now }).execute();
  return id;
}

export async function createDocument(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<DocumentSummary> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'documents.create');
  const input = parseInput(createDocumentInput, raw);
  const now = deps.now();
  const title = input.title ?? documentTitle(input.kind).fi;
  const id = await deps.db.transaction().execute(async (trx) => {
    const documentId = await insertDocument(trx, { areaId: area.id, kind: input.kind, title, createdBy: actor.userId, now });
    await deps.audit.append(trx, { areaId: area.id, actorUserId: actor.userId, action: 'document.created', subjectType: 'document', subjectId: documentId, details: { kind: input.kind, title } }, now);
    return documentId;
  });
  return { id, kind: input.kind, title, createdAt: now };
}

