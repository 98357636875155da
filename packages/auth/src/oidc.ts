import { CodeChallengeMethod, generateCodeVerifier, generateState, OAuth2Client, OAuth2RequestError, type OAuth2Tokens } from 'arctic';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';

/**
 * OpenID Connect sign-in against a municipality's identity provider (docs/decisions/024): the authorization code
 * flow with PKCE (S256) through arctic's generic OAuth2Client, the provider's endpoints from its discovery document,
 * and the ID token verified with jose against the provider's JWKS: signature, issuer, audience (and azp), expiry,
 * issued-at within a skew, and the nonce this sign-in sent.
 */

export const OIDC_SCOPES = ['openid', 'email', 'profile', 'offline_access'];
/** How far the provider's clock may be from ours. */
export const OIDC_CLOCK_SKEW_SECONDS = 60;
/** An ID token older than this (by its iat) is not accepted: it was minted for this sign-in a moment ago. */
export const OIDC_MAX_TOKEN_AGE_SECONDS = 10 * 60;

/** Why a sign-in through a provider was refused; each has its own page. */
export const OIDC_REFUSALS = ['unknown_issuer', 'foreign_audience', 'expired', 'nonce_mismatch', 'bad_signature', 'code_refused', 'provider_unreachable', 'provider_error', 'email_unverified'] as const;
export type OidcRefusal = (typeof OIDC_REFUSALS)[number];

