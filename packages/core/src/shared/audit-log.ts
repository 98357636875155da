import { requireAreaAccess } from './access.ts';
import { listAuditEventsForArea, type AuditEvent, type AuditProblem } from './audit.ts';
import type { Actor, CoreDeps } from './deps.ts';

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as `beforeSeq` for the next (older) page; null at the start of the log. */
  nextBeforeSeq: number | null;
  /** Where the chain stops holding (a changed, missing or cut-off event), or null when it is intact. */
  problem: AuditProblem | null;
}

export async function listAuditLog(deps: CoreDeps, actor: Actor, slug: string, options: { beforeSeq?: number | undefined; limit?: number } = {}): Promise<AuditPage> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'audit.read');
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const events = await listAuditEventsForArea(deps.db, area.id, { beforeSeq: options.beforeSeq, limit });
  const last = events.at(-1);
  return {
    events,
    nextBeforeSeq: last && last.seq > 1 && events.length === limit ? last.seq : null,
    problem: await deps.audit.verify(deps.db, area.id),
  };
}
