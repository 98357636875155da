import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { canonicalSections, contentHash, sectionPlainText } from './canonical.ts';
import { checkClientUpdate } from './guard.ts';
import { createInitialState, sectionsMap } from './layout.ts';
import { checkSuggestionUpdate, decideSuggestions, readSuggestions } from './suggestions.ts';

const KIND = 'cooperation_agreement' as const;
const AT = 1_796_000_000_000;
const member = { userId: 'user-sotkamo', municipalityCode: '765' };
const other = { userId: 'user-kuhmo', municipalityCode: '290' };
const mark = (id: string, who = member) => ({ id, author: who.userId, municipality: who.municipalityCode, at: AT });

function agreement(text = 'Kajaani ja Sotkamo sopivat.'): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, createInitialState(KIND));
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('section:parties').insert(0, [paragraph]);
  return doc;
}

function replica(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

const textOf = (doc: Y.Doc, key = 'parties') => (doc.getXmlFragment(`section:${key}`).get(0) as Y.XmlElement).get(0) as Y.XmlText;

function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const on = (u: Uint8Array) => updates.push(u);
  doc.on('update', on);
  change();
  doc.off('update', on);
  return Y.mergeUpdates(updates);
}

describe('suggestions in the text', () => {
  it('leave the canonical form and hash at the accepted text, and are listed apart', () => {
    const doc = agreement();
    const plainHash = contentHash(doc);
    const before = canonicalSections(doc);
    textOf(doc).insert(18, ' sekä Kuhmo', { suggestionInsert: mark('ins-000001') });
    textOf(doc).format(0, 8, { suggestionDelete: mark('del-000001', other) });
    expect(contentHash(doc)).toBe(plainHash);
    expect(canonicalSections(doc)).toEqual(before);
    expect(sectionPlainText(doc, 'parties')).toBe('Kajaani ja Sotkamo sopivat.');
    expect(readSuggestions(doc)).toEqual([
      { id: 'del-000001', section: 'parties', kind: 'delete', text: 'Kajaani ', author: other.userId, municipalityCode: '290', createdAt: AT },
      { id: 'ins-000001', section: 'parties', kind: 'insert', text: ' sekä Kuhmo', author: member.userId, municipalityCode: '765', createdAt: AT },
    ]);
  });

  it('accepting makes an insertion plain and a deletion gone; rejecting the other way round', () => {
    const doc = agreement();
    textOf(doc).insert(18, ' sekä Kuhmo', { suggestionInsert: mark('ins-000001') });
    textOf(doc).format(0, 8, { suggestionDelete: mark('del-000001', other) });
    expect(decideSuggestions(doc, (s) => s.id === 'ins-000001', 'accept').map((s) => s.id)).toEqual(['ins-000001']);
    expect(sectionPlainText(doc, 'parties')).toBe('Kajaani ja Sotkamo sekä Kuhmo sopivat.');
    decideSuggestions(doc, (s) => s.id === 'del-000001', 'reject');
    expect(sectionPlainText(doc, 'parties')).toBe('Kajaani ja Sotkamo sekä Kuhmo sopivat.');
    expect(readSuggestions(doc)).toEqual([]);
    expect(textOf(doc).toDelta()).toEqual([{ insert: 'Kajaani ja Sotkamo sekä Kuhmo sopivat.' }]);

    const second = agreement();
    textOf(second).insert(18, ' sekä Kuhmo', { suggestionInsert: mark('ins-000002') });
    textOf(second).format(0, 8, { suggestionDelete: mark('del-000002') });
    decideSuggestions(second, (s) => s.author === member.userId && s.section === 'parties', 'reject');
    expect(textOf(second).toDelta()).toEqual([{ insert: 'Kajaani ja Sotkamo sopivat.' }]);
    const third = agreement();
    textOf(third).format(0, 8, { suggestionDelete: mark('del-000003') });
    decideSuggestions(third, () => true, 'accept');
    expect(textOf(third).toDelta()).toEqual([{ insert: 'ja Sotkamo sopivat.' }]);
    // Nothing picked: no transaction, no update.
    expect(updateOf(third, () => decideSuggestions(third, () => true, 'accept'))).toEqual(Y.mergeUpdates([]));
  });

  it('the layout guard holds suggestion marks to their attributes (a made-up id, a name with spaces, a time that never was)', () => {
    const server = agreement();
    for (const bad of [{ ...mark('ok-000001'), id: 'x' }, { ...mark('ok-000001'), author: 'a b' }, { ...mark('ok-000001'), at: 5 }, { ...mark('ok-000001'), extra: 1 }, { ...mark('ok-000001'), municipality: 'Kuhmo' }]) {
      const client = replica(server);
      const update = updateOf(client, () => textOf(client).insert(0, 'x', { suggestionInsert: bad }));
      expect(checkClientUpdate(server, KIND, update)).toMatchObject({ ok: false, problem: 'not_in_schema' });
    }
  });
});

