import type { Database, NotificationEventRow, Transaction } from '@sopu/db';
import type { CoreDeps } from '../shared/deps.ts';
import { helsinkiDate, addDays } from '../shared/helsinki.ts';
import { recordNotificationEvent, type NotificationEventKind } from '../shared/notification-events.ts';
import { currentContent } from '../versions/index.ts';
import { membersOf, planJob, type PlannedJob } from './notify.repository.ts';
import { COUNCIL_MEETING_REMINDER_DAYS, councilMeetingReminderDue, dueRoundReminder, GATHER_MS } from './notify.rules.ts';

/** The tuning of the planner and composer (tests and the e2e suite shorten the gathering). */
export interface NotifyOptions {
  gatherMs?: number;
}

const APPROVING_STATES = ['approved', 'final', 'signed'];
type Trx = Transaction<Database>;

const ids = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Who hears of an event, as jobs (each then planned once per person by its key). */
async function jobsOf(trx: Trx, event: NotificationEventRow): Promise<PlannedJob[]> {
  const areaId = event.area_id;
  const subject = event.subject_id ?? String(event.id);
  const details = JSON.parse(event.details) as Record<string, unknown>;
  const job = (userId: string, kind: PlannedJob['kind'], jobSubject: string, extra: Record<string, unknown>): PlannedJob => ({ areaId, userId, kind, subject: jobSubject, details: extra });
  const notActor = (userId: string) => userId !== event.actor_id;
  switch (event.kind as NotificationEventKind) {
    case 'comment.created':
    case 'comment.mentioned': {
      const threadId = String(details.threadId ?? '');
      const about = { commentId: subject, threadId, documentId: details.documentId, actorId: event.actor_id };
      const mentioned = (await membersOf(trx, areaId, { userIds: ids(details.mentions) })).map((m) => m.userId).filter(notActor);
      const jobs = [...new Set(mentioned)].map((userId) => job(userId, 'mention', subject, about));
      if (event.kind === 'comment.created' && details.firstOfThread !== true) {
        // Those who take part in the thread: whoever began it or wrote in it (and still belongs to the area).
        const thread = await trx.selectFrom('comment_threads').select('created_by').where('area_id', '=', areaId).where('id', '=', threadId).executeTakeFirst();
        const writers = await trx.selectFrom('comments').select('author_id').distinct().where('area_id', '=', areaId).where('thread_id', '=', threadId).execute();
        const takingPart = [...new Set([...(thread ? [thread.created_by] : []), ...writers.map((w) => w.author_id)])];
        const members = (await membersOf(trx, areaId, { userIds: takingPart })).map((m) => m.userId);
        for (const userId of new Set(members)) if (notActor(userId) && !mentioned.includes(userId)) jobs.push(job(userId, 'reply', subject, about));
      }
      return jobs;
    }
    case 'suggestion.created': {
      const drafters = (await membersOf(trx, areaId, { userIds: ids(details.drafters) })).map((m) => m.userId).filter(notActor);
      return [...new Set(drafters)].map((userId) => job(userId, 'suggestion', subject, { suggestionId: subject, documentId: details.documentId, section: details.section, actorId: event.actor_id }));
    }
    case 'round.opened': {
      const invitees = await trx.selectFrom('consultation_invitees').select('municipality_id').where('area_id', '=', areaId).where('consultation_round_id', '=', subject).execute();
      const reps = await membersOf(trx, areaId, { role: 'member_rep', municipalityIds: invitees.map((i) => i.municipality_id) });
      return reps.map((r) => job(r.userId, 'round_opened', subject, { roundId: subject, municipalityId: r.municipalityId }));
    }
    case 'round.reminded': {
      // The host's own reminder: the same mail as the deadline's, to the reps of the municipalities it named.
      const reps = await membersOf(trx, areaId, { role: 'member_rep', municipalityIds: ids(details.municipalityIds) });
      const reminder = String(details.reminderId ?? event.id);
      return reps.map((r) => job(r.userId, 'round_reminder', `${subject}:manual:${reminder}`, { roundId: subject, municipalityId: r.municipalityId, days: null }));
    }
    case 'statement.submitted': {
      // The host admins run the round: each statement submitted or amended is news to them (not to whoever submitted it).
      const hosts = (await membersOf(trx, areaId, { role: 'host_admin' })).filter((h) => notActor(h.userId));
      const key = `${subject}:${String(details.municipalityCode ?? '')}:${String(details.revision ?? '')}`;
      return hosts.map((h) => job(h.userId, 'statement_submitted', key, { roundId: subject, municipalityCode: details.municipalityCode, revision: details.revision }));
    }
    case 'approval.requested': {
      const parties = await trx.selectFrom('council_decisions').select('municipality_id').where('area_id', '=', areaId).where('approval_request_id', '=', subject).execute();
      const secretaries = await membersOf(trx, areaId, { role: 'council_secretary', municipalityIds: parties.map((p) => p.municipality_id) });
      return secretaries.map((s) => job(s.userId, 'approval_requested', subject, { requestId: subject, municipalityId: s.municipalityId }));
    }
    case 'approval.decision_recorded': {
      const hosts = (await membersOf(trx, areaId, { role: 'host_admin' })).filter((h) => notActor(h.userId));
      return hosts.map((h) => job(h.userId, 'decision_recorded', subject, { decisionEventId: subject, requestId: details.approvalRequestId }));
    }
    case 'approval.stale': {
      const approving = await trx.selectFrom('council_decisions').select('municipality_id').where('area_id', '=', areaId).where('approval_request_id', '=', subject).where('state', 'in', APPROVING_STATES).execute();
      const secretaries = await membersOf(trx, areaId, { role: 'council_secretary', municipalityIds: approving.map((a) => a.municipality_id) });
      // Each time the approved text is left is news: the key names the event, not only the request.
      return secretaries.map((s) => job(s.userId, 'approval_stale', `${subject}@${event.id}`, { requestId: subject, municipalityId: s.municipalityId }));
    }
    default:
      return [];
  }
}

