import type { Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
// A municipality's position may name the language column it concerns in a bilingual document (issue 20,
// docs/decisions/026-bilingual-documents.md): 'fi' or 'sv' binds it to that column's text alone; null concerns the
// section in every language (and every position given before this, and every position on a document in one language).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('section_positions').addColumn('language', 'text').execute();
}
