import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
// Mail notifications (docs/decisions/023-mail-notifications.md): events recorded by use cases, per-recipient jobs
// planned from them once (a unique key), gathered into outbox mail; preferences, unsubscribe links, calendar feeds.
export async function up(db: Kysely<any>): Promise<void> {
  // What happened that someone may need to hear of, written in the use case's own transaction; the planner turns
  // each into jobs once (planned_at).
  await db.schema
    .createTable('notification_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('planned_at', 'integer')
    .execute();
  await db.schema.createIndex('notification_events_unplanned').on('notification_events').columns(['planned_at', 'id']).execute();

  // One notification for one person: planned once (dedupe_key is unique), then mailed (outbox_id) or skipped.
  await db.schema
    .createTable('notification_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('delivery', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('skip_reason', 'text')
    .addColumn('outbox_id', 'text')
    .addColumn('finished_at', 'integer')
    .execute();
  await db.schema.createIndex('notification_jobs_due').on('notification_jobs').columns(['state', 'due_at']).execute();
  await db.schema.createIndex('notification_jobs_recipient').on('notification_jobs').columns(['user_id', 'area_id', 'state']).execute();

  // A person's choice per kind: immediate (the default, no row), daily digest, or off.
  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'kind'])
    .execute();

  // One-click unsubscribe links (RFC 8058): a random token per mail, stored hashed, naming the kinds it switches off.
  await db.schema
    .createTable('unsubscribe_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('used_at', 'integer')
    .execute();
  await db.schema.createIndex('unsubscribe_tokens_created').on('unsubscribe_tokens').column('created_at').execute();

  // A person's calendar feed: a secret URL, stored hashed, revocable.
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .addColumn('last_used_at', 'integer')
    .execute();
  await db.schema.createIndex('calendar_feeds_user').on('calendar_feeds').columns(['user_id', 'created_at']).execute();

  // Whether the text a request's approvals cover is still the document's text: what the stale-approval check saw.
  await db.schema
    .createTable('approval_watch')
    .addColumn('approval_request_id', 'text', (c) => c.primaryKey().references('approval_requests.id').onDelete('cascade'))
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('checked_seq', 'integer', (c) => c.notNull())
    .addColumn('stale_since', 'integer')
    .addColumn('checked_at', 'integer', (c) => c.notNull())
    .execute();

  // The outbox carries what a notification mail has besides its text (an HTML part, the unsubscribe headers, an
  // .ics attachment), whom and what kind it is for, and the lease of the process handing it to the mail server.
  await sql`ALTER TABLE outbox ADD COLUMN body_html text`.execute(db);
  await sql`ALTER TABLE outbox ADD COLUMN headers text`.execute(db);
  await sql`ALTER TABLE outbox ADD COLUMN attachments text`.execute(db);
  await sql`ALTER TABLE outbox ADD COLUMN user_id text`.execute(db);
  await sql`ALTER TABLE outbox ADD COLUMN kind text`.execute(db);
  await sql`ALTER TABLE outbox ADD COLUMN sending_at integer`.execute(db);
  await sql`ALTER TABLE outbox ADD COLUMN sender text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['sender', 'sending_at', 'kind', 'user_id', 'attachments', 'headers', 'body_html']) {
    await sql`ALTER TABLE outbox DROP COLUMN ${sql.ref(column)}`.execute(db);
  }
  for (const table of ['approval_watch', 'calendar_feeds', 'unsubscribe_tokens', 'notification_preferences', 'notification_jobs', 'notification_events']) {
    await db.schema.dropTable(table).execute();
  }
}
