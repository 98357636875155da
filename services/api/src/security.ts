import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origins a request may come from: the configured ones and the origin of the Host it was sent to. */
export function isAllowedOrigin(origin: string | null | undefined, host: string | null | undefined, allowedOrigins: readonly string[]): boolean {
  if (!origin) return false;
  if (allowedOrigins.includes(origin)) return true;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * CSRF defence for cookie-authenticated mutations (ASVS 4.2.2, 13.2.3): a state-changing request must carry an
 * Origin we serve, unless it authenticates with a bearer token (which a browser never attaches on its own).
 */
export function originGuard(options: { allowedOrigins: readonly string[] }): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    if (c.req.header('authorization')?.startsWith('Bearer ')) return next();
    const origin = c.req.header('origin') ?? null;
    if (!isAllowedOrigin(origin, c.req.header('host'), options.allowedOrigins)) {
      return c.json({ error: { code: 'forbidden', message: 'cross-origin request refused (Origin missing or not allowed)' } }, 403);
    }
    return next();
  };
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
