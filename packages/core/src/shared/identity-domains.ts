import type { Database, Db, Transaction } from '@sopu/db';
import { normaliseEmail } from './validation.ts';

/**
 * The e-mail domains whose people sign in through their municipality's identity provider (docs/decisions/024): the
 * operator lists them with each provider (`npm run sopu -- idp add … --domains`). An address of such a domain has no
 * password in Sopu: the log-in sends it to the provider, and an invitation to it is accepted there. Read by the log-in
 * (session), invitations (members) and the sign-in itself (identity), so it lives below them all.
 */
export async function identityProviderOfEmail(db: Db | Transaction<Database>, email: string): Promise<string | null> {
  const domain = normaliseEmail(email).split('@')[1];
  if (!domain) return null;
  const row = await db.selectFrom('identity_provider_domains').select('provider_id').where('domain', '=', domain).executeTakeFirst();
  return row?.provider_id ?? null;
}

/** The refusal of a password for such an address (a log-in, or an invitation accepted with a new password). */
export const USE_IDENTITY_PROVIDER = 'use_identity_provider';
