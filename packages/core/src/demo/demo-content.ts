import {
  canonicalJson, canonicalSections, createAnchor, documentLanguages, documentTranslations, fillSection, findInSection, makeBilingual, markTranslationInLine, sectionFragment, sectionsMap, templateFor,
  type DocumentKind, type DocumentLanguage, type ProseMirrorJSON,
} from '@sopu/doc-model';
import demoContent from '@sopu/migrations/seeds/demo-content.json' with { type: 'json' };
import type { Db } from '@sopu/db';
import * as Y from 'yjs';
import type { AuditLog } from '../shared/audit.ts';
import { loadDemoApprovals } from './demo-approvals.ts';
import { loadDemoConsultation } from './demo-consultation.ts';
import { loadDemoNegotiation } from './demo-negotiation.ts';
import { loadDocumentState } from '../documents/index.ts';
import { newId } from '../shared/ids.ts';
import { mentionToken } from '../comments/index.ts';
import { dayMonth } from '../approvals/index.ts';
import { helsinkiDate } from '../shared/helsinki.ts';
import { contentOf, type DocumentContent } from '../versions/index.ts';

/**
 * The demo agreements' drafted text and a few threads between municipalities (db/seeds/demo-content.json), so that a
 * newcomer opens an agreement in progress rather than an empty template. Demo content only: the dashboard says so.
 */

type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; level: number; text: string }
  | { type: 'bulletList' | 'orderedList'; items: string[] }
  | { type: 'table'; rows: string[][]; header?: boolean };

interface DemoThread {
  document: 'cooperation_agreement' | 'administrative_rules';
  section: string;
  /** The language column of a bilingual agreement the thread is on (its main language when absent). */
  language?: DocumentLanguage;
  quote: string | null;
  status: 'open' | 'resolved';
  comments: Array<{ author: string; body: string; minutesAgo: number }>;
}

interface DemoAreaContent {
  cooperation_agreement: Record<string, Block[]>;
  administrative_rules: Record<string, Block[]>;
  /**
   * A bilingual agreement (decision 026): the other language's text of each section, added with the revised text
   * (so version 1 is the first draft in one language and version 2, the one the councils approved, has both), and
   * one section's main text completed after the approvals, which leaves its translation stale.
   */
  bilingual?: {
    cooperation_agreement: { language: DocumentLanguage; sections: Record<string, Block[]> };
    staleAfterApproval: { document: 'cooperation_agreement'; section: string; now: Block[] };
  };
  threads: DemoThread[];
}

const content = demoContent as unknown as { notice: { fi: string; sv: string }; areas: Record<string, DemoAreaContent> };

export const DEMO_CONTENT_NOTICE = content.notice;

const text = (value: string): ProseMirrorJSON[] => (value === '' ? [] : [{ type: 'text', text: value }]);
const paragraph = (value: string): ProseMirrorJSON => ({ type: 'paragraph', content: text(value) });

function blockJson(block: Block): ProseMirrorJSON {
  switch (block.type) {
    case 'paragraph':
      return paragraph(block.text);
    case 'heading':
      return { type: 'heading', attrs: { level: block.level }, content: text(block.text) };
    case 'bulletList':
    case 'orderedList':
      return { type: block.type, content: block.items.map((item) => ({ type: 'listItem', content: [paragraph(item)] })) };
    case 'table':
      return {
        type: 'table',
        content: block.rows.map((row, r) => ({
          type: 'tableRow',
          content: row.map((cell) => ({ type: r === 0 && block.header !== false ? 'tableHeader' : 'tableCell', content: [paragraph(cell)] })),
        })),
      };
  }
}

/** Writes the sections' text into a document (as one update by the server) and returns the update. */
function draftUpdate(doc: Y.Doc, kind: DocumentKind, sections: Record<string, Block[]>): Uint8Array | null {
  const updates: Uint8Array[] = [];
  const onUpdate = (u: Uint8Array) => updates.push(u);
  doc.on('update', onUpdate);
  doc.transact(() => {
    for (const { key } of templateFor(kind)) {
      const blocks = sections[key];
      if (!blocks || blocks.length === 0) continue;
      fillSection(doc, key, { type: 'doc', content: blocks.map(blockJson) });
    }
  });
  doc.off('update', onUpdate);
  return updates.length > 0 ? Y.mergeUpdates(updates) : null;
}

/** Replaces `@{e-mail}` mentions of the seed file with the stored token of that person. */
function withMentions(body: string, userIds: Map<string, string>): { body: string; mentions: string[] } {
  const mentions: string[] = [];
  const out = body.replace(/@\{([^}\s]+@[^}\s]+)\}/g, (whole, email: string) => {
    const id = userIds.get(email);
    if (!id) return whole;
    if (!mentions.includes(id)) mentions.push(id);
    return mentionToken(id);
  });
  return { body: out, mentions };
}

