import type { Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
export async function up(db: Kysely<any>): Promise<void> {
  // A named, frozen version: the canonical content, its hash, each section's hash, and the Yjs state it came from.
  await db.schema
    .createTable('versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('section_hashes', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'blob', (c) => c.notNull())
    .addColumn('restored_from', 'integer')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('versions_document_number', ['document_id', 'number'])
    .execute();

  // A version sent to the parties' councils; a newer one supersedes the open request.
  await db.schema
    .createTable('approval_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('versions.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sent_by', 'text', (c) => c.references('users.id'))
    .addColumn('sent_at', 'integer', (c) => c.notNull())
    .addColumn('superseded_at', 'integer')
    .execute();
  await db.schema.createIndex('approval_requests_document').on('approval_requests').columns(['document_id', 'sent_at']).execute();

  // One row per request and party municipality: where its council's handling stands now.
  await db.schema
    .createTable('council_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('approval_request_id', 'text', (c) => c.notNull().references('approval_requests.id').onDelete('cascade'))
    .addColumn('municipality_id', 'text', (c) => c.notNull().references('municipalities.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('meeting_date', 'text')
    .addColumn('decision_date', 'text')
    .addColumn('minutes_section', 'text')
    .addColumn('minutes_url', 'text')
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'integer')
    .addUniqueConstraint('council_decisions_request_municipality', ['approval_request_id', 'municipality_id'])
    .execute();

  // Every step recorded, who recorded it and how (in person, on the municipality's behalf, or by its system's token).
  await db.schema
    .createTable('council_decision_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('council_decision_id', 'text', (c) => c.notNull().references('council_decisions.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('meeting_date', 'text')
    .addColumn('decision_date', 'text')
    .addColumn('minutes_section', 'text')
    .addColumn('minutes_url', 'text')
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('api_token_id', 'text')
    .addColumn('on_behalf', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();

  // Tokens a municipality's case-management system uses to post its council's decisions (stored hashed).
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('municipality_id', 'text', (c) => c.notNull().references('municipalities.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .addColumn('last_used_at', 'integer')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['api_tokens', 'council_decision_events', 'council_decisions', 'approval_requests', 'versions']) await db.schema.dropTable(table).execute();
}
