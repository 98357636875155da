import { generateToken, hashToken } from '@sopu/auth';
import { canonicalJson } from '@sopu/doc-model';
import type { Db } from '@sopu/db';
import { APPROVAL_TOKEN_PREFIX } from './api-tokens.ts';
import type { AuditLog } from './audit.ts';
import { newId } from './ids.ts';
import { currentContent } from './versions.ts';

/**
 * Demo content: each demo agreement saved as version 1 and sent to the councils, some of which have decided, so that
 * a newcomer opens an approvals matrix in progress (and a municipality's system token in the token list). Written
 * after the drafted text; nothing edits the text afterwards, so the current text is version 1's.
 */

type Via = 'member' | 'on_behalf' | 'token';
interface DemoDecision {
  code: string;
  state: 'scheduled' | 'approved';
  /** Meeting date; for an approval also its decision date. */
  date: string;
  section?: number;
  url?: string;
  via: Via;
  note?: string;
  /** An approval whose meeting was recorded first (scheduled, then approved). */
  scheduledFirst?: boolean;
}

interface DemoRequest {
  label: string;
  sentOn: string;
  admin: string;
  token: { code: string; label: string };
  decisions: DemoDecision[];
}

const DEMO_APPROVALS: Record<string, DemoRequest> = {
  'kainuu-koillismaa': {
    label: 'Valtuustokäsittelyyn 3.11.2026',
    sentOn: '2026-11-03',
    admin: 'admin.kajaani@sopu.example',
    token: { code: '305', label: 'Kuusamon asianhallinta (demo)' },
    decisions: [
      { code: '205', state: 'approved', date: '2026-11-10', section: 87, url: 'https://poytakirjat.kajaani.example/kaupunginvaltuusto/2026-11-10/87', via: 'member', scheduledFirst: true },
      { code: '765', state: 'approved', date: '2026-11-12', section: 54, via: 'member' },
      { code: '305', state: 'approved', date: '2026-11-16', section: 112, via: 'token' },
      { code: '777', state: 'approved', date: '2026-11-17', section: 63, via: 'member', scheduledFirst: true },
      { code: '578', state: 'approved', date: '2026-11-19', section: 41, via: 'member' },
      { code: '105', state: 'approved', date: '2026-11-24', section: 38, via: 'on_behalf', note: 'Kirjattu Hyrynsalmen puolesta pöytäkirjanotteen perusteella.' },
      { code: '290', state: 'scheduled', date: '2026-12-14', via: 'member', note: 'Kaupunginhallitus esittää hyväksymistä.' },
    ],
  },
  'saaristo-skargard': {
    label: 'Fullmäktigebehandling 5.11.2026',
    sentOn: '2026-11-05',
    admin: 'admin.rantala@sopu.example',
    token: { code: '902', label: 'Holmby ärendehantering (demo)' },
    decisions: [
      { code: '902', state: 'approved', date: '2026-11-18', section: 23, via: 'member' },
      { code: '901', state: 'scheduled', date: '2026-12-10', via: 'member' },
    ],
  },
};

/** Noon in Finland on a date, shifted by some minutes, but never later than `now` (the demo may be loaded with any clock). */
const at = (date: string, now: number, minutesAfter = 0) => Math.min(Date.parse(`${date}T10:00:00Z`) + minutesAfter * 60_000, now - 60_000);
const DAY = 24 * 60;

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
    const content = await currentContent(db, document.id);
    const sentAt = at(seed.sentOn, now);
    const versionId = newId();
    const requestId = newId();
    const tokenId = newId();
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('versions')
        .values({ id: versionId, area_id: area.id, document_id: document.id, number: 1, label: seed.label, content: canonicalJson(content.canonical), hash: content.hash, section_hashes: JSON.stringify(content.sectionHashes), snapshot: content.state, restored_from: null, created_by: admin.id, created_at: at(seed.sentOn, now, -30) })
        .execute();
      await trx.insertInto('approval_requests').values({ id: requestId, area_id: area.id, document_id: document.id, version_id: versionId, status: 'open', sent_by: admin.id, sent_at: sentAt, superseded_at: null }).execute();
      // The token's secret is thrown away: the demo shows that a token exists, nobody can use it.
      await trx
        .insertInto('api_tokens')
        .values({ id: tokenId, area_id: area.id, municipality_id: idOf.get(seed.token.code)!, label: seed.token.label, token_hash: hashToken(`${APPROVAL_TOKEN_PREFIX}${generateToken()}`), created_by: admin.id, created_at: at(seed.sentOn, now, -60), revoked_at: null, last_used_at: null })
        .execute();
      for (const m of municipalities) {
        const d = seed.decisions.find((x) => x.code === m.code);
        const approved = d?.state === 'approved';
        const recorder = d?.via === 'member' ? (secretaries.find((s) => s.code === m.code)?.user_id ?? null) : d?.via === 'on_behalf' ? admin.id : null;
        const recordedAt = d ? (d.state === 'scheduled' ? at(seed.sentOn, now, 7 * DAY) : at(d.date, now, 2 * DAY)) : null;
        const decisionId = newId();
        const fields = {
          meeting_date: d?.date ?? null,
          decision_date: approved ? d.date : null,
          minutes_section: approved && d.section ? `${d.section} §` : null,
          minutes_url: (approved && d.url) || null,
          note: d?.note ?? null,
        };
        await trx
          .insertInto('council_decisions')
          .values({ id: decisionId, area_id: area.id, approval_request_id: requestId, municipality_id: m.id, state: d?.state ?? 'pending', ...fields, recorded_by: recorder, recorded_at: recordedAt })
          .execute();
        if (!d || recordedAt === null) continue;
        const step = (state: string, values: typeof fields, createdAt: number) =>
          trx
            .insertInto('council_decision_events')
            .values({ id: newId(), area_id: area.id, council_decision_id: decisionId, state, ...values, recorded_by: recorder, api_token_id: d.via === 'token' ? tokenId : null, on_behalf: d.via === 'on_behalf' ? 1 : 0, created_at: createdAt })
            .execute();
        if (approved && d.scheduledFirst) await step('scheduled', { meeting_date: d.date, decision_date: null, minutes_section: null, minutes_url: null, note: null }, at(seed.sentOn, now, DAY));
        await step(d.state, fields, recordedAt);
        if (d.via === 'token') await trx.updateTable('api_tokens').set({ last_used_at: recordedAt }).where('id', '=', tokenId).execute();
      }
      await audit.append(trx, { areaId: area.id, actorUserId: null, action: 'approval.requested', subjectType: 'approval_request', subjectId: requestId, details: { source: 'demo', documentId: document.id, version: 1, hash: content.hash, decisions: seed.decisions.length } }, now);
    });
  }
}
