import type { Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
export async function up(db: Kysely<any>): Promise<void> {
  // The head of each area's audit chain, signed with a key kept outside the database: deleting the newest events
  // (truncation) leaves a head that points past the end of the chain.
  await db.schema
    .createTable('audit_heads')
    .addColumn('area_id', 'text', (c) => c.primaryKey().references('areas.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('mac', 'text', (c) => c.notNull())
    .execute();

  // One writer per document: a process takes the lease before it loads the document and holds it while the room
  // is open; every append checks it.
  await db.schema
    .createTable('document_leases')
    .addColumn('document_id', 'text', (c) => c.primaryKey().references('documents.id').onDelete('cascade'))
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute();

  // Which person writes under which Yjs client id in a document: a client id belongs to the first person who wrote
  // with it, so that nobody can write in another person's name (and have that person's next edits dropped as
  // duplicates).
  await db.schema
    .createTable('doc_clients')
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('client_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('doc_clients_pk', ['document_id', 'client_id'])
    .execute();

  // Mail delivery by SMTP: retries with back-off; the body keeps its link only until the mail has gone out.
  await db.schema.alterTable('outbox').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('outbox').addColumn('next_attempt_at', 'integer').execute();
  await db.schema.alterTable('outbox').addColumn('last_error', 'text').execute();
  await db.schema.createIndex('outbox_unsent').on('outbox').columns(['sent_at', 'next_attempt_at']).execute();

  await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_expiry').execute();
  await db.schema.dropIndex('outbox_unsent').execute();
  await db.schema.alterTable('outbox').dropColumn('last_error').execute();
  await db.schema.alterTable('outbox').dropColumn('next_attempt_at').execute();
  await db.schema.alterTable('outbox').dropColumn('attempts').execute();
  await db.schema.dropTable('doc_clients').execute();
  await db.schema.dropTable('document_leases').execute();
  await db.schema.dropTable('audit_heads').execute();
}
