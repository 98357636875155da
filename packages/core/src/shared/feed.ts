import type { Database, Db, Transaction } from '@sopu/db';

/**
 * The change feed: a row per change that live pages should hear of (a thread of a document changed, a person got a
 * notification, an approval changed), written in the use case's transaction. The collab server reads it and tells its subscribed sockets;
 * the signal wakes it at once in this process, other processes read it on their next poll (well within a second).
 */
export interface FeedEvent {
  id: number;
  areaId: string;
  documentId: string | null;
  userId: string | null;
  /**
   * 'approval': a request of the document was sent or a council's decision recorded (subjectId: the request).
   * 'lease_wanted': written by a collab process that wants the document's writer lease (subjectId: its instance id);
   * the process holding it hands it over (services/collab, docs/decisions/028).
   */
  kind: 'thread' | 'notification' | 'approval' | 'lease_wanted';
  subjectId: string | null;
  createdAt: number;
}

export interface FeedSignal {
  notify(): void;
  /** Resolves at the next notify, or after `ms`. */
  wait(ms: number): Promise<void>;
}

export function createFeedSignal(): FeedSignal {
  let waiters: Array<() => void> = [];
  return {
    notify() {
      const now = waiters;
      waiters = [];
      for (const resolve of now) resolve();
    },
    wait(ms) {
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        timer.unref?.();
        function done() {
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== done);
          resolve();
        }
        waiters.push(done);
      });
    },
  };
}

export async function appendFeedEvent(trx: Transaction<Database>, event: Omit<FeedEvent, 'id'>): Promise<void> {
  await trx
    .insertInto('feed_events')
    .values({ area_id: event.areaId, document_id: event.documentId, user_id: event.userId, kind: event.kind, subject_id: event.subjectId, created_at: event.createdAt })
    .execute();
}

/** Events after `afterId`, oldest first. */
export async function readFeedAfter(db: Db, afterId: number, limit = 500): Promise<FeedEvent[]> {
  const rows = await db.selectFrom('feed_events').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, areaId: r.area_id, documentId: r.document_id, userId: r.user_id, kind: r.kind as FeedEvent['kind'], subjectId: r.subject_id, createdAt: r.created_at }));
}

export async function latestFeedId(db: Db): Promise<number> {
  const row = await db.selectFrom('feed_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** The feed only serves live pages: a day is plenty. */
export async function pruneFeed(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('feed_events').where('created_at', '<', now - 86_400_000).executeTakeFirst();
  return Number(result.numDeletedRows);
}
