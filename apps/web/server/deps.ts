import { createLoginThrottle, createOidc, createSecretBox, createSessions, resolveSecretsKey } from '@sopu/auth';
import { createAuditLog, createFeedSignal, mailDelivery, resolveAuditKey, type CoreDeps } from '@sopu/core';
import { createDb, migrateToLatest } from '@sopu/db';
import { createRenderPool } from '@sopu/exports';
import type { Env } from '../env.ts';
import { ruleClock } from './clock.ts';

/** The composition root's one place that builds core's dependencies from the environment. */
export async function createDeps(env: Env): Promise<CoreDeps> {
  const db = await createDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN, backgroundCheckpoints: true });
  await migrateToLatest(db);
  return {
    db,
    sessions: createSessions(db, {
      idleTimeoutMs: env.SESSION_IDLE_MINUTES * 60_000,
      absoluteTimeoutMs: env.SESSION_ABSOLUTE_HOURS * 3_600_000,
      secureCookies: env.secureCookies,
    }),
    throttle: createLoginThrottle(db),
    audit: createAuditLog(resolveAuditKey({ auditKey: env.AUDIT_KEY, databaseUrl: env.DATABASE_URL })),
    feed: createFeedSignal(),
    // Bound to the collab server once it exists (apps/web/server/app.ts): the one writer of live documents.
    documents: { change: () => Promise.reject(new Error('the document writer is not bound yet')) },
    now: ruleClock(env.SOPU_CLOCK_OFFSET_FILE),
    publicUrl: env.publicUrl,
    invitationTtlMs: env.INVITATION_TTL_HOURS * 3_600_000,
    mailDelivery: mailDelivery({ smtpConfigured: Boolean(env.SMTP_URL), publicUrl: env.publicUrl }),
    secrets: createSecretBox(resolveSecretsKey({ secretsKey: env.SECRETS_KEY, databaseUrl: env.DATABASE_URL })),
    // ID tokens are checked against the real clock (a test's rule clock offset is for deadlines, not tokens).
    oidc: createOidc({ now: Date.now }),
    idpRecheckMs: env.IDP_RECHECK_MINUTES * 60_000,
    // Exported files are drawn in a worker thread, never on the event loop that serves pages and live editing
    // (docs/decisions/022-exports.md); closed with the server (app.ts).
    renderer: createRenderPool(),
  };
}
