import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
// The plan a municipality makes under the act is "suunnitelma työvoimapalvelujen järjestämiseksi" (a
// "palvelusuunnitelma" is a client's plan); documents still under the old default title get the right one.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update documents set title = 'Suunnitelma työvoimapalvelujen järjestämiseksi' where kind = 'service_plan' and title in ('Palvelujen järjestämissuunnitelma', 'Palvelusuunnitelma')`.execute(db);
}

export async function down(): Promise<void> {}
