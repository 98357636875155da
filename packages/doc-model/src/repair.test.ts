import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fillSection } from './anchor.ts';
import { canonicalJson, canonicalSections, contentHash, sectionPlainText, type ProseMirrorJSON } from './canonical.ts';
import { checkClientUpdate } from './guard.ts';
import { createInitialState } from './layout.ts';
import { contentProblems, repairContent } from './repair.ts';
import { sopuSchema } from './schema.ts';

const KIND = 'cooperation_agreement' as const;

/** A stored agreement whose "parties" section holds a valid paragraph; `change` then writes past any guard. */
function storedWith(change: (section: Y.XmlFragment, doc: Y.Doc) => void): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, createInitialState(KIND));
  fillSection(doc, 'parties', { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Kajaani on vastuukunta.' }] }] });
  doc.transact(() => change(doc.getXmlFragment('section:parties'), doc));
  return doc;
}

const el = (name: string, ...children: Array<Y.XmlElement | Y.XmlText>) => {
  const element = new Y.XmlElement(name);
  if (children.length > 0) element.insert(0, children);
  return element;
};
const p = (text: string) => el('paragraph', new Y.XmlText(text));
const partiesContent = (doc: Y.Doc) => canonicalSections(doc).find((s) => s.key === 'parties')!.content;

/** The content is what the schema builds and checks (node types where they may be, valid attributes and marks). */
function expectSchemaContent(content: ProseMirrorJSON) {
  expect(() => sopuSchema.nodeFromJSON(content).check()).not.toThrow();
}

const SHAPES: Array<[string, (section: Y.XmlFragment) => void, string]> = [
  ['text straight in the section', (s) => s.push([new Y.XmlText('irrallaan')]), 'Kajaani on vastuukunta.'],
  ['an unknown element holding text', (s) => s.insert(0, [el('marquee', new Y.XmlText('vilkkuu'))]), 'Kajaani on vastuukunta.'],
  ['a table cell outside a table', (s) => s.push([el('tableCell', p('solu'))]), 'Kajaani on vastuukunta.'],
  ['a paragraph inside text', (s) => ((s.get(0) as Y.XmlElement).get(0) as Y.XmlText).insertEmbed(3, el('paragraph')), 'Kajaani on vastuukunta.'],
  ['an object embedded in text', (s) => ((s.get(0) as Y.XmlElement).get(0) as Y.XmlText).insertEmbed(3, { image: 'x' }), 'Kajaani on vastuukunta.'],
  ['a plain value in the section', (s) => s.insert(1, ['arvo' as unknown as Y.XmlText]), 'Kajaani on vastuukunta.'],
  ['an attribute on text', (s) => ((s.get(0) as Y.XmlElement).get(0) as Y.XmlText).setAttribute('style', 'x'), 'Kajaani on vastuukunta.'],
  ['an unknown mark', (s) => ((s.get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 7, { blink: {} }), 'Kajaani on vastuukunta.'],
  ['a heading of level 9', (s) => { const h = el('heading', new Y.XmlText('Otsikko')); h.setAttribute('level', 9 as unknown as string); s.push([h]); }, 'Kajaani on vastuukunta.\n\nOtsikko'],
  ['an unknown attribute deep in a table', (s) => { const c = el('tableCell', p('solu')); c.setAttribute('onclick', 'x'); s.push([el('table', el('tableRow', c))]); }, 'Kajaani on vastuukunta.\n\nsolu'],
  ['bold inside a code block', (s) => { const t = new Y.XmlText('koodi'); s.push([el('codeBlock', t)]); t.format(0, 3, { bold: {} }); }, 'Kajaani on vastuukunta.\n\nkoodi'],
];

describe('repairContent', () => {
  it.each(SHAPES)('puts right %s: the canonical form reads the same before and after, and the repair is stored as an update', (_name, change, text) => {
    const doc = storedWith(change);
    const before = canonicalJson(canonicalSections(doc));
    expect(contentProblems(doc).length).toBeGreaterThan(0);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const repairs = repairContent(doc, 'server');
    expect(repairs.length).toBeGreaterThan(0);
    expect(repairs.every((r) => r.section === 'parties')).toBe(true);
    expect(updates).toHaveLength(1);
    expect(contentProblems(doc)).toEqual([]);
    expect(canonicalJson(canonicalSections(doc))).toBe(before);
    expect(sectionPlainText(doc, 'parties')).toBe(text);
    expectSchemaContent(partiesContent(doc));
    // A replica that gets the repair reads the same; the repaired text accepts a client's further typing.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    expect(canonicalJson(canonicalSections(replica))).toBe(before);
    const typing: Uint8Array[] = [];
    replica.on('update', (u: Uint8Array) => typing.push(u));
    ((replica.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Nyt: ');
    expect(checkClientUpdate(doc, KIND, Y.mergeUpdates(typing))).toMatchObject({ ok: true });
  });

  it('keeps the heading whose level was wrong, at the default level', () => {
    const doc = storedWith((s) => {
      const h = el('heading', new Y.XmlText('Otsikko'));
      h.setAttribute('level', 9 as unknown as string);
      s.push([h]);
    });
    repairContent(doc, 'server');
    expect(partiesContent(doc).content?.[1]).toEqual({ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Otsikko' }] });
  });

  it('changes nothing in a well-formed document: no update at all, nothing reported', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, createInitialState(KIND));
    fillSection(doc, 'parties', {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Osapuolet', marks: [{ type: 'italic' }] }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'laki', marks: [{ type: 'link', attrs: { href: 'https://finlex.fi', title: 'Finlex' } }, { type: 'bold' }] }, { type: 'hardBreak' }, { type: 'text', text: 'x' }] },
        { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', attrs: { colspan: 2, colwidth: [0, 120] }, content: [{ type: 'paragraph' }] }] }] },
        { type: 'orderedList', attrs: { start: 4, type: 'a' }, content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] },
        { type: 'codeBlock', attrs: { language: 'ts' }, content: [{ type: 'text', text: 'x' }] },
      ],
    });
    let updates = 0;
    doc.on('update', () => updates++);
    expect(repairContent(doc, 'server')).toEqual([]);
    expect(updates).toBe(0);
  });

  it('only reports when asked to (contentProblems writes nothing)', () => {
    const doc = storedWith((s) => s.push([new Y.XmlText('x')]));
    let updates = 0;
    doc.on('update', () => updates++);
    expect(contentProblems(doc)).toEqual([{ section: 'parties', problem: 'text in the section' }]);
    expect(updates).toBe(0);
  });
});

describe('the canonical form of stored content a past guard let in', () => {
  it('never throws, whatever a section holds, and leaves the stored document as it is', () => {
    const doc = storedWith((s) => {
      for (const [, change] of SHAPES) change(s);
    });
    let updates = 0;
    doc.on('update', () => updates++);
    expect(() => contentHash(doc)).not.toThrow();
    expect(contentHash(doc)).toMatch(/^[0-9a-f]{64}$/);
    expect(updates).toBe(0);
    expectSchemaContent(partiesContent(doc));
    repairContent(doc, 'server');
    expect(contentHash(doc)).toBe(contentHash(storedWith((s) => { for (const [, change] of SHAPES) change(s); })));
  });
});

describe('links a past guard let in', () => {
  function storedLink(value: unknown) {
    return storedWith((s) => ((s.get(0) as Y.XmlElement).get(0) as Y.XmlText).format(8, 2, { link: value }));
  }
  const formatsOf = (doc: Y.Doc) => ((doc.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText).toDelta();

  it('unlinks an unsafe href in the stored form, keeping the text', () => {
    const doc = storedLink({ href: 'javascript:alert(1)', target: '_blank' });
    expect(repairContent(doc, 'server')).toEqual([{ section: 'parties', problem: 'link: href, target not allowed (in paragraph)' }]);
    expect(formatsOf(doc)).toEqual([{ insert: 'Kajaani on vastuukunta.' }]);
  });

  it('keeps a safe link in the stored form without its target, rel and class', () => {
    const doc = storedLink({ href: 'https://kajaani.fi', target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null });
    repairContent(doc, 'server');
    expect(formatsOf(doc)).toEqual([{ insert: 'Kajaani ' }, { insert: 'on', attributes: { link: { href: 'https://kajaani.fi', title: null } } }, { insert: ' vastuukunta.' }]);
    expect(contentProblems(doc)).toEqual([]);
  });
});

describe('writing content frozen before a rule existed (restoring a version)', () => {
  it('leaves out what the schema no longer allows instead of refusing the whole section', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, createInitialState(KIND));
    const frozen: ProseMirrorJSON = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 9 }, content: [{ type: 'text', text: 'Otsikko' }] },
        { type: 'paragraph', content: [
          { type: 'text', text: 'vaarallinen', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)', target: '_blank' } }] },
          { type: 'text', text: ' ja ' },
          { type: 'text', text: 'turvallinen', marks: [{ type: 'link', attrs: { href: 'https://finlex.fi', target: '_blank', rel: 'noopener', class: null, title: null } }, { type: 'bold' }] },
        ] },
        { type: 'marquee', content: [{ type: 'text', text: 'pois' }] },
        { type: 'tableCell', content: [{ type: 'paragraph' }] },
      ],
    };
    expect(() => sopuSchema.nodeFromJSON(frozen)).toThrow();
    fillSection(doc, 'parties', frozen);
    expect(contentProblems(doc)).toEqual([]);
    expect(partiesContent(doc)).toEqual({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Otsikko' }] },
        { type: 'paragraph', content: [
          { type: 'text', text: 'vaarallinen ja ' },
          { type: 'text', text: 'turvallinen', marks: [{ type: 'link', attrs: { href: 'https://finlex.fi', title: null } }, { type: 'bold' }] },
        ] },
      ],
    });
  });
});
