import { secretsKeyProblem } from '@sopu/auth';
import { demoSeeding, isLocalUrl } from '@sopu/core';
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
  /**
   * Load the demo areas (users with a published password) into an empty database. Unset: only when PUBLIC_URL is a
   * local address. `true` elsewhere is allowed on plain http only; with https it is a startup error.
   */
  SEED_DEMO: bool.optional(),
  /** With the demo areas, their drafted agreement text and comment threads (default on). */
  SEED_DEMO_CONTENT: bool.default(true),
  /** Print the demo logins at start even when stdout is not a terminal (`npm start` sets it: its output is for a person). */
  PRINT_DEMO_LOGINS: bool.default(false),
  /** Send mail through this SMTP server, e.g. `smtp://user:pass@mail.example.fi:587` or `smtps://…:465`. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// URL')
    .refine((v) => URL.canParse(v), 'a valid URL')
    .optional(),
  /** The From of mail Sopu sends. Default: `Sopu <no-reply@host of PUBLIC_URL>`. */
  SMTP_FROM: z.string().trim().min(3).max(200).optional(),
  /**
   * Encrypts the secrets Sopu must read back (identity providers' client secrets, their refresh tokens, TOTP keys):
   * 64 hex characters. Default: a key file beside a database file (`<db>.secrets-key`); required with a remote one.
   */
  SECRETS_KEY: z
    .string()
    .refine((v) => secretsKeyProblem(v) === null, 'must be 64 hexadecimal characters (32 bytes), e.g. from `openssl rand -hex 32`')
    .optional(),
  /**
   * How often a session from an identity provider is re-checked with its refresh token: a person disabled at the
   * provider loses access within this (docs/decisions/024). Fractions for tests (0.05 = every 3 s).
   */
  IDP_RECHECK_MINUTES: z.coerce.number().min(0.05).max(24 * 60).default(10),
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  TRUST_PROXY: bool.default(false),
  /** This process's name as a document writer (one writer per document); unique per process, stable across restarts. */
  COLLAB_INSTANCE_ID: z.string().trim().min(1).max(200).optional(),
  /** How long a document's writer lease lasts without renewal; after a crash, how long another process waits for it. */
  COLLAB_LEASE_SECONDS: z.coerce.number().int().min(3).max(600).default(30),
  /**
   * The bearer token that GET /metrics requires (at least 32 characters). Unset: there is no /metrics (404). A
   * request without the token gets the same 404.
   */
  METRICS_TOKEN: z.string().trim().min(32, 'at least 32 characters').max(256).regex(/^[\x21-\x7e]+$/, 'printable characters without spaces').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * On SIGTERM, how long the server keeps serving while /health/ready says it is going (a proxy in front stops
   * sending it new requests) before it closes. 0 without a proxy; behind HAProxy more than its checks take to notice.
   */
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(120).default(0),
  /** Serve through Vite's dev server with hot reload instead of the production build. */
  SOPU_DEV: bool.default(false),
  /**
   * Tests only, and only on a local PUBLIC_URL: a file holding milliseconds added to the clock the rules read (a
   * deadline passing without waiting for it). Sessions, the audit chain's transport and the collab server keep the
   * real clock.
   */
  SOPU_CLOCK_OFFSET_FILE: z.string().min(1).optional(),
});

export type Env = Omit<z.infer<typeof schema>, 'SEED_DEMO' | 'SMTP_FROM'> & {
  publicUrl: string;
  allowedOrigins: string[];
  secureCookies: boolean;
  /** Whether the demo areas are loaded into an empty database (see SEED_DEMO). */
  seedDemo: boolean;
  smtpFrom: string;
};

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${lines}`);
  }
  const env = parsed.data;
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  const allowedOrigins = [new URL(publicUrl).origin, ...env.ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean)];
  let seedDemo: boolean;
  try {
    seedDemo = demoSeeding({ publicUrl, seedDemo: env.SEED_DEMO });
  } catch (error) {
    throw new Error(`Invalid environment:\n  SEED_DEMO: ${(error as Error).message}`);
  }
  if (env.SOPU_CLOCK_OFFSET_FILE && !isLocalUrl(publicUrl)) throw new Error('Invalid environment:\n  SOPU_CLOCK_OFFSET_FILE: only for tests on a local PUBLIC_URL');
  const databaseFile = /^file:/.test(env.DATABASE_URL) || !/^[a-z]+:/i.test(env.DATABASE_URL);
  if (!env.SECRETS_KEY && !databaseFile) throw new Error('Invalid environment:\n  SECRETS_KEY: required with a remote database (the key must not be stored in the database it protects)');
  const { SEED_DEMO: _seed, SMTP_FROM, ...rest } = env;
  const smtpFrom = SMTP_FROM ?? `Sopu <no-reply@${new URL(publicUrl).hostname}>`;
  return { ...rest, publicUrl, allowedOrigins, secureCookies: publicUrl.startsWith('https:'), seedDemo, smtpFrom };
}

/**
 * The environment a child process started by this one gets: ours, with `overrides` on top. Children (a build, a
 * second server) read and validate it through their own env.ts; this is the one place that hands it on.
 */
export function childEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
