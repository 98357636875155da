import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fillSection } from './anchor.ts';
import { canonicalDocument, hashCanonicalSection, type CanonicalDocument, type CanonicalSection, type ProseMirrorJSON, type ProseMirrorMark } from './canonical.ts';
import { changedSectionKeys, diffDocuments, sectionHash, type DiffBlock, type DiffRun, type SectionDiff } from './diff.ts';
import { editScript, INSERT, KEEP } from './edit-script.ts';
import { createInitialState, sectionFragment, setSectionStatus } from './layout.ts';

// ---------------------------------------------------------------------------------------------------------------
// Building documents

const text = (value: string, marks?: ProseMirrorMark[]): ProseMirrorJSON => (marks ? { type: 'text', text: value, marks } : { type: 'text', text: value });
const bold: ProseMirrorMark = { type: 'bold' };
const link = (href: string): ProseMirrorMark => ({ type: 'link', attrs: { href, target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null } });
const p = (...content: Array<ProseMirrorJSON | string>): ProseMirrorJSON => ({
  type: 'paragraph',
  ...(content.length > 0 ? { content: content.map((c) => (typeof c === 'string' ? text(c) : c)) } : {}),
});
const heading = (level: number, value: string): ProseMirrorJSON => ({ type: 'heading', attrs: { level }, content: [text(value)] });
const bullets = (...items: string[]): ProseMirrorJSON => ({ type: 'bulletList', content: items.map((i) => ({ type: 'listItem', content: [p(i)] })) });
const table = (...rows: string[][]): ProseMirrorJSON => ({
  type: 'table',
  content: rows.map((row, r) => ({
    type: 'tableRow',
    content: row.map((cell) => ({ type: r === 0 ? 'tableHeader' : 'tableCell', attrs: { colspan: 1, rowspan: 1, colwidth: null, align: null }, content: [p(cell)] })),
  })),
});
const doc = (...content: ProseMirrorJSON[]): ProseMirrorJSON => (content.length > 0 ? { type: 'doc', content } : { type: 'doc' });

