import type { Db } from '@sopu/db';
import type { LoginThrottle, Sessions } from '@sopu/auth';
import type { AuditLog } from './audit.ts';

/** What every use case may need; built once per process by the composition root (apps/web/server.ts). */
export interface CoreDeps {
  db: Db;
  sessions: Sessions;
  throttle: LoginThrottle;
  audit: AuditLog;
  now: () => number;
  /** Base URL used in links sent by e-mail, e.g. http://localhost:3000. */
  publicUrl: string;
  invitationTtlMs: number;
}

/** The person behind a request, as read from a valid session. */
export interface Actor {
  userId: string;
  email: string;
  displayName: string;
}
