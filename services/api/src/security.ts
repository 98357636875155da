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

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  };
}

export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
