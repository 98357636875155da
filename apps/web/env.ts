import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** `file:./data/sopu.db` (default), a path, or `libsql://…` for a libSQL server. */
  DATABASE_URL: z.string().min(1).default('file:./data/sopu.db'),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  /** Signs the head of each audit chain (hex, ≥ 32 bytes). Default: a key file beside a database file. */
  AUDIT_KEY: z.string().optional(),
  /** The address people use; links in mail and the allowed Origin derive from it. */
  PUBLIC_URL: z.url().optional(),
  /** Further origins allowed to send mutating requests and open live connections, comma-separated. */
  ALLOWED_ORIGINS: z.string().default(''),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(8 * 60),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(7 * 24),
  INVITATION_TTL_HOURS: z.coerce.number().positive().default(7 * 24),
  /** Load the demo areas into an empty database (default on). */
  SEED_DEMO: bool.default(true),
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  TRUST_PROXY: bool.default(false),
  /** This process's name as a document writer (one writer per document); unique per process, stable across restarts. */
  COLLAB_INSTANCE_ID: z.string().trim().min(1).max(200).optional(),
  /** Serve through Vite's dev server with hot reload instead of the production build. */
  SOPU_DEV: bool.default(false),
});

export type Env = z.infer<typeof schema> & { publicUrl: string; allowedOrigins: string[]; secureCookies: boolean };

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${lines}`);
  }
  const env = parsed.data;
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  const allowedOrigins = [new URL(publicUrl).origin, ...env.ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean)];
  return { ...env, publicUrl, allowedOrigins, secureCookies: publicUrl.startsWith('https:') };
}
