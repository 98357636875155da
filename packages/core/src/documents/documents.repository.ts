import type { Db, DocumentRow } from '@sopu/db';
import type { DocumentKind, DocumentLanguage } from '@sopu/doc-model';

export interface DocumentSummary {
  id: string;
  kind: DocumentKind;
  title: string;
  createdAt: number;
  /** The language of its text; of a bilingual document, of its main text (the other is in the document itself). */
  language: DocumentLanguage;
}

const toDocument = (r: DocumentRow): DocumentSummary => ({ id: r.id, kind: r.kind as DocumentKind, title: r.title, createdAt: r.created_at, language: r.language === 'sv' ? 'sv' : 'fi' });

export async function listDocumentsOfArea(db: Db, areaId: string): Promise<DocumentSummary[]> {
  const rows = await db.selectFrom('documents').selectAll().where('area_id', '=', areaId).orderBy('created_at').orderBy('title').execute();
  return rows.map(toDocument);
}

export async function findDocumentInArea(db: Db, areaId: string, documentId: string): Promise<DocumentSummary | undefined> {
  const row = await db.selectFrom('documents').selectAll().where('area_id', '=', areaId).where('id', '=', documentId).executeTakeFirst();
  return row && toDocument(row);
}
