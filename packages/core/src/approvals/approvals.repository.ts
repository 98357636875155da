import type { Database, Db, Transaction } from '@sopu/db';
import type { Selectable } from 'kysely';
import { sql } from '@sopu/db';

/** Approval requests, council decisions and their steps as stored; every query is scoped by area. */

/** A request as read with its version and who sent it. */
export type RequestRow = Omit<Selectable<Database['approval_requests']>, 'version_id'> & {
  sent_by_name: string | null;
  version_number: number;
  version_label: string;
  version_hash: string;
  /** JSON: section key → hash. */
  section_hashes: string;
};

function requestQuery(db: Db | Transaction<Database>, areaId: string) {
  return db
    .selectFrom('approval_requests')
    .innerJoin('versions', 'versions.id', 'approval_requests.version_id')
    .leftJoin('users', 'users.id', 'approval_requests.sent_by')
    .select([
      'approval_requests.id', 'approval_requests.area_id', 'approval_requests.document_id', 'approval_requests.status', 'approval_requests.sent_at',
      'approval_requests.superseded_at', 'approval_requests.closed_at', 'approval_requests.sent_by', 'approval_requests.background', 'users.display_name as sent_by_name',
      'versions.number as version_number', 'versions.label as version_label', 'versions.hash as version_hash', 'versions.section_hashes',
    ])
    .where('approval_requests.area_id', '=', areaId)
    .where('versions.area_id', '=', areaId);
}

/** A document's requests, newest first (insertion order breaks a tie within a millisecond). */
export async function requestsOfDocument(db: Db, areaId: string, documentId: string): Promise<RequestRow[]> {
  return requestQuery(db, areaId).where('approval_requests.document_id', '=', documentId).orderBy('approval_requests.sent_at', 'desc').orderBy(sql`approval_requests.rowid`, 'desc').execute();
}

export async function findRequestInArea(db: Db | Transaction<Database>, areaId: string, requestId: string): Promise<RequestRow | undefined> {
  return requestQuery(db, areaId).where('approval_requests.id', '=', requestId).executeTakeFirst();
}

/** The area a request id belongs to, for the access check; undefined for an id that is not one. */
export async function areaOfRequest(db: Db, requestId: unknown): Promise<string | undefined> {
  if (typeof requestId !== 'string' || requestId.length > 64) return undefined;
  const row = await db.selectFrom('approval_requests').select('area_id').where('id', '=', requestId).executeTakeFirst();
  return row?.area_id;
}

/** A council's decision as read with its municipality's code and names. */
export type DecisionRow = Omit<Selectable<Database['council_decisions']>, 'area_id'> & { code: string; name_fi: string; name_sv: string };

export async function decisionsOfRequests(db: Db | Transaction<Database>, areaId: string, requestIds: string[], municipalityId?: string): Promise<DecisionRow[]> {
  if (requestIds.length === 0) return [];
  let query = db
    .selectFrom('council_decisions')
    .innerJoin('municipalities', 'municipalities.id', 'council_decisions.municipality_id')
    .select([
      'council_decisions.id', 'council_decisions.approval_request_id', 'council_decisions.municipality_id', 'municipalities.code', 'municipalities.name_fi', 'municipalities.name_sv',
      'council_decisions.state', 'council_decisions.meeting_date', 'council_decisions.decision_date', 'council_decisions.minutes_section', 'council_decisions.minutes_url',
      'council_decisions.note', 'council_decisions.final_date', 'council_decisions.signed_date', 'council_decisions.signatory', 'council_decisions.recorded_by', 'council_decisions.recorded_at',
    ])
    .where('council_decisions.area_id', '=', areaId)
    .where('council_decisions.approval_request_id', 'in', requestIds);
  if (municipalityId) query = query.where('council_decisions.municipality_id', '=', municipalityId);
  return query.orderBy('municipalities.name_fi').execute();
}

/** A council decision's event as read with the names of who (or which token) recorded it. */
export type DecisionEventRow = Omit<Selectable<Database['council_decision_events']>, 'area_id'> & { recorded_by_name: string | null; token_label: string | null };

/** Every recorded step of the given decisions, oldest first. */
export async function eventsOfDecisions(db: Db | Transaction<Database>, areaId: string, decisionIds: string[]): Promise<DecisionEventRow[]> {
  if (decisionIds.length === 0) return [];
  return db
    .selectFrom('council_decision_events')
    .leftJoin('users', 'users.id', 'council_decision_events.recorded_by')
    .leftJoin('api_tokens', (join) => join.onRef('api_tokens.id', '=', 'council_decision_events.api_token_id').onRef('api_tokens.area_id', '=', 'council_decision_events.area_id'))
    .select([
      'council_decision_events.id', 'council_decision_events.council_decision_id', 'council_decision_events.state', 'council_decision_events.meeting_date',
      'council_decision_events.decision_date', 'council_decision_events.minutes_section', 'council_decision_events.minutes_url', 'council_decision_events.note',
      'council_decision_events.final_date', 'council_decision_events.signed_date', 'council_decision_events.signatory',
      'council_decision_events.recorded_by', 'users.display_name as recorded_by_name', 'council_decision_events.api_token_id', 'api_tokens.label as token_label',
      'council_decision_events.on_behalf', 'council_decision_events.created_at',
    ])
    .where('council_decision_events.area_id', '=', areaId)
    .where('council_decision_events.council_decision_id', 'in', decisionIds)
    .orderBy('council_decision_events.created_at')
    .orderBy(sql`council_decision_events.rowid`)
    .execute();
}
