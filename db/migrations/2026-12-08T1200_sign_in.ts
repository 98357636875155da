import { type Kysely } from 'kysely';

// Frozen in time: this file never imports application code and is never edited once landed.
// Sign-in through a municipality's identity provider (OpenID Connect) and a second factor (TOTP) for passwords
// (docs/decisions/024). Secrets (client secrets, refresh tokens, TOTP keys) are stored encrypted: `*_enc` columns.
export async function up(db: Kysely<any>): Promise<void> {
  // One identity provider per municipality, configured by the operator. area_id is the municipality's area: the
  // area's export carries its providers (without the client secret).
  await db.schema
    .createTable('identity_providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('municipality_id', 'text', (c) => c.notNull().unique().references('municipalities.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
  // The e-mail domains whose people sign in through a provider: each domain belongs to one provider.
  await db.schema
    .createTable('identity_provider_domains')
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('area_id', 'text', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('identity_providers.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('identity_provider_domains_provider').on('identity_provider_domains').column('provider_id').execute();

  // A sign-in on its way to a provider and back: the sha256 of its state, the browser it is bound to (the sha256 of
  // a cookie), the PKCE verifier and the nonce. Used once; kept until it expires so that a replay says "used".
  await db.schema
    .createTable('oidc_login_states')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider_id', 'text', (c) => c.notNull().references('identity_providers.id').onDelete('cascade'))
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('invitation_id', 'text', (c) => c.references('invitations.id').onDelete('cascade'))
    .addColumn('redirect_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('used_at', 'integer')
    .execute();
  await db.schema.createIndex('oidc_login_states_expiry').on('oidc_login_states').column('expires_at').execute();

  // Who a person is at a provider: its subject, linked to a Sopu account by verified e-mail at the first sign-in.
  await db.schema
    .createTable('user_identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('identity_providers.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('last_login_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('user_identities_subject', ['provider_id', 'subject'])
    .execute();
  await db.schema.createIndex('user_identities_user').on('user_identities').column('user_id').execute();

  // Sessions that came from a provider: re-checked with the refresh token until the provider refuses.
  await db.schema
    .createTable('idp_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('identity_providers.id').onDelete('cascade'))
    .addColumn('refresh_token_enc', 'text')
    .addColumn('checked_at', 'integer', (c) => c.notNull())
    .addColumn('check_due_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('idp_sessions_due').on('idp_sessions').column('check_due_at').execute();

  // A person's TOTP key (RFC 6238), encrypted; confirmed_at is null while it is being set up. last_used_step: the
  // time step of the last code accepted, so that no code is accepted twice.
  await db.schema
    .createTable('totp_credentials')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('confirmed_at', 'integer')
    .addColumn('last_used_step', 'integer')
    .execute();
  // Single-use recovery codes, stored as sha256.
  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('used_at', 'integer')
    .execute();
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').column('user_id').execute();

  // A log-in between the password and the second factor (or its set-up): the sha256 of a cookie's token.
  await db.schema
    .createTable('login_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('redirect_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_challenges_user').on('login_challenges').column('user_id').execute();

  // Accounts that never get a second factor (the demo accounts, whose password is published for local use).
  await db.schema.alterTable('users').addColumn('password_only', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // An area may require a second factor of every member who signs in with a password (host admins always need one).
  await db.schema.alterTable('areas').addColumn('require_second_factor', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['login_challenges', 'recovery_codes', 'totp_credentials', 'idp_sessions', 'user_identities', 'oidc_login_states', 'identity_provider_domains', 'identity_providers']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('areas').dropColumn('require_second_factor').execute();
  await db.schema.alterTable('users').dropColumn('password_only').execute();
}
