import { generateToken, hashToken } from '@sopu/auth';
import { isDocumentKind, sectionTemplate } from '@sopu/doc-model';
import type { Database, NotificationJobRow, Transaction } from '@sopu/db';
import { renderMentions } from '../comments/index.ts';
import type { CoreDeps } from '../shared/deps.ts';
import { helsinkiDate } from '../shared/helsinki.ts';
import { newId } from '../shared/ids.ts';
import type { Lang } from '../shared/language.ts';
import { enqueueMail } from '../shared/outbox.ts';
import { calendarFile } from './calendar.ts';
import { formatCalendarDate, formatInstant, MAIL_TEXTS } from './mail-texts.ts';
import { modesOf } from './notify.repository.ts';
import { isMailKind, mailLanguage, type MailKind, type RoundReminderDays } from './notify.rules.ts';
import { renderMail, type CalendarEntry, type MailItem } from './render.ts';

type Trx = Transaction<Database>;
const EXCERPT_LENGTH = 300;
const APPROVING_STATES = ['approved', 'final', 'signed'];

/** The role a kind's recipient must still have when the mail is written (null: any member of the area). */
const RECIPIENT_ROLE: Record<MailKind, string | null> = {
  mention: null,
  reply: null,
  suggestion: null,
  round_opened: 'member_rep',
  round_reminder: 'member_rep',
  statement_submitted: 'host_admin',
  approval_requested: 'council_secretary',
  decision_recorded: 'host_admin',
  approval_stale: 'council_secretary',
  council_meeting: 'council_secretary',
};

interface Context {
  trx: Trx;
  lang: Lang;
  base: string;
  area: { id: string; slug: string; name: string };
  userId: string;
}

const municipalityName = (row: { name_fi: string; name_sv: string }, lang: Lang) => (lang === 'sv' && row.name_sv ? row.name_sv : row.name_fi || row.name_sv);
const str = (value: unknown) => (typeof value === 'string' ? value : '');

async function municipality(c: Context, id: string) {
  const row = await c.trx.selectFrom('municipalities').select(['name_fi', 'name_sv']).where('area_id', '=', c.area.id).where('id', '=', id).executeTakeFirst();
  return row ? municipalityName(row, c.lang) : '';
}

function sectionTitle(kind: string, key: string, lang: Lang): string {
  return (isDocumentKind(kind) ? sectionTemplate(kind, key)?.title[lang] : undefined) ?? key;
}

/**
 * The mail's item for one job, read now (what is mailed is what is there when the mail is written), or the reason it
 * is no longer news: the comment was deleted or hidden, the round closed or the municipality answered, the request was
 * superseded, the text is the approved one again, the meeting moved. Every read is scoped by the job's area.
 */
