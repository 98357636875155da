import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { Account, Adapter, AdapterPayload, KoaContextWithOIDC } from 'oidc-provider';

/**
 * A real OpenID Connect provider for tests and for trying sign-in locally (docs/decisions/024): `oidc-provider`
 * (the certified Node implementation) on a port of its own, with a login page of ours, the people given to it, and
 * consent granted by itself. Nothing in the application imports this file; tests and `scripts/dev-idp.ts` do.
 *
 * For the attacker's view it can do what a broken or hostile provider (or a man in the middle of the token response)
 * would: hand out an ID token with other claims, signed with the provider's own key (another audience, an expired
 * one, another issuer), or one whose payload was changed after signing.
 */

export interface TestIdpPerson {
  /** What is typed into the provider's login form. */
  username: string;
  password: string;
  /** The provider's stable identifier of the person (`sub`). */
  subject: string;
  email: string;
  emailVerified?: boolean;
  name?: string;
}

export interface TestIdpClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Whether the client may use refresh tokens (default yes); without, the provider gives none. */
  refreshTokens?: boolean;
}

/** How the next ID token leaves the token endpoint. */
export type IdTokenChange =
  | { kind: 'claims'; change: (claims: JWTPayload) => JWTPayload }
  /** The payload changed after signing: the signature no longer holds. */
  | { kind: 'tamper'; change: (claims: JWTPayload) => JWTPayload };

export interface TestIdp {
  issuer: string;
  clients: TestIdpClient[];
  addPerson(person: TestIdpPerson): void;
  /** The account is disabled at the provider: it can no longer sign in, and its refresh tokens are refused. */
  disable(subject: string): void;
  /** The next answer to a code exchange (not to a refresh) carries an ID token changed this way (once). */
  changeNextIdToken(change: IdTokenChange): void;
  /** Token responses so far (code and refresh grants), for tests that wait for the provider to have been asked. */
  tokenRequests(): number;
  /**
   * Goes through the provider as a browser would, by HTTP (for tests without a browser): from the authorization URL
   * through the login form and consent to the redirect back; returns the redirect URL (with `code` and `state`).
   */
  signInByHttp(authorizationUrl: string, person: { username: string; password: string }, redirectUri: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * oidc-provider 9 runs on Node 20 (what these machines have, shared/STACK.md) but warns on any runtime older than
 * Node 22 LTS when it is first imported; that one known line is kept out of the tests' output (an unexpected console
 * line fails a test), everything else it says goes through.
 */
async function loadProvider(): Promise<typeof import('oidc-provider').default> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING: Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return (await import('oidc-provider')).default;
  } finally {
    console.warn = warn;
  }
}

/** The provider's storage: in memory, per provider (oidc-provider's own in-memory adapter is one for the process). */
function memoryAdapter() {
  const rows = new Map<string, { payload: AdapterPayload; expiresAt: number | null }>();
  const live = (key: string) => {
    const row = rows.get(key);
    if (!row) return undefined;
    if (row.expiresAt !== null && row.expiresAt <= Date.now()) {
      rows.delete(key);
      return undefined;
    }
    return row.payload;
  };
  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}
    private key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      rows.set(this.key(id), { payload: { ...payload }, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null });
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUserCode(userCode: string) {
      return [...rows.keys()].map(live).find((p) => p?.userCode === userCode);
    }
    async findByUid(uid: string) {
      return [...rows.keys()].filter((k) => k.startsWith(`${this.model}:`)).map(live).find((p) => p?.uid === uid);
    }
    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      rows.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, row] of rows) if (row.payload.grantId === grantId) rows.delete(key);
    }
  };
}

