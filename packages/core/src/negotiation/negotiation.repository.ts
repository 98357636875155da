import type { Database, Db, Transaction } from '@sopu/db';
import { isDocumentLanguage, type DocumentLanguage } from '@sopu/doc-model';
import type { Stance } from './negotiation.rules.ts';

export interface PositionRow {
  sectionKey: string;
  municipalityCode: string;
  stance: Stance;
  text: string;
  sectionHash: string;
  /** The language column it concerns in a bilingual document; null: the section in every language. */
  language: DocumentLanguage | null;
  setBy: { id: string; name: string } | null;
  setAt: number;
}

/** Every municipality's position on every section of a document. */
export async function positionsOf(db: Db, areaId: string, documentId: string): Promise<PositionRow[]> {
  const rows = await db
    .selectFrom('section_positions')
    .innerJoin('municipalities', 'municipalities.id', 'section_positions.municipality_id')
    .leftJoin('users', 'users.id', 'section_positions.set_by')
    .select(['section_positions.section_key', 'municipalities.code', 'section_positions.stance', 'section_positions.text', 'section_positions.section_hash', 'section_positions.language', 'section_positions.set_by', 'section_positions.set_at', 'users.display_name'])
    .where('section_positions.area_id', '=', areaId)
    .where('section_positions.document_id', '=', documentId)
    .execute();
  return rows.map((r) => ({
    sectionKey: r.section_key,
    municipalityCode: r.code,
    stance: r.stance as Stance,
    text: r.text,
    sectionHash: r.section_hash,
    language: isDocumentLanguage(r.language) ? r.language : null,
    setBy: r.set_by ? { id: r.set_by, name: r.display_name ?? '' } : null,
    setAt: r.set_at,
  }));
}

export async function upsertPosition(
  trx: Transaction<Database>,
  row: { id: string; areaId: string; documentId: string; sectionKey: string; municipalityId: string; stance: Stance; text: string; sectionHash: string; language: DocumentLanguage | null; setBy: string; setAt: number },
): Promise<void> {
  await trx
    .insertInto('section_positions')
    .values({ id: row.id, area_id: row.areaId, document_id: row.documentId, section_key: row.sectionKey, municipality_id: row.municipalityId, stance: row.stance, text: row.text, section_hash: row.sectionHash, language: row.language, set_by: row.setBy, set_at: row.setAt })
    .onConflict((oc) => oc.columns(['document_id', 'section_key', 'municipality_id']).doUpdateSet({ stance: row.stance, text: row.text, section_hash: row.sectionHash, language: row.language, set_by: row.setBy, set_at: row.setAt }))
    .execute();
}

/** Display names of the area's members among `ids` (an id in a mark that names no member stays unnamed). */
export async function memberNames(db: Db, areaId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .innerJoin('memberships', 'memberships.user_id', 'users.id')
    .select(['users.id', 'users.display_name'])
    .where('memberships.area_id', '=', areaId)
    .where('users.id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export interface DecisionRow {
  suggestionId: string;
  section: string;
  kind: 'insert' | 'delete';
  text: string;
  authorId: string | null;
  municipalityCode: string;
  suggestedAt: number;
  decision: 'accepted' | 'rejected';
  reason: string;
  decidedBy: { id: string; name: string } | null;
  decidedAt: number;
}

export async function decisionsOf(db: Db, areaId: string, documentId: string, limit: number): Promise<DecisionRow[]> {
  const rows = await db
    .selectFrom('suggestion_decisions')
    .leftJoin('users', 'users.id', 'suggestion_decisions.decided_by')
    .selectAll('suggestion_decisions')
    .select('users.display_name')
    .where('suggestion_decisions.area_id', '=', areaId)
    .where('suggestion_decisions.document_id', '=', documentId)
    .orderBy('suggestion_decisions.decided_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    suggestionId: r.suggestion_id,
    section: r.section_key,
    kind: r.kind === 'delete' ? 'delete' : 'insert',
    text: r.text,
    authorId: r.author_id,
    municipalityCode: r.municipality_code,
    suggestedAt: r.suggested_at,
    decision: r.decision === 'rejected' ? 'rejected' : 'accepted',
    reason: r.reason,
    decidedBy: r.decided_by ? { id: r.decided_by, name: r.display_name ?? '' } : null,
    decidedAt: r.decided_at,
  }));
}
