import type { Db } from '@sopu/db';
import type { LoginThrottle, Oidc, SecretBox, Sessions } from '@sopu/auth';
import type { AuditInput, AuditLog } from './audit.ts';
import type { FeedSignal } from './feed.ts';
import type * as Y from 'yjs';
import type { MailDelivery } from './deployment.ts';
import type { Renderer } from '@sopu/exports';

/** What every use case may need; built once per process by the composition root (apps/web/server.ts). */
export interface CoreDeps {
  db: Db;
  sessions: Sessions;
  throttle: LoginThrottle;
  audit: AuditLog;
  /** Wakes the readers of the change feed in this process (live pages). */
  feed: FeedSignal;
  /** Changes the server itself makes to a live document (restoring a version): through the one writer of it. */
  documents: DocumentWriter;
  now: () => number;
  /** Base URL used in links sent by e-mail, e.g. http://localhost:3000. */
  publicUrl: string;
  invitationTtlMs: number;
  /** Where the outbox's mail goes; unset means as without SMTP (see `mailDelivery` in deployment.ts). */
  mailDelivery?: MailDelivery;
  /**
   * Encrypts the secrets Sopu must read back (identity providers' client secrets, refresh tokens, TOTP keys) under
   * SECRETS_KEY (docs/decisions/024). Without it, setting up a second factor or a provider is refused.
   */
  secrets?: SecretBox;
  /** The OpenID Connect client (discovery, code exchange, ID token checks, refresh). */
  oidc?: Oidc;
  /** How often a session from an identity provider is re-checked with its refresh token (default 10 min). */
  idpRecheckMs?: number;
  /**
   * Where exported files are drawn (docs/decisions/022): the server's worker-thread pool, so that a file never stops
   * the event loop; unset, they are drawn in the calling thread (tests, scripts).
   */
  renderer?: Renderer;
}

/** The person behind a request, as read from a valid session. */
export interface Actor {
  userId: string;
  email: string;
  displayName: string;
}

/**
 * The server's own changes to a document's content. Documents have one writer (the collab room holding the lease),
 * so a use case does not write doc_updates itself: the collab server applies the change in the room (loading it if
 * needed) and resolves once it is stored; other clients see it like any edit.
 */
export interface DocumentWriter {
  /**
   * Applies `change` to the live document and resolves once it is stored. What `change` returns is appended to the
   * area's audit log in the same commit as the change itself.
   */
  change(document: { id: string; areaId: string; kind: string }, change: (doc: Y.Doc) => void | DocumentAudit, userId: string | null): Promise<void>;
}

/** Audit events of a document change, stored with it (the area is the document's). */
export type DocumentAudit = ReadonlyArray<Omit<AuditInput, 'areaId'>>;
