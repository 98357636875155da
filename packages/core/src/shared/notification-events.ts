import type { Database, Transaction } from '@sopu/db';

/**
 * What a use case records for the mail planner (notify/), in its own transaction: the fact, not who is told. The
 * planner, above every feature, turns each event into one job per recipient (docs/decisions/023-mail-notifications.md),
 * so that comments, consultation and approvals need know nothing of mail, preferences or languages.
 *
 * - `comment.created`: a thread begun or a reply (subject: the comment; details: threadId, documentId, mentions,
 *   firstOfThread).
 * - `comment.mentioned`: an edit that mentions people anew (subject: the comment; details: threadId, documentId,
 *   mentions: only the new ones).
 * - `round.opened`: a consultation round opened to its invitees (subject: the round).
 * - `round.reminded`: the host admin's own reminder of a round (subject: the round; details: reminderId, municipalityIds).
 * - `statement.submitted`: a municipality's statement submitted or amended (subject: the round; details:
 *   municipalityCode, revision).
 * - `approval.requested`: a version sent to the councils (subject: the request).
 * - `approval.decision_recorded`: a step of a council's handling recorded (subject: the decision event row).
 * - `approval.stale`: the text changed after councils approved it (subject: the request; recorded by the planner's
 *   own check).
 * - `suggestion.created`: a suggested change on a section (subject: the suggestion; details: documentId, section,
 *   drafters: who drafted that section). The suggestions feature (issue 18) records it.
 */
export type NotificationEventKind =
  | 'comment.created'
  | 'comment.mentioned'
  | 'round.opened'
  | 'round.reminded'
  | 'statement.submitted'
  | 'approval.requested'
  | 'approval.decision_recorded'
  | 'approval.stale'
  | 'suggestion.created';

export interface NotificationEventInput {
  areaId: string;
  kind: NotificationEventKind;
  subjectId: string;
  actorId: string | null;
  details?: Record<string, unknown>;
}

export async function recordNotificationEvent(trx: Transaction<Database>, event: NotificationEventInput, now: number): Promise<void> {
  await trx
    .insertInto('notification_events')
    .values({ area_id: event.areaId, kind: event.kind, subject_id: event.subjectId, actor_id: event.actorId, details: JSON.stringify(event.details ?? {}), created_at: now, planned_at: null })
    .execute();
}
