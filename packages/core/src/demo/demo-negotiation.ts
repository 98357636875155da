import { canonicalSections, hashSectionText, sectionFragment, sha256Hex } from '@sopu/doc-model';
import type { Db } from '@sopu/db';
import * as Y from 'yjs';
import { loadDocumentState } from '../documents/index.ts';
import { newId } from '../shared/ids.ts';

/**
 * The negotiation as the demo shows it (docs/decisions/025): suggested changes pending from two municipalities in
 * Kainuu-Koillismaa's agreement (one from Holmby in Saaristo's), and a positions matrix in progress: agreements,
 * a reservation, an objection, and a position given on an earlier text.
 */
interface DemoSuggestion {
  by: string;
  section: string;
  /** Inserted right after this text of the section (in its paragraph), or this text marked for deletion. */
  after?: string;
  insert?: string;
  remove?: string;
  minutesAgo: number;
}
interface DemoPosition {
  by: string;
  section: string;
  stance: 'agree' | 'reservations' | 'objects';
  text?: string;
  /** Given on a text since changed. */
  earlier?: boolean;
  minutesAgo: number;
}

const SUGGESTIONS: Record<string, DemoSuggestion[]> = {
  'kainuu-koillismaa': [
    { by: 'drafter.sotkamo@sopu.example', section: 'premises', after: 'Sotkamossa', insert: ', Vuokatissa', minutesAgo: 180 },
    { by: 'drafter.kuusamo@sopu.example', section: 'premises', remove: 'sovittuina ', minutesAgo: 95 },
    { by: 'drafter.kuusamo@sopu.example', section: 'premises', after: 'asiointipäivinä', insert: ' vähintään kahtena päivänä viikossa', minutesAgo: 94 },
  ],
  'saaristo-skargard': [{ by: 'drafter.holmpy@sopu.example', section: 'premises', after: 'Holmby', insert: ' (även Ytterö under sommaren)', minutesAgo: 120 }],
};

const POSITIONS: Record<string, DemoPosition[]> = {
  'kainuu-koillismaa': [
    ...['parties', 'purpose', 'governance', 'premises'].map((section) => ({ by: 'rep.kajaani@sopu.example', section, stance: 'agree' as const, minutesAgo: 600 })),
    { by: 'rep.kuhmo@sopu.example', section: 'parties', stance: 'agree', minutesAgo: 500 },
    { by: 'rep.kuhmo@sopu.example', section: 'purpose', stance: 'agree', minutesAgo: 500 },
    { by: 'rep.kuhmo@sopu.example', section: 'governance', stance: 'reservations', text: 'Hyväksymme, kunhan kokouskutsut lähetetään myös sähköisesti.', minutesAgo: 480 },
    { by: 'rep.sotkamo@sopu.example', section: 'parties', stance: 'agree', minutesAgo: 400 },
    { by: 'rep.sotkamo@sopu.example', section: 'premises', stance: 'objects', text: 'Vuokatin palvelupiste puuttuu luettelosta; ks. muutosehdotuksemme.', minutesAgo: 170 },
    { by: 'rep.kuusamo@sopu.example', section: 'parties', stance: 'agree', minutesAgo: 300 },
    { by: 'rep.paltamo@sopu.example', section: 'governance', stance: 'agree', earlier: true, minutesAgo: 9000 },
  ],
  'saaristo-skargard': [
    { by: 'rep.rantala@sopu.example', section: 'parties', stance: 'agree', minutesAgo: 300 },
    { by: 'rep.holmpy@sopu.example', section: 'parties', stance: 'agree', minutesAgo: 200 },
  ],
};

/**
 * The sections the demo's negotiation still argues about (a suggestion pending or a municipality objecting): the
 * rest of an agreement sent to the councils is marked agreed (demo-approvals.ts), these stay in drafting.
 */
export function demoContestedSections(slug: string): Set<string> {
  return new Set([...(SUGGESTIONS[slug] ?? []).map((s) => s.section), ...(POSITIONS[slug] ?? []).filter((p) => p.stance === 'objects').map((p) => p.section)]);
}

/** The run of text holding `needle` in a section, and where in it. */
function find(doc: Y.Doc, section: string, needle: string): { text: Y.XmlText; index: number } | null {
  const walk = (type: Y.XmlFragment | Y.XmlElement): { text: Y.XmlText; index: number } | null => {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText) {
        // The plain characters (toString() of a formatted text is markup).
        const plain = (child.toDelta() as Array<{ insert: unknown }>).map((d) => (typeof d.insert === 'string' ? d.insert : '\ufffc')).join('');
        const index = plain.indexOf(needle);
        if (index >= 0) return { text: child, index };
      } else if (child instanceof Y.XmlElement) {
        const found = walk(child);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(sectionFragment(doc, section));
}

export async function loadDemoNegotiation({ db }: { db: Db }, now: number): Promise<void> {
  const areas = await db.selectFrom('areas').select(['id', 'slug']).execute();
  for (const area of areas) {
    const people = await db
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .innerJoin('municipalities', 'municipalities.id', 'memberships.municipality_id')
      .select(['users.id', 'users.email', 'municipalities.code', 'municipalities.id as municipalityId'])
      .where('memberships.area_id', '=', area.id)
      .execute();
    const person = (email: string) => people.find((p) => p.email === email);
    const document = await db.selectFrom('documents').select('id').where('area_id', '=', area.id).where('kind', '=', 'cooperation_agreement').executeTakeFirst();
    if (!document) continue;
    const doc = await loadDocumentState(db, document.id);
    try {
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      for (const [i, s] of (SUGGESTIONS[area.slug] ?? []).entries()) {
        const who = person(s.by);
        const at = find(doc, s.section, s.after ?? s.remove ?? '');
        if (!who || !at) continue;
        const mark = { id: `demo${i}${area.slug.slice(0, 4)}${s.minutesAgo}`, author: who.id, municipality: who.code, at: now - s.minutesAgo * 60_000 };
        if (s.insert) at.text.insert(at.index + (s.after ?? '').length, s.insert, { suggestionInsert: mark });
        else if (s.remove) at.text.format(at.index, s.remove.length, { suggestionDelete: mark });
      }
      const hashes = new Map(canonicalSections(doc).map((section) => [section.key, hashSectionText(section)]));
      await db.transaction().execute(async (trx) => {
        if (updates.length > 0) {
          const last = await trx.selectFrom('doc_updates').select((eb) => eb.fn.max('seq').as('seq')).where('document_id', '=', document.id).executeTakeFirst();
          await trx.insertInto('doc_updates').values({ document_id: document.id, seq: Number(last?.seq ?? 0) + 1, update: Y.mergeUpdates(updates), user_id: null, created_at: now - 90 * 60_000 }).execute();
        }
        for (const p of POSITIONS[area.slug] ?? []) {
          const who = person(p.by);
          const hash = hashes.get(p.section);
          if (!who || !hash) continue;
          await trx
            .insertInto('section_positions')
            .values({
              id: newId(),
              area_id: area.id,
              document_id: document.id,
              section_key: p.section,
              municipality_id: who.municipalityId,
              stance: p.stance,
              text: p.text ?? '',
              section_hash: p.earlier ? sha256Hex(`an earlier text of ${p.section}`) : hash,
              set_by: who.id,
              set_at: now - p.minutesAgo * 60_000,
            })
            .execute();
        }
      });
    } finally {
      doc.destroy();
    }
  }
}
