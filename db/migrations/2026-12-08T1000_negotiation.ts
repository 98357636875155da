import type { Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
// The negotiation (docs/decisions/025): suggested changes live in the Yjs text as marks; what the host decided on
// each is kept here, and each municipality's position on each section, bound to the text it was given on.
export async function up(db: Kysely<any>): Promise<void> {
  // Who may change the text directly: 'host' (the host municipality's drafters and admin; the others suggest) or
  // 'everyone' (every drafter edits directly, as before).
  await db.schema.alterTable('areas').addColumn('direct_editing', 'text', (c) => c.notNull().defaultTo('host')).execute();
  // JSON array of the suggestions pending when the version was saved: [{id, section, kind, text, author, municipalityCode, createdAt}].
  await db.schema.alterTable('versions').addColumn('pending_suggestions', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  // One row per suggestion the host accepted or rejected: what it was, who decided, why.
  await db.schema
    .createTable('suggestion_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('suggestion_id', 'text', (c) => c.notNull())
    .addColumn('section_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    .addColumn('municipality_code', 'text', (c) => c.notNull())
    .addColumn('suggested_at', 'integer', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('suggestion_decisions_document').on('suggestion_decisions').columns(['document_id', 'decided_at']).execute();

  // A municipality's position on a section: agree, agree with reservations, or object; bound to the section's hash.
  await db.schema
    .createTable('section_positions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('section_key', 'text', (c) => c.notNull())
    .addColumn('municipality_id', 'text', (c) => c.notNull().references('municipalities.id'))
    .addColumn('stance', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('section_hash', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.references('users.id'))
    .addColumn('set_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('section_positions_one_per_municipality', ['document_id', 'section_key', 'municipality_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('section_positions').execute();
  await db.schema.dropTable('suggestion_decisions').execute();
  await db.schema.alterTable('versions').dropColumn('pending_suggestions').execute();
  await db.schema.alterTable('areas').dropColumn('direct_editing').execute();
}
