import { requireAreaAccess } from './access.ts';
import { findBrokenAuditLink, listAuditEventsForArea, type AuditEvent } from './audit.ts';
import type { Actor, CoreDeps } from './deps.ts';

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as `beforeSeq` for the next (older) page; null at the start of the log. */
  nextBeforeSeq: number | null;
  /** The first event whose hash does not follow from the one before, or null when the chain is intact. */
  brokenAtSeq: number | null;
}

export async function listAuditLog(deps: CoreDeps, actor: Actor, slug: string, options: { beforeSeq?: number | undefined; limit?: number } = {}): Promise<AuditPage> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'audit.read');
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const events = await listAuditEventsForArea(deps.db, area.id, { beforeSeq: options.beforeSeq, limit });
  const last = events.at(-1);
  return {
    events,
    nextBeforeSeq: last && last.seq > 1 && events.length === limit ? last.seq : null,
    brokenAtSeq: await findBrokenAuditLink(deps.db, area.id),
  };
}
