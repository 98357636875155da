import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { readBearerToken } from '@sopu/auth';
import { isLocalUrl, isLoopbackHostname } from '@sopu/core';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** An origin as a browser sends it (scheme, host, port), or null for anything else (`null`, a path, another scheme). */
function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Whether an Origin header names an origin we serve: one of the configured origins or the origin the request itself
 * was sent to, compared by scheme, host and port (`http://sopu.example.fi` is not `https://sopu.example.fi`).
 */
export function isAllowedOrigin(origin: string | null | undefined, requestUrl: string | null | undefined, allowedOrigins: readonly string[]): boolean {
  if (!origin) return false;
  const theirs = originOf(origin);
  if (!theirs) return false;
  if (allowedOrigins.some((allowed) => originOf(allowed) === theirs)) return true;
  return Boolean(requestUrl) && originOf(requestUrl!) === theirs;
}

export interface OriginGuardOptions {
  allowedOrigins: readonly string[];
  /**
   * Requests authenticated by a credential the browser never attaches on its own (a bearer token on a route that
   * takes it): the only ones let through without an Origin. Default: none.
   */
  exempt?: (c: Context) => boolean;
}

/**
 * CSRF defence for cookie-authenticated mutations (ASVS 4.2.2, 13.2.3): a state-changing request must carry an
 * Origin we serve, unless `exempt` says it authenticates by a token and not by its cookie (authenticatesByBearer).
 */
export function originGuard(options: OriginGuardOptions): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    if (options.exempt?.(c)) return next();
    const origin = c.req.header('origin') ?? null;
    if (!isAllowedOrigin(origin, c.req.url, options.allowedOrigins)) {
      return c.json({ error: { code: 'forbidden', message: 'cross-origin request refused (Origin missing or not allowed)' } }, 403);
    }
    return next();
  };
}

/** What a server answers to: the hosts of its configured origins, and any name of this machine when it runs locally. */
export interface ServedHosts {
  /** PUBLIC_URL's origin first, then ALLOWED_ORIGINS. */
  allowedOrigins: readonly string[];
  publicUrl: string;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?$/i;

/**
 * Whether a Host header names this server (ASVS 14.5, DNS rebinding): a configured origin's host and port (a Host
 * without a port means the origin's default one), or, when PUBLIC_URL is local, a loopback name on any port (tests
 * and `npm start` listen on whichever port is free). A page on another name resolved to our address is refused,
 * so it never reads what we serve to this machine (the development mailbox's invitation links).
 */
export function isServedHost(host: string | null | undefined, served: ServedHosts): boolean {
  const match = HOST_HEADER.exec(host ?? '');
  if (!match) return false;
  const hostname = match[1]!.toLowerCase();
  const port = match[2];
  if (isLocalUrl(served.publicUrl) && isLoopbackHostname(hostname)) return true;
  return served.allowedOrigins.some((origin) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.hostname.toLowerCase() !== hostname) return false;
    const own = url.port || DEFAULT_PORTS[url.protocol];
    return port === undefined ? url.port === '' : Number(port) === Number(own);
  });
}

/** The body of a refusal for a Host we do not serve (421 Misdirected Request: this server is not that site). */
export const MISDIRECTED = {
  code: 'misdirected_request',
  message: 'this server does not answer to that Host',
  html:
    '<!doctype html><html lang="fi"><meta charset="utf-8"><title>421</title>' +
    '<h1>Tuntematon osoite / Okänd adress / Unknown host</h1>' +
    '<p>Tämä palvelin ei vastaa tällä nimellä. / Servern svarar inte under det här namnet. / This server does not answer to that name.</p></html>',
} as const;

/** Refuses, before anything else runs, every request whose Host is not one we serve (isServedHost). */
export function hostGuard(served: ServedHosts): MiddlewareHandler {
  return async (c, next) => {
    if (isServedHost(c.req.header('host'), served)) return next();
    c.header('Connection', 'close');
    if (c.req.path.startsWith(`${API_BASE}/`)) return c.json({ error: { code: MISDIRECTED.code, message: MISDIRECTED.message } }, 421);
    return c.html(MISDIRECTED.html, 421);
  };
}

/** Where the API is mounted (apps/web/server/app.ts, testing.ts). */
export const API_BASE = '/api/v1';

/**
 * The API's mutations that take no credential, so that a bearer header on them authenticates nothing: they need an
 * Origin like any form. Kept equal to the operations declared `public` in /openapi.json by a test (session.test.ts).
 */
export const PUBLIC_API_MUTATIONS: ReadonlyArray<{ method: string; path: string }> = [{ method: 'POST', path: '/session' }];

/**
 * Whether a request authenticates by its bearer token and not by a cookie: an API route that takes a credential
 * (every signed-in route reads the bearer first and then never the cookie; the approval-token route reads only the
 * token) with an `Authorization: Bearer …` header, the scheme in any case. Remix pages and actions never are: they
 * know only the cookie, whatever else the request carries.
 */
export function authenticatesByBearer(c: Context): boolean {
  const path = c.req.path;
  if (!path.startsWith(`${API_BASE}/`)) return false;
  const own = path.slice(API_BASE.length);
  if (PUBLIC_API_MUTATIONS.some((m) => m.method === c.req.method && m.path === own)) return false;
  return readBearerToken(c.req.header('authorization')) !== null;
}

/**
 * Headers for every response. HSTS (ASVS 9.1.1) only when the site is served over https: sent over plain http it
 * would be ignored at best, and would lock a local run out of http at worst.
 */
export function securityHeaders(options: { hsts?: boolean } = {}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (options.hsts) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}

/**
 * Responses that may hold a person's data are never stored by browsers or shared caches (ASVS 8.2.1): back after
 * logging out shows nothing, and a shared computer keeps nothing. A response that set its own Cache-Control keeps it.
 */
export function noStore(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  };
}

/**
 * The client's address. Behind a proxy we run (TRUST_PROXY), the rightmost X-Forwarded-For entry is the one our
 * proxy added; anything to its left came from the client and can say anything (a fake address per request would
 * escape the per-address login throttle).
 */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
