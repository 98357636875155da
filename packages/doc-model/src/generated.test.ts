import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fillSection } from './anchor.ts';
import { canonicalSections, type ProseMirrorJSON } from './canonical.ts';
import { GENERATED_MAP, placeGeneratedTable, readGeneratedTables } from './generated.ts';
import { checkClientUpdate } from './guard.ts';
import { createInitialState, sectionFragment } from './layout.ts';

const p = (value: string): ProseMirrorJSON => ({ type: 'paragraph', content: [{ type: 'text', text: value }] });
const table = (...rows: string[][]): ProseMirrorJSON => ({
  type: 'table',
  content: rows.map((row, r) => ({ type: 'tableRow', content: row.map((cell) => ({ type: r === 0 ? 'tableHeader' : 'tableCell', content: [p(cell)] })) })),
});
const KIND = 'cooperation_agreement';

function agreement(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, createInitialState(KIND));
  return doc;
}
const texts = (doc: Y.Doc, key: string): string[] =>
  (canonicalSections(doc).find((s) => s.key === key)!.content.content ?? []).map(function text(node: ProseMirrorJSON): string {
    return node.type === 'text' ? (node.text ?? '') : (node.content ?? []).map(text).join(node.type === 'tableRow' ? '|' : node.type === 'table' ? '/' : '');
  });

function editor(server: Y.Doc): Y.Doc {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return client;
}

