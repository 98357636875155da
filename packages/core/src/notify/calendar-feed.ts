import { generateToken, hashToken } from '@sopu/auth';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Lang } from '../shared/language.ts';
import { recordSecurityEvent } from '../shared/security-log.ts';
import { calendarFile } from './calendar.ts';
import { MAIL_TEXTS } from './mail-texts.ts';
import { mailLanguage } from './notify.rules.ts';
import type { CalendarEntry } from './render.ts';

/** How far back the feed keeps past deadlines and meetings (a calendar shows what was, too). */
const FEED_PAST_MS = 180 * 86_400_000;

const feedUrl = (deps: Pick<CoreDeps, 'publicUrl'>, token: string) => `${deps.publicUrl.replace(/\/$/, '')}/calendar/${token}`;

/**
 * Makes the person a new calendar feed address and returns it (shown this once: it is stored hashed). Any earlier
 * address of theirs stops working: this is also how an address that leaked is replaced.
 */
export async function createCalendarFeed(deps: CoreDeps, actor: Actor, request: { ip?: string | null; userAgent?: string | null } = {}): Promise<{ url: string }> {
  const token = generateToken();
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('calendar_feeds').set({ revoked_at: now }).where('user_id', '=', actor.userId).where('revoked_at', 'is', null).execute();
    await trx.insertInto('calendar_feeds').values({ id: newId(), user_id: actor.userId, token_hash: hashToken(token), created_at: now, revoked_at: null, last_used_at: null }).execute();
    await recordSecurityEvent(trx, { kind: 'calendar_feed_created', userId: actor.userId, ip: request.ip ?? null, userAgent: request.userAgent ?? null }, now);
  });
  return { url: feedUrl(deps, token) };
}

/** Stops the person's calendar feed address from working (404 from now on). */
export async function revokeCalendarFeed(deps: CoreDeps, actor: Actor, request: { ip?: string | null; userAgent?: string | null } = {}): Promise<void> {
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const revoked = await trx.updateTable('calendar_feeds').set({ revoked_at: now }).where('user_id', '=', actor.userId).where('revoked_at', 'is', null).executeTakeFirst();
    if (revoked.numUpdatedRows > 0n) await recordSecurityEvent(trx, { kind: 'calendar_feed_revoked', userId: actor.userId, ip: request.ip ?? null, userAgent: request.userAgent ?? null }, now);
  });
}

/** The entries of the person's areas: round deadlines (not drafts) and council meetings (milestones, scheduled handlings). */
async function entriesOf(deps: CoreDeps, userId: string, lang: Lang): Promise<CalendarEntry[]> {
  const t = MAIL_TEXTS[lang];
  const base = deps.publicUrl.replace(/\/$/, '');
  const since = deps.now() - FEED_PAST_MS;
  const areas = await deps.db
    .selectFrom('memberships')
    .innerJoin('areas', 'areas.id', 'memberships.area_id')
    .select(['areas.id', 'areas.slug'])
    .where('memberships.user_id', '=', userId)
    .where('areas.status', '=', 'active')
    .execute();
  const entries: CalendarEntry[] = [];
  for (const area of areas) {
    const areaPath = `${base}/areas/${area.slug}`;
    const rounds = await deps.db
      .selectFrom('consultation_rounds')
      .select(['id', 'title', 'deadline'])
      .where('area_id', '=', area.id)
      .where('state', '!=', 'draft')
      .where('deadline', '>=', since)
      .orderBy('deadline')
      .execute();
    for (const r of rounds) entries.push({ uid: `round-${r.id}@sopu`, title: t.deadlineEvent(r.title), start: { instant: r.deadline }, url: `${areaPath}/rounds/${r.id}` });
    const sinceDate = new Date(since).toISOString().slice(0, 10);
    const name = (m: { name_fi: string | null; name_sv: string | null }) => (lang === 'sv' && m.name_sv ? m.name_sv : (m.name_fi ?? m.name_sv ?? ''));
    const meetings = await deps.db
      .selectFrom('milestones')
      .leftJoin('municipalities', 'municipalities.id', 'milestones.municipality_id')
      .select(['milestones.id', 'milestones.date', 'milestones.label_fi', 'milestones.label_sv', 'municipalities.name_fi', 'municipalities.name_sv'])
      .where('milestones.area_id', '=', area.id)
      .where('milestones.kind', '=', 'council_meeting')
      .where('milestones.date', '>=', sinceDate)
      .orderBy('milestones.date')
      .execute();
    for (const m of meetings) {
      const label = (lang === 'sv' ? m.label_sv : m.label_fi) || m.label_fi || m.label_sv;
      entries.push({ uid: `meeting-${m.id}@sopu`, title: m.name_fi || m.name_sv ? t.meetingEvent(name(m)) : label, start: { date: m.date }, url: `${areaPath}`, ...(label ? { description: label } : {}) });
    }
    const scheduled = await deps.db
      .selectFrom('council_decisions')
      .innerJoin('approval_requests', 'approval_requests.id', 'council_decisions.approval_request_id')
      .innerJoin('municipalities', 'municipalities.id', 'council_decisions.municipality_id')
      .select(['council_decisions.id', 'council_decisions.meeting_date', 'approval_requests.document_id', 'municipalities.name_fi', 'municipalities.name_sv'])
      .where('council_decisions.area_id', '=', area.id)
      .where('council_decisions.state', '=', 'scheduled')
      .where('approval_requests.status', '=', 'open')
      .where('council_decisions.meeting_date', '>=', sinceDate)
      .execute();
    for (const s of scheduled) {
      if (!s.meeting_date) continue;
      entries.push({ uid: `handling-${s.id}@sopu`, title: t.meetingEvent(name(s)), start: { date: s.meeting_date }, url: `${areaPath}/approvals?document=${s.document_id}` });
    }
  }
  return entries;
}

/**
 * The calendar (text/calendar) behind a feed address, for whoever holds it (Outlook asks without signing in): the
 * person's areas' round deadlines and council meetings, in the person's mail language. An unknown or revoked
 * address is not_found.
 */
export async function calendarFeed(deps: CoreDeps, token: unknown): Promise<string> {
  if (typeof token !== 'string' || !/^[a-z2-7]{16,64}$/.test(token)) throw new DomainError('not_found', 'no such calendar');
  const feed = await deps.db
    .selectFrom('calendar_feeds')
    .innerJoin('users', 'users.id', 'calendar_feeds.user_id')
    .select(['calendar_feeds.id', 'calendar_feeds.user_id', 'users.locale'])
    .where('calendar_feeds.token_hash', '=', hashToken(token))
    .where('calendar_feeds.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!feed) throw new DomainError('not_found', 'no such calendar');
  const now = deps.now();
  await deps.db.updateTable('calendar_feeds').set({ last_used_at: now }).where('id', '=', feed.id).execute();
  return calendarFile(await entriesOf(deps, feed.user_id, mailLanguage(feed.locale)), { name: 'Sopu', now });
}
