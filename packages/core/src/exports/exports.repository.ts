import type { Database, Db, Transaction } from '@sopu/db';
import type { Insertable } from 'kysely';

/** The files Sopu handed out (export_files) and what verify looks up; every query is scoped by area. */

export type ExportFileRecord = Insertable<Database['export_files']>;

export async function insertExportFile(trx: Transaction<Database>, record: ExportFileRecord): Promise<void> {
  await trx.insertInto('export_files').values(record).execute();
}

/** An export or a version as verify answers it: with its area and document. */
export interface FoundText {
  areaId: string;
  areaSlug: string;
  areaName: { fi: string; sv: string; en: string };
  documentId: string;
  documentKind: string;
  documentTitle: string;
  versionNumber: number | null;
  /** The version's label, when this is a version (null for an export's row). */
  versionLabel?: string | null;
  contentHash: string;
}

export interface FoundFile extends FoundText {
  kind: string;
  format: string;
  fileName: string;
  fileSha256: string;
  createdAt: number;
}

function exportQuery(db: Db, areaIds: readonly string[]) {
  return db
    .selectFrom('export_files')
    .innerJoin('areas', 'areas.id', 'export_files.area_id')
    .innerJoin('documents', (join) => join.onRef('documents.id', '=', 'export_files.document_id').onRef('documents.area_id', '=', 'export_files.area_id'))
    .select([
      'export_files.area_id', 'areas.slug', 'areas.name_fi', 'areas.name_sv', 'areas.name_en', 'export_files.document_id', 'documents.kind', 'documents.title',
      'export_files.version_number', 'export_files.content_hash', 'export_files.kind as file_kind', 'export_files.format', 'export_files.file_name', 'export_files.file_sha256', 'export_files.created_at',
    ])
    .where('export_files.area_id', 'in', areaIds.length > 0 ? [...areaIds] : [''])
    .orderBy('export_files.created_at', 'desc');
}

type ExportRow = Awaited<ReturnType<ReturnType<typeof exportQuery>['execute']>>[number];
const toFile = (r: ExportRow): FoundFile => ({
  areaId: r.area_id,
  areaSlug: r.slug,
  areaName: { fi: r.name_fi, sv: r.name_sv, en: r.name_en },
  documentId: r.document_id,
  documentKind: r.kind,
  documentTitle: r.title,
  versionNumber: r.version_number,
  contentHash: r.content_hash,
  kind: r.file_kind,
  format: r.format,
  fileName: r.file_name,
  fileSha256: r.file_sha256,
  createdAt: r.created_at,
});

/** The exports of these areas whose bytes hash to `sha256`, newest first. */
export async function exportsByFileHash(db: Db, areaIds: readonly string[], sha256: string): Promise<FoundFile[]> {
  return (await exportQuery(db, areaIds).where('export_files.file_sha256', '=', sha256).execute()).map(toFile);
}

/** The exports of these areas showing the content hash (a current text's file: no version has its hash). */
export async function exportsByContentHash(db: Db, areaIds: readonly string[], hash: string): Promise<FoundFile[]> {
  return (await exportQuery(db, areaIds).where('export_files.content_hash', '=', hash).execute()).map(toFile);
}

/** The versions of these areas whose hash is `hash`, or starts with it (at least 8 hex digits), newest first. */
export async function versionsByHash(db: Db, areaIds: readonly string[], hash: string): Promise<FoundText[]> {
  let query = db
    .selectFrom('versions')
    .innerJoin('areas', 'areas.id', 'versions.area_id')
    .innerJoin('documents', (join) => join.onRef('documents.id', '=', 'versions.document_id').onRef('documents.area_id', '=', 'versions.area_id'))
    .select(['versions.area_id', 'areas.slug', 'areas.name_fi', 'areas.name_sv', 'areas.name_en', 'versions.document_id', 'documents.kind', 'documents.title', 'versions.number', 'versions.label', 'versions.hash'])
    .where('versions.area_id', 'in', areaIds.length > 0 ? [...areaIds] : ['']);
  // A prefix is matched as a range of hex strings (the hash column holds lower-case hex only).
  query = hash.length === 64 ? query.where('versions.hash', '=', hash) : query.where('versions.hash', '>=', hash).where('versions.hash', '<', `${hash}g`);
  const rows = await query.orderBy('versions.created_at', 'desc').limit(200).execute();
  return rows.map((r) => ({
    areaId: r.area_id,
    areaSlug: r.slug,
    areaName: { fi: r.name_fi, sv: r.name_sv, en: r.name_en },
    documentId: r.document_id,
    documentKind: r.kind,
    documentTitle: r.title,
    versionNumber: r.number,
    versionLabel: r.label,
    contentHash: r.hash,
  }));
}