/**
 * Turns recorded events into per-person jobs, each event once: it is claimed (planned_at) in the same transaction
 * that plans its jobs, so that of two processes one plans it and the other skips it, and a crash plans it again from
 * the start (nothing half-planned is kept; a job already planned is not planned twice, by its key).
 */
export async function planEvents(deps: Pick<CoreDeps, 'db' | 'now'>, options: NotifyOptions = {}): Promise<number> {
  const gatherMs = options.gatherMs ?? GATHER_MS;
  const events = await deps.db.selectFrom('notification_events').selectAll().where('planned_at', 'is', null).orderBy('id').limit(200).execute();
  let planned = 0;
  let failure: unknown = null;
  for (const event of events) {
    // An event that cannot be planned (rolled back, tried again next round) holds up none after it.
    await deps.db
      .transaction()
      .execute(async (trx) => {
        const now = deps.now();
        const claim = await trx.updateTable('notification_events').set({ planned_at: now }).where('id', '=', event.id).where('planned_at', 'is', null).executeTakeFirst();
        if (claim.numUpdatedRows === 0n) return 0;
        let count = 0;
        for (const job of await jobsOf(trx, event)) if (await planJob(trx, job, now, gatherMs)) count++;
        return count;
      })
      .then(
        (count) => (planned += count),
        (error: unknown) => (failure ??= error),
      );
  }
  if (failure !== null) throw failure;
  return planned;
}

/**
 * The reminders the clock brings: a round's deadline 7 and 1 days ahead to the reps of municipalities that have not
 * answered; a council meeting (a milestone of the kind, for one municipality) 7 days ahead to that council's
 * secretary. Computed from the data and the time each run, and planned by their keys, so a restart misses none and
 * two processes send none twice.
 */
export async function planReminders(deps: Pick<CoreDeps, 'db' | 'now'>, options: NotifyOptions = {}): Promise<number> {
  const gatherMs = options.gatherMs ?? GATHER_MS;
  const now = deps.now();
  let planned = 0;
  const rounds = await deps.db
    .selectFrom('consultation_rounds')
    .innerJoin('areas', 'areas.id', 'consultation_rounds.area_id')
    .select(['consultation_rounds.id', 'consultation_rounds.area_id', 'consultation_rounds.deadline', 'consultation_rounds.opened_at'])
    .where('consultation_rounds.state', '=', 'open')
    .where('consultation_rounds.deadline', '>', now)
    .where('areas.status', '=', 'active')
    .execute();
  for (const round of rounds) {
    const days = dueRoundReminder({ deadline: round.deadline, openedAt: round.opened_at }, now);
    if (days === null) continue;
    await deps.db.transaction().execute(async (trx) => {
      const silent = await trx.selectFrom('consultation_invitees').select('municipality_id').where('area_id', '=', round.area_id).where('consultation_round_id', '=', round.id).where('status', '=', 'invited').execute();
      const reps = await membersOf(trx, round.area_id, { role: 'member_rep', municipalityIds: silent.map((s) => s.municipality_id) });
      for (const rep of reps) {
        const job: PlannedJob = { areaId: round.area_id, userId: rep.userId, kind: 'round_reminder', subject: `${round.id}:${days}`, details: { roundId: round.id, municipalityId: rep.municipalityId, days } };
        if (await planJob(trx, job, now, gatherMs)) planned++;
      }
    });
  }
  const today = helsinkiDate(now);
  const meetings = await deps.db
    .selectFrom('milestones')
    .innerJoin('areas', 'areas.id', 'milestones.area_id')
    .select(['milestones.id', 'milestones.area_id', 'milestones.date', 'milestones.municipality_id', 'milestones.created_at'])
    .where('milestones.kind', '=', 'council_meeting')
    .where('milestones.municipality_id', 'is not', null)
    .where('milestones.date', '>', today)
    .where('milestones.date', '<=', addDays(today, COUNCIL_MEETING_REMINDER_DAYS + 1))
    .where('areas.status', '=', 'active')
    .execute();
  for (const meeting of meetings) {
    if (!councilMeetingReminderDue({ date: meeting.date, createdAt: meeting.created_at }, now)) continue;
    await deps.db.transaction().execute(async (trx) => {
      const secretaries = await membersOf(trx, meeting.area_id, { role: 'council_secretary', municipalityIds: [meeting.municipality_id!] });
      for (const s of secretaries) {
        const job: PlannedJob = { areaId: meeting.area_id, userId: s.userId, kind: 'council_meeting', subject: `${meeting.id}:${meeting.date}`, details: { milestoneId: meeting.id, municipalityId: s.municipalityId, date: meeting.date } };
        if (await planJob(trx, job, now, gatherMs)) planned++;
      }
    });
  }
  return planned;
}

