import { z } from 'zod';

const schema = z.object({
  COLLAB_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  COLLAB_HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).default('file:./data/sopu.db'),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  AUDIT_KEY: z.string().optional(),
  /** Origins whose pages may open sockets, comma-separated (the web app's public URL). */
  ALLOWED_ORIGINS: z.string().default('http://localhost:3000'),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(8 * 60),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(7 * 24),
  COLLAB_COMPACT_AFTER: z.coerce.number().int().positive().default(200),
  /** This process's name as a document writer; unique per process sharing the database, stable across restarts. */
  COLLAB_INSTANCE_ID: z.string().trim().min(1).max(200).optional(),
  /** How long a document's writer lease lasts without renewal (renewed every third of it); after a crash, how long others wait. */
  COLLAB_LEASE_SECONDS: z.coerce.number().int().min(3).max(600).default(30),
  /** Take the request id (X-Request-Id) from the proxy in front (only behind a proxy you run, which sets it). */
  TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type CollabEnv = z.infer<typeof schema> & { allowedOrigins: string[] };

export function readCollabEnv(source: Record<string, string | undefined> = process.env): CollabEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return { ...parsed.data, allowedOrigins: parsed.data.ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean) };
}

/**
 * The environment a child process started by this one gets: ours, with `overrides` on top. Children (a build, a
 * second server) read and validate it through their own env.ts; this is the one place that hands it on.
 */
export function childEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
