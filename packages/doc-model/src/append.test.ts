import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendToSection, fillSection } from './anchor.ts';
import { canonicalSections, type ProseMirrorJSON } from './canonical.ts';
import { checkClientUpdate } from './guard.ts';
import { createInitialState, sectionFragment } from './layout.ts';

const p = (value: string): ProseMirrorJSON => ({ type: 'paragraph', content: [{ type: 'text', text: value }] });
const table = (...rows: string[][]): ProseMirrorJSON => ({
  type: 'table',
  content: rows.map((row, r) => ({ type: 'tableRow', content: row.map((cell) => ({ type: r === 0 ? 'tableHeader' : 'tableCell', content: [p(cell)] })) })),
});

function agreement(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, createInitialState('cooperation_agreement'));
  return doc;
}
const contentOf = (doc: Y.Doc, key: string) => canonicalSections(doc).find((s) => s.key === key)!.content;
const cellText = (json: ProseMirrorJSON): string[][] =>
  (json.content ?? []).map((row) => (row.content ?? []).map((cell) => (cell.content ?? []).map((para) => (para.content ?? []).map((t) => t.text).join('')).join('')));

describe('appendToSection', () => {
  it('adds a caption and a table after the existing text, which stays as it was', () => {
    const doc = agreement();
    fillSection(doc, 'governance', { type: 'doc', content: [p('Lautakunta toimii Kajaanin kaupungin organisaatiossa.'), p('Toinen kappale.')] });
    const before = contentOf(doc, 'governance');
    appendToSection(doc, 'governance', [p('Puheenjohtajuuden vuorottelu 2027–2028'), table(['Vuosi', 'Puheenjohtaja'], ['2027', 'Kajaani'], ['2028', 'Kuhmo'])]);
    const after = contentOf(doc, 'governance');
    expect(after.content!.slice(0, 2)).toEqual(before.content);
    expect(after.content!.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'paragraph', 'table']);
    expect(cellText(after.content![3]!)).toEqual([['Vuosi', 'Puheenjohtaja'], ['2027', 'Kajaani'], ['2028', 'Kuhmo']]);
    expect(after.content![3]!.content![0]!.content![0]!.type).toBe('tableHeader');
    // Other sections are untouched.
    expect(contentOf(doc, 'finance_administration')).toEqual({ type: 'doc' });
  });

  it('works on an empty section, twice in a row (the second table after the first)', () => {
    const doc = agreement();
    appendToSection(doc, 'finance_administration', [table(['A'], ['1'])]);
    appendToSection(doc, 'finance_administration', [table(['B'], ['2'])]);
    expect(contentOf(doc, 'finance_administration').content!.map((t) => cellText(t)[0]![0])).toEqual(['A', 'B']);
  });

  it('is one update a peer applies to get the same content, and merges with a concurrent edit of the section', () => {
    const server = agreement();
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    fillSection(client, 'governance', { type: 'doc', content: [p('Asiakkaan teksti.')] });
    const updates: Uint8Array[] = [];
    server.on('update', (u: Uint8Array) => updates.push(u));
    appendToSection(server, 'governance', [table(['Vuosi'], ['2027'])]);
    expect(updates).toHaveLength(1);
    Y.applyUpdate(client, updates[0]!);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    expect(canonicalSections(server)).toEqual(canonicalSections(client));
    expect(contentOf(server, 'governance').content!.map((b) => b.type).sort()).toEqual(['paragraph', 'table']);
  });

  it('writes only the section’s text, so the layout guard would accept it from an editor too', () => {
    const doc = agreement();
    const before = Y.encodeStateVector(doc);
    appendToSection(doc, 'governance', [table(['Vuosi'], ['2027'])]);
    const update = Y.encodeStateAsUpdate(doc, before);
    const fresh = agreement();
    expect(checkClientUpdate(fresh, 'cooperation_agreement', update)).toMatchObject({ ok: true });
  });

  it('nothing to append changes nothing', () => {
    const doc = agreement();
    let changed = false;
    doc.on('update', () => (changed = true));
    appendToSection(doc, 'governance', []);
    expect(changed).toBe(false);
    expect(sectionFragment(doc, 'governance').length).toBe(0);
  });
});