function section(key: string, content: ProseMirrorJSON, extra: Partial<CanonicalSection> = {}): CanonicalSection {
  return { key, order: 0, status: 'drafting', reason: '', content, ...extra };
}
function agreement(...sections: CanonicalSection[]): CanonicalDocument {
  return { layout: 1, sections: sections.map((s, order) => ({ ...s, order: s.order || order })) };
}
/** One section "s" with these blocks in each version. */
function compare(before: ProseMirrorJSON[], after: ProseMirrorJSON[]): SectionDiff {
  const diff = diffDocuments(agreement(section('s', doc(...before))), agreement(section('s', doc(...after))));
  expect(diff.sections).toHaveLength(1);
  return diff.sections[0]!;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading diffs

/** A block as one line: equal text plain, [-deleted-] and {+inserted+}, marks as <bold>…</>. */
function line(block: DiffBlock): string {
  return block.runs.map((r) => wrap(r.op === 'equal' ? r.text : r.op === 'delete' ? `[-${r.text}-]` : `{+${r.text}+}`, r)).join('');
}
const wrap = (value: string, r: DiffRun) => (r.marks ? `<${r.marks.join(',')}>${value}</>` : value);
const lines = (s: SectionDiff) => (s.blocks ?? []).map((b) => `${b.op} ${b.kind}: ${line(b)}`);

/** One version's text of a block, runs with equal marks merged: what the block reads as in `from` or in `to`. */
function side(block: DiffBlock, which: 'from' | 'to'): string {
  const runs = block.runs.filter((r) => r.op === 'equal' || r.op === (which === 'from' ? 'delete' : 'insert'));
  const merged: Array<{ text: string; marks: string }> = [];
  for (const r of runs) {
    const marks = (r.marks ?? []).join(',');
    const last = merged[merged.length - 1];
    if (last && last.marks === marks) last.text += r.text;
    else merged.push({ text: r.text, marks });
  }
  return merged.map((m) => (m.marks ? `<${m.marks}>${m.text}</>` : m.text)).join('');
}
const sideOf = (s: SectionDiff, which: 'from' | 'to') =>
  (s.blocks ?? []).filter((b) => b.op !== (which === 'from' ? 'insert' : 'delete')).map((b) => side(b, which));

/** Plain paragraphs as `side` renders them, straight from the JSON. */
function expectedParagraphs(blocks: ProseMirrorJSON[]): string[] {
  return blocks.map((b) => {
    const merged: Array<{ text: string; marks: string }> = [];
    for (const t of b.content ?? []) {
      const marks = (t.marks ?? []).map((m) => (m.type === 'link' ? `link:${String(m.attrs?.href)}` : m.type)).sort().join(',');
      const last = merged[merged.length - 1];
      if (last && last.marks === marks) last.text += t.text ?? '';
      else merged.push({ text: t.text ?? '', marks });
    }
    return merged.map((m) => (m.marks ? `<${m.marks}>${m.text}</>` : m.text)).join('');
  });
}

// ---------------------------------------------------------------------------------------------------------------

const P1 = 'Tämän sopimuksen osapuolia ovat Hyrynsalmen kunta, Kajaanin kaupunki ja Kuhmon kaupunki.';
const P2 = 'Kajaanin kaupunki toimii kuntalain 51 §:ssä tarkoitettuna vastuukuntana.';
const P3 = 'Sopijakuntien työvoima on yhteensä noin 40 000 henkeä.';
const P4 = 'Vastuukunta hoitaa tehtävät 1.1.2027 alkaen.';

describe('diffDocuments: sections', () => {
  it('finds nothing in identical documents, even when their JSON was written in another key order', () => {
    const from = agreement(section('a', doc(p(P1), p(P2))), section('b', doc(table(['Kunta', 'Osuus'], ['Kajaani', '42,13 %']))));
    const reordered: CanonicalDocument = JSON.parse(JSON.stringify(from), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(from));
    const diff = diffDocuments(from, reordered);
    expect(changedSectionKeys(diff)).toEqual([]);
    expect(diff.sections).toEqual([
      { key: 'a', presence: 'both', changed: false, contentChanged: false },
      { key: 'b', presence: 'both', changed: false, contentChanged: false },
    ]);
  });

  it('reports a status or reason change without a text change, and shows the section as it is', () => {
    const from = agreement(section('a', doc(p(P1))), section('b', doc(p(P2))));
    const to = agreement(section('a', doc(p(P1))), section('b', doc(p(P2)), { status: 'not_applicable', reason: 'Ei koske meitä.' }));
    const diff = diffDocuments(from, to);
    expect(changedSectionKeys(diff)).toEqual(['b']);
    const b = diff.sections[1]!;
    expect(b).toMatchObject({ changed: true, contentChanged: false, status: { from: 'drafting', to: 'not_applicable' }, reason: { from: '', to: 'Ei koske meitä.' } });
    expect(b.order).toBeUndefined();
    expect(lines(b)).toEqual([`equal paragraph: ${P2}`]);
    expect(diff.sections[0]).not.toHaveProperty('status');
  });

  it('lists a section of one version only as added or removed, in the order of the versions', () => {
    const from = agreement(section('a', doc(p(P1))), section('gone', doc(p(P2)), { order: 1 }), section('c', doc(p(P3)), { order: 2 }));
    const to = agreement(section('new', doc(p(P4))), section('a', doc(p(P1)), { order: 1 }), section('c', doc(p(P3)), { order: 2 }));
    const diff = diffDocuments(from, to);
    expect(diff.sections.map((s) => [s.key, s.presence, s.changed])).toEqual([
      ['new', 'added', true],
      ['a', 'both', true], // its order moved from 0 to 1
      ['gone', 'removed', true],
      ['c', 'both', false],
    ]);
    expect(diff.sections[0]).toMatchObject({ status: { from: null, to: 'drafting' }, order: { from: null, to: 0 } });
    expect(lines(diff.sections[0]!)).toEqual([`insert paragraph: {+${P4}+}`]);
    expect(diff.sections[1]).toMatchObject({ contentChanged: false, order: { from: 0, to: 1 } });
    expect(lines(diff.sections[2]!)).toEqual([`delete paragraph: [-${P2}-]`]);
    expect(diff.sections[3]!.blocks).toBeUndefined();
  });

  it('calls a section changed exactly when its sectionHash changed', () => {
    const base = section('a', doc(p(P1), table(['Kunta'], ['Kajaani'])));
    const variants: CanonicalSection[] = [
      base,
      { ...base },
      section('a', doc(p(P1), table(['Kunta'], ['Kajaani'])), { order: 3 }),
      section('a', doc(p(P1), table(['Kunta'], ['Kajaani'])), { status: 'agreed' }),
      section('a', doc(p(P1), table(['Kunta'], ['Kajaani'])), { reason: 'x' }),
      section('a', doc(p(P1, text('!', [bold])), table(['Kunta'], ['Kajaani']))),
      section('a', doc(p(P1), table(['Kunta'], ['Kajaani ']))),
    ];
    for (const a of variants) {
      expect(sectionHash(a)).toBe(hashCanonicalSection(a)); // what versions store
      for (const b of variants) {
        const [diff] = diffDocuments(agreement(a), agreement(b)).sections;
        expect(diff!.changed).toBe(sectionHash(a) !== sectionHash(b));
      }
    }
  });
});

describe('diffDocuments: words', () => {
  it('shows one changed word as one deletion and one insertion, the rest equal', () => {
    const s = compare([p(P1), p(P2)], [p(P1.replace('Kajaanin', 'Kuusamon')), p(P2)]);
    expect(lines(s)).toEqual([
      'modify paragraph: Tämän sopimuksen osapuolia ovat Hyrynsalmen kunta, [-Kajaanin-]{+Kuusamon+} kaupunki ja Kuhmon kaupunki.',
      `equal paragraph: ${P2}`,
    ]);
  });

  it('shows a word inserted at the start, in the middle and at the end', () => {
    expect(lines(compare([p('kunnat sopivat')], [p('Kaikki kunnat sopivat')]))).toEqual(['modify paragraph: {+Kaikki +}kunnat sopivat']);
    expect(lines(compare([p('kunnat sopivat')], [p('kunnat yhdessä sopivat')]))).toEqual(['modify paragraph: kunnat {+yhdessä +}sopivat']);
    expect(lines(compare([p('kunnat sopivat')], [p('kunnat sopivat kirjallisesti')]))).toEqual(['modify paragraph: kunnat sopivat{+ kirjallisesti+}']);
  });

  it('replaces adjacent changed words together rather than around the spaces between them', () => {
    expect(lines(compare([p('kunta hoitaa tehtävät')], [p('kaupunki järjestää tehtävät')]))).toEqual([
      'modify paragraph: [-kunta hoitaa-]{+kaupunki järjestää+} tehtävät',
    ]);
  });

  it('keeps Finnish and Swedish words, numbers, dates, § references and law numbers whole', () => {
    const s = compare(
      [
        p('Sopijakuntien työvoima on noin 1 300 henkeä ja osuus 42,13 % kuntalain (410/2015) 51 §:ssä 1.1.2027 alkaen.'),
        p('Pargas stad och Kimitoöns kommun ansvarar för sysselsättningsområdet.'),
      ],
      [
        p('Sopijakuntien työvoima on noin 1 500 henkeä ja osuus 43,02 % kuntalain (411/2015) 52 §:ssä 1.7.2027 alkaen.'),
        p('Pargas stad och Kimitoöns kommun ansvarar för sysselsättningsområdena.'),
      ],
    );
    expect(lines(s)).toEqual([
      'modify paragraph: Sopijakuntien työvoima on noin [-1 300-]{+1 500+} henkeä ja osuus [-42,13-]{+43,02+} % kuntalain ([-410/2015-]{+411/2015+}) [-51-]{+52+} §:ssä [-1.1.2027-]{+1.7.2027+} alkaen.',
      'modify paragraph: Pargas stad och Kimitoöns kommun ansvarar för [-sysselsättningsområdet-]{+sysselsättningsområdena+}.',
    ]);
  });

  it('shows a word made bold as the plain word deleted and the bold one inserted', () => {
    const s = compare([p('Kustannukset jaetaan työvoiman mukaan.')], [p('Kustannukset jaetaan ', text('työvoiman', [bold]), ' mukaan.')]);
    expect(lines(s)).toEqual(['modify paragraph: Kustannukset jaetaan [-työvoiman-]<bold>{+työvoiman+}</> mukaan.']);
    expect(s.blocks![0]!.runs[2]).toEqual({ op: 'insert', text: 'työvoiman', marks: ['bold'] });
  });

  it("shows a link whose href changed, though its text did not", () => {
    const before = p('ks. ', text('kuntalaki', [link('https://www.finlex.fi/fi/laki/ajantasa/2015/20150410')]), '.');
    const after = p('ks. ', text('kuntalaki', [link('https://finlex.fi/fi/lainsaadanto/2015/410')]), '.');
    const s = compare([before], [after]);
    expect(s.blocks![0]!.runs).toEqual([
      { op: 'equal', text: 'ks. ' },
      { op: 'delete', text: 'kuntalaki', marks: ['link:https://www.finlex.fi/fi/laki/ajantasa/2015/20150410'] },
      { op: 'insert', text: 'kuntalaki', marks: ['link:https://finlex.fi/fi/lainsaadanto/2015/410'] },
      { op: 'equal', text: '.' },
    ]);
  });

  it('treats a hard break as a change of its own', () => {
    const s = compare([p('Kajaani Kuhmo')], [p('Kajaani', { type: 'hardBreak' }, 'Kuhmo')]);
    expect(lines(s)).toEqual(['modify paragraph: Kajaani[- -]{+\n+}Kuhmo']);
  });
});

describe('diffDocuments: blocks', () => {
  it('leaves the other paragraphs equal when one is inserted in the middle', () => {
    const s = compare([p(P1), p(P2), p(P3)], [p(P1), p(P2), p(P4), p(P3)]);
    expect(lines(s)).toEqual([`equal paragraph: ${P1}`, `equal paragraph: ${P2}`, `insert paragraph: {+${P4}+}`, `equal paragraph: ${P3}`]);
  });

  it('shows a moved paragraph as deleted where it was and inserted where it is', () => {
    const s = compare([p(P1), p(P2), p(P3), p(P4)], [p(P2), p(P3), p(P1), p(P4)]);
    expect(lines(s)).toEqual([`delete paragraph: [-${P1}-]`, `equal paragraph: ${P2}`, `equal paragraph: ${P3}`, `insert paragraph: {+${P1}+}`, `equal paragraph: ${P4}`]);
  });

  it('shows a moved and edited paragraph the same way, and still diffs a paragraph edited in place', () => {
    const s = compare([p(P1), p(P2), p(P3)], [p(P2), p(P3.replace('40 000', '41 000')), p(P1.replace('kunta', 'kunta, Kuusamon kaupunki'))]);
    expect(lines(s)).toEqual([
      `delete paragraph: [-${P1}-]`,
      `equal paragraph: ${P2}`,
      'modify paragraph: Sopijakuntien työvoima on yhteensä noin [-40 000-]{+41 000+} henkeä.',
      `insert paragraph: {+${P1.replace('kunta', 'kunta, Kuusamon kaupunki')}+}`,
    ]);
  });

  it('shows a split paragraph as the first part kept and the second part moved into a new paragraph', () => {
    const s = compare([p(`${P1} ${P2}`), p(P3)], [p(P1), p(P2), p(P3)]);
    expect(lines(s)).toEqual([`modify paragraph: ${P1}[- ${P2}-]`, `insert paragraph: {+${P2}+}`, `equal paragraph: ${P3}`]);
  });

  it('shows two joined paragraphs as the longer part kept and the other deleted', () => {
    const s = compare([p(P1), p(P2), p(P3)], [p(`${P1} ${P2}`), p(P3)]);
    expect(lines(s)).toEqual([`modify paragraph: ${P1}{+ ${P2}+}`, `delete paragraph: [-${P2}-]`, `equal paragraph: ${P3}`]);
  });

  it('shows a paragraph turned into a heading as a modified block with its former kind', () => {
    const s = compare([p('Kustannusten jakautuminen'), p(P1)], [heading(2, 'Kustannusten jakautuminen'), p(P1)]);
    expect(s.blocks![0]).toEqual({ op: 'modify', kind: 'heading', level: 2, from: { kind: 'paragraph' }, runs: [{ op: 'equal', text: 'Kustannusten jakautuminen' }] });
  });

  it('diffs list items one by one and knows their list', () => {
    const s = compare([bullets('palkat', 'toimitilat', 'matkat')], [bullets('palkat', 'toimitilojen vuokrat', 'matkat')]);
    expect(lines(s)).toEqual(['equal listItem: palkat', 'modify listItem: [-toimitilat-]{+toimitilojen vuokrat+}', 'equal listItem: matkat']);
    expect(s.blocks![1]!.list).toEqual({ type: 'bulletList', depth: 1, index: 1 });
  });

  it('shows a change of attributes alone (an ordered list renumbered from 3) on every block it affects', () => {
    const list = (start: number) => ({ type: 'orderedList', attrs: { start, type: null }, content: [{ type: 'listItem', content: [p('palkat')] }, { type: 'listItem', content: [p('vuokrat')] }] });
    const s = compare([p(P1), list(1)], [p(P1), list(3)]);
    expect(s.contentChanged).toBe(true);
    expect(s.blocks!.map((b) => b.op)).toEqual(['equal', 'modify', 'modify']);
    expect(s.blocks![2]).toEqual({
      op: 'modify',
      kind: 'listItem',
      list: { type: 'orderedList', depth: 1, index: 1 },
      attrs: { start: 3 },
      from: { kind: 'listItem', list: { type: 'orderedList', depth: 1, index: 1 }, attrs: { start: 1 } },
      runs: [{ op: 'equal', text: 'vuokrat' }],
    });
  });

  it('knows nested list items and quoted paragraphs apart from plain ones', () => {
    const nested = { type: 'bulletList', content: [{ type: 'listItem', content: [p('palkat'), bullets('lomarahat')] }] };
    const s = compare([{ type: 'blockquote', content: [p(P1)] }, nested], [p(P1), { type: 'bulletList', content: [{ type: 'listItem', content: [p('palkat'), bullets('lomarahat', 'lisät')] }] }]);
    expect(s.blocks!.map((b) => [b.op, b.kind, b.quote ?? 0, b.list?.depth ?? 0, line(b)])).toEqual([
      ['modify', 'paragraph', 0, 0, P1],
      ['equal', 'listItem', 0, 1, 'palkat'],
      ['equal', 'listItem', 0, 2, 'lomarahat'],
      ['insert', 'listItem', 0, 2, '{+lisät+}'],
    ]);
    expect(s.blocks![0]!.from).toEqual({ kind: 'paragraph', quote: 1 });
  });

  it('diffs a changed table cell in place, with its row and column', () => {
    const s = compare([table(['Kunta', 'Osuus'], ['Kajaani', '42,13 %'], ['Kuhmo', '8,5 %'])], [table(['Kunta', 'Osuus'], ['Kajaani', '43,13 %'], ['Kuhmo', '8,5 %'])]);
    expect(lines(s)).toEqual([
      'equal tableCell: Kunta',
      'equal tableCell: Osuus',
      'equal tableCell: Kajaani',
      'modify tableCell: [-42,13-]{+43,13+} %',
      'equal tableCell: Kuhmo',
      'equal tableCell: 8,5 %',
    ]);
    expect(s.blocks![3]!.table).toEqual({ index: 0, row: 1, column: 1, header: false });
    expect(s.blocks![0]!.table).toEqual({ index: 0, row: 0, column: 0, header: true });
  });

  it('shows an added row as inserted cells, and the rows below it as equal cells that moved down', () => {
    const s = compare([table(['Kunta', 'Osuus'], ['Kajaani', '42 %'], ['Kuhmo', '8 %'])], [table(['Kunta', 'Osuus'], ['Kajaani', '42 %'], ['Sotkamo', '11 %'], ['Kuhmo', '8 %'])]);
    expect(lines(s)).toEqual([
      'equal tableCell: Kunta',
      'equal tableCell: Osuus',
      'equal tableCell: Kajaani',
      'equal tableCell: 42 %',
      'insert tableCell: {+Sotkamo+}',
      'insert tableCell: {+11 %+}',
      'equal tableCell: Kuhmo',
      'equal tableCell: 8 %',
    ]);
    expect(s.blocks![4]!.table).toEqual({ index: 0, row: 2, column: 0, header: false });
    expect(s.blocks![6]).toMatchObject({ table: { row: 3, column: 0 }, from: { kind: 'tableCell', table: { index: 0, row: 2, column: 0, header: false } } });
    expect(s.blocks![3]).not.toHaveProperty('from');
  });

  it('pairs a replaced row cell by cell, column by column', () => {
    const s = compare([table(['Kunta', 'Osuus'], ['Kajaani', '42 %'])], [table(['Kunta', 'Osuus'], ['Paltamo', '7 %'])]);
    expect(lines(s).slice(2)).toEqual(['modify tableCell: [-Kajaani-]{+Paltamo+}', 'modify tableCell: [-42-]{+7+} %']);
  });
});

describe('diffDocuments: bounds and invariants', () => {
  /** Seeded, so that a failure can be replayed. */
  function random(seed: number) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const WORDS = ['kunta', 'kaupunki', 'työvoima', 'sopimus', 'ja', '1 300', '42,13 %', '§:ssä', 'Kimitoön', 'åtgärd', 'yhteensä,', 'vastuukunta.'];

  it('gives back both versions exactly, text and marks, whatever was edited (seeded random edits)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = random(seed);
      const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
      const paragraph = () =>
        p(...Array.from({ length: 1 + Math.floor(r() * 12) }, (_, i) => (r() < 0.15 ? text(`${pick(WORDS)} `, [bold]) : text(`${i === 0 ? '' : ' '}${pick(WORDS)}`))));
      const before = Array.from({ length: 1 + Math.floor(r() * 6) }, paragraph);
      const after = before.map((b) => structuredClone(b));
      for (let e = Math.floor(r() * 5); e > 0; e--) {
        const at = Math.floor(r() * after.length);
        const roll = r();
        if (roll < 0.25) after.splice(at, 0, paragraph());
        else if (roll < 0.4 && after.length > 1) after.splice(at, 1);
        else if (roll < 0.55 && after.length > 1) after.splice(Math.floor(r() * after.length), 0, after.splice(at, 1)[0]!);
        else {
          const content = after[at]!.content ?? [];
          const i = Math.floor(r() * (content.length + 1));
          if (r() < 0.5 && content.length > 0) content.splice(Math.min(i, content.length - 1), 1);
          else content.splice(i, 0, text(` ${pick(WORDS)}`, r() < 0.3 ? [bold] : undefined));
          after[at] = p(...content);
        }
      }
      const s = compare(before, after);
      expect(s.changed, `seed ${seed}`).toBe(JSON.stringify(before) !== JSON.stringify(after));
      if (!s.changed) continue;
      expect(sideOf(s, 'from'), `seed ${seed}`).toEqual(expectedParagraphs(before));
      expect(sideOf(s, 'to'), `seed ${seed}`).toEqual(expectedParagraphs(after));
    }
  });

  it('falls back to whole-block replacement for two long unrelated texts', () => {
    const r = random(7);
    const long = (prefix: string) => Array.from({ length: 20_000 }, () => `${prefix}${Math.floor(r() * 5000)}`).join(' ');
    const [one, two] = [long('a'), long('b')];
    const s = compare([p(one)], [p(two)]);
    expect(s.blocks!.map((b) => [b.op, b.runs.map((r) => r.op)])).toEqual([['modify', ['delete', 'insert']]]);
    expect(sideOf(s, 'from')).toEqual([one]);
    expect(sideOf(s, 'to')).toEqual([two]);
  });

  it('still answers for sections of hundreds of unrelated paragraphs', () => {
    const r = random(8);
    const many = (prefix: string) => Array.from({ length: 400 }, () => p(Array.from({ length: 60 }, () => `${prefix}${Math.floor(r() * 900)}`).join(' ')));
    const before = many('a');
    const after = many('b');
    const s = compare(before, after);
    expect(s.blocks!.filter((b) => b.op === 'delete')).toHaveLength(400);
    expect(s.blocks!.filter((b) => b.op === 'insert')).toHaveLength(400);
    expect(sideOf(s, 'to')).toEqual(expectedParagraphs(after));
  });

  it('edit scripts are shortest and give up past their bound', () => {
    const a = [1, 2, 3, 4, 5, 6];
    const b = [0, 1, 2, 4, 5, 7, 6];
    const script = editScript(a, b, 100)!;
    expect([...script].filter((s) => s === KEEP)).toHaveLength(5);
    expect([...script].filter((s) => s === INSERT)).toHaveLength(2);
    expect(editScript(a, b, 3)).not.toBeNull();
    expect(editScript(a, b, 2)).toBeNull();
    expect(editScript([], [], 0)).toEqual(new Uint8Array());
  });
});

