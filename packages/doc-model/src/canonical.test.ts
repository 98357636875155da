import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  canonicalDocument,
  canonicalJson,
  canonicalSections,
  contentHash,
  hashCanonicalDocument,
  sectionPlainText,
  sha256Hex,
  type ProseMirrorJSON,
} from './canonical.ts';
import { createInitialState, initialiseDocument, sectionFragment, setSectionStatus } from './layout.ts';
import { sopuSchema } from './schema.ts';

const text = (value: string, marks?: ProseMirrorJSON['marks']): ProseMirrorJSON =>
  marks ? { type: 'text', text: value, marks } : { type: 'text', text: value };
const paragraph = (...content: ProseMirrorJSON[]): ProseMirrorJSON =>
  content.length > 0 ? { type: 'paragraph', content } : { type: 'paragraph' };
const cell = (type: 'tableHeader' | 'tableCell', value: string): ProseMirrorJSON => ({
  type,
  content: [paragraph(text(value))],
});

const RICH: ProseMirrorJSON = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [text('Kustannusten jakautuminen')] },
    paragraph(
      text('Kustannukset jaetaan '),
      text('työvoiman määrän', [{ type: 'bold' }]),
      text(' mukaan, ks. '),
      text('kuntalaki', [{ type: 'link', attrs: { href: 'https://www.finlex.fi/fi/laki/ajantasa/2015/20150410' } }]),
      text('.'),
    ),
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [paragraph(text('palkat'))] },
        { type: 'listItem', content: [paragraph(text('toimitilat'))] },
      ],
    },
    {
      type: 'table',
      content: [
        { type: 'tableRow', content: [cell('tableHeader', 'Kunta'), cell('tableHeader', 'Osuus')] },
        { type: 'tableRow', content: [cell('tableCell', 'Äänekoski'), cell('tableCell', '40 %')] },
      ],
    },
  ],
};

function fill(doc: Y.Doc, key: string, content: ProseMirrorJSON): void {
  prosemirrorJSONToYXmlFragment(sopuSchema, content, sectionFragment(doc, key));
}

function appendText(doc: Y.Doc, key: string, value: string): void {
  const paragraphElement = new Y.XmlElement('paragraph');
  paragraphElement.insert(0, [new Y.XmlText(value)]);
  const fragment = sectionFragment(doc, key);
  fragment.insert(fragment.length, [paragraphElement]);
}

function recordUpdates(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return updates;
}

function replay(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

function agreement(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, createInitialState('service_plan'));
  return doc;
}

