import { generateToken, hashToken } from '@sopu/auth';
import { canonicalJson, canonicalSections, readSuggestions, sectionPlainText, sectionsMap } from '@sopu/doc-model';
import * as Y from 'yjs';
import { loadDocumentState } from '../documents/index.ts';
import { agreeProblems } from '../negotiation/index.ts';
import { demoContestedSections } from './demo-negotiation.ts';
import type { Db } from '@sopu/db';
import { APPROVAL_TOKEN_PREFIX } from '../approvals/index.ts';
import { helsinkiDate } from '../shared/helsinki.ts';
import { dayMonth } from '../approvals/index.ts';
import type { AuditLog } from '../shared/audit.ts';
import { demoMilestoneDate } from './demo-dates.ts';
import { addDays } from '../shared/helsinki.ts';
import { newId } from '../shared/ids.ts';
import { currentContent } from '../versions/index.ts';

/**
 * Demo content: each demo agreement's drafted text saved as a version "for the councils" and sent to them, so that a
 * newcomer sees each step of an approval (and a municipality's system token in the token list). In Kainuu-Koillismaa
 * the matrix is in progress: six councils approved, two of those decisions are final already, Kuhmo meets in two
 * weeks. In Saaristo every council approved (the request is closed), two decisions are final and signed, Saarela's is
 * awaiting finality; the agreement enters into force on the next 1 January (its stated date) once it is final. A text
 * goes to the councils when the parties have agreed it: before the version is saved, every section the negotiation's
 * rule lets be agreed (text, no placeholder, no open thread, no pending suggestion) is marked agreed, except those the
 * demo's negotiation still argues about (demo-negotiation.ts), so the sections out for approval are not all
 * "drafting" and the live text's hash stays the version's. Written after the drafted
 * text and its first version; nothing edits the text afterwards, so the current text is the one sent. Dates are
 * relative to the load, so the demo tells the same story whenever it is loaded.
 */

type Via = 'member' | 'on_behalf' | 'token';
interface DemoDecision {
  code: string;
  state: 'scheduled' | 'approved';
  /** Approved: days before the load it was decided. Scheduled: days after the load the council meets. */
  days: number;
  /** Days before the load the approval became final (lainvoimainen), if it has. */
  finalDaysAgo?: number;
  /** Days before the load the municipality signed the agreement, and who signed, if it has. */
  signed?: { daysAgo: number; by: string };
  section?: number;
  /** The minutes' address, with {date} for the decision date. */
  url?: string;
  via: Via;
  note?: string;
  /** An approval whose meeting was recorded first (scheduled, then approved). */
  scheduledFirst?: boolean;
}

interface DemoRequest {
  /** The version's label; {date} is the day it was sent. */
  label: string;
  /** How many days before the load the version was sent. */
  sentDaysAgo: number;
  admin: string;
  token: { code: string; label: string };
  decisions: DemoDecision[];
}

const DEMO_APPROVALS: Record<string, DemoRequest> = {
  'kainuu-koillismaa': {
    label: 'Valtuustokäsittelyyn {date}',
    sentDaysAgo: 40,
    admin: 'admin.kajaani@sopu.example',
    token: { code: '305', label: 'Kuusamon asianhallinta (demo)' },
    decisions: [
      { code: '205', state: 'approved', days: 33, finalDaysAgo: 5, section: 87, url: 'https://poytakirjat.kajaani.example/kaupunginvaltuusto/{date}/87', via: 'member', scheduledFirst: true },
      { code: '765', state: 'approved', days: 33, finalDaysAgo: 5, section: 54, via: 'member' },
      { code: '305', state: 'approved', days: 30, section: 112, via: 'token' },
      { code: '777', state: 'approved', days: 12, section: 63, via: 'member', scheduledFirst: true },
      { code: '578', state: 'approved', days: 12, section: 41, via: 'member' },
      { code: '105', state: 'approved', days: 10, section: 38, via: 'on_behalf', note: 'Kirjattu Hyrynsalmen puolesta pöytäkirjanotteen perusteella.' },
      { code: '290', state: 'scheduled', days: 13, via: 'member', note: 'Kaupunginhallitus esittää hyväksymistä.' },
    ],
  },
  'saaristo-skargard': {
    label: 'Fullmäktigebehandling {date}',
    sentDaysAgo: 60,
    admin: 'admin.rantala@sopu.example',
    token: { code: '902', label: 'Holmby ärendehantering (demo)' },
    decisions: [
      { code: '902', state: 'approved', days: 50, finalDaysAgo: 22, signed: { daysAgo: 12, by: 'Kommundirektör (demo)' }, section: 23, via: 'member' },
      { code: '901', state: 'approved', days: 47, finalDaysAgo: 20, signed: { daysAgo: 10, by: 'Kommundirektör (demo)' }, section: 61, via: 'member', scheduledFirst: true },
      { code: '903', state: 'approved', days: 45, section: 14, via: 'on_behalf' },
    ],
  },
};

