import {
  canonicalDocument, canonicalJson, changedSectionKeys, diffDocuments, hashCanonicalDocument, hashCanonicalSection, LAYOUT_VERSION, readSuggestions, replaceContent,
  type CanonicalDocument, type CanonicalSection, type DocumentDiff, type DocumentKind, type PendingSuggestion,
} from '@sopu/doc-model';
import * as Y from 'yjs';
import { z } from 'zod';
import { findMembership, type Membership } from '../shared/tenancy.repository.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { loadDocumentState, loadRepairedDocument } from '../documents/index.ts';
import { canEditDocument } from '../documents/index.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { can } from '../shared/roles.ts';
import { userText } from '../shared/text.ts';
import { parseInput } from '../shared/validation.ts';
import type { Db } from '@sopu/db';

export interface VersionSummary {
  number: number;
  label: string;
  hash: string;
  createdAt: number;
  createdBy: { id: string; name: string } | null;
  restoredFrom: number | null;
  /**
   * Suggested changes pending when the version was saved, listed apart: the version's text and hash are the accepted
   * text only (docs/decisions/025), and a version with pending suggestions is not sent to the councils.
   */
  pendingSuggestions: PendingSuggestion[];
}

export interface VersionSection extends CanonicalSection {
  hash: string;
}

export interface VersionDetail extends VersionSummary {
  documentId: string;
  sections: VersionSection[];
}

export const saveVersionInput = z.object({ label: userText({ max: 200 }) });

export interface DocumentAccess {
  id: string;
  kind: DocumentKind;
  areaId: string;
  areaSlug: string;
  title: string;
  membership: Membership;
}

/** The document and the caller's membership of its area; another area's document and a missing one look the same. */
export async function documentAccessOf(db: Db, actor: Actor, documentId: string): Promise<DocumentAccess> {
  const document =
    typeof documentId === 'string' && documentId.length <= 64
      ? await db.selectFrom('documents').innerJoin('areas', 'areas.id', 'documents.area_id').select(['documents.id', 'documents.kind', 'documents.area_id', 'documents.title', 'areas.slug']).where('documents.id', '=', documentId).executeTakeFirst()
      : undefined;
  const membership = document && (await findMembership(db, document.area_id, actor.userId));
  if (!document || !membership) throw new DomainError('not_found', 'document not found');
  return { id: document.id, kind: document.kind as DocumentKind, areaId: document.area_id, areaSlug: document.slug, title: document.title, membership };
}

/** Who saves versions and restores them: those who write the document's text (drafters, the host admin). */
export function canVersion(membership: Membership, kind: DocumentKind): boolean {
  return canEditDocument(membership, kind) || can(membership, 'documents.create');
}

/** The document's content now, as stored (everything anyone has seen is stored), canonical and hashed. */
export async function currentContent(db: Db, documentId: string): Promise<DocumentContent> {
  const doc = await loadDocumentState(db, documentId);
  try {
    return contentOf(doc);
  } finally {
    doc.destroy();
  }
}

export interface DocumentContent {
  canonical: CanonicalDocument;
  hash: string;
  sectionHashes: Record<string, string>;
  state: Uint8Array;
  /** Suggested changes pending in the text (not part of the canonical content or its hash). */
  pendingSuggestions: PendingSuggestion[];
}

/** A document's content, canonical and hashed, with its Yjs state: what a version freezes. */
export function contentOf(doc: Y.Doc): DocumentContent {
  const canonical = canonicalDocument(doc);
  return { canonical, hash: hashCanonicalDocument(canonical), sectionHashes: Object.fromEntries(canonical.sections.map((s) => [s.key, hashCanonicalSection(s)])), state: Y.encodeStateAsUpdate(doc), pendingSuggestions: readSuggestions(doc) };
}

type VersionRow = { number: number; label: string; hash: string; created_at: number; created_by: string | null; restored_from: number | null; creator_name: string | null; pending_suggestions: string };
const toSummary = (r: VersionRow): VersionSummary => ({
  number: r.number,
  label: r.label,
  hash: r.hash,
  createdAt: r.created_at,
  createdBy: r.created_by ? { id: r.created_by, name: r.creator_name ?? '' } : null,
  restoredFrom: r.restored_from,
  pendingSuggestions: JSON.parse(r.pending_suggestions) as PendingSuggestion[],
});

