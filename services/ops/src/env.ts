import { secretsKeyProblem } from '@sopu/auth';
import { z } from 'zod';

/**
 * The operator command's environment: the same variables, with the same defaults, as the server's (apps/web/env.ts),
 * so that `npm run sopu` works on the database and addresses `npm start` uses.
 */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** `file:./data/sopu.db` (default), a path, or `libsql://…` for a libSQL server. */
  DATABASE_URL: z.string().min(1).default('file:./data/sopu.db'),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  /** Signs the head of each audit chain; default: the key file beside a database file (as the server). */
  AUDIT_KEY: z.string().optional(),
  /** The address people use: the invitation link is built on it. */
  PUBLIC_URL: z.url().optional(),
  INVITATION_TTL_HOURS: z.coerce.number().positive().default(7 * 24),
  /** Encrypts identity providers' client secrets (64 hex characters); default: a key file beside a database file. */
  SECRETS_KEY: z.string().optional(),
  /** Only whether it is set matters here: the server sends the mail. */
  SMTP_URL: z.string().optional(),
});

export interface OpsEnv {
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  auditKey: string | undefined;
  publicUrl: string;
  invitationTtlMs: number;
  smtpConfigured: boolean;
  secretsKey: string | undefined;
}

export function readOpsEnv(source: Record<string, string | undefined> = process.env): OpsEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const env = parsed.data;
  const problem = env.SECRETS_KEY ? secretsKeyProblem(env.SECRETS_KEY) : null;
  if (problem) throw new Error(`Invalid environment:\n  SECRETS_KEY: ${problem}`);
  return {
    databaseUrl: env.DATABASE_URL,
    databaseAuthToken: env.DATABASE_AUTH_TOKEN,
    auditKey: env.AUDIT_KEY,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    invitationTtlMs: env.INVITATION_TTL_HOURS * 3_600_000,
    smtpConfigured: Boolean(env.SMTP_URL),
    secretsKey: env.SECRETS_KEY,
  };
}

/**
 * The environment a child process started by this one gets: ours, with `overrides` on top. Children (a build, a
 * second server) read and validate it through their own env.ts; this is the one place that hands it on.
 */
export function childEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** `npm run cluster`'s environment (cluster-main.ts): the proxy's port, the two processes' ports, the database. */
const clusterSchema = z.object({
  CLUSTER_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  CLUSTER_WEB_PORTS: z
    .string()
    .default('3101,3102')
    .transform((v) => v.split(',').map((p) => Number(p.trim())))
    .refine((p) => p.length === 2 && p.every((n) => Number.isInteger(n) && n > 0 && n < 65536), 'two ports, e.g. 3101,3102'),
  DATABASE_URL: z.string().min(1).default('file:./data/sopu.db'),
  PUBLIC_URL: z.url().optional(),
});

export interface ClusterEnv {
  proxyPort: number;
  webPorts: [number, number];
  databaseUrl: string;
  publicUrl: string | undefined;
}

export function readClusterEnv(source: Record<string, string | undefined> = process.env): ClusterEnv {
  const parsed = clusterSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const env = parsed.data;
  return { proxyPort: env.CLUSTER_PORT, webPorts: [env.CLUSTER_WEB_PORTS[0]!, env.CLUSTER_WEB_PORTS[1]!], databaseUrl: env.DATABASE_URL, publicUrl: env.PUBLIC_URL };
}
