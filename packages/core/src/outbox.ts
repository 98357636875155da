import { requireAreaAccess } from './access.ts';
import type { Actor, CoreDeps } from './deps.ts';

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  body: string;
  createdAt: number;
  sentAt: number | null;
}

/** Mail the area has sent; with no SMTP server configured this is where it stays, for the admin to pass on. */
export async function listOutbox(deps: CoreDeps, actor: Actor, slug: string): Promise<OutboxMessage[]> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'outbox.read');
  const rows = await deps.db.selectFrom('outbox').selectAll().where('area_id', '=', area.id).orderBy('created_at', 'desc').limit(200).execute();
  return rows.map((r) => ({ id: r.id, to: r.to_email, subject: r.subject, body: r.body_text, createdAt: r.created_at, sentAt: r.sent_at }));
}
