import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
export async function up(db: Kysely<any>): Promise<void> {
  // An area is active or suspended by the operator; a suspended area is closed to its members (docs/decisions/019).
  await db.schema.alterTable('areas').addColumn('status', 'text', (c) => c.notNull().defaultTo('active')).execute();
  await db.schema.alterTable('areas').addColumn('status_changed_at', 'integer').execute();
  // The municipality whose member chairs the joint body now: with exactly half of the votes, its chair's casting vote
  // would decide alone.
  await db.schema.alterTable('areas').addColumn('chair_municipality_id', 'text', (c) => c.references('municipalities.id')).execute();
  // The Government's exception permit (implementing act 4 §) as recorded by the host admin; the grounds are in
  // exception_grounds already.
  await db.schema.alterTable('areas').addColumn('exception_permit_reference', 'text').execute();
  await db.schema.alterTable('areas').addColumn('exception_permit_date', 'text').execute();
  // JSON array of {fi, sv, en}: the area's key facts, shown on the dashboard in the reader's language.
  await db.schema.alterTable('areas').addColumn('key_facts', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  // Where each labour-force figure comes from ("Tilastokeskus, työssäkäyntitilasto") and its statistical year.
  await db.schema.alterTable('municipalities').addColumn('labour_force_source', 'text').execute();
  await db.schema.alterTable('municipalities').addColumn('labour_force_year', 'integer').execute();

  // Dates the area works towards: council meetings, the joint body's meetings, when the agreement should be in force.
  await db.schema
    .createTable('milestones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label_fi', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('label_sv', 'text', (c) => c.notNull().defaultTo(''))
    // YYYY-MM-DD, a Finnish calendar day.
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('municipality_id', 'text', (c) => c.references('municipalities.id'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('milestones_area_date').on('milestones').columns(['area_id', 'date']).execute();

  // The host admin's cost-share calculation of a year: what was entered, so that the page and the table can be redone.
  await db.schema
    .createTable('cost_share_calculations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('net_costs_cents', 'integer', (c) => c.notNull())
    // labour_force | job_seekers | custom
    .addColumn('key', 'text', (c) => c.notNull())
    // JSON array of {code, value}: the figure of each municipality the shares were computed from.
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('cost_share_calculations_area_year', ['area_id', 'year'])
    .execute();

  // An area's first host admin is invited by the operator's command, not by a user: invited_by becomes optional.
  // SQLite cannot drop NOT NULL from a column, so the table is rebuilt (nothing references invitations).
  await sql`CREATE TABLE invitations_new (
    id text PRIMARY KEY,
    area_id text NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    municipality_id text NOT NULL REFERENCES municipalities(id),
    email text NOT NULL,
    display_name text NOT NULL,
    role text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    invited_by text REFERENCES users(id),
    created_at integer NOT NULL,
    expires_at integer NOT NULL,
    accepted_at integer,
    accepted_by text,
    revoked_at integer
  )`.execute(db);
  await sql`INSERT INTO invitations_new (id, area_id, municipality_id, email, display_name, role, token_hash, invited_by, created_at, expires_at, accepted_at, accepted_by, revoked_at)
    SELECT id, area_id, municipality_id, email, display_name, role, token_hash, invited_by, created_at, expires_at, accepted_at, accepted_by, revoked_at FROM invitations`.execute(db);
  await sql`DROP TABLE invitations`.execute(db);
  await sql`ALTER TABLE invitations_new RENAME TO invitations`.execute(db);
  await db.schema.createIndex('invitations_area').on('invitations').columns(['area_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cost_share_calculations').execute();
  await db.schema.dropTable('milestones').execute();
  await db.schema.alterTable('municipalities').dropColumn('labour_force_year').execute();
  await db.schema.alterTable('municipalities').dropColumn('labour_force_source').execute();
  for (const column of ['key_facts', 'exception_permit_date', 'exception_permit_reference', 'chair_municipality_id', 'status_changed_at', 'status']) {
    await db.schema.alterTable('areas').dropColumn(column).execute();
  }
  // invited_by stays optional: rows without an inviter could not go back.
}