describe('generated tables', () => {
  it('inserted again, the new table takes the old one’s place; the text around it stays', () => {
    const doc = agreement();
    fillSection(doc, 'finance_administration', { type: 'doc', content: [p('Ennen.')] });
    expect(placeGeneratedTable(doc, 'finance_administration', 'cost_shares', [p('Osuudet 2027'), table(['Kunta', 'Osuus'], ['A', '60 %'])], 1, { year: 2027 })).toEqual({ replaced: false });
    sectionFragment(doc, 'finance_administration').push([new Y.XmlElement('paragraph')]);
    const after = new Y.XmlText('Jälkeen.');
    (sectionFragment(doc, 'finance_administration').get(3) as Y.XmlElement).push([after]);
    expect(placeGeneratedTable(doc, 'finance_administration', 'cost_shares', [p('Osuudet 2028'), table(['Kunta', 'Osuus'], ['A', '55 %'])], 1, { year: 2028 })).toEqual({ replaced: true });
    expect(texts(doc, 'finance_administration')).toEqual(['Ennen.', 'Osuudet 2028', 'Kunta|Osuus/A|55 %', 'Jälkeen.']);
    expect(readGeneratedTables(doc)).toEqual([{ kind: 'cost_shares', section: 'finance_administration', source: { year: 2028 }, rows: [['Kunta', 'Osuus'], ['A', '55 %']] }]);
  });

  it('reads the table back as it is now: a hand edit in a cell shows, from any replica', () => {
    const server = agreement();
    placeGeneratedTable(server, 'body_composition', 'chair_rotation', [p('Vuorottelu'), table(['Vuosi', 'Puheenjohtaja'], ['2027', 'Kajaani'])], 1, {});
    const client = editor(server);
    // The person types into the cell "Kajaani" (row 1, cell 1, its paragraph, its text).
    const tableEl = sectionFragment(client, 'body_composition').get(1) as Y.XmlElement;
    const cellText = (((tableEl.get(1) as Y.XmlElement).get(1) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    cellText.delete(0, cellText.length);
    cellText.insert(0, 'Kuhmo');
    expect(readGeneratedTables(client)[0]!.rows).toEqual([['Vuosi', 'Puheenjohtaja'], ['2027', 'Kuhmo']]);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    expect(readGeneratedTables(server)[0]!.rows).toEqual([['Vuosi', 'Puheenjohtaja'], ['2027', 'Kuhmo']]);
  });

  it('a table the drafters deleted is no longer listed; inserted again, it takes the place of what is left of it, or goes last', () => {
    const doc = agreement();
    fillSection(doc, 'body_composition', { type: 'doc', content: [p('Muuta.')] });
    placeGeneratedTable(doc, 'body_composition', 'chair_rotation', [p('Vuorottelu'), table(['Vuosi'], ['2027'])], 1, {});
    sectionFragment(doc, 'body_composition').delete(2, 1);
    expect(readGeneratedTables(doc)).toEqual([]);
    // The caption left behind is Sopu's block of that kind: the new pair replaces it.
    expect(placeGeneratedTable(doc, 'body_composition', 'chair_rotation', [p('Vuorottelu 2'), table(['Vuosi'], ['2028'])], 1, {})).toEqual({ replaced: true });
    expect(texts(doc, 'body_composition')).toEqual(['Muuta.', 'Vuorottelu 2', 'Vuosi/2028']);
    // Both deleted and the section written on: the next one goes after the text.
    sectionFragment(doc, 'body_composition').delete(1, 2);
    const last = new Y.XmlElement('paragraph');
    sectionFragment(doc, 'body_composition').push([last]);
    last.push([new Y.XmlText('Lopuksi.')]);
    expect(placeGeneratedTable(doc, 'body_composition', 'chair_rotation', [p('Vuorottelu 3'), table(['Vuosi'], ['2029'])], 1, {})).toEqual({ replaced: false });
    expect(texts(doc, 'body_composition')).toEqual(['Muuta.', 'Lopuksi.', 'Vuorottelu 3', 'Vuosi/2029']);
  });

  it('tables of other kinds and the drafters’ own tables are left alone', () => {
    const doc = agreement();
    fillSection(doc, 'body_composition', { type: 'doc', content: [table(['Oma'], ['taulukko'])] });
    placeGeneratedTable(doc, 'body_composition', 'joint_body', [table(['Kunta'], ['A'])], 0, {});
    placeGeneratedTable(doc, 'body_composition', 'chair_rotation', [table(['Vuosi'], ['2027'])], 0, {});
    placeGeneratedTable(doc, 'body_composition', 'joint_body', [table(['Kunta'], ['B'])], 0, {});
    expect(texts(doc, 'body_composition')).toEqual(['Oma/taulukko', 'Kunta/B', 'Vuosi/2027']);
    expect(readGeneratedTables(doc).map((t) => t.kind)).toEqual(['chair_rotation', 'joint_body']);
  });

  it('the text stays what the editor writes (a client may send the same blocks), and the marks are the server’s alone', () => {
    const doc = agreement();
    const before = Y.encodeStateVector(doc);
    placeGeneratedTable(doc, 'body_composition', 'chair_rotation', [table(['Vuosi'], ['2027'])], 0, {});
    const client = editor(doc);
    // The marks are refused from a client: written or deleted.
    const write = Y.encodeStateVector(client);
    client.getMap(GENERATED_MAP).set('chair_rotation', { section: 'parties', blocks: [], table: 0, source: {} });
    expect(checkClientUpdate(doc, KIND, Y.encodeStateAsUpdate(client, write))).toMatchObject({ ok: false, problem: 'forbidden_field' });
    const other = editor(doc);
    const del = Y.encodeStateVector(other);
    other.getMap(GENERATED_MAP).delete('chair_rotation');
    expect(checkClientUpdate(doc, KIND, Y.encodeStateAsUpdate(other, del))).toMatchObject({ ok: false, problem: 'forbidden_field' });
    // The server's whole change, applied by a fresh peer, gives the same text and the same readings.
    const peer = agreement();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc, before));
    expect(canonicalSections(peer)).toEqual(canonicalSections(doc));
    expect(readGeneratedTables(peer)).toEqual(readGeneratedTables(doc));
  });

  it('refuses a table index that is no table', () => {
    expect(() => placeGeneratedTable(agreement(), 'body_composition', 'x', [p('a')], 0, {})).toThrow(RangeError);
  });
});
