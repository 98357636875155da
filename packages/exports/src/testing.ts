import type { CanonicalSection, ProseMirrorJSON } from '@sopu/doc-model';
import { templateFor } from '@sopu/doc-model';
import { readFileSync } from 'node:fs';
import type { DocumentFacts } from './builders.ts';

/*
 * Test and benchmark material: the demo agreement's drafted text (db/seeds/demo-content.json) as a version's
 * canonical sections, and one section that holds every node and mark the schema has.
 */

type SeedBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; level: number; text: string }
  | { type: 'bulletList' | 'orderedList'; items: string[] }
  | { type: 'table'; rows: string[][]; header?: boolean };

const seeds = JSON.parse(readFileSync(new URL('../../../db/seeds/demo-content.json', import.meta.url), 'utf8')) as {
  areas: Record<string, { cooperation_agreement: Record<string, SeedBlock[]> }>;
};

const t = (value: string, marks?: ProseMirrorJSON['marks']): ProseMirrorJSON => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const p = (...content: ProseMirrorJSON[]): ProseMirrorJSON => ({ type: 'paragraph', ...(content.length > 0 ? { content } : {}) });

function blockJson(block: SeedBlock): ProseMirrorJSON {
  switch (block.type) {
    case 'paragraph':
      return p(...(block.text ? [t(block.text)] : []));
    case 'heading':
      return { type: 'heading', attrs: { level: block.level }, content: [t(block.text)] };
    case 'bulletList':
    case 'orderedList':
      return { type: block.type, content: block.items.map((item) => ({ type: 'listItem', content: [p(t(item))] })) };
    case 'table':
      return {
        type: 'table',
        content: block.rows.map((row, r) => ({
          type: 'tableRow',
          content: row.map((cell) => ({ type: block.header && r === 0 ? 'tableHeader' : 'tableCell', content: [p(...(cell ? [t(cell)] : []))] })),
        })),
      };
  }
}

/** Every node and mark of the schema, with å, ä, ö and §. */
export const EVERYTHING: ProseMirrorJSON = {
  type: 'doc',
  content: [
    p(t('Lihavoitu', [{ type: 'bold' }]), t(' ja '), t('kursivoitu', [{ type: 'italic' }]), t(' sekä '), t('linkki', [{ type: 'link', attrs: { href: 'https://www.finlex.fi/fi/laki/ajantasa/2015/20150410' } }]), t(' kuntalain 51 §:ään.')),
    { type: 'heading', attrs: { level: 3 }, content: [t('Äänivallan jakautuminen')] },
    {
      type: 'orderedList',
      attrs: { start: 1 },
      content: [
        { type: 'listItem', content: [p(t('Ensimmäinen kohta: työvoimapalvelut'))] },
        { type: 'listItem', content: [p(t('Toinen kohta, jossa alakohdat:')), { type: 'bulletList', content: [{ type: 'listItem', content: [p(t('Åland och Närpes'))] }, { type: 'listItem', content: [p(t('Öljyvahinko § 12'))] }] }] },
      ],
    },
    { type: 'blockquote', content: [p(t('Lainattu kappale.'))] },
    p(t('Rivinvaihto'), { type: 'hardBreak' }, t('toinen rivi.')),
    {
      type: 'table',
      content: [
        { type: 'tableRow', content: [{ type: 'tableHeader', content: [p(t('Kunta'))] }, { type: 'tableHeader', content: [p(t('Paikat'))] }, { type: 'tableHeader', content: [p(t('Äänet'))] }] },
        { type: 'tableRow', content: [{ type: 'tableCell', content: [p(t('Kajaani'))] }, { type: 'tableCell', content: [p(t('3'))] }, { type: 'tableCell', content: [p(t('39'))] }] },
        { type: 'tableRow', content: [{ type: 'tableCell', content: [p(t('Hyrynsalmi'))] }, { type: 'tableCell', content: [p(t('1'))] }, { type: 'tableCell', content: [p(t('4'))] }] },
      ],
    },
    { type: 'horizontalRule' },
    { type: 'codeBlock', content: [t('410/2015 51 §')] },
  ],
};

/** The demo agreement of an area as a version's canonical sections (template order), one section not applicable. */
export function demoSections(areaSlug = 'kainuu-koillismaa', options: { everything?: boolean } = {}): CanonicalSection[] {
  const drafted = seeds.areas[areaSlug]!.cooperation_agreement;
  return templateFor('cooperation_agreement').map((s, i) => {
    const blocks = drafted[s.key] ?? [];
    const content: ProseMirrorJSON = { type: 'doc', ...(blocks.length > 0 ? { content: blocks.map(blockJson) } : {}) };
    if (s.key === 'right_of_takeover') return { key: s.key, order: i, status: 'not_applicable', reason: 'Otto-oikeudesta ei sovita: kuntalain 92 § ei koske yhteistä toimielintä tässä mallissa.', content: { type: 'doc' } };
    if (options.everything && s.key === 'body_composition') return { key: s.key, order: i, status: 'drafting', reason: '', content: { type: 'doc', content: [...(content.content ?? []), ...EVERYTHING.content!] } };
    return { key: s.key, order: i, status: 'drafting', reason: '', content };
  });
}

export const DEMO_HASH = '19ab34cd' + 'e'.repeat(48) + '01234567';

export function demoFacts(overrides: Partial<DocumentFacts> = {}): DocumentFacts {
  const sections = overrides.sections ?? demoSections('kainuu-koillismaa', { everything: true });
  return {
    lang: 'fi',
    areaSlug: 'kainuu-koillismaa',
    areaName: 'Kainuu-Koillismaan työllisyysalue',
    documentTitle: 'Yhteistoimintasopimus',
    version: { number: 2, label: 'Valtuustokäsittelyyn' },
    hash: DEMO_HASH,
    exportedAt: '7.12.2026 klo 8.34',
    exportedAtMs: Date.UTC(2026, 11, 7, 6, 34),
    approvalStatus: 'Lähetetty valtuustoille 1.12.2026; hyväksynyt 4/10: Kajaani, Paltamo, Puolanka, Sotkamo.',
    sections,
    titles: Object.fromEntries(templateFor('cooperation_agreement').map((s) => [s.key, s.title.fi])),
    author: 'Sopu',
    ...overrides,
  };
}
