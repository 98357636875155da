import type { Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
export async function up(db: Kysely<any>): Promise<void> {
  // A hearing of the member municipalities on one frozen version of the host's administrative rules.
  await db.schema
    .createTable('consultation_rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('versions.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    // JSON array of the questions put to the members.
    .addColumn('questions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('cover_letter', 'text', (c) => c.notNull().defaultTo(''))
    // The deadline as an instant (milliseconds, UTC); entered and shown in Europe/Helsinki.
    .addColumn('deadline', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.references('users.id'))
    .addColumn('opened_at', 'integer', (c) => c.notNull())
    .addColumn('closed_by', 'text', (c) => c.references('users.id'))
    .addColumn('closed_at', 'integer')
    .addColumn('published_by', 'text', (c) => c.references('users.id'))
    .addColumn('published_at', 'integer')
    .execute();
  await db.schema.createIndex('consultation_rounds_document').on('consultation_rounds').columns(['document_id', 'opened_at']).execute();

  // One row per invited municipality: its place in the round (invited, answered, or no_answer once closed).
  await db.schema
    .createTable('consultation_invitees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('consultation_round_id', 'text', (c) => c.notNull().references('consultation_rounds.id').onDelete('cascade'))
    .addColumn('municipality_id', 'text', (c) => c.notNull().references('municipalities.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'integer')
    .addUniqueConstraint('consultation_invitees_round_municipality', ['consultation_round_id', 'municipality_id'])
    .execute();

  // Every submission of a municipality's statement; the highest number is the statement, the rest its history.
  await db.schema
    .createTable('consultation_statement_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('consultation_invitee_id', 'text', (c) => c.notNull().references('consultation_invitees.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('general', 'text', (c) => c.notNull().defaultTo(''))
    // JSON array of {key, text}: comments on sections of the consulted version.
    .addColumn('section_comments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('no_comments', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('submitted_by', 'text', (c) => c.references('users.id'))
    // 1 when the host admin submitted it on the municipality's behalf.
    .addColumn('on_behalf', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('consultation_statement_revisions_invitee_number', ['consultation_invitee_id', 'number'])
    .execute();

  // The host's answer to a statement ('' section: the general statement) or to one of its section comments.
  await db.schema
    .createTable('consultation_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('consultation_round_id', 'text', (c) => c.notNull().references('consultation_rounds.id').onDelete('cascade'))
    .addColumn('consultation_invitee_id', 'text', (c) => c.notNull().references('consultation_invitees.id').onDelete('cascade'))
    .addColumn('section_key', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('responded_by', 'text', (c) => c.references('users.id'))
    .addColumn('responded_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('consultation_responses_invitee_section', ['consultation_invitee_id', 'section_key'])
    .execute();

  // Reminders the host sent: to which municipalities, and how many people received one.
  await db.schema
    .createTable('consultation_reminders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('consultation_round_id', 'text', (c) => c.notNull().references('consultation_rounds.id').onDelete('cascade'))
    // JSON array of municipality codes.
    .addColumn('municipalities', 'text', (c) => c.notNull())
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .addColumn('sent_by', 'text', (c) => c.references('users.id'))
    .addColumn('sent_at', 'integer', (c) => c.notNull())
    .execute();

  // The host's adoption of a consulted version of its rules: which body, when, which § of the minutes.
  await db.schema
    .createTable('rule_adoptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('version_id', 'text', (c) => c.notNull().unique().references('versions.id'))
    .addColumn('consultation_round_id', 'text', (c) => c.notNull().references('consultation_rounds.id'))
    .addColumn('decision_body', 'text', (c) => c.notNull())
    // A calendar date, YYYY-MM-DD.
    .addColumn('decision_date', 'text', (c) => c.notNull())
    .addColumn('minutes_section', 'text', (c) => c.notNull())
    // Whether the rules' text had changed since the consulted version when the adoption was recorded, and where.
    .addColumn('changed_since_consultation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_sections', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('current_hash', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'integer', (c) => c.notNull())
    .execute();

  // A reminder to answer a round is a notification of its own kind, pointing at the round.
  await db.schema.alterTable('notifications').addColumn('consultation_round_id', 'text', (c) => c.references('consultation_rounds.id').onDelete('cascade')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').dropColumn('consultation_round_id').execute();
  for (const table of ['rule_adoptions', 'consultation_reminders', 'consultation_responses', 'consultation_statement_revisions', 'consultation_invitees', 'consultation_rounds']) {
    await db.schema.dropTable(table).execute();
  }
}
