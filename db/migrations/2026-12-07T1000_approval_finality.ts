import type { Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
// Approved is not in force (docs/decisions/017): a council's approval becomes final (lainvoimainen) on a date, the
// agreement may be signed, and it enters into force on the date it states once every decision is final.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['council_decisions', 'council_decision_events']) {
    // YYYY-MM-DD: the day the council's decision became final (no appeal, or the appeal decided).
    await db.schema.alterTable(table).addColumn('final_date', 'text').execute();
    // YYYY-MM-DD and who signed the agreement for the municipality (optional).
    await db.schema.alterTable(table).addColumn('signed_date', 'text').execute();
    await db.schema.alterTable(table).addColumn('signatory', 'text').execute();
  }
  // A request is closed when every party council has decided (approved or rejected); status text gains 'closed'.
  await db.schema.alterTable('approval_requests').addColumn('closed_at', 'integer').execute();
  // YYYY-MM-DD: the date the agreement says it enters into force (given that the decisions are final by then).
  await db.schema.alterTable('documents').addColumn('entry_into_force_date', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('documents').dropColumn('entry_into_force_date').execute();
  await db.schema.alterTable('approval_requests').dropColumn('closed_at').execute();
  for (const table of ['council_decision_events', 'council_decisions']) {
    for (const column of ['signatory', 'signed_date', 'final_date']) await db.schema.alterTable(table).dropColumn(column).execute();
  }
}