describe('checkSuggestionUpdate: what a suggest-only connection may send', () => {
  const cases: Array<[string, (d: Y.Doc) => void, string | null]> = [
    ['its own insertion', (d) => textOf(d).insert(5, 'XYZ', { suggestionInsert: mark('own-000001') }), null],
    ['its own deletion mark', (d) => textOf(d).format(0, 7, { suggestionDelete: mark('own-000002') }), null],
    ['plain text', (d) => textOf(d).insert(5, 'XYZ'), 'suggestion_only'],
    ['a deletion', (d) => textOf(d).delete(0, 3), 'suggestion_only'],
    ['a format change', (d) => textOf(d).format(0, 7, { bold: true }), 'suggestion_only'],
    ["someone else's insertion", (d) => textOf(d).insert(5, 'XYZ', { suggestionInsert: mark('forged-0001', other) }), 'forged_suggestion'],
    ["someone else's municipality", (d) => textOf(d).insert(5, 'XYZ', { suggestionInsert: { ...mark('forged-0002'), municipality: '290' } }), 'forged_suggestion'],
    ["a deletion mark in someone else's name", (d) => textOf(d).format(0, 7, { suggestionDelete: mark('forged-0003', other) }), 'forged_suggestion'],
    ['a new paragraph', (d) => d.getXmlFragment('section:parties').insert(1, [new Y.XmlElement('paragraph')]), 'suggestion_only'],
    ['section metadata', (d) => (sectionsMap(d).get('client_fees') as Y.Map<unknown>).set('reason', 'x'), 'suggestion_only'],
  ];
  for (const [name, change, problem] of cases) {
    it(`${problem ? 'refuses' : 'lets through'} ${name}`, () => {
      const server = agreement();
      const client = replica(server);
      const verdict = checkSuggestionUpdate(server, updateOf(client, () => change(client)), member, true);
      expect(verdict.ok ? null : verdict.problem).toBe(problem);
      // The server's document was not touched by the check.
      expect(readSuggestions(server)).toEqual([]);
    });
  }

  it('lets a suggestion open an empty section with a paragraph holding only its own suggested text', () => {
    const server = agreement();
    const own = (() => {
      const c = replica(server);
      return updateOf(c, () => {
        const p = new Y.XmlElement('paragraph');
        c.getXmlFragment('section:purpose').insert(0, [p]);
        p.insert(0, [new Y.XmlText()]);
        (p.get(0) as Y.XmlText).insert(0, 'Tavoite', { suggestionInsert: mark('own-000009') });
      });
    })();
    expect(checkSuggestionUpdate(server, own, member, true)).toEqual({ ok: true });
    const plain = (() => {
      const c = replica(server);
      return updateOf(c, () => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText('Tavoite')]);
        c.getXmlFragment('section:purpose').insert(0, [p]);
      });
    })();
    expect(checkSuggestionUpdate(server, plain, member, true)).toMatchObject({ ok: false, problem: 'suggestion_only' });
    const heading = (() => {
      const c = replica(server);
      return updateOf(c, () => c.getXmlFragment('section:purpose').insert(0, [new Y.XmlElement('heading')]));
    })();
    expect(checkSuggestionUpdate(server, heading, member, true)).toMatchObject({ ok: false, problem: 'suggestion_only' });
  });

  it("lets the author remove or rewrite their own suggested text, never someone else's", () => {
    const server = agreement();
    textOf(server).insert(5, 'OWN', { suggestionInsert: mark('own-000003') });
    textOf(server).insert(0, 'THEIRS', { suggestionInsert: mark('their-00001', other) });
    textOf(server).format(12, 4, { suggestionDelete: mark('their-00002', other) });
    const ownRemoved = (() => {
      const c = replica(server);
      return updateOf(c, () => textOf(c).delete(11, 2));
    })();
    expect(checkSuggestionUpdate(server, ownRemoved, member, true)).toEqual({ ok: true });
    const theirsRemoved = (() => {
      const c = replica(server);
      return updateOf(c, () => textOf(c).delete(0, 2));
    })();
    expect(checkSuggestionUpdate(server, theirsRemoved, member, true)).toMatchObject({ ok: false, problem: 'forged_suggestion' });
    const theirMarkLifted = (() => {
      const c = replica(server);
      return updateOf(c, () => textOf(c).format(12, 4, { suggestionDelete: null }));
    })();
    expect(checkSuggestionUpdate(server, theirMarkLifted, member, true)).toMatchObject({ ok: false, problem: 'forged_suggestion' });
  });

  it('holds every writer to suggestions in a section marked agreed, and no one where none is', () => {
    const server = agreement();
    const client = replica(server);
    const direct = updateOf(client, () => textOf(client).insert(0, 'X'));
    expect(checkSuggestionUpdate(server, direct, other, false)).toEqual({ ok: true });
    (sectionsMap(server).get('parties') as Y.Map<unknown>).set('status', 'agreed');
    expect(checkSuggestionUpdate(server, direct, other, false)).toMatchObject({ ok: false, problem: 'locked_section' });
    const suggestion = updateOf(client, () => textOf(client).insert(0, 'Y', { suggestionInsert: mark('own-000004', other) }));
    expect(checkSuggestionUpdate(server, suggestion, other, false)).toEqual({ ok: true });
    // Another section is not locked by it.
    const elsewhere = updateOf(client, () => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('Tavoite')]);
      client.getXmlFragment('section:purpose').insert(0, [p]);
    });
    expect(checkSuggestionUpdate(server, elsewhere, other, false)).toEqual({ ok: true });
  });
});