/** Marks agreed the sections of a document that could be agreed by the negotiation's rule, as the host did before sending it. */
async function agreeSettledSections(db: Db, documentId: string, userId: string, contested: ReadonlySet<string>, at: number): Promise<void> {
  const doc = await loadDocumentState(db, documentId);
  try {
    const open = await db.selectFrom('comment_threads').select('section_key').where('document_id', '=', documentId).where('status', '=', 'open').execute();
    const threads = new Set(open.map((r) => r.section_key));
    const pending = new Set(readSuggestions(doc).map((s) => s.section));
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.transact(() => {
      for (const section of canonicalSections(doc)) {
        if (section.status !== 'drafting' || contested.has(section.key)) continue;
        const problems = agreeProblems({ text: sectionPlainText(doc, section.key), openThreads: threads.has(section.key) ? 1 : 0, pendingSuggestions: pending.has(section.key) ? 1 : 0, objections: [] });
        const meta = sectionsMap(doc).get(section.key);
        if (problems.length > 0 || !(meta instanceof Y.Map)) continue;
        meta.set('status', 'agreed');
        meta.set('reason', '');
        meta.set('updatedBy', userId);
        meta.set('updatedAt', at);
      }
    });
    if (updates.length === 0) return;
    const last = await db.selectFrom('doc_updates').select((eb) => eb.fn.max('seq').as('seq')).where('document_id', '=', documentId).executeTakeFirst();
    await db.insertInto('doc_updates').values({ document_id: documentId, seq: Number(last?.seq ?? 0) + 1, update: Y.mergeUpdates(updates), user_id: userId, created_at: at }).execute();
  } finally {
    doc.destroy();
  }
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** d.m.yyyy, as a label says a date. */
const labelDate = (date: string) => `${dayMonth(date)}${date.slice(0, 4)}`;

export async function loadDemoApprovals({ db, audit }: { db: Db; audit: AuditLog }, now: number): Promise<void> {
  const areas = await db.selectFrom('areas').select(['id', 'slug']).execute();
  for (const area of areas) {
    const seed = DEMO_APPROVALS[area.slug];
    if (!seed) continue;
    const document = await db.selectFrom('documents').select('id').where('area_id', '=', area.id).where('kind', '=', 'cooperation_agreement').executeTakeFirst();
    const admin = await db.selectFrom('users').select('id').where('email', '=', seed.admin).executeTakeFirst();
    if (!document || !admin) continue;
    const municipalities = await db.selectFrom('municipalities').select(['id', 'code']).where('area_id', '=', area.id).execute();
    const secretaries = await db
      .selectFrom('memberships')
      .innerJoin('municipalities', 'municipalities.id', 'memberships.municipality_id')
      .select(['memberships.user_id', 'municipalities.code'])
      .where('memberships.area_id', '=', area.id)
      .where('memberships.role', '=', 'council_secretary')
      .execute();
    const idOf = new Map(municipalities.map((m) => [m.code, m.id]));
    await agreeSettledSections(db, document.id, admin.id, demoContestedSections(area.slug), now - seed.sentDaysAgo * DAY - HOUR);
    const content = await currentContent(db, document.id);
    const last = await db.selectFrom('versions').select((eb) => eb.fn.max('number').as('n')).where('document_id', '=', document.id).executeTakeFirst();
    const number = Number(last?.n ?? 0) + 1;
    // Never in the future: each time is at most a minute before the load.
    const past = (ms: number) => Math.min(ms, now - 60_000);
    const today = helsinkiDate(now);
    const sentAt = now - seed.sentDaysAgo * DAY;
    const label = seed.label.replace('{date}', labelDate(helsinkiDate(sentAt)));
    const versionId = newId();
    const requestId = newId();
    const tokenId = newId();
    // Closed once every party decided (here: approved); the last approval recorded closes it.
    const allDecided = municipalities.every((m) => seed.decisions.some((d) => d.code === m.code && d.state === 'approved'));
    let closedAt = 0;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('versions')
        .values({ id: versionId, area_id: area.id, document_id: document.id, number, label, content: canonicalJson(content.canonical), hash: content.hash, section_hashes: JSON.stringify(content.sectionHashes), snapshot: content.state, restored_from: null, created_by: admin.id, created_at: sentAt - HOUR / 2 })
        .execute();
      await trx.insertInto('approval_requests').values({ id: requestId, area_id: area.id, document_id: document.id, version_id: versionId, status: 'open', sent_by: admin.id, sent_at: sentAt, superseded_at: null }).execute();
      // The agreement states its entry into force: the next 1 January at least three weeks ahead.
      await trx.updateTable('documents').set({ entry_into_force_date: demoMilestoneDate({ nextNewYear: true }, now) }).where('id', '=', document.id).where('area_id', '=', area.id).execute();
      // The token's secret is thrown away: the demo shows that a token exists, nobody can use it.
      await trx
        .insertInto('api_tokens')
        .values({ id: tokenId, area_id: area.id, municipality_id: idOf.get(seed.token.code)!, label: seed.token.label, token_hash: hashToken(`${APPROVAL_TOKEN_PREFIX}${generateToken()}`), created_by: admin.id, created_at: sentAt - HOUR, revoked_at: null, last_used_at: null })
        .execute();
      for (const m of municipalities) {
        const d = seed.decisions.find((x) => x.code === m.code);
        const approved = d?.state === 'approved';
        const recorder = d?.via === 'member' ? (secretaries.find((s) => s.code === m.code)?.user_id ?? null) : d?.via === 'on_behalf' ? admin.id : null;
        // A decision is recorded the evening of its meeting; a coming meeting a day after the request came; finality
        // and a signature the morning after their day.
        const date = d ? addDays(today, approved ? -d.days : d.days) : null;
        const recordedAt = d ? past(approved ? now - d.days * DAY + 8 * HOUR : sentAt + DAY) : null;
        const finalDate = approved && d.finalDaysAgo !== undefined ? addDays(today, -d.finalDaysAgo) : null;
        const signedDate = approved && d.signed ? addDays(today, -d.signed.daysAgo) : null;
        const finalAt = finalDate && d?.finalDaysAgo !== undefined ? past(now - (d.finalDaysAgo - 1) * DAY - 14 * HOUR) : null;
        const signedAt = signedDate && d?.signed ? past(now - (d.signed.daysAgo - 1) * DAY - 14 * HOUR) : null;
        if (approved && recordedAt !== null) closedAt = Math.max(closedAt, recordedAt);
        const decisionId = newId();
        const fields = {
          meeting_date: date,
          decision_date: approved ? date : null,
          minutes_section: approved && d.section ? `${d.section} §` : null,
          minutes_url: approved && d.url && date ? d.url.replace('{date}', date) : null,
          note: d?.note ?? null,
          final_date: null as string | null,
          signed_date: null as string | null,
          signatory: null as string | null,
        };
        const state = signedDate ? 'signed' : finalDate ? 'final' : (d?.state ?? 'pending');
        const latest = { ...fields, final_date: finalDate, signed_date: signedDate, signatory: signedDate ? d!.signed!.by : null };
        await trx
          .insertInto('council_decisions')
          .values({ id: decisionId, area_id: area.id, approval_request_id: requestId, municipality_id: m.id, state, ...latest, recorded_by: recorder, recorded_at: signedAt ?? finalAt ?? recordedAt })
          .execute();
        if (!d || recordedAt === null) continue;
        const step = (state: string, values: typeof fields, createdAt: number) =>
          trx
            .insertInto('council_decision_events')
            .values({ id: newId(), area_id: area.id, council_decision_id: decisionId, state, ...values, recorded_by: recorder, api_token_id: d.via === 'token' ? tokenId : null, on_behalf: d.via === 'on_behalf' ? 1 : 0, created_at: createdAt })
            .execute();
        if (approved && d.scheduledFirst) await step('scheduled', { ...fields, decision_date: null, minutes_section: null, minutes_url: null, note: null }, past(sentAt + 2 * HOUR));
        await step(d.state, fields, recordedAt);
        if (finalAt !== null) await step('final', { ...fields, final_date: finalDate, note: null }, finalAt);
        if (signedAt !== null) await step('signed', { ...latest, note: null }, signedAt);
        if (d.via === 'token') await trx.updateTable('api_tokens').set({ last_used_at: recordedAt }).where('id', '=', tokenId).execute();
      }
      if (allDecided) await trx.updateTable('approval_requests').set({ status: 'closed', closed_at: closedAt }).where('id', '=', requestId).execute();
      await audit.append(trx, { areaId: area.id, actorUserId: null, action: 'approval.requested', subjectType: 'approval_request', subjectId: requestId, details: { source: 'demo', documentId: document.id, version: number, hash: content.hash, decisions: seed.decisions.length } }, now);
    });
  }
}
