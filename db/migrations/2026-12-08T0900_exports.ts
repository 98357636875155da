import type { Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
// Files Sopu hands out (docs/decisions/022): the sha256 of every exported version, current text and decision
// proposal, so that verify can tell Sopu's file from a copy changed afterwards; and the host's background text of a
// request, which each council's decision proposal carries.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('export_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    // 'version' | 'current' | 'proposal'
    .addColumn('kind', 'text', (c) => c.notNull())
    // 'docx' | 'pdf'
    .addColumn('format', 'text', (c) => c.notNull())
    // The version exported (null for the current text, which is no version).
    .addColumn('version_number', 'integer')
    // The sha256 of the canonical content the file shows (what the cover states).
    .addColumn('content_hash', 'text', (c) => c.notNull())
    // The sha256 of the file's bytes, as handed out.
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('byte_length', 'integer', (c) => c.notNull())
    .addColumn('approval_request_id', 'text', (c) => c.references('approval_requests.id'))
    .addColumn('municipality_id', 'text', (c) => c.references('municipalities.id'))
    // Who took it: a member, or (user null) a municipality's approval token.
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('api_token_id', 'text', (c) => c.references('api_tokens.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('export_files_sha256').on('export_files').columns(['file_sha256']).execute();
  await db.schema.createIndex('export_files_area').on('export_files').columns(['area_id', 'document_id']).execute();
  await db.schema.alterTable('approval_requests').addColumn('background', 'text', (c) => c.notNull().defaultTo('')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('approval_requests').dropColumn('background').execute();
  await db.schema.dropTable('export_files').execute();
}