function versionQuery(db: Db, access: DocumentAccess) {
  return db
    .selectFrom('versions')
    .leftJoin('users', 'users.id', 'versions.created_by')
    .where('versions.area_id', '=', access.areaId)
    .where('versions.document_id', '=', access.id);
}

/**
 * Freezes the document as it is now under a name ("Valtuustokäsittelyyn 3.10."): every section's canonical content
 * and hash, the hash over the whole document, and the Yjs state. The same content gives the same hash whatever the
 * editing history.
 */
export async function saveVersion(deps: CoreDeps, actor: Actor, documentId: string, raw: unknown): Promise<VersionSummary> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  if (!canVersion(access.membership, access.kind)) throw new DomainError('forbidden', 'only drafters and the host admin save versions');
  const { label } = parseInput(saveVersionInput, raw);
  return storeVersion(deps, actor, access, label, null);
}

async function storeVersion(deps: CoreDeps, actor: Actor, access: DocumentAccess, label: string, restoredFrom: number | null): Promise<VersionSummary> {
  // A version freezes the Yjs state too: content a past guard let in is repaired (stored, audited) before that.
  const repaired = await loadRepairedDocument(deps, access);
  let content: DocumentContent;
  try {
    content = contentOf(repaired);
  } finally {
    repaired.destroy();
  }
  const now = deps.now();
  const number = await deps.db.transaction().execute(async (trx) => {
    const last = await trx.selectFrom('versions').select((eb) => eb.fn.max('number').as('n')).where('document_id', '=', access.id).executeTakeFirst();
    const n = Number(last?.n ?? 0) + 1;
    await trx
      .insertInto('versions')
      .values({
        id: newId(),
        area_id: access.areaId,
        document_id: access.id,
        number: n,
        label,
        content: canonicalJson(content.canonical),
        hash: content.hash,
        section_hashes: JSON.stringify(content.sectionHashes),
        snapshot: content.state,
        restored_from: restoredFrom,
        created_by: actor.userId,
        created_at: now,
        pending_suggestions: JSON.stringify(content.pendingSuggestions),
      })
      .execute();
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: 'version.saved', subjectType: 'document', subjectId: access.id, details: { number: n, label, hash: content.hash, restoredFrom, pendingSuggestions: content.pendingSuggestions.length } }, now);
    return n;
  });
  return { number, label, hash: content.hash, createdAt: now, createdBy: { id: actor.userId, name: actor.displayName }, restoredFrom, pendingSuggestions: content.pendingSuggestions };
}

/** The document's versions, newest first; any member may read them. */
export async function listVersions(deps: CoreDeps, actor: Actor, documentId: string): Promise<VersionSummary[]> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  const rows = await versionQuery(deps.db, access)
    .select(['versions.number', 'versions.label', 'versions.hash', 'versions.created_at', 'versions.created_by', 'versions.restored_from', 'versions.pending_suggestions', 'users.display_name as creator_name'])
    .orderBy('versions.number', 'desc')
    .execute();
  return rows.map(toSummary);
}

export const versionNumber = z.coerce.number().int().min(1).max(1_000_000);

/** One version, read-only: its sections with their canonical content and hashes. */
export async function getVersion(deps: CoreDeps, actor: Actor, documentId: string, number: unknown): Promise<VersionDetail> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  return versionDetail(deps.db, access, number);
}

export async function versionDetail(db: Db, access: DocumentAccess, number: unknown): Promise<VersionDetail> {
  const n = versionNumber.safeParse(number);
  if (!n.success) throw new DomainError('not_found', 'version not found');
  const row = await versionQuery(db, access)
    .select(['versions.number', 'versions.label', 'versions.hash', 'versions.created_at', 'versions.created_by', 'versions.restored_from', 'versions.pending_suggestions', 'versions.content', 'versions.section_hashes', 'users.display_name as creator_name'])
    .where('versions.number', '=', n.data)
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'version not found');
  const canonical = JSON.parse(row.content) as CanonicalDocument;
  const hashes = JSON.parse(row.section_hashes) as Record<string, string>;
  return { ...toSummary(row), documentId: access.id, sections: canonical.sections.map((s) => ({ ...s, hash: hashes[s.key] ?? hashCanonicalSection(s) })) };
}

