import { SESSION_COOKIE } from '@sopu/auth';
import { createTestDeps, type TestDeps } from '@sopu/core/testing';
import { Hono } from 'hono';
import { createApi } from './app.ts';
import { authenticatesByBearer, originGuard } from './security.ts';

export const ORIGIN = 'http://localhost';

/** The API mounted the way apps/web/server/app.ts mounts it, over fresh test deps with the demo areas. */
export async function createTestApp(options: Parameters<typeof createTestDeps>[0] = {}): Promise<TestDeps & { app: Hono }> {
  const t = await createTestDeps(options);
  const app = new Hono().use('*', originGuard({ allowedOrigins: [ORIGIN], exempt: authenticatesByBearer })).route('/api/v1', createApi(t.deps, { trustProxy: false }));
  return { ...t, app };
}

export const url = (path: string) => `${ORIGIN}/api/v1${path}`;

export const cookieHeader = (token: string) => `${SESSION_COOKIE}=${token}`;

/** The session token in a response's Set-Cookie header, or null. */
export function tokenFromSetCookie(res: Response): string | null {
  const header = res.headers.get('set-cookie') ?? '';
  const match = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(header);
  return match?.[1] || null;
}

export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) };
}