describe('canonicalJson', () => {
  it('sorts object keys at every depth and leaves out whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives equal bytes for equal values built in different key orders', () => {
    const one = { key: 'parties', order: 0, content: { type: 'doc', attrs: { a: 1, b: 2 } } };
    const two = { content: { attrs: { b: 2, a: 1 }, type: 'doc' }, order: 0, key: 'parties' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('keeps array order and text exactly, including non-ASCII and quotes', () => {
    expect(canonicalJson(['ö', 'a"b', '\n'])).toBe('["ö","a\\"b","\\n"]');
  });

  it('leaves out undefined members as JSON does and refuses what JSON cannot hold', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow('$.a is not a finite number');
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('canonicalSections', () => {
  it('round-trips a heading, bold text, a link, a bullet list and a table', () => {
    const doc = agreement();
    fill(doc, 'resources', RICH);
    const resources = canonicalSections(doc).find((s) => s.key === 'resources');
    // The schema fills in default attributes (a link's title, cell spans); otherwise the content is as written.
    expect(resources?.content).toEqual(sopuSchema.nodeFromJSON(RICH).toJSON());
    const link = resources?.content.content?.[1]?.content?.[3]?.marks?.[0];
    // A link is its address: target, rel and class are how a page draws it, not content (decision 007).
    expect(link).toEqual({ type: 'link', attrs: { href: 'https://www.finlex.fi/fi/laki/ajantasa/2015/20150410', title: null } });
    expect(resources?.content.content?.[3]?.content?.[1]?.content?.[0]).toEqual({
      type: 'tableCell',
      attrs: { colspan: 1, rowspan: 1, colwidth: null, align: null },
      content: [paragraph(text('Äänekoski'))],
    });
  });

  it('lists sections by order with their status and reason', () => {
    const doc = agreement();
    setSectionStatus(doc, 'offices', 'not_applicable', 'One office only.', 'u1');
    const sections = canonicalSections(doc);
    expect(sections.map((s) => s.key)).toEqual([
      'resources',
      'service_production',
      'offices',
      'partners',
      'labour_mobility',
      'structural_change',
    ]);
    expect(sections[2]).toEqual({
      key: 'offices',
      order: 2,
      status: 'not_applicable',
      reason: 'One office only.',
      content: { type: 'doc' },
    });
  });

  it('reads without writing to the live document, even content the schema rejects', () => {
    const doc = agreement();
    fill(doc, 'resources', { type: 'doc', content: [paragraph(text('Budjetti'))] });
    sectionFragment(doc, 'partners').insert(0, [new Y.XmlElement('marquee')]);
    let updates = 0;
    doc.on('update', () => updates++);
    const sections = canonicalSections(doc);
    expect(updates).toBe(0);
    expect(sectionFragment(doc, 'partners').length).toBe(1);
    expect(sections.find((s) => s.key === 'partners')?.content).toEqual({ type: 'doc' });
    expect(sections.find((s) => s.key === 'resources')?.content).toEqual({
      type: 'doc',
      content: [paragraph(text('Budjetti'))],
    });
  });
});

describe('links in the canonical form', () => {
  /** A paragraph whose text carries the link formatting `value`, written straight into Yjs (as any client can). */
  function linked(value: unknown): Y.Doc {
    const doc = agreement();
    fill(doc, 'resources', { type: 'doc', content: [paragraph(text('Katso kuntalaki tästä.'))] });
    const yText = (sectionFragment(doc, 'resources').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    yText.format(6, 9, { link: value });
    return doc;
  }
  const marksOf = (doc: Y.Doc) => canonicalSections(doc).find((s) => s.key === 'resources')!.content.content![0]!.content!.map((t) => [t.text, t.marks ?? []]);

  it.each([
    'javascript:alert(document.cookie)',
    'java\tscript:alert(1)',
    ' JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:x',
    'file:///etc/passwd',
  ])('never carries the unsafe href %j: the text stays, unlinked', (href) => {
    const doc = linked({ href, target: '_blank' });
    expect(marksOf(doc)).toEqual([['Katso kuntalaki tästä.', []]]);
    expect(canonicalJson(canonicalDocument(doc))).not.toContain(href.trim().slice(0, 8));
  });

  it("keeps a safe link as its href and title only, dropping the target, rel and class an older editor stored", () => {
    const doc = linked({ href: 'https://finlex.fi', target: '_self', rel: 'opener', class: 'x', title: 'Finlex', onclick: 'alert(1)' });
    expect(marksOf(doc)).toEqual([
      ['Katso ', []],
      ['kuntalaki', [{ type: 'link', attrs: { href: 'https://finlex.fi', title: 'Finlex' } }]],
      [' tästä.', []],
    ]);
    const json = canonicalJson(canonicalDocument(doc));
    for (const word of ['target', '_self', 'rel', 'opener', 'onclick']) expect(json).not.toContain(`"${word}"`);
  });
});

describe('canonicalDocument', () => {
  it('is identical for replicas that received the same edits in different orders', () => {
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    const fromAlice = recordUpdates(alice);
    const fromBob = recordUpdates(bob);
    initialiseDocument(alice, 'service_plan');
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    // Concurrent: each edits before seeing the other's change.
    fill(alice, 'resources', RICH);
    appendText(bob, 'resources', 'Bobin kappale');
    setSectionStatus(bob, 'offices', 'agreed', '', 'bob');
    appendText(alice, 'offices', 'Kolme toimipistettä');
    const all = [...fromAlice, ...fromBob];
    const forwards = replay(all);
    const backwards = replay([...all].reverse());
    const interleaved = replay(all.filter((_, i) => i % 2 === 1).concat(all.filter((_, i) => i % 2 === 0)));
    const expected = canonicalJson(canonicalDocument(forwards));
    expect(canonicalJson(canonicalDocument(backwards))).toBe(expected);
    expect(canonicalJson(canonicalDocument(interleaved))).toBe(expected);
    expect(expected).toContain('Bobin kappale');
    expect(expected).toContain('Kolme toimipistettä');
  });

  it('carries the layout version and hashes to the same value as the live document', () => {
    const doc = agreement();
    fill(doc, 'resources', RICH);
    const canonical = canonicalDocument(doc);
    expect(canonical.layout).toBe(1);
    expect(hashCanonicalDocument(canonical)).toBe(contentHash(doc));
    const stored: unknown = JSON.parse(canonicalJson(canonical));
    expect(hashCanonicalDocument(stored as typeof canonical)).toBe(contentHash(doc));
  });
});

describe('contentHash', () => {
  it('is a sha256 hex digest', () => {
    expect(contentHash(agreement())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when text changes, and returns when the text is restored', () => {
    const doc = agreement();
    fill(doc, 'resources', { type: 'doc', content: [paragraph(text('Budjetti'))] });
    const before = contentHash(doc);
    const yText = sectionFragment(doc, 'resources').get(0);
    if (!(yText instanceof Y.XmlElement)) throw new Error('expected a paragraph');
    const inner = yText.get(0);
    if (!(inner instanceof Y.XmlText)) throw new Error('expected text');
    inner.insert(8, ' 2027');
    const after = contentHash(doc);
    expect(after).not.toBe(before);
    inner.delete(8, 5);
    expect(contentHash(doc)).toBe(before);
  });

  it('changes when a mark or a status changes', () => {
    const doc = agreement();
    fill(doc, 'resources', { type: 'doc', content: [paragraph(text('Budjetti'))] });
    const plain = contentHash(doc);
    const yText = (sectionFragment(doc, 'resources').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    yText.format(0, 3, { bold: {} });
    const bold = contentHash(doc);
    expect(bold).not.toBe(plain);
    setSectionStatus(doc, 'offices', 'agreed', '', 'u1');
    expect(contentHash(doc)).not.toBe(bold);
  });

  it('does not change with awareness, with reading, or with who last touched a status', () => {
    const doc = agreement();
    fill(doc, 'resources', RICH);
    const before = contentHash(doc);
    const awareness = new Awareness(doc);
    awareness.setLocalStateField('user', { name: 'Aino', color: '#f00' });
    awareness.setLocalStateField('cursor', { anchor: 3, head: 9 });
    expect(contentHash(doc)).toBe(before);
    expect(contentHash(doc)).toBe(before);
    awareness.destroy();
    setSectionStatus(doc, 'offices', 'agreed', '', 'u1', 1);
    const agreed = contentHash(doc);
    setSectionStatus(doc, 'offices', 'drafting', '', 'u2', 2);
    setSectionStatus(doc, 'offices', 'agreed', '', 'u3', 3);
    expect(contentHash(doc)).toBe(agreed);
  });

  it('ignores the empty paragraphs an editor adds at the end of a section', () => {
    const doc = agreement();
    const empty = contentHash(doc);
    fill(doc, 'resources', { type: 'doc', content: [paragraph()] });
    expect(contentHash(doc)).toBe(empty);
    fill(doc, 'partners', RICH);
    const withTable = contentHash(doc);
    sectionFragment(doc, 'partners').push([new Y.XmlElement('paragraph')]);
    expect(contentHash(doc)).toBe(withTable);
    appendText(doc, 'partners', 'x');
    expect(contentHash(doc)).not.toBe(withTable);
  });
});

describe('sectionPlainText', () => {
  it('gives one block per paragraph, separated by blank lines', () => {
    const doc = agreement();
    fill(doc, 'resources', RICH);
    expect(sectionPlainText(doc, 'resources')).toBe(
      [
        'Kustannusten jakautuminen',
        'Kustannukset jaetaan työvoiman määrän mukaan, ks. kuntalaki.',
        'palkat',
        'toimitilat',
        'Kunta',
        'Osuus',
        'Äänekoski',
        '40 %',
      ].join('\n\n'),
    );
  });

  it('turns hard breaks into newlines and is empty for an empty section', () => {
    const doc = agreement();
    const lines = paragraph(text('Jyväskylä'), { type: 'hardBreak' }, text('Äänekoski'));
    fill(doc, 'offices', { type: 'doc', content: [lines] });
    expect(sectionPlainText(doc, 'offices')).toBe('Jyväskylä\nÄänekoski');
    expect(sectionPlainText(doc, 'partners')).toBe('');
  });
});
