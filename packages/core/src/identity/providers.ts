import { isAcceptableIssuerUrl, type OidcClientConfig } from '@sopu/auth';
import { z } from 'zod';
import type { CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { identityProviderOfEmail } from '../shared/identity-domains.ts';
import { newId } from '../shared/ids.ts';
import { parseInput } from '../shared/validation.ts';
import { secretsOf } from '../session/index.ts';

/**
 * Identity providers, one per municipality, configured by the operator (`npm run sopu -- idp add|list|remove`,
 * docs/decisions/024). The client secret is stored encrypted under SECRETS_KEY and never shown again. Operator use
 * cases have no actor; each change is audited in the municipality's area with `{by: 'operator'}`.
 */

export const REDIRECT_PATH = '/auth/oidc/callback';
export const redirectUri = (deps: Pick<CoreDeps, 'publicUrl'>) => `${deps.publicUrl}${REDIRECT_PATH}`;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const addIdentityProviderInput = z.object({
  municipalityCode: z.string().trim().regex(/^\d{3}$/, 'a three-digit municipality code'),
  issuer: z
    .string()
    .trim()
    .max(500)
    // Exactly as the provider writes it in its discovery document (a trailing slash matters).
    .refine(isAcceptableIssuerUrl, 'an https URL without query or fragment (http only on localhost)'),
  clientId: z.string().trim().min(1).max(500),
  clientSecret: z.string().min(1).max(2000),
  domains: z
    .array(z.string().trim().toLowerCase().regex(DOMAIN, 'an e-mail domain such as kajaani.fi'))
    .min(1, 'at least one e-mail domain')
    .max(50)
    .refine((d) => new Set(d).size === d.length, 'each domain once'),
});
export type AddIdentityProviderInput = z.input<typeof addIdentityProviderInput>;

export interface IdentityProviderListing {
  id: string;
  areaSlug: string;
  municipalityCode: string;
  municipalityName: string;
  issuer: string;
  clientId: string;
  domains: string[];
  createdAt: number;
  identities: number;
}

const secretContext = (providerId: string) => `idp:${providerId}`;

export async function addIdentityProvider(deps: CoreDeps, raw: unknown): Promise<{ listing: IdentityProviderListing; redirectUri: string }> {
  const input = parseInput(addIdentityProviderInput, raw);
  const box = secretsOf(deps);
  const now = deps.now();
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    const municipality = await trx.selectFrom('municipalities').select(['id', 'area_id']).where('code', '=', input.municipalityCode).executeTakeFirst();
    if (!municipality) {
      throw new DomainError('invalid_input', `no municipality ${input.municipalityCode} in any area`, { issues: [{ path: ['municipalityCode'], message: `no municipality ${input.municipalityCode} in any area` }] });
    }
    if (await trx.selectFrom('identity_providers').select('id').where('municipality_id', '=', municipality.id).executeTakeFirst()) {
      throw new DomainError('invalid_input', 'this municipality has an identity provider already: remove it first', { issues: [{ path: ['municipalityCode'], message: 'this municipality has an identity provider already: remove it first' }] });
    }
    const taken = await trx.selectFrom('identity_provider_domains').select('domain').where('domain', 'in', input.domains).execute();
    if (taken.length > 0) {
      const message = `${taken.map((t) => t.domain).join(', ')} belong${taken.length === 1 ? 's' : ''} to another identity provider`;
      throw new DomainError('invalid_input', message, { issues: [{ path: ['domains'], message }] });
    }
    await trx
      .insertInto('identity_providers')
      .values({ id, area_id: municipality.area_id, municipality_id: municipality.id, issuer: input.issuer, client_id: input.clientId, client_secret_enc: box.seal(input.clientSecret, secretContext(id)), created_at: now })
      .execute();
    await trx.insertInto('identity_provider_domains').values(input.domains.map((domain) => ({ domain, area_id: municipality.area_id, provider_id: id }))).execute();
    await deps.audit.append(trx, { areaId: municipality.area_id, actorUserId: null, action: 'identity_provider.added', subjectType: 'identity_provider', subjectId: id, details: { by: 'operator', municipalityCode: input.municipalityCode, issuer: input.issuer, clientId: input.clientId, domains: input.domains } }, now);
  });
  const listing = (await listIdentityProviders(deps)).find((p) => p.id === id)!;
  return { listing, redirectUri: redirectUri(deps) };
}

