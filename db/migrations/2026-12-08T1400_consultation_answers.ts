import type { Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
// Consultation as municipalities answer it (docs/decisions/027-consultation.md): answers per question and the
// deciding body of a statement, attachments on rounds and statements (stored here, exported with the area), the
// agreement's minimum consultation period and the reason a host gave for opening a shorter round.
export async function up(db: Kysely<any>): Promise<void> {
  // JSON array of {question, text}: the answer to each of the round's questions (1-based question numbers).
  await db.schema.alterTable('consultation_statement_revisions').addColumn('answers', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  // Who decided the statement: the executive board or an official with delegated power, when, under which minute
  // section (§), and a link to the minutes. All null on statements given before this was asked.
  await db.schema.alterTable('consultation_statement_revisions').addColumn('decision_body', 'text').execute();
  await db.schema.alterTable('consultation_statement_revisions').addColumn('decision_date', 'text').execute();
  await db.schema.alterTable('consultation_statement_revisions').addColumn('decision_section', 'text').execute();
  await db.schema.alterTable('consultation_statement_revisions').addColumn('decision_url', 'text').execute();

  // The agreement's minimum consultation period, in days (null: none stated), and whether July is not counted.
  await db.schema.alterTable('areas').addColumn('min_consultation_days', 'integer').execute();
  await db.schema.alterTable('areas').addColumn('min_consultation_excludes_july', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Why a round was opened with a shorter period than the agreement's minimum (the host confirmed it), or null.
  await db.schema.alterTable('consultation_rounds').addColumn('short_period_reason', 'text').execute();

  // A file attached to a round (consultation_invitee_id null: the host's material) or to a municipality's statement.
  await db.schema
    .createTable('consultation_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('consultation_round_id', 'text', (c) => c.notNull().references('consultation_rounds.id').onDelete('cascade'))
    .addColumn('consultation_invitee_id', 'text', (c) => c.references('consultation_invitees.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'blob', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consultation_attachments_round').on('consultation_attachments').columns(['area_id', 'consultation_round_id']).execute();
}