/** The document's newest update number: its text changed when this did. */
async function documentSeq(deps: Pick<CoreDeps, 'db'>, documentId: string): Promise<number> {
  const update = await deps.db.selectFrom('doc_updates').select((eb) => eb.fn.max('seq').as('seq')).where('document_id', '=', documentId).executeTakeFirst();
  const snapshot = await deps.db.selectFrom('doc_snapshots').select((eb) => eb.fn.max('seq').as('seq')).where('document_id', '=', documentId).executeTakeFirst();
  return Math.max(Number(update?.seq ?? 0), Number(snapshot?.seq ?? 0));
}

/**
 * Finds approvals made stale by an edit: for each request that councils approved (open, or closed once all decided),
 * when its document has changed since the last look, whether the text is still the approved version's. The first
 * look sets the baseline silently; from then on, each time the text leaves the approved version an `approval.stale`
 * event is recorded (the approving councils' secretaries are told), and coming back to it clears the mark. A
 * compare-and-set on what was seen lets one of two processes record it.
 */
export async function detectStaleApprovals(deps: Pick<CoreDeps, 'db' | 'now'>): Promise<number> {
  const requests = await deps.db
    .selectFrom('approval_requests')
    .innerJoin('versions', 'versions.id', 'approval_requests.version_id')
    .innerJoin('areas', 'areas.id', 'approval_requests.area_id')
    .leftJoin('approval_watch', 'approval_watch.approval_request_id', 'approval_requests.id')
    .select(['approval_requests.id', 'approval_requests.area_id', 'approval_requests.document_id', 'versions.hash', 'approval_watch.checked_seq', 'approval_watch.stale_since'])
    .where('approval_requests.status', 'in', ['open', 'closed'])
    .where('areas.status', '=', 'active')
    .where((eb) =>
      eb.exists(eb.selectFrom('council_decisions').select('council_decisions.id').whereRef('council_decisions.approval_request_id', '=', 'approval_requests.id').where('council_decisions.state', 'in', APPROVING_STATES)),
    )
    .execute();
  let recorded = 0;
  const hashes = new Map<string, Promise<string>>();
  for (const r of requests) {
    const seq = await documentSeq(deps, r.document_id);
    if (r.checked_seq !== null && r.checked_seq === seq) continue;
    if (!hashes.has(r.document_id)) hashes.set(r.document_id, currentContent(deps.db, r.document_id).then((c) => c.hash));
    const stale = (await hashes.get(r.document_id)!) !== r.hash;
    await deps.db.transaction().execute(async (trx) => {
      const now = deps.now();
      if (r.checked_seq === null) {
        await trx.insertInto('approval_watch').values({ approval_request_id: r.id, area_id: r.area_id, checked_seq: seq, stale_since: stale ? now : null, checked_at: now }).onConflict((oc) => oc.doNothing()).execute();
        return;
      }
      const wasStale = r.stale_since !== null;
      const changed = await trx
        .updateTable('approval_watch')
        .set({ checked_seq: seq, stale_since: stale ? (r.stale_since ?? now) : null, checked_at: now })
        .where('approval_request_id', '=', r.id)
        .where('area_id', '=', r.area_id)
        .where('checked_seq', '=', r.checked_seq)
        .where((eb) => (wasStale ? eb('stale_since', '=', r.stale_since!) : eb('stale_since', 'is', null)))
        .executeTakeFirst();
      if (changed.numUpdatedRows === 0n || wasStale || !stale) return;
      await recordNotificationEvent(trx, { areaId: r.area_id, kind: 'approval.stale', subjectId: r.id, actorId: null, details: { documentId: r.document_id, seq } }, now);
      recorded++;
    });
  }
  return recorded;
}