/** A page's words, for error messages. */
const textOf = (html: string) => html.replace(/<head>[\s\S]*<\/head>/, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}label{display:block;margin-top:1rem;font-weight:600}
input{display:block;width:100%;padding:.5rem;font-size:1rem;margin-top:.25rem}button{margin-top:1.25rem;padding:.6rem 1.2rem;font-size:1rem}.error{color:#a00}</style>
</head><body><p><strong>Test identity provider</strong> (oidc-provider)</p>${body}</body></html>`;
}

function loginForm(uid: string, clientId: string, error: string | null, username = ''): string {
  return page(
    'Sign in',
    `<h1>Sign in</h1><p>to continue to <code>${escape(clientId)}</code></p>${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
<label for="username">Username</label><input id="username" name="username" value="${escape(username)}" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form>`,
  );
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Starts a provider on 127.0.0.1, port 0 unless given. Its issuer is `http://localhost:<port>`: another site than the
 * application's 127.0.0.1, as a real provider would be, so that the browser's cookies of the two are apart.
 */
export async function startTestIdp(options: { clients: TestIdpClient[]; people?: TestIdpPerson[]; port?: number; host?: string }): Promise<TestIdp> {
  const people = new Map<string, TestIdpPerson & { disabled: boolean }>();
  const addPerson = (person: TestIdpPerson) => people.set(person.subject, { ...person, disabled: false });
  for (const person of options.people ?? []) addPerson(person);
  let nextChange: IdTokenChange | null = null;
  let tokenRequests = 0;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-idp-key-1';
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://localhost:${port}`;

  const findAccount = (_ctx: KoaContextWithOIDC, subject: string): Account | undefined => {
    const person = people.get(subject);
    if (!person || person.disabled) return undefined;
    return {
      accountId: subject,
      claims: () => ({ sub: subject, email: person.email, email_verified: person.emailVerified ?? true, ...(person.name ? { name: person.name } : {}) }),
    };
  };

  const Provider = await loadProvider();
  const provider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: [c.redirectUri],
      grant_types: c.refreshTokens === false ? ['authorization_code'] : ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [jwk] },
    findAccount,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Refresh tokens as Entra ID gives them: for offline_access, without requiring prompt=consent (oidc-provider
    // otherwise drops offline_access from a request without it, as OpenID Connect Core 11 allows).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    cookies: { keys: ['sopu-test-idp-cookie-key'] },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Error', `<h1>Error</h1><p class="error" role="alert">${escape(String(out.error))}: ${escape(String(out.error_description ?? ''))}</p>`);
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, RefreshToken: 24 * 3600, Interaction: 600, Session: 3600, Grant: 3600 },
  });

  // The attacker's view: the next ID token changed, re-signed with the provider's own key or not at all.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method !== 'POST' || ctx.path !== '/token' || ctx.status !== 200) return;
    tokenRequests++;
    const body = ctx.body as { id_token?: string } | undefined;
    const grant = (ctx.oidc?.params as { grant_type?: string } | undefined)?.grant_type;
    if (!nextChange || !body?.id_token || grant !== 'authorization_code') return;
    const change = nextChange;
    nextChange = null;
    const [header, payload, signature] = body.id_token.split('.') as [string, string, string];
    const claims = change.change(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JWTPayload);
    if (change.kind === 'tamper') {
      body.id_token = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    } else {
      const alg = decodeProtectedHeader(body.id_token).alg ?? 'RS256';
      body.id_token = await new SignJWT(claims).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(privateKey);
    }
  });

  const callback = provider.callback();
  handle = (req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!match) return void callback(req, res);
    void interaction(req, res, match[1]!, Boolean(match[2])).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Error', `<h1>Error</h1><p>${escape((error as Error).message)}</p>`));
    });
  };

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, login: boolean) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('this interaction is not the one of this browser');
    const clientId = String(details.params.client_id ?? '');
    if (login && req.method === 'POST') {
      const form = await formBody(req);
      const username = form.get('username') ?? '';
      const person = [...people.values()].find((p) => p.username === username);
      if (!person || person.password !== form.get('password') || person.disabled) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(loginForm(uid, clientId, person?.disabled ? 'This account is disabled.' : 'Wrong username or password.', username));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: person.subject } }, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === 'login') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginForm(uid, clientId, null));
      return;
    }
    // Consent: granted by the provider itself (the organisation's administrator consented for everyone).
    const accountId = details.session?.accountId;
    if (!accountId) throw new Error('no session for consent');
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
    if (!grant) throw new Error('grant not found');
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  async function signInByHttp(authorizationUrl: string, person: { username: string; password: string }, redirectUri: string): Promise<string> {
    const jar = new Map<string, string>();
    const request = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
      }
      return response;
    };
    let url = authorizationUrl;
    for (let hop = 0; hop < 20; hop++) {
      const response = await request(url);
      const location = response.headers.get('location');
      if (location) {
        await response.arrayBuffer();
        const next = new URL(location, url).toString();
        if (next.startsWith(redirectUri)) return next;
        url = next;
        continue;
      }
      const html = await response.text();
      const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
      if (!action || /class="error"/.test(html)) throw new Error(`the provider did not sign in: ${response.status} ${textOf(html)}`);
      const posted = await request(new URL(action, url).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: person.username, password: person.password }).toString(),
      });
      const after = posted.headers.get('location');
      const text = await posted.text();
      if (!after) throw new Error(`the provider refused the login: ${textOf(text)}`);
      url = new URL(after, url).toString();
    }
    throw new Error('too many redirects at the provider');
  }

  return {
    issuer,
    clients: options.clients,
    addPerson,
    disable(subject) {
      const person = people.get(subject);
      if (!person) throw new Error(`no person ${subject} at the test provider`);
      person.disabled = true;
    },
    changeNextIdToken(change) {
      nextChange = change;
    },
    tokenRequests: () => tokenRequests,
    signInByHttp,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