/**
 * Loads the demo content into the demo areas' documents: text into every section, then the threads, anchored to
 * their quotes in that text. Runs right after the demo areas are created (an empty database).
 */
/** The minimum consultation period the demo agreements state (Kainuu-Koillismaa's governance section: 45 days, July not counted). */
const DEMO_CONSULTATION_PERIOD: Record<string, { days: number; excludesJuly: boolean }> = { 'kainuu-koillismaa': { days: 45, excludesJuly: true } };

export async function loadDemoContent({ db, audit }: { db: Db; audit: AuditLog }, now: number): Promise<void> {
  const areas = await db.selectFrom('areas').select(['id', 'slug']).execute();
  for (const area of areas) {
    const period = DEMO_CONSULTATION_PERIOD[area.slug];
    if (period) await db.updateTable('areas').set({ min_consultation_days: period.days, min_consultation_excludes_july: period.excludesJuly ? 1 : 0 }).where('id', '=', area.id).execute();
  }
  for (const area of areas) {
    const seed = content.areas[area.slug];
    if (!seed) continue;
    const users = await db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id').select(['users.id', 'users.email']).where('memberships.area_id', '=', area.id).execute();
    const userIds = new Map(users.map((u) => [u.email, u.id]));
    for (const kind of ['cooperation_agreement', 'administrative_rules'] as const) {
      const document = await db.selectFrom('documents').select('id').where('area_id', '=', area.id).where('kind', '=', kind).executeTakeFirst();
      if (!document) continue;
      const doc = await loadDocumentState(db, document.id);
      // The first draft (saved as version 1), then the revisions the resolved threads asked for: the text today.
      const revisions = (FIRST_DRAFT[area.slug] ?? []).filter((r) => r.document === kind);
      let firstDraft: DocumentContent | null = null;
      try {
        const update = draftUpdate(doc, kind, firstDraftOf(seed[kind], revisions));
        firstDraft = contentOf(doc);
        const revision = revisions.length > 0 ? reviseUpdate(doc, Object.fromEntries(revisions.map((r) => [r.section, seed[kind][r.section] ?? []]))) : null;
        const translation = kind === 'cooperation_agreement' && seed.bilingual ? bilingualUpdate(doc, seed.bilingual.cooperation_agreement, userIds.get(DEMO_ADMIN[area.slug] ?? '') ?? null, now - 5 * DAY) : null;
        const last = await db.selectFrom('doc_updates').select((eb) => eb.fn.max('seq').as('seq')).where('document_id', '=', document.id).executeTakeFirst();
        await db.transaction().execute(async (trx) => {
          const seq = Number(last?.seq ?? 0);
          if (update) await trx.insertInto('doc_updates').values({ document_id: document.id, seq: seq + 1, update, user_id: null, created_at: now - 6 * DAY - HOUR }).execute();
          if (revision) await trx.insertInto('doc_updates').values({ document_id: document.id, seq: seq + 2, update: revision, user_id: null, created_at: now - 5 * DAY }).execute();
          if (translation) {
            await trx.insertInto('doc_updates').values({ document_id: document.id, seq: seq + 3, update: translation.update, user_id: null, created_at: now - 5 * DAY }).execute();
            await audit.append(trx, { areaId: area.id, actorUserId: translation.by, action: 'document.made_bilingual', subjectType: 'document', subjectId: document.id, details: { languages: translation.languages } }, now - 5 * DAY);
          }
          const languages = documentLanguages(doc);
          for (const thread of seed.threads.filter((t) => t.document === kind)) {
            const authors = thread.comments.map((c) => userIds.get(c.author));
            if (authors.some((a) => !a) || thread.comments.length === 0) continue;
            const language = languages ? (thread.language ?? languages.main) : null;
            const range = thread.quote ? findInSection(doc, thread.section, thread.quote, language ?? undefined) : null;
            const anchor = range ? createAnchor(doc, thread.section, range.from, range.to, language ?? undefined) : null;
            const threadId = newId();
            const started = now - thread.comments[0]!.minutesAgo * 60_000;
            const last = now - thread.comments.at(-1)!.minutesAgo * 60_000;
            await trx
              .insertInto('comment_threads')
              .values({
                id: threadId,
                area_id: area.id,
                document_id: document.id,
                section_key: thread.section,
                language,
                anchor_from: anchor ? Buffer.from(anchor.from, 'base64') : null,
                anchor_to: anchor ? Buffer.from(anchor.to, 'base64') : null,
                quote: anchor ? thread.quote! : '',
                status: thread.status,
                created_by: authors[0]!,
                created_at: started,
                resolved_by: thread.status === 'resolved' ? authors.at(-1)! : null,
                resolved_at: thread.status === 'resolved' ? last + 60_000 : null,
                updated_at: last,
              })
              .execute();
            for (const [i, c] of thread.comments.entries()) {
              const { body, mentions } = withMentions(c.body, userIds);
              const commentId = newId();
              const at = now - c.minutesAgo * 60_000;
              await trx
                .insertInto('comments')
                .values({ id: commentId, area_id: area.id, thread_id: threadId, author_id: authors[i]!, body, mentions: JSON.stringify(mentions), created_at: at, edited_at: null, deleted_at: null, hidden_at: null, hidden_by: null, hidden_reason: null })
                .execute();
              for (const userId of mentions) {
                if (userId === authors[i]) continue;
                await trx
                  .insertInto('notifications')
                  .values({ id: newId(), area_id: area.id, user_id: userId, kind: 'mention', document_id: document.id, thread_id: threadId, comment_id: commentId, actor_id: authors[i]!, created_at: at, read_at: thread.status === 'resolved' ? at : null })
                  .execute();
              }
            }
          }
        });
      } finally {
        doc.destroy();
      }
      // The first draft as the first named version, so that history and comparisons have something to show.
      const at = now - 6 * DAY;
      const first = demoVersionLabel[area.slug]?.[kind]?.replace('{date}', labelDate(helsinkiDate(at)));
      const author = userIds.get(area.slug === 'kainuu-koillismaa' ? 'admin.kajaani@sopu.example' : 'admin.rantala@sopu.example') ?? null;
      if (first && firstDraft) await seedVersion(db, { areaId: area.id, documentId: document.id, label: first, createdBy: author, at, content: firstDraft });
    }
  }
  // After the text: version 1 is the drafted text, sent to the councils, some of which have decided.
  await loadDemoApprovals({ db, audit }, now);
  await loadDemoConsultation({ db, audit }, now);
  await loadDemoNegotiation({ db }, now);
  await loadStaleTranslations(db, now);
}