export class OidcError extends Error {
  override readonly name = 'OidcError';
  constructor(
    readonly reason: OidcRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** Works across module copies (Remix's server bundle and the Node process may each load this package), as isDomainError. */
export function isOidcError(error: unknown): error is OidcError {
  return error instanceof Error && error.name === 'OidcError' && (OIDC_REFUSALS as readonly string[]).includes((error as OidcError).reason);
}

export interface OidcClientConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface Discovery {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  userinfoEndpoint: string | null;
}

export interface IdentityClaims {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export interface SignInTokens {
  claims: IdentityClaims;
  refreshToken: string | null;
}

/** http is allowed only on this machine (a provider started for tests or the local demo); elsewhere https. */
export function isAcceptableIssuerUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) return false;
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
}

export interface OidcOptions {
  /** The clock ID tokens are checked against (tests inject theirs). */
  now: () => number;
  /** Discovery documents and key sets are kept this long. */
  cacheMs?: number;
}

export function createOidc(options: OidcOptions) {
  const cacheMs = options.cacheMs ?? 10 * 60_000;
  const discoveries = new Map<string, { at: number; discovery: Discovery }>();
  const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  /** The provider's discovery document; its issuer must be exactly the configured one (OIDC Discovery 4.3). */
  async function discover(issuer: string): Promise<Discovery> {
    const cached = discoveries.get(issuer);
    if (cached && Date.now() - cached.at < cacheMs) return cached.discovery;
    let document: Record<string, unknown>;
    try {
      const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = (await response.json()) as Record<string, unknown>;
    } catch (error) {
      throw new OidcError('provider_unreachable', `the provider's discovery document could not be read: ${(error as Error).message}`);
    }
    if (document.issuer !== issuer) throw new OidcError('unknown_issuer', `the discovery document names another issuer (${String(document.issuer)})`);
    const endpoint = (key: string, required: boolean): string | null => {
      const value = document[key];
      if (typeof value === 'string' && isAcceptableIssuerUrl(value)) return value;
      if (required) throw new OidcError('provider_error', `the discovery document has no usable ${key}`);
      return null;
    };
    const discovery: Discovery = {
      issuer,
      authorizationEndpoint: endpoint('authorization_endpoint', true)!,
      tokenEndpoint: endpoint('token_endpoint', true)!,
      jwksUri: endpoint('jwks_uri', true)!,
      userinfoEndpoint: endpoint('userinfo_endpoint', false),
    };
    discoveries.set(issuer, { at: Date.now(), discovery });
    return discovery;
  }

  function keySet(jwksUri: string) {
    let set = keySets.get(jwksUri);
    if (!set) {
      set = createRemoteJWKSet(new URL(jwksUri), { cacheMaxAge: cacheMs });
      keySets.set(jwksUri, set);
    }
    return set;
  }

  const client = (config: OidcClientConfig) => new OAuth2Client(config.clientId, config.clientSecret, config.redirectUri);

  /** A new sign-in's secrets and the URL to send the browser to. */
  async function begin(config: OidcClientConfig, loginHint: string | null): Promise<{ url: string; state: string; codeVerifier: string; nonce: string }> {
    const discovery = await discover(config.issuer);
    const state = generateState();
    const codeVerifier = generateCodeVerifier();
    const nonce = generateState();
    const url = client(config).createAuthorizationURLWithPKCE(discovery.authorizationEndpoint, state, CodeChallengeMethod.S256, codeVerifier, OIDC_SCOPES);
    url.searchParams.set('nonce', nonce);
    // No prompt=consent: Entra ID would show its consent page at every sign-in (and refuse people in tenants where
    // only administrators consent). offline_access asks for a refresh token; a provider that gives none without
    // prompt=consent gets a session of bounded lifetime instead (docs/decisions/024).
    if (loginHint) url.searchParams.set('login_hint', loginHint);
    return { url: url.toString(), state, codeVerifier, nonce };
  }

  /** Verifies an ID token for this client and sign-in; returns its claims. */
  async function verifyIdToken(config: OidcClientConfig, discovery: Discovery, idToken: string, nonce: string | null): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, keySet(discovery.jwksUri), {
        issuer: config.issuer,
        audience: config.clientId,
        clockTolerance: OIDC_CLOCK_SKEW_SECONDS,
        maxTokenAge: OIDC_MAX_TOKEN_AGE_SECONDS,
        currentDate: new Date(options.now()),
        requiredClaims: ['sub', 'iat', 'exp'],
      }));
    } catch (error) {
      throw refusalOf(error);
    }
    // With several audiences the token must have been issued to us (OIDC Core 3.1.3.7, points 4 and 5).
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== config.clientId) throw new OidcError('foreign_audience', 'the ID token was issued to another client (azp)');
    if (payload.azp !== undefined && payload.azp !== config.clientId) throw new OidcError('foreign_audience', 'the ID token was issued to another client (azp)');
    if (nonce !== null && payload.nonce !== nonce) throw new OidcError('nonce_mismatch', 'the ID token does not carry this sign-in\'s nonce');
    return payload;
  }

  async function claimsOf(discovery: Discovery, payload: JWTPayload, tokens: OAuth2Tokens): Promise<IdentityClaims> {
    let source: Record<string, unknown> = payload;
    // Some providers put the e-mail only in the userinfo answer; its subject must be the ID token's.
    if (typeof payload.email !== 'string' && discovery.userinfoEndpoint) {
      try {
        const response = await fetch(discovery.userinfoEndpoint, { headers: { authorization: `Bearer ${tokens.accessToken()}`, accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
        const info = (await response.json()) as Record<string, unknown>;
        if (response.ok && info.sub === payload.sub) source = { ...info, ...payload, email: info.email, email_verified: info.email_verified };
      } catch {
        // Without userinfo the sign-in goes on without an e-mail, and is refused for that with its own page.
      }
    }
    return {
      subject: String(payload.sub),
      email: typeof source.email === 'string' ? source.email.trim().toLowerCase() : null,
      // Entra ID says it with its optional claim xms_edov (the domain owner verified the address).
      emailVerified: source.email_verified === true || source.email_verified === 'true' || source.xms_edov === true,
      name: typeof source.name === 'string' ? source.name : null,
    };
  }

  /** Exchanges the code (with this sign-in's PKCE verifier) and verifies the ID token it brings. */
  async function complete(config: OidcClientConfig, code: string, codeVerifier: string, nonce: string): Promise<SignInTokens> {
    const discovery = await discover(config.issuer);
    let tokens: OAuth2Tokens;
    try {
      tokens = await client(config).validateAuthorizationCode(discovery.tokenEndpoint, code, codeVerifier);
    } catch (error) {
      if (error instanceof OAuth2RequestError) throw new OidcError('code_refused', `the provider refused the code: ${error.code}`);
      throw new OidcError('provider_unreachable', `the provider's token endpoint did not answer: ${(error as Error).message}`);
    }
    let idToken: string;
    try {
      idToken = tokens.idToken();
    } catch {
      throw new OidcError('provider_error', 'the provider sent no ID token');
    }
    const payload = await verifyIdToken(config, discovery, idToken, nonce);
    return { claims: await claimsOf(discovery, payload, tokens), refreshToken: tokens.hasRefreshToken() ? tokens.refreshToken() : null };
  }

  /**
   * Asks the provider whether the person still may sign in: a refresh-token grant. `refused` when the provider says
   * no (the account disabled or removed, the grant revoked); `unreachable` when it cannot be asked now.
   */
  async function recheck(config: OidcClientConfig, refreshToken: string, subject: string): Promise<{ ok: true; refreshToken: string } | { ok: false; refused: boolean; reason: string }> {
    let discovery: Discovery;
    try {
      discovery = await discover(config.issuer);
    } catch (error) {
      return { ok: false, refused: false, reason: (error as Error).message };
    }
    let tokens: OAuth2Tokens;
    try {
      tokens = await client(config).refreshAccessToken(discovery.tokenEndpoint, refreshToken, []);
    } catch (error) {
      if (error instanceof OAuth2RequestError) return { ok: false, refused: true, reason: error.code };
      return { ok: false, refused: false, reason: (error as Error).message };
    }
    // A refreshed ID token, when one comes, must still be this person's (OIDC Core 12.2).
    const idToken = typeof (tokens.data as { id_token?: unknown }).id_token === 'string' ? tokens.idToken() : null;
    if (idToken) {
      try {
        const payload = await verifyIdToken(config, discovery, idToken, null);
        if (payload.sub !== subject) return { ok: false, refused: true, reason: 'the refreshed ID token names another subject' };
      } catch (error) {
        if (isOidcError(error) && error.reason === 'provider_unreachable') return { ok: false, refused: false, reason: error.message };
        return { ok: false, refused: true, reason: (error as Error).message };
      }
    }
    return { ok: true, refreshToken: tokens.hasRefreshToken() ? tokens.refreshToken() : refreshToken };
  }

  return { discover, begin, complete, recheck };
}

export type Oidc = ReturnType<typeof createOidc>;

function refusalOf(error: unknown): OidcError {
  if (error instanceof joseErrors.JWTExpired) return new OidcError('expired', 'the ID token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new OidcError('unknown_issuer', 'the ID token comes from another issuer');
    if (error.claim === 'aud') return new OidcError('foreign_audience', 'the ID token was issued to another client');
    if (error.claim === 'iat' || error.claim === 'nbf') return new OidcError('expired', `the ID token is not current (${error.claim})`);
    return new OidcError('provider_error', `the ID token's ${error.claim} claim is not acceptable`);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) return new OidcError('bad_signature', 'the ID token is not signed by the provider');
  if (error instanceof joseErrors.JOSEError) return new OidcError('bad_signature', `the ID token could not be verified: ${error.code}`);
  return new OidcError('provider_unreachable', `the provider's keys could not be read: ${(error as Error).message}`);
}