describe('sectionHash', () => {
  function typeInto(xmlText: Y.XmlText, value: string, at: number) {
    for (const [i, ch] of [...value].entries()) xmlText.insert(at + i, ch);
  }

  it('is equal for equal content reached through different Yjs edit histories, and differs otherwise', () => {
    const written = new Y.Doc();
    Y.applyUpdate(written, createInitialState('cooperation_agreement'));
    fillSection(written, 'parties', doc(p('Kustannukset jaetaan ', text('työvoiman määrän', [bold]), ' mukaan.'), table(['Kunta'], ['Kajaani'])));

    // Two replicas type the same content keystroke by keystroke, with a typo, a mark tried and dropped, and a status
    // changed and changed back.
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    Y.applyUpdate(alice, createInitialState('cooperation_agreement'));
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    alice.on('update', (u: Uint8Array) => Y.applyUpdate(bob, u));
    bob.on('update', (u: Uint8Array, origin: unknown) => origin !== 'alice' && Y.applyUpdate(alice, u, 'bob'));
    const fragment = sectionFragment(alice, 'parties');
    const paragraph = new Y.XmlElement('paragraph');
    const typed = new Y.XmlText();
    paragraph.insert(0, [typed]);
    fragment.insert(0, [paragraph]);
    typeInto(typed, 'Kustannukset jaetan mukaan.', 0);
    typed.insert(18, 'a');
    const bobsText = (sectionFragment(bob, 'parties').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    typeInto(bobsText, ' työvoiman määrän', 20);
    bobsText.format(21, 9, { italic: {} });
    bobsText.format(21, 16, { bold: {} });
    bobsText.format(21, 9, { italic: null });
    const cell = (type: string, value: string) => {
      const element = new Y.XmlElement(type);
      const inner = new Y.XmlElement('paragraph');
      inner.insert(0, [new Y.XmlText(value)]);
      element.insert(0, [inner]);
      return element;
    };
    const row = (element: Y.XmlElement) => {
      const r = new Y.XmlElement('tableRow');
      r.insert(0, [element]);
      return r;
    };
    const yTable = new Y.XmlElement('table');
    yTable.insert(0, [row(cell('tableHeader', 'Kunta')), row(cell('tableCell', 'Kajaani'))]);
    sectionFragment(bob, 'parties').insert(1, [yTable]);
    setSectionStatus(alice, 'parties', 'agreed', '', 'alice');
    setSectionStatus(bob, 'parties', 'drafting', '', 'bob');

    const fromWritten = canonicalDocument(written);
    const fromTyped = canonicalDocument(alice);
    const key = (d: CanonicalDocument) => d.sections.find((s) => s.key === 'parties')!;
    expect(JSON.stringify(key(fromTyped).content)).toContain('työvoiman määrän');
    expect(sectionHash(key(fromTyped))).toBe(sectionHash(key(fromWritten)));
    expect(sectionHash(key(canonicalDocument(bob)))).toBe(sectionHash(key(fromWritten)));
    expect(changedSectionKeys(diffDocuments(fromWritten, fromTyped))).toEqual([]);

    bobsText.format(21, 9, { italic: {} });
    const italic = canonicalDocument(alice);
    expect(sectionHash(key(italic))).not.toBe(sectionHash(key(fromWritten)));
    expect(changedSectionKeys(diffDocuments(fromWritten, italic))).toEqual(['parties']);
    expect(lines(diffDocuments(fromWritten, italic).sections.find((s) => s.key === 'parties')!)[0]).toBe(
      'modify paragraph: Kustannukset jaetaan <bold>[-työvoiman-]</><bold,italic>{+työvoiman+}</><bold> määrän</> mukaan.',
    );
  });
});