/** Who made each demo agreement bilingual (its host admin). */
const DEMO_ADMIN: Record<string, string> = { 'saaristo-skargard': 'admin.rantala@sopu.example' };
/** Who completed the main text after the approvals. */
const DEMO_DRAFTER: Record<string, string> = { 'saaristo-skargard': 'drafter.holmpy@sopu.example' };

/**
 * Makes the document bilingual (its text so far in its main language), writes the other language's text of every
 * section and marks each section in line: one update by the server.
 */
function bilingualUpdate(doc: Y.Doc, translation: { language: DocumentLanguage; sections: Record<string, Block[]> }, by: string | null, at: number): { update: Uint8Array; by: string | null; languages: DocumentLanguage[] } | null {
  const updates: Uint8Array[] = [];
  const onUpdate = (u: Uint8Array) => updates.push(u);
  doc.on('update', onUpdate);
  const main: DocumentLanguage = translation.language === 'fi' ? 'sv' : 'fi';
  doc.transact(() => {
    makeBilingual(doc, main, new Map(canonicalSections(doc).map((s) => [s.key, s.content])), by, at);
    for (const [key, blocks] of Object.entries(translation.sections)) fillSection(doc, key, { type: 'doc', content: blocks.map(blockJson) }, translation.language);
    for (const section of documentTranslations(doc) ?? []) markTranslationInLine(doc, section.key, section.texts, by, at);
  });
  doc.off('update', onUpdate);
  return updates.length > 0 ? { update: Y.mergeUpdates(updates), by, languages: [main, translation.language] } : null;
}

