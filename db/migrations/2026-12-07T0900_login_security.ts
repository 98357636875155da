import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
export async function up(db: Kysely<any>): Promise<void> {
  // The security log: log-ins, failed log-ins, lock-outs, unlocks and log-outs. They belong to a person (or to no
  // known account), not to an area, so they are not in the areas' audit chains. user_id is kept without a foreign
  // key: the log outlives what it tells about.
  await db.schema
    .createTable('security_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('security_events_user').on('security_events').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('security_events_time').on('security_events').column('created_at').execute();

  // Browsers that logged in to an account before (or opened its unlock link): the sha256 of their cookie's token.
  await db.schema
    .createTable('known_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('known_devices_user').on('known_devices').columns(['user_id', 'created_at']).execute();

  // Single-use links that lift an account's login lock, mailed to the account's owner; the token is stored hashed.
  await db.schema
    .createTable('login_unlocks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('used_at', 'integer')
    .execute();
  await db.schema.createIndex('login_unlocks_user').on('login_unlocks').columns(['user_id', 'created_at']).execute();

  // Mail that belongs to no area (the unlock link) goes through the same outbox: area_id becomes optional. SQLite
  // cannot drop NOT NULL from a column, so the table is rebuilt (nothing references outbox).
  await sql`CREATE TABLE outbox_new (
    id text PRIMARY KEY,
    area_id text REFERENCES areas(id) ON DELETE CASCADE,
    to_email text NOT NULL,
    subject text NOT NULL,
    body_text text NOT NULL,
    created_at integer NOT NULL,
    sent_at integer,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at integer,
    last_error text
  )`.execute(db);
  await sql`INSERT INTO outbox_new (id, area_id, to_email, subject, body_text, created_at, sent_at, attempts, next_attempt_at, last_error)
    SELECT id, area_id, to_email, subject, body_text, created_at, sent_at, attempts, next_attempt_at, last_error FROM outbox`.execute(db);
  await sql`DROP TABLE outbox`.execute(db);
  await sql`ALTER TABLE outbox_new RENAME TO outbox`.execute(db);
  await db.schema.createIndex('outbox_area').on('outbox').columns(['area_id', 'created_at']).execute();
  await db.schema.createIndex('outbox_unsent').on('outbox').columns(['sent_at', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_unlocks').execute();
  await db.schema.dropTable('known_devices').execute();
  await db.schema.dropTable('security_events').execute();
  // outbox.area_id stays optional: mail without an area could not go back.
}