/**
 * Restores a version: its text and statuses become the document's again, as a new change on top (made through the
 * document's live room, so everyone sees it at once); history is never rewritten. The restored state is saved as a
 * new version of its own, marked restored from that number, so the history says what happened.
 */
export async function restoreVersion(deps: CoreDeps, actor: Actor, documentId: string, number: unknown): Promise<VersionSummary> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  if (!canVersion(access.membership, access.kind)) throw new DomainError('forbidden', 'only drafters and the host admin restore versions');
  const version = await versionDetail(deps.db, access, number);
  await deps.documents.change({ id: access.id, areaId: access.areaId, kind: access.kind }, (doc) => replaceContent(doc, version.sections, actor.userId, deps.now()), actor.userId);
  return storeVersion(deps, actor, access, version.label, version.number);
}

/** One side of a comparison: a saved version, or (number null) the document's text now. */
export interface ComparisonSide {
  number: number | null;
  label: string | null;
  hash: string;
  createdAt: number | null;
  createdBy: { id: string; name: string } | null;
}

export interface Comparison {
  documentId: string;
  from: ComparisonSide;
  to: ComparisonSide;
  /** True when both sides have the same document hash. */
  identical: boolean;
  /** Keys of the sections that differ, in the diff's order. */
  changedSections: string[];
  diff: DocumentDiff;
}

/** `N` (a version number) or `current` (the text now). */
export const comparisonTarget = z.union([z.literal('current'), versionNumber]);

async function comparisonSide(db: Db, access: DocumentAccess, target: 'current' | number): Promise<{ side: ComparisonSide; canonical: CanonicalDocument }> {
  if (target === 'current') {
    const now = await currentContent(db, access.id);
    return { side: { number: null, label: null, hash: now.hash, createdAt: null, createdBy: null }, canonical: now.canonical };
  }
  const version = await versionDetail(db, access, target);
  const canonical: CanonicalDocument = { layout: LAYOUT_VERSION, sections: version.sections.map(({ hash: _hash, ...section }) => section) };
  return { side: { number: version.number, label: version.label, hash: version.hash, createdAt: version.createdAt, createdBy: version.createdBy }, canonical };
}

/**
 * Two versions, or a version and the current text, compared word by word per section (decision 016). Any member may
 * compare; `from` and `to` are a version number or `current` (defaults: the latest version, and the current text).
 */
export async function compareVersions(deps: CoreDeps, actor: Actor, documentId: string, raw: { from: unknown; to: unknown }): Promise<Comparison> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  let start = raw.from;
  if (start === undefined || start === null || start === '') {
    // Without `from`: the latest version (what changed since it was saved, against `to`).
    const latest = await deps.db.selectFrom('versions').select((eb) => eb.fn.max('number').as('n')).where('area_id', '=', access.areaId).where('document_id', '=', access.id).executeTakeFirst();
    if (latest?.n === null || latest?.n === undefined) throw new DomainError('not_found', 'the document has no saved versions');
    start = Number(latest.n);
  }
  const parsed = parseInput(z.object({ from: comparisonTarget, to: comparisonTarget }), { from: start, to: raw.to ?? 'current' });
  const [from, to] = await Promise.all([comparisonSide(deps.db, access, parsed.from), comparisonSide(deps.db, access, parsed.to)]);
  const diff = diffDocuments(from.canonical, to.canonical);
  return { documentId: access.id, from: from.side, to: to.side, identical: from.side.hash === to.side.hash, changedSections: changedSectionKeys(diff), diff };
}

/** A saved version's frozen content, read by the area and document ids (for a file whose asker is a token, not a member). */
export async function frozenVersion(db: Db, areaId: string, documentId: string, number: number): Promise<{ number: number; label: string; hash: string; canonical: CanonicalDocument } | undefined> {
  const row = await db.selectFrom('versions').select(['number', 'label', 'hash', 'content']).where('area_id', '=', areaId).where('document_id', '=', documentId).where('number', '=', number).executeTakeFirst();
  return row && { number: row.number, label: row.label, hash: row.hash, canonical: JSON.parse(row.content) as CanonicalDocument };
}