async function itemOf(c: Context, job: NotificationJobRow): Promise<MailItem | { skip: string }> {
  const t = MAIL_TEXTS[c.lang];
  const d = JSON.parse(job.details) as Record<string, unknown>;
  const kind = job.kind as MailKind;
  const areaPath = `${c.base}/areas/${c.area.slug}`;
  switch (kind) {
    case 'mention':
    case 'reply': {
      const comment = await c.trx
        .selectFrom('comments')
        .innerJoin('comment_threads', 'comment_threads.id', 'comments.thread_id')
        .innerJoin('documents', 'documents.id', 'comment_threads.document_id')
        .innerJoin('users', 'users.id', 'comments.author_id')
        .select(['comments.body', 'comments.deleted_at', 'comments.hidden_at', 'comment_threads.id as thread_id', 'comment_threads.section_key', 'documents.id as document_id', 'documents.kind', 'documents.title', 'users.display_name'])
        .where('comments.area_id', '=', c.area.id)
        .where('comment_threads.area_id', '=', c.area.id)
        .where('comments.id', '=', str(d.commentId))
        .executeTakeFirst();
      if (!comment || comment.deleted_at || comment.hidden_at) return { skip: 'comment_gone' };
      const mentioned = [...comment.body.matchAll(/<@([0-9a-f-]{36})>/g)].map((m) => m[1]!);
      const names = new Map(
        mentioned.length === 0 ? [] : (await c.trx.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id').select(['users.id', 'users.display_name']).where('memberships.area_id', '=', c.area.id).where('users.id', 'in', mentioned).execute()).map((u) => [u.id, u.display_name]),
      );
      const text = renderMentions(comment.body, (id) => names.get(id)).trim();
      const section = sectionTitle(comment.kind, comment.section_key, c.lang);
      const title = (kind === 'mention' ? t.mention : t.reply)(comment.display_name, comment.title, section);
      return {
        kind,
        subject: title,
        title,
        lines: [],
        quote: text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH - 1)}…` : text,
        link: { href: `${areaPath}/documents/${comment.document_id}?thread=${comment.thread_id}`, label: t.commentLink },
      };
    }
    case 'suggestion': {
      const document = await c.trx.selectFrom('documents').select(['id', 'kind', 'title']).where('area_id', '=', c.area.id).where('id', '=', str(d.documentId)).executeTakeFirst();
      const actor = str(d.actorId) ? await c.trx.selectFrom('users').select('display_name').where('id', '=', str(d.actorId)).executeTakeFirst() : undefined;
      if (!document) return { skip: 'document_gone' };
      const title = t.suggestion(actor?.display_name ?? '?', document.title, sectionTitle(document.kind, str(d.section), c.lang));
      return { kind, subject: title, title, lines: [], link: { href: `${areaPath}/documents/${document.id}?section=${encodeURIComponent(str(d.section))}`, label: t.suggestionLink } };
    }
    case 'round_opened':
    case 'round_reminder': {
      const round = await c.trx.selectFrom('consultation_rounds').select(['id', 'title', 'deadline', 'state']).where('area_id', '=', c.area.id).where('id', '=', str(d.roundId)).executeTakeFirst();
      if (!round || round.state !== 'open') return { skip: 'round_not_open' };
      const invitee = await c.trx.selectFrom('consultation_invitees').select('status').where('area_id', '=', c.area.id).where('consultation_round_id', '=', round.id).where('municipality_id', '=', str(d.municipalityId)).executeTakeFirst();
      if (!invitee) return { skip: 'not_invited' };
      if (kind === 'round_reminder' && invitee.status !== 'invited') return { skip: 'answered' };
      const name = await municipality(c, str(d.municipalityId));
      // days null: the host admin's own reminder, not the deadline's.
      const days = (d.days ?? null) as RoundReminderDays | null;
      const title = kind === 'round_opened' ? t.roundOpened(round.title) : days === null ? t.roundReminderManual(round.title) : t.roundReminder(round.title, days);
      const href = `${areaPath}/rounds/${round.id}`;
      return {
        kind,
        subject: title,
        title,
        lines: [t.deadline(formatInstant(round.deadline, c.lang)), kind === 'round_opened' ? t.forMunicipality(name) : t.notAnswered(name)],
        link: { href, label: t.roundLink },
        calendar: { uid: `round-${round.id}@sopu`, title: t.deadlineEvent(round.title), start: { instant: round.deadline }, url: href },
      };
    }
    case 'statement_submitted': {
      // Only that a statement came, from whom and when: its words stay on the round's page (the host admin sees them).
      const round = await c.trx.selectFrom('consultation_rounds').select(['id', 'title', 'deadline', 'state']).where('area_id', '=', c.area.id).where('id', '=', str(d.roundId)).executeTakeFirst();
      if (!round || round.state === 'draft') return { skip: 'round_gone' };
      const m = await c.trx.selectFrom('municipalities').select(['name_fi', 'name_sv']).where('area_id', '=', c.area.id).where('code', '=', str(d.municipalityCode)).executeTakeFirst();
      if (!m) return { skip: 'not_invited' };
      const title = t.statementSubmitted(municipalityName(m, c.lang), round.title, Number(d.revision ?? 1) > 1);
      return { kind, subject: title, title, lines: [t.deadline(formatInstant(round.deadline, c.lang))], link: { href: `${areaPath}/rounds/${round.id}`, label: t.roundLink } };
    }
    case 'approval_requested':
    case 'approval_stale': {
      const request = await c.trx
        .selectFrom('approval_requests')
        .innerJoin('versions', 'versions.id', 'approval_requests.version_id')
        .innerJoin('documents', 'documents.id', 'approval_requests.document_id')
        .select(['approval_requests.id', 'approval_requests.status', 'approval_requests.document_id', 'versions.number', 'documents.title'])
        .where('approval_requests.area_id', '=', c.area.id)
        .where('approval_requests.id', '=', str(d.requestId))
        .executeTakeFirst();
      if (!request || request.status === 'superseded') return { skip: 'request_superseded' };
      const name = await municipality(c, str(d.municipalityId));
      if (kind === 'approval_requested') {
        const title = t.approvalRequested(request.title, request.number);
        return { kind, subject: title, title, lines: [t.approvalRequestedFor(name)], link: { href: `${areaPath}/approvals?document=${request.document_id}#proposals-heading`, label: t.proposalLink } };
      }
      const watch = await c.trx.selectFrom('approval_watch').select('stale_since').where('area_id', '=', c.area.id).where('approval_request_id', '=', request.id).executeTakeFirst();
      if (!watch || watch.stale_since === null) return { skip: 'text_restored' };
      const title = t.approvalStale(name, request.title, request.number);
      return { kind, subject: title, title, lines: [], link: { href: `${areaPath}/documents/${request.document_id}/compare?from=${request.number}&to=current`, label: t.staleLink } };
    }
    case 'decision_recorded': {
      const event = await c.trx
        .selectFrom('council_decision_events')
        .innerJoin('council_decisions', 'council_decisions.id', 'council_decision_events.council_decision_id')
        .innerJoin('municipalities', 'municipalities.id', 'council_decisions.municipality_id')
        .innerJoin('approval_requests', 'approval_requests.id', 'council_decisions.approval_request_id')
        .leftJoin('users', 'users.id', 'council_decision_events.recorded_by')
        .select(['council_decision_events.state', 'council_decision_events.meeting_date', 'council_decision_events.decision_date', 'council_decision_events.minutes_section', 'municipalities.name_fi', 'municipalities.name_sv', 'approval_requests.document_id', 'users.display_name'])
        .where('council_decision_events.area_id', '=', c.area.id)
        .where('council_decision_events.id', '=', str(d.decisionEventId))
        .executeTakeFirst();
      if (!event) return { skip: 'decision_gone' };
      const state = t.decisionState[event.state] ?? event.state;
      const title = t.decisionRecorded(municipalityName(event, c.lang), state);
      const date = event.decision_date ?? event.meeting_date;
      return {
        kind,
        subject: title,
        title,
        lines: [[date ? formatCalendarDate(date, c.lang) : null, event.minutes_section].filter(Boolean).join(', '), event.display_name ? t.decisionRecordedBy(event.display_name) : ''].filter(Boolean),
        link: { href: `${areaPath}/approvals?document=${event.document_id}`, label: t.approvalsLink },
      };
    }
    case 'council_meeting': {
      const meeting = await c.trx.selectFrom('milestones').select(['id', 'date', 'municipality_id']).where('area_id', '=', c.area.id).where('id', '=', str(d.milestoneId)).executeTakeFirst();
      if (!meeting || meeting.date !== str(d.date) || meeting.municipality_id !== str(d.municipalityId)) return { skip: 'meeting_moved' };
      const name = await municipality(c, meeting.municipality_id);
      // The agreement's current request (the newest not superseded) and where this council stands on it.
      const request = await c.trx
        .selectFrom('approval_requests')
        .innerJoin('versions', 'versions.id', 'approval_requests.version_id')
        .innerJoin('documents', 'documents.id', 'approval_requests.document_id')
        .leftJoin('approval_watch', 'approval_watch.approval_request_id', 'approval_requests.id')
        .select(['approval_requests.id', 'approval_requests.document_id', 'versions.number', 'approval_watch.stale_since'])
        .where('approval_requests.area_id', '=', c.area.id)
        .where('documents.kind', '=', 'cooperation_agreement')
        .where('approval_requests.status', '!=', 'superseded')
        .orderBy('approval_requests.sent_at', 'desc')
        .executeTakeFirst();
      const decision = request
        ? await c.trx.selectFrom('council_decisions').select('state').where('area_id', '=', c.area.id).where('approval_request_id', '=', request.id).where('municipality_id', '=', meeting.municipality_id).executeTakeFirst()
        : undefined;
      const lines = request && decision ? [t.approvalState(t.decisionState[decision.state] ?? decision.state, request.number)] : [t.noApprovalRequest];
      if (request && decision && APPROVING_STATES.includes(decision.state) && request.stale_since !== null) lines.push(t.staleNote);
      const title = t.councilMeeting(name, formatCalendarDate(meeting.date, c.lang));
      const href = request ? `${areaPath}/approvals?document=${request.document_id}` : `${areaPath}/settings`;
      return {
        kind,
        subject: title,
        title,
        lines,
        link: { href, label: t.approvalsLink },
        calendar: { uid: `meeting-${meeting.id}@sopu`, title: t.meetingEvent(name), start: { date: meeting.date }, url: href },
      };
    }
  }
}

