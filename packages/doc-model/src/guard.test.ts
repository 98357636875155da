import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { changedSections, checkClientUpdate, fragmentHasText, reopenAgreedSections, repairSections } from './guard.ts';
import { fillSection } from './anchor.ts';
import { createInitialState, readSection, readSections, sectionsMap, setSectionStatus } from './layout.ts';
import { templateFor } from './templates.ts';

const KIND = 'cooperation_agreement' as const;

/** The server's copy of a new agreement, and a client that has synced with it. */
function serverAndClient() {
  const server = new Y.Doc();
  Y.applyUpdate(server, createInitialState(KIND));
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return { server, client };
}

/** What `change` makes the client send: the updates of its transactions, merged. */
function updateOf(client: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const onUpdate = (u: Uint8Array) => updates.push(u);
  client.on('update', onUpdate);
  change();
  client.off('update', onUpdate);
  return Y.mergeUpdates(updates);
}

const entry = (doc: Y.Doc, key: string) => sectionsMap(doc).get(key) as Y.Map<unknown>;

function typeInto(doc: Y.Doc, key: string, text: string) {
  const fragment = doc.getXmlFragment(`section:${key}`);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [paragraph]);
}

describe('checkClientUpdate', () => {
  it("lets a client write the template sections' text and their status fields", () => {
    const { server, client } = serverAndClient();
    const typing = updateOf(client, () => typeInto(client, 'parties', 'Kajaani ja Sotkamo'));
    expect(checkClientUpdate(server, KIND, typing)).toEqual({ ok: true, clients: [client.clientID] });
    Y.applyUpdate(server, typing);
    // Each update reaches the server before the next (as over one socket).
    const editing = updateOf(client, () => {
      const text = (client.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(7, 'n kaupunki');
      text.format(0, 7, { bold: true });
      text.delete(0, 2);
    });
    expect(checkClientUpdate(server, KIND, editing).ok).toBe(true);
    Y.applyUpdate(server, editing);
    const status = updateOf(client, () => setSectionStatus(client, 'client_fees', 'not_applicable', 'Maksuja ei peritä.', 'u1'));
    expect(checkClientUpdate(server, KIND, status).ok).toBe(true);
    // A client's full state, as sent in sync step 2 after offline edits, passes too.
    expect(checkClientUpdate(server, KIND, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))).ok).toBe(true);
  });

  it('keeps judging edits right when a top-level type is replaced under its name (the guard remembers types between updates)', () => {
    // The server applies the initial state without ever asking for the fragments by type: Yjs holds them as plain
    // types until someone calls getXmlFragment, which puts a new typed instance under the same name.
    const { server, client } = serverAndClient();
    const first = updateOf(client, () => typeInto(client, 'parties', 'Kajaani'));
    expect(checkClientUpdate(server, KIND, first)).toMatchObject({ ok: true });
    Y.applyUpdate(server, first);
    const before = server.share.get('section:parties');
    // The guard sees the document as it is now (the plain type), then Yjs replaces it.
    const more = updateOf(client, () => typeInto(client, 'parties', 'ja'));
    expect(checkClientUpdate(server, KIND, more)).toMatchObject({ ok: true });
    Y.applyUpdate(server, more);
    server.getXmlFragment('section:parties');
    const second = updateOf(client, () => typeInto(client, 'parties', 'Sotkamo'));
    expect(checkClientUpdate(server, KIND, second)).toMatchObject({ ok: true });
    Y.applyUpdate(server, second);
    // …and a top-level type outside the layout is still refused after the caches filled.
    const junk = updateOf(client, () => client.getMap('junk').set('x', 1));
    expect(checkClientUpdate(server, KIND, junk)).toMatchObject({ ok: false, problem: 'unknown_root' });
    expect(server.share.get('section:parties')).not.toBe(before);
  });

  it('refuses top-level types outside the layout, and section fragments of keys the template does not have', () => {
    const changes: Array<(doc: Y.Doc) => void> = [
      (d) => d.getMap('junk').set('x', 'y'.repeat(1000)),
      (d) => d.getText('notes').insert(0, 'x'),
      (d) => d.getArray('section:parties_extra').insert(0, [1]),
      (d) => typeInto(d, 'invented_section', 'x'),
    ];
    for (const change of changes) {
      const { server, client } = serverAndClient();
      expect(checkClientUpdate(server, KIND, updateOf(client, () => change(client)))).toMatchObject({ ok: false, problem: 'unknown_root' });
    }
    const { client } = serverAndClient();
    // Administrative rules have other sections: the agreement's keys are unknown there.
    const rules = new Y.Doc();
    Y.applyUpdate(rules, createInitialState('administrative_rules'));
    expect(checkClientUpdate(rules, 'administrative_rules', updateOf(client, () => typeInto(client, 'parties', 'x')))).toMatchObject({ ok: false, problem: 'unknown_root' });
  });

  it('refuses removing, replacing or inventing section entries', () => {
    const { server, client } = serverAndClient();
    expect(checkClientUpdate(server, KIND, updateOf(client, () => sectionsMap(client).delete('parties')))).toMatchObject({ ok: false, problem: 'layout_change' });
    const fresh = serverAndClient();
    expect(checkClientUpdate(fresh.server, KIND, updateOf(fresh.client, () => sectionsMap(fresh.client).set('parties', new Y.Map())))).toMatchObject({ ok: false, problem: 'layout_change' });
    const again = serverAndClient();
    expect(checkClientUpdate(again.server, KIND, updateOf(again.client, () => sectionsMap(again.client).set('evil', new Y.Map())))).toMatchObject({ ok: false, problem: 'layout_change' });
  });

  it('refuses section fields a client may not write, values of the wrong kind, and writes inside a field', () => {
    const cases: Array<[string, (doc: Y.Doc) => void, string]> = [
      ['order', (d) => entry(d, 'parties').set('order', 99), 'forbidden_field'],
      ['unknown field', (d) => entry(d, 'parties').set('colour', 'red'), 'forbidden_field'],
      ['unknown status', (d) => entry(d, 'parties').set('status', 'x'), 'invalid_value'],
      ['status as number', (d) => entry(d, 'parties').set('status', 3), 'invalid_value'],
      ['reason as number', (d) => entry(d, 'parties').set('reason', 5), 'invalid_value'],
      ['reason too long', (d) => entry(d, 'parties').set('reason', 'x'.repeat(2001)), 'invalid_value'],
      ['updatedAt as text', (d) => entry(d, 'parties').set('updatedAt', 'now'), 'invalid_value'],
      ['a map as a value', (d) => entry(d, 'parties').set('status', new Y.Map()), 'invalid_value'],
    ];
    for (const [name, change, problem] of cases) {
      const { server, client } = serverAndClient();
      expect(checkClientUpdate(server, KIND, updateOf(client, () => change(client))), name).toMatchObject({ ok: false, problem });
    }
  });

  it('refuses content the document model never holds', () => {
    const { server, client } = serverAndClient();
    // A subdocument as an element's attribute: the server would start loading and relaying a document of its own.
    const subdoc = updateOf(client, () => {
      const paragraph = new Y.XmlElement('paragraph');
      client.getXmlFragment('section:parties').insert(0, [paragraph]);
      paragraph.setAttribute('x', new Y.Doc() as unknown as string);
    });
    expect(checkClientUpdate(server, KIND, subdoc)).toMatchObject({ ok: false, problem: 'forbidden_content' });
    const other = serverAndClient();
    const hook = updateOf(other.client, () => other.client.getXmlFragment('section:purpose').insert(0, [new Y.XmlHook('widget') as unknown as Y.XmlElement]));
    expect(checkClientUpdate(other.server, KIND, hook)).toMatchObject({ ok: false, problem: 'forbidden_content' });
  });

  it('refuses writing under a client id that belongs to someone else, and frees ids new to the document', () => {
    const { server, client } = serverAndClient();
    const first = updateOf(client, () => typeInto(client, 'parties', 'mine'));
    expect(checkClientUpdate(server, KIND, first, () => false).ok).toBe(true);
    Y.applyUpdate(server, first);
    const next = updateOf(client, () => typeInto(client, 'parties', ' more'));
    expect(checkClientUpdate(server, KIND, next, (id) => id === client.clientID).ok).toBe(true);
    expect(checkClientUpdate(server, KIND, next, () => false)).toMatchObject({ ok: false, problem: 'foreign_client' });
    // Resending what the server already has is harmless, whoever sends it.
    expect(checkClientUpdate(server, KIND, first, () => false).ok).toBe(true);
  });

  it('holds an update that starts after what the document has (incomplete), and accepts it once the gap is filled', () => {
    const { server, client } = serverAndClient();
    const a = updateOf(client, () => typeInto(client, 'parties', 'a'));
    const b = updateOf(client, () => typeInto(client, 'parties', 'b'));
    expect(checkClientUpdate(server, KIND, b)).toEqual({ ok: false, incomplete: true });
    Y.applyUpdate(server, a);
    expect(checkClientUpdate(server, KIND, b).ok).toBe(true);
  });

  it('holds or refuses deleting what the server does not have, and refuses bytes that are not an update', () => {
    const { server } = serverAndClient();
    // An empty update is fine (a client with nothing to add sends one in sync step 2).
    expect(checkClientUpdate(server, KIND, Y.encodeStateAsUpdate(new Y.Doc())).ok).toBe(true);
    // A delete set for 50 clocks of a client the server has never seen: applied, it would be held and then delete
    // that client's next edits as they arrive.
    const other = new Y.Doc();
    other.clientID = 424242;
    typeInto(other, 'parties', 'x'.repeat(50));
    const deleteOnly = updateOf(other, () => ((other.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 50));
    // Nobody has written under that id yet: it may be the writer's own structs still on their way, so it is held.
    expect(checkClientUpdate(server, KIND, deleteOnly)).toEqual({ ok: false, incomplete: true });
    // Once the id is someone's, deleting ahead in it is refused unless it is the writer's own.
    Y.applyUpdate(server, Y.encodeStateAsUpdate(other));
    const ahead = updateOf(other, () => ((other.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'more'));
    const deleteAhead = updateOf(other, () => ((other.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 4));
    expect(ahead.byteLength).toBeGreaterThan(0);
    expect(checkClientUpdate(server, KIND, deleteAhead, () => false)).toMatchObject({ ok: false, problem: 'unresolved' });
    expect(checkClientUpdate(server, KIND, deleteAhead, (id) => id === other.clientID)).toEqual({ ok: false, incomplete: true });
    for (const junk of [new Uint8Array([1, 2, 3]), new Uint8Array([255, 255, 255, 255]), new Uint8Array(0)]) {
      expect(checkClientUpdate(server, KIND, junk)).toMatchObject({ ok: false });
    }
  });
});

describe('who changed a status, and "agreed"', () => {
  it('lets a client name only its own person as who changed a status', () => {
    const { server, client } = serverAndClient();
    const own = updateOf(client, () => setSectionStatus(client, 'parties', 'not_applicable', 'Ei koske.', 'user-1', 1));
    expect(checkClientUpdate(server, KIND, own, () => true, 'user-1').ok).toBe(true);
    expect(checkClientUpdate(server, KIND, own, () => true, 'user-2')).toMatchObject({ ok: false, problem: 'invalid_value' });
  });

  it('refuses a client that marks a section agreed, or changes the metadata of an agreed one: the negotiation decides both on the server', () => {
    const { server, client } = serverAndClient();
    const agree = updateOf(client, () => setSectionStatus(client, 'parties', 'agreed', '', 'user-1', 1));
    expect(checkClientUpdate(server, KIND, agree, () => true, 'user-1')).toMatchObject({ ok: false, problem: 'locked_section' });
    typeInto(server, 'parties', 'Sovittu teksti.');
    entry(server, 'parties').set('status', 'agreed');
    const later = new Y.Doc();
    Y.applyUpdate(later, Y.encodeStateAsUpdate(server));
    const reopen = updateOf(later, () => setSectionStatus(later, 'parties', 'drafting', '', 'user-1', 2));
    expect(checkClientUpdate(server, KIND, reopen, () => true, 'user-1')).toMatchObject({ ok: false, problem: 'locked_section' });
    // Another section's status is the client's to write still.
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(server));
    const other = updateOf(fresh, () => setSectionStatus(fresh, 'client_fees', 'not_applicable', 'Maksuja ei peritä.', 'user-1', 3));
    expect(checkClientUpdate(server, KIND, other, () => true, 'user-1').ok).toBe(true);
  });

  it('puts an "agreed" section without text back to drafting', () => {
    const { server } = serverAndClient();
    entry(server, 'purpose').set('status', 'agreed');
    expect(fragmentHasText(server.getXmlFragment('section:purpose'))).toBe(false);
    expect(repairSections(server, KIND, 'server')).toEqual([{ key: 'purpose', problems: ['agreed_without_text'] }]);
    typeInto(server, 'parties', 'Sovittu teksti.');
    entry(server, 'parties').set('status', 'agreed');
    expect(repairSections(server, KIND, 'server')).toEqual([]);
    expect(readSection(server, 'parties')?.status).toBe('agreed');
  });

  it('reopens an agreed section when its text changes, and names the sections a transaction changed', () => {
    const { server } = serverAndClient();
    typeInto(server, 'parties', 'Sovittu teksti.');
    entry(server, 'parties').set('status', 'agreed');
    let changed = new Set<string>();
    server.on('afterTransaction', (tr: Y.Transaction) => (changed = changedSections(tr)));
    ((server.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Muutettu: ');
    expect([...changed]).toEqual(['parties']);
    expect(reopenAgreedSections(server, changed, 'server')).toEqual(['parties']);
    expect(readSection(server, 'parties')).toMatchObject({ status: 'drafting', updatedBy: 'server' });
    expect(reopenAgreedSections(server, ['purpose'], 'server')).toEqual([]);
  });
});

describe('repairSections', () => {
  it('changes nothing in a well-formed document (no update at all)', () => {
    const { server } = serverAndClient();
    let updates = 0;
    server.on('update', () => updates++);
    expect(repairSections(server, KIND, 'server')).toEqual([]);
    expect(updates).toBe(0);
  });

  it('puts back a missing entry, a missing order, an unknown status and a non-string reason, without throwing', () => {
    const { server } = serverAndClient();
    // As stored by an older server, or by a client before the guard existed: written straight into the map.
    server.transact(() => {
      sectionsMap(server).delete('parties');
      entry(server, 'purpose').delete('order');
      entry(server, 'liability').set('status', 'x');
      entry(server, 'disputes').set('reason', 42);
      entry(server, 'personnel').set('status', 'not_applicable');
    });
    const repairs = repairSections(server, KIND, 'server', 1234);
    expect(repairs.map((r) => r.key).sort()).toEqual(['disputes', 'liability', 'parties', 'personnel', 'purpose']);
    expect(repairs.find((r) => r.key === 'personnel')?.problems).toContain('reason_required');
    const sections = readSections(server);
    expect(sections.map((s) => s.key)).toEqual(templateFor(KIND).map((t) => t.key));
    expect(sections.map((s) => s.order)).toEqual(templateFor(KIND).map((_, i) => i));
    for (const key of ['parties', 'liability', 'disputes', 'personnel']) expect(readSection(server, key)).toMatchObject({ status: 'drafting', reason: '' });
    expect(repairSections(server, KIND, 'server')).toEqual([]);
  });

  it('repairs what two valid concurrent changes merge into: not applicable and an emptied reason', () => {
    const { server, client: a } = serverAndClient();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(server));
    const setByA = updateOf(a, () => setSectionStatus(a, 'premises', 'not_applicable', 'Ei yhteisiä tiloja.', 'a'));
    Y.applyUpdate(server, setByA);
    Y.applyUpdate(b, setByA);
    // B, having seen A's change, and A again, concurrently: A only keeps the status, B empties the reason.
    const clearByB = updateOf(b, () => entry(b, 'premises').set('reason', ''));
    const againByA = updateOf(a, () => entry(a, 'premises').set('status', 'not_applicable'));
    for (const u of [clearByB, againByA]) {
      expect(checkClientUpdate(server, KIND, u).ok).toBe(true);
      Y.applyUpdate(server, u);
    }
    expect(readSection(server, 'premises')).toMatchObject({ status: 'not_applicable', reason: '' });
    expect(repairSections(server, KIND, 'server')).toEqual([{ key: 'premises', problems: ['reason_required'] }]);
    expect(readSection(server, 'premises')).toMatchObject({ status: 'drafting', reason: '' });
  });
});

describe('the text of a section holds only what the editor schema allows there, at every depth', () => {
  /** A server holding `prepare` (a valid starting point), and the client's update for `change`. */
  function attempt(change: (doc: Y.Doc) => void, prepare?: (doc: Y.Doc) => void) {
    const { server, client } = serverAndClient();
    if (prepare) {
      const setup = updateOf(client, () => prepare(client));
      expect(checkClientUpdate(server, KIND, setup), 'the valid starting point').toMatchObject({ ok: true });
      Y.applyUpdate(server, setup);
    }
    return checkClientUpdate(server, KIND, updateOf(client, () => change(client)));
  }
  const section = (doc: Y.Doc) => doc.getXmlFragment('section:parties');
  const el = (name: string, ...children: Array<Y.XmlElement | Y.XmlText>) => {
    const element = new Y.XmlElement(name);
    if (children.length > 0) element.insert(0, children);
    return element;
  };
  const p = (text: string) => el('paragraph', new Y.XmlText(text));
  const table = (cell: Y.XmlElement) => el('table', el('tableRow', cell));
  /** The first XmlText of the section's first block, at any depth. */
  const firstText = (doc: Y.Doc): Y.XmlText => {
    let node: Y.XmlElement | Y.XmlText = section(doc).get(0) as Y.XmlElement;
    while (node instanceof Y.XmlElement) node = node.get(0) as Y.XmlElement | Y.XmlText;
    return node;
  };

  it('accepts everything the editor writes: headings, lists, tables, code, links and marks, nested', () => {
    const { server, client } = serverAndClient();
    const rich = updateOf(client, () =>
      fillSection(client, 'parties', {
        type: 'doc',
        content: [
          { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Osapuolet' }] },
          { type: 'paragraph', content: [{ type: 'text', text: 'Katso ' }, { type: 'text', text: 'laki', marks: [{ type: 'link', attrs: { href: 'https://finlex.fi' } }, { type: 'bold' }] }, { type: 'hardBreak' }] },
          { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'yksi' }] }, { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] }] }] },
          { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableHeader', attrs: { colspan: 2, colwidth: [100, 0], align: 'center' }, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Kunta', marks: [{ type: 'italic' }] }] }] }] }] },
          { type: 'codeBlock', attrs: { language: 'json' }, content: [{ type: 'text', text: '{}' }] },
          { type: 'blockquote', content: [{ type: 'paragraph' }] },
          { type: 'horizontalRule' },
        ],
      }),
    );
    expect(checkClientUpdate(server, KIND, rich)).toMatchObject({ ok: true });
    Y.applyUpdate(server, rich);
    // Later edits deep inside what the server has: typing, formatting, an attribute changed.
    const edits = updateOf(client, () => {
      const cellText = (((section(client).get(3) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement;
      (cellText.get(0) as Y.XmlText).insert(0, 'Jäsen');
      (cellText.get(0) as Y.XmlText).format(0, 5, { underline: {}, link: { href: 'mailto:kirjaamo@example.fi', title: null } });
      (section(client).get(0) as Y.XmlElement).setAttribute('level', 3 as unknown as string);
    });
    expect(checkClientUpdate(server, KIND, edits)).toMatchObject({ ok: true });
  });

  it.each<[string, (doc: Y.Doc) => void]>([
    ['text straight in the section', (d) => section(d).push([new Y.XmlText('x')])],
    ['an unknown element', (d) => section(d).push([el('marquee')])],
    ['an element named text', (d) => section(d).push([el('paragraph', el('text') as unknown as Y.XmlText)])],
    ['a document inside the section', (d) => section(d).push([el('doc', p('x'))])],
    ['a table cell outside a table', (d) => section(d).push([el('tableCell', p('x'))])],
    ['a table row outside a table', (d) => section(d).push([el('tableRow')])],
    ['a paragraph straight in a table', (d) => section(d).push([el('table', p('x'))])],
    ['text straight in a list', (d) => section(d).push([el('bulletList', new Y.XmlText('x'))])],
    ['a heading inside a paragraph', (d) => section(d).push([el('paragraph', el('heading', new Y.XmlText('x')))])],
    ['children of a hard break', (d) => section(d).push([el('paragraph', el('hardBreak', new Y.XmlText('x')))])],
    ['a script element deep in a table cell', (d) => section(d).push([table(el('tableCell', el('paragraph'), el('script', new Y.XmlText('x'))))])],
    ['a paragraph inside text', (d) => { const t = new Y.XmlText('ab'); section(d).push([el('paragraph', t)]); t.insertEmbed(1, el('paragraph')); }],
    ['an object embedded in text', (d) => { const t = new Y.XmlText('ab'); section(d).push([el('paragraph', t)]); t.insertEmbed(1, { image: 'x' }); }],
    ['a plain value in the section', (d) => section(d).insert(0, ['x' as unknown as Y.XmlText])],
    ['heading level 9', (d) => { const h = el('heading', new Y.XmlText('x')); h.setAttribute('level', 9 as unknown as string); section(d).push([h]); }],
    ['heading level as text', (d) => { const h = el('heading', new Y.XmlText('x')); h.setAttribute('level', '2'); section(d).push([h]); }],
    ['an unknown attribute', (d) => { const q = p('x'); q.setAttribute('onclick', 'alert(1)'); section(d).push([q]); }],
    ['a huge column span deep in a table', (d) => { const c = el('tableCell', p('x')); c.setAttribute('colspan', 1e9 as unknown as string); section(d).push([table(c)]); }],
    ['a code language with a space', (d) => { const c = el('codeBlock', new Y.XmlText('x')); c.setAttribute('language', 'js onload'); section(d).push([c]); }],
    ['an attribute on text', (d) => { const t = new Y.XmlText('x'); t.setAttribute('style', 'x'); section(d).push([el('paragraph', t)]); }],
    ['bold inside a code block', (d) => { const t = new Y.XmlText('x'); section(d).push([el('codeBlock', t)]); t.format(0, 1, { bold: {} }); }],
    ['an unknown mark', (d) => { const t = new Y.XmlText('x'); section(d).push([el('paragraph', t)]); t.format(0, 1, { blink: {} }); }],
    ['a mark with attributes it does not have', (d) => { const t = new Y.XmlText('x'); section(d).push([el('paragraph', t)]); t.format(0, 1, { bold: { colour: 'red' } }); }],
  ])('refuses %s (new content)', (_name, change) => {
    expect(attempt(change)).toMatchObject({ ok: false, problem: 'not_in_schema' });
  });

  it.each<[string, (doc: Y.Doc) => void, (doc: Y.Doc) => void]>([
    ['heading level 9 on a stored heading', (d) => section(d).push([el('heading', new Y.XmlText('x'))]), (d) => (section(d).get(0) as Y.XmlElement).setAttribute('level', 9 as unknown as string)],
    ['an unknown element into a stored list item', (d) => section(d).push([el('bulletList', el('listItem', p('x')))]), (d) => ((section(d).get(0) as Y.XmlElement).get(0) as Y.XmlElement).push([el('iframe')])],
    ['text into a stored table row', (d) => section(d).push([table(el('tableCell', p('x')))]), (d) => ((section(d).get(0) as Y.XmlElement).get(0) as Y.XmlElement).push([new Y.XmlText('x')])],
    ['an embed into stored text', (d) => section(d).push([p('abc')]), (d) => firstText(d).insertEmbed(1, el('paragraph'))],
    ['an unknown mark on stored text deep in a table', (d) => section(d).push([table(el('tableCell', p('abc')))]), (d) => firstText(d).format(0, 2, { blink: {} })],
    ['an attribute on the stored text', (d) => section(d).push([p('abc')]), (d) => firstText(d).setAttribute('x', 'y')],
  ])('refuses %s (content the server has)', (_name, prepare, change) => {
    expect(attempt(change, prepare)).toMatchObject({ ok: false, problem: 'not_in_schema' });
  });
});

