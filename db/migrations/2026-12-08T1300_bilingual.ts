import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
// Two languages (docs/decisions/026): a document's language, and which language column a comment thread is on.
export async function up(db: Kysely<any>): Promise<void> {
  // 'fi' | 'sv': the language of the document's text (of its main text once it is bilingual). Documents so far were
  // written in their host municipality's first language (a Swedish-majority host's in Swedish).
  await db.schema.alterTable('documents').addColumn('language', 'text', (c) => c.notNull().defaultTo('fi')).execute();
  await sql`UPDATE documents SET language = 'sv' WHERE area_id IN (
    SELECT areas.id FROM areas JOIN municipalities ON municipalities.id = areas.host_municipality_id WHERE municipalities.language LIKE 'sv%'
  )`.execute(db);
  // 'fi' | 'sv' for a thread on one column of a bilingual document; null on a document in one language.
  await db.schema.alterTable('comment_threads').addColumn('language', 'text').execute();
  // The demo area's Swedish name in Swedish word order (issue 20), where it was loaded with the old one.
  await sql`UPDATE areas SET name_sv = 'Sysselsättningsområdet Kajanaland-Koillismaa'
    WHERE slug = 'kainuu-koillismaa' AND name_sv = 'Kajanaland-Koillismaa sysselsättningsområde'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('comment_threads').dropColumn('language').execute();
  await db.schema.alterTable('documents').dropColumn('language').execute();
}