/** Whether the person may still be told: still a member of the area, in the role the kind is for. */
async function stillRecipient(c: Context, job: NotificationJobRow): Promise<boolean> {
  const role = RECIPIENT_ROLE[job.kind as MailKind];
  const d = JSON.parse(job.details) as Record<string, unknown>;
  let query = c.trx.selectFrom('memberships').select('id').where('area_id', '=', c.area.id).where('user_id', '=', c.userId);
  if (role) query = query.where('role', '=', role);
  if (role && role !== 'host_admin' && typeof d.municipalityId === 'string') query = query.where('municipality_id', '=', d.municipalityId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** A new unsubscribe link for these kinds of this person (its token stored hashed). */
async function unsubscribeLink(c: Context, kinds: MailKind[], now: number): Promise<string> {
  const token = generateToken();
  await c.trx.insertInto('unsubscribe_tokens').values({ id: newId(), user_id: c.userId, kinds: JSON.stringify(kinds), token_hash: hashToken(token), created_at: now, used_at: null }).execute();
  return `${c.base}/unsubscribe/${token}`;
}

export interface ComposeResult {
  mails: number;
  skipped: number;
}

/**
 * Writes the mail of every group of notifications that is due: one person's immediate notifications of one kind in
 * one area (gathered: the group goes when its oldest has waited out the window, taking whatever came after), or one
 * person's digest of one area. The group's jobs are claimed (state mailed, the outbox row named) in the same
 * transaction that writes the outbox row, so a group is mailed once whichever process gets it, and a crash before
 * the commit leaves it pending. A suspended area's notifications wait with it.
 */
export async function composeDue(deps: Pick<CoreDeps, 'db' | 'now' | 'publicUrl'>): Promise<ComposeResult> {
  const now = deps.now();
  const result: ComposeResult = { mails: 0, skipped: 0 };
  const groups = await deps.db
    .selectFrom('notification_jobs')
    .innerJoin('areas', 'areas.id', 'notification_jobs.area_id')
    .select(['notification_jobs.user_id', 'notification_jobs.area_id', 'notification_jobs.delivery'])
    .select((eb) => eb.fn.min('notification_jobs.kind').as('kind'))
    .select((eb) => eb.fn.min('notification_jobs.due_at').as('due'))
    .where('notification_jobs.state', '=', 'pending')
    .where('areas.status', '=', 'active')
    .groupBy(['notification_jobs.user_id', 'notification_jobs.area_id', 'notification_jobs.delivery', (eb) => eb.case().when('notification_jobs.delivery', '=', 'immediate').then(eb.ref('notification_jobs.kind')).else('').end()])
    .having((eb) => eb.fn.min('notification_jobs.due_at'), '<=', now)
    .limit(100)
    .execute();
  let failure: unknown = null;
  for (const group of groups) {
    const outboxId = newId();
    // One person's group that cannot be written (rolled back, tried again next round) holds up no one else's.
    await deps.db.transaction().execute(async (trx) => {
      let claim = trx
        .updateTable('notification_jobs')
        .set({ state: 'mailed', outbox_id: outboxId, finished_at: now })
        .where('state', '=', 'pending')
        .where('user_id', '=', group.user_id)
        .where('area_id', '=', group.area_id)
        .where('delivery', '=', group.delivery);
      if (group.delivery === 'immediate') claim = claim.where('kind', '=', group.kind);
      const jobs = (await claim.returningAll().execute()).sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
      if (jobs.length === 0) return;
      const user = await trx.selectFrom('users').select(['id', 'email', 'locale']).where('id', '=', group.user_id).executeTakeFirstOrThrow();
      const area = await trx.selectFrom('areas').select(['id', 'slug', 'name_fi', 'name_sv', 'name_en']).where('id', '=', group.area_id).executeTakeFirstOrThrow();
      const lang = mailLanguage(user.locale);
      const c: Context = { trx, lang, base: deps.publicUrl.replace(/\/$/, ''), area: { id: area.id, slug: area.slug, name: { fi: area.name_fi, sv: area.name_sv, en: area.name_en }[lang] || area.name_fi }, userId: user.id };
      const modes = await modesOf(trx, user.id);
      const items: MailItem[] = [];
      const skip = async (job: NotificationJobRow, reason: string) => {
        await trx.updateTable('notification_jobs').set({ state: 'skipped', skip_reason: reason, outbox_id: null }).where('id', '=', job.id).where('area_id', '=', area.id).execute();
        result.skipped++;
      };
      for (const job of jobs) {
        if (!isMailKind(job.kind)) await skip(job, 'unknown_kind');
        else if (modes[job.kind] === 'off') await skip(job, 'off');
        else if (!(await stillRecipient(c, job))) await skip(job, 'not_recipient');
        else {
          const item = await itemOf(c, job);
          if ('skip' in item) await skip(job, item.skip);
          else items.push(item);
        }
      }
      if (items.length === 0) return;
      const kinds = [...new Set(items.map((i) => i.kind))];
      const unsubscribe: Partial<Record<MailKind, string>> = {};
      for (const kind of kinds) unsubscribe[kind] = await unsubscribeLink(c, [kind], now);
      // The one-click link of the header (RFC 8058) switches off what this mail is about: its kind, or a digest's kinds.
      const oneClick = kinds.length === 1 ? unsubscribe[kinds[0]!]! : await unsubscribeLink(c, kinds, now);
      const digest = group.delivery === 'digest';
      const mail = renderMail({ lang, areaName: c.area.name, items, unsubscribe, settingsHref: `${c.base}/notifications/settings`, ...(digest ? { digestDate: formatCalendarDate(helsinkiDate(now), lang) } : {}) });
      const events: CalendarEntry[] = items.flatMap((i) => (i.calendar ? [i.calendar] : []));
      await enqueueMail(
        trx,
        {
          areaId: area.id,
          to: user.email,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: { 'List-Unsubscribe': `<${oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          attachments: events.length > 0 ? [{ filename: 'sopu.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: calendarFile(events, { name: `Sopu – ${c.area.name}`, now }) }] : null,
          userId: user.id,
          kind: digest ? 'digest' : kinds[0]!,
        },
        now,
        outboxId,
      );
      result.mails++;
    }).catch((error: unknown) => {
      failure ??= error;
    });
  }
  if (failure !== null) throw failure;
  return result;
}