describe('links over collab', () => {
  function linkUpdate(value: unknown) {
    const { server, client } = serverAndClient();
    typeInto(client, 'parties', 'Katso kuntalaki.');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    const text = (client.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    return checkClientUpdate(server, KIND, updateOf(client, () => text.format(6, 9, { link: value })));
  }

  it('accepts a link as the editor writes it: an http, https or mailto href and a title', () => {
    for (const href of ['https://finlex.fi', 'http://example.fi/a?b=c', 'mailto:kirjaamo@example.fi', 'example.fi']) {
      expect(linkUpdate({ href, title: null }), href).toMatchObject({ ok: true });
    }
    expect(linkUpdate({ href: 'https://finlex.fi', title: 'Finlex' })).toMatchObject({ ok: true });
    // Removing a link is always fine.
    expect(linkUpdate(null)).toMatchObject({ ok: true });
  });

  it.each<[string, unknown]>([
    ['a javascript: href', { href: 'javascript:alert(document.cookie)', title: null }],
    ['a javascript: href with a tab in it', { href: 'java\tscript:alert(1)' }],
    ['a data: href', { href: 'data:text/html,<script>alert(1)</script>' }],
    ['a target', { href: 'https://finlex.fi', target: '_blank' }],
    ['rel and class', { href: 'https://finlex.fi', rel: 'opener', class: 'x' }],
    ['an event handler', { href: 'https://finlex.fi', onclick: 'alert(1)' }],
    ['no href', { title: 'x' }],
    ['a link that is only true', true],
    ['an href that is no text', { href: 42 }],
  ])('refuses a link with %s (4422 in the room)', (_name, value) => {
    expect(linkUpdate(value)).toMatchObject({ ok: false, problem: 'not_in_schema' });
  });
});