export async function listIdentityProviders(deps: Pick<CoreDeps, 'db'>): Promise<IdentityProviderListing[]> {
  const rows = await deps.db
    .selectFrom('identity_providers')
    .innerJoin('municipalities', 'municipalities.id', 'identity_providers.municipality_id')
    .innerJoin('areas', 'areas.id', 'identity_providers.area_id')
    .select(['identity_providers.id', 'identity_providers.issuer', 'identity_providers.client_id', 'identity_providers.created_at', 'municipalities.code', 'municipalities.name_fi', 'areas.slug'])
    .orderBy('areas.slug')
    .orderBy('municipalities.code')
    .execute();
  const domains = await deps.db.selectFrom('identity_provider_domains').selectAll().orderBy('domain').execute();
  const identities = await deps.db.selectFrom('user_identities').select(['provider_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('provider_id').execute();
  return rows.map((r) => ({
    id: r.id,
    areaSlug: r.slug,
    municipalityCode: r.code,
    municipalityName: r.name_fi,
    issuer: r.issuer,
    clientId: r.client_id,
    domains: domains.filter((d) => d.provider_id === r.id).map((d) => d.domain),
    createdAt: r.created_at,
    identities: Number(identities.find((i) => i.provider_id === r.id)?.n ?? 0),
  }));
}

/**
 * Removes a municipality's provider: its domains sign in with passwords again (people without one get a password
 * through a new invitation), the links of accounts to it go, and the sessions that came through it end now.
 */
export async function removeIdentityProvider(deps: CoreDeps, municipalityCode: string): Promise<{ endedSessions: number }> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const provider = await trx
      .selectFrom('identity_providers')
      .innerJoin('municipalities', 'municipalities.id', 'identity_providers.municipality_id')
      .select(['identity_providers.id', 'identity_providers.area_id', 'identity_providers.issuer'])
      .where('municipalities.code', '=', municipalityCode)
      .executeTakeFirst();
    if (!provider) {
      throw new DomainError('invalid_input', `municipality ${municipalityCode} has no identity provider`, { issues: [{ path: ['municipalityCode'], message: `municipality ${municipalityCode} has no identity provider` }] });
    }
    const sessions = await trx.selectFrom('idp_sessions').select('session_id').where('provider_id', '=', provider.id).execute();
    if (sessions.length > 0) await trx.deleteFrom('sessions').where('id', 'in', sessions.map((s) => s.session_id)).execute();
    await trx.deleteFrom('identity_providers').where('id', '=', provider.id).execute();
    await deps.audit.append(trx, { areaId: provider.area_id, actorUserId: null, action: 'identity_provider.removed', subjectType: 'identity_provider', subjectId: provider.id, details: { by: 'operator', municipalityCode, issuer: provider.issuer, endedSessions: sessions.length } }, now);
    return { endedSessions: sessions.length };
  });
}

export interface ProviderConfig {
  id: string;
  domains: string[];
  client: OidcClientConfig;
}

/** A provider with its client secret opened, for a sign-in or a re-check. */
export async function providerConfig(deps: CoreDeps, providerId: string): Promise<ProviderConfig | null> {
  const row = await deps.db.selectFrom('identity_providers').selectAll().where('id', '=', providerId).executeTakeFirst();
  if (!row) return null;
  const domains = await deps.db.selectFrom('identity_provider_domains').select('domain').where('provider_id', '=', row.id).execute();
  return {
    id: row.id,
    domains: domains.map((d) => d.domain),
    client: { issuer: row.issuer, clientId: row.client_id, clientSecret: secretsOf(deps).open(row.client_secret_enc, secretContext(row.id)), redirectUri: redirectUri(deps) },
  };
}

/** The provider of an address's domain, if its municipality has one. */
export const providerForEmail = (deps: Pick<CoreDeps, 'db'>, email: string): Promise<string | null> => identityProviderOfEmail(deps.db, email);

/**
 * The origins of every provider's sign-in, for the pages whose form may send a browser there (the login page, an
 * invitation to a provider's domain): their Content-Security-Policy's form-action must allow them, or a browser without
 * JavaScript is stopped at the redirect (form-action covers the redirects of a form's submission). The issuer's origin:
 * Entra ID's and Google's authorization endpoints are on it.
 */
export async function identityProviderOrigins(deps: Pick<CoreDeps, 'db'>, options: { email?: string } = {}): Promise<string[]> {
  let query = deps.db.selectFrom('identity_providers').select('issuer');
  if (options.email !== undefined) {
    const providerId = await identityProviderOfEmail(deps.db, options.email);
    if (!providerId) return [];
    query = query.where('id', '=', providerId);
  }
  const origins = new Set<string>();
  for (const { issuer } of await query.execute()) origins.add(new URL(issuer).origin);
  return [...origins].sort();
}