/** After the approvals, one section's main text is completed by a drafter: its translation shows as stale. */
async function loadStaleTranslations(db: Db, now: number): Promise<void> {
  const areas = await db.selectFrom('areas').select(['id', 'slug']).execute();
  for (const area of areas) {
    const stale = content.areas[area.slug]?.bilingual?.staleAfterApproval;
    if (!stale) continue;
    const document = await db.selectFrom('documents').select('id').where('area_id', '=', area.id).where('kind', '=', stale.document).executeTakeFirst();
    const drafter = await db.selectFrom('users').select('id').where('email', '=', DEMO_DRAFTER[area.slug] ?? '').executeTakeFirst();
    if (!document) continue;
    const doc = await loadDocumentState(db, document.id);
    try {
      // The host reopened the section (agreed when the text went to the councils, demo-approvals.ts) to revise it.
      const reopened: Uint8Array[] = [];
      const meta = sectionsMap(doc).get(stale.section);
      if (meta instanceof Y.Map && meta.get('status') === 'agreed') {
        doc.once('update', (u: Uint8Array) => reopened.push(u));
        doc.transact(() => {
          meta.set('status', 'drafting');
          meta.set('updatedBy', drafter?.id ?? 'server');
          meta.set('updatedAt', now - DAY);
        });
      }
      const revised = reviseUpdate(doc, { [stale.section]: stale.now });
      if (!revised) continue;
      const update = Y.mergeUpdates([...reopened, revised]);
      const last = await db.selectFrom('doc_updates').select((eb) => eb.fn.max('seq').as('seq')).where('document_id', '=', document.id).executeTakeFirst();
      await db.insertInto('doc_updates').values({ document_id: document.id, seq: Number(last?.seq ?? 0) + 1, update, user_id: drafter?.id ?? null, created_at: now - DAY }).execute();
    } finally {
      doc.destroy();
    }
  }
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** d.m.yyyy, as a label says a date. */
const labelDate = (date: string) => `${dayMonth(date)}${date.slice(0, 4)}`;

const demoVersionLabel: Record<string, Record<'cooperation_agreement' | 'administrative_rules', string>> = {
  'kainuu-koillismaa': { cooperation_agreement: 'Luonnos kuntien kommentoitavaksi {date}', administrative_rules: 'Hallintosäännön muutosluonnos {date}' },
  'saaristo-skargard': { cooperation_agreement: 'Utkast för kommunernas kommentarer {date}', administrative_rules: 'Utkast till ändring av förvaltningsstadgan {date}' },
};

/**
 * What the first draft said where the text was revised after the municipalities' comments (the resolved threads):
 * `now` is in the seed's text, `was` replaces it in version 1. An empty `was` means the first draft lacked it.
 */
const FIRST_DRAFT: Record<string, Array<{ document: 'cooperation_agreement' | 'administrative_rules'; section: string; now: string; was: string }>> = {
  'kainuu-koillismaa': [
    { document: 'cooperation_agreement', section: 'governance', now: 'vähintään 45 päivän määräajassa, johon ei lueta heinäkuuta', was: 'vähintään 30 päivän määräajassa' },
    { document: 'cooperation_agreement', section: 'personnel', now: ' Siirtyvät tehtävät luetellaan sopimuksen liitteessä 2.', was: '' },
  ],
  'saaristo-skargard': [
    {
      document: 'cooperation_agreement',
      section: 'finance_administration',
      now: 'Kostnaderna för förbindelsebåtar och resor till öarna som föranleds av kundbetjäningen är gemensamma kostnader.',
      was: 'Holmby svarar för kostnaderna för förbindelsebåtarna till besöksdagarna på Ytterö.',
    },
  ],
};

function firstDraftOf(sections: Record<string, Block[]>, revisions: ReadonlyArray<{ section: string; now: string; was: string }>): Record<string, Block[]> {
  const out = { ...sections };
  for (const r of revisions) {
    const json = JSON.stringify(out[r.section] ?? []);
    const needle = JSON.stringify(r.now).slice(1, -1);
    if (!json.includes(needle)) throw new Error(`demo content: "${r.now}" is not in ${r.section}`);
    out[r.section] = JSON.parse(json.replace(needle, JSON.stringify(r.was).slice(1, -1))) as Block[];
  }
  return out;
}

/** Replaces the given sections' text (as one update by the server) and returns the update. */
function reviseUpdate(doc: Y.Doc, sections: Record<string, Block[]>): Uint8Array | null {
  const updates: Uint8Array[] = [];
  const onUpdate = (u: Uint8Array) => updates.push(u);
  doc.on('update', onUpdate);
  doc.transact(() => {
    for (const [key, blocks] of Object.entries(sections)) {
      const fragment = sectionFragment(doc, key);
      fragment.delete(0, fragment.length);
      fillSection(doc, key, { type: 'doc', content: blocks.map(blockJson) });
    }
  });
  doc.off('update', onUpdate);
  return updates.length > 0 ? Y.mergeUpdates(updates) : null;
}

/** A version of the given content (the seed's own shortcut to saveVersion, with a time in the past). */
async function seedVersion(db: Db, input: { areaId: string; documentId: string; label: string; createdBy: string | null; at: number; content: DocumentContent }): Promise<void> {
  const content = input.content;
  const last = await db.selectFrom('versions').select((eb) => eb.fn.max('number').as('n')).where('document_id', '=', input.documentId).executeTakeFirst();
  await db
    .insertInto('versions')
    .values({
      id: newId(),
      area_id: input.areaId,
      document_id: input.documentId,
      number: Number(last?.n ?? 0) + 1,
      label: input.label,
      content: canonicalJson(content.canonical),
      hash: content.hash,
      section_hashes: JSON.stringify(content.sectionHashes),
      snapshot: content.state,
      restored_from: null,
      created_by: input.createdBy,
      created_at: input.at,
    })
    .execute();
}
