import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AuditEventRow, Db, Transaction, Database } from '@sopu/db';
import { newId } from './ids.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  areaId: string;
  actorUserId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  id: string;
  seq: number;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: Record<string, unknown>;
  createdAt: number;
  hash: string;
  prevHash: string;
}

/** Where an area's chain stops holding, and how: a row changed, a row missing, or the newest rows cut off. */
export type AuditProblem = { seq: number; kind: 'altered' | 'missing' | 'truncated' | 'unsigned' };

/** The details of one event are bounded: a client cannot make the log grow by sending long values. */
export const AUDIT_DETAILS_MAX_BYTES = 4096;
const AUDIT_STRING_MAX = 500;

function bounded(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > AUDIT_STRING_MAX ? `${value.slice(0, AUDIT_STRING_MAX)}…` : value;
  if (value === null || typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  if (depth >= 3) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => bounded(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).slice(0, 30).map(([k, v]) => [k.slice(0, 60), bounded(v, depth + 1)]));
}

/** The details as stored: JSON, each string and list cut to a bound, the whole at most AUDIT_DETAILS_MAX_BYTES. */
export function auditDetailsJson(details: Record<string, unknown> | undefined): string {
  const json = JSON.stringify(bounded(details ?? {}));
  if (Buffer.byteLength(json) <= AUDIT_DETAILS_MAX_BYTES) return json;
  return JSON.stringify({ truncated: true, keys: Object.keys(details ?? {}).slice(0, 30) });
}

function eventHash(prevHash: string, e: Omit<AuditEventRow, 'id' | 'hash' | 'prev_hash'>): string {
  const body = JSON.stringify([e.area_id, e.seq, e.actor_user_id, e.action, e.subject_type, e.subject_id, e.details, e.created_at]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * The tamper-evident audit log. Each event's hash covers the one before it (a changed or removed row breaks the
 * next link), and the chain's head (seq and hash) is signed with a key that is not in the database, so that
 * cutting off the newest events is seen too: the signed head then points past the end of what is left.
 */
export interface AuditLog {
  /**
   * Appends one event to the area's chain. Must run inside the use case's write transaction: the head is read and
   * extended under the same lock as the change it records.
   */
  append(trx: Transaction<Database>, input: AuditInput, now: number): Promise<void>;
  /** Recomputes the area's whole chain and checks the signed head; null when everything holds. */
  verify(db: Db, areaId: string): Promise<AuditProblem | null>;
}

export function createAuditLog(key: Uint8Array): AuditLog {
  if (key.byteLength < 32) throw new Error('the audit key must be at least 32 bytes');
  const mac = (areaId: string, seq: number, hash: string) => createHmac('sha256', key).update(`${areaId}\n${seq}\n${hash}`).digest('hex');
  const macMatches = (expected: string, actual: string) => expected.length === actual.length && timingSafeEqual(Buffer.from(expected), Buffer.from(actual));

  return {
    async append(trx, input, now) {
      const head = await trx.selectFrom('audit_events').select(['seq', 'hash']).where('area_id', '=', input.areaId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const row = {
        area_id: input.areaId,
        seq: (head?.seq ?? 0) + 1,
        actor_user_id: input.actorUserId,
        action: input.action.slice(0, 100),
        subject_type: input.subjectType.slice(0, 100),
        subject_id: input.subjectId?.slice(0, 200) ?? null,
        details: auditDetailsJson(input.details),
        created_at: now,
      };
      const prevHash = head?.hash ?? GENESIS_HASH;
      const hash = eventHash(prevHash, row);
      await trx.insertInto('audit_events').values({ id: newId(), ...row, prev_hash: prevHash, hash }).execute();
      const signed = { seq: row.seq, hash, mac: mac(input.areaId, row.seq, hash) };
      await trx
        .insertInto('audit_heads')
        .values({ area_id: input.areaId, ...signed })
        .onConflict((oc) => oc.column('area_id').doUpdateSet(signed))
        .execute();
    },

    async verify(db, areaId) {
      const rows = await db.selectFrom('audit_events').selectAll().where('area_id', '=', areaId).orderBy('seq', 'asc').execute();
      let prev = GENESIS_HASH;
      let expectedSeq = 1;
      for (const r of rows) {
        if (r.seq !== expectedSeq) return { seq: expectedSeq, kind: 'missing' };
        if (r.prev_hash !== prev || eventHash(prev, r) !== r.hash) return { seq: r.seq, kind: 'altered' };
        prev = r.hash;
        expectedSeq += 1;
      }
      const head = await db.selectFrom('audit_heads').selectAll().where('area_id', '=', areaId).executeTakeFirst();
      const last = rows.at(-1);
      if (!head) return last ? { seq: last.seq, kind: 'unsigned' } : null;
      if (!macMatches(mac(areaId, head.seq, head.hash), head.mac)) return { seq: head.seq, kind: 'unsigned' };
      if (!last || head.seq > last.seq) return { seq: (last?.seq ?? 0) + 1, kind: 'truncated' };
      if (head.seq < last.seq) return { seq: head.seq + 1, kind: 'unsigned' };
      if (head.hash !== last.hash) return { seq: last.seq, kind: 'altered' };
      return null;
    },
  };
}

/**
 * The audit key: AUDIT_KEY (hex, at least 32 bytes) when given; otherwise, for a database file, a key file beside it
 * (created once with mode 0600), so that every process on that database signs alike. A remote database needs
 * AUDIT_KEY: the key must not live in the database it protects.
 */
export function resolveAuditKey(options: { auditKey?: string | undefined; databaseUrl: string }): Uint8Array {
  if (options.auditKey) {
    if (!/^([0-9a-f]{2}){32,}$/i.test(options.auditKey)) throw new Error('AUDIT_KEY must be at least 64 hexadecimal characters (32 bytes)');
    return Buffer.from(options.auditKey, 'hex');
  }
  const file = /^file:(.+)$/.exec(options.databaseUrl)?.[1]?.split('?')[0] ?? (/^[a-z]+:/i.test(options.databaseUrl) ? null : options.databaseUrl);
  if (!file) throw new Error('AUDIT_KEY is required with a remote database: the key must not be stored in the database it protects');
  const keyFile = `${file}.audit-key`;
  if (!existsSync(keyFile)) {
    writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    chmodSync(keyFile, 0o600);
  }
  return resolveAuditKey({ auditKey: readFileSync(keyFile, 'utf8').trim(), databaseUrl: options.databaseUrl });
}

export async function listAuditEventsForArea(db: Db, areaId: string, options: { beforeSeq?: number | undefined; limit: number }): Promise<AuditEvent[]> {
  let query = db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_user_id')
    .selectAll('audit_events')
    .select('users.display_name as actor_name')
    .where('audit_events.area_id', '=', areaId);
  if (options.beforeSeq !== undefined) query = query.where('audit_events.seq', '<', options.beforeSeq);
  const rows = await query.orderBy('audit_events.seq', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    actorUserId: r.actor_user_id,
    actorName: r.actor_name,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    details: JSON.parse(r.details) as Record<string, unknown>,
    createdAt: r.created_at,
    hash: r.hash,
    prevHash: r.prev_hash,
  }));
}
