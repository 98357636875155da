import { contentHash, fillSection, hashTranslationTexts, languageFragmentName, type ProseMirrorJSON } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { actorFor, changeDocument, createTestDeps, documentIdOf, tableCounts, type TestDeps } from '../testing.ts';
import { loadDocumentState } from './document-state.ts';
import { getTranslations, makeDocumentBilingual, markTranslationUpdated } from './bilingual.ts';
import { isDomainError } from '../shared/errors.ts';

const SAARISTO = 'saaristo-skargard';
const KAINUU = 'kainuu-koillismaa';
const p = (text: string): ProseMirrorJSON => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

let t: TestDeps;
beforeEach(async () => {
  t = await createTestDeps();
});
afterEach(async () => {
  await t.cleanup();
});

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'allowed';
  } catch (error) {
    if (isDomainError(error)) return `${error.code}${typeof error.details.reason === 'string' ? `:${error.details.reason}` : ''}`;
    throw error;
  }
}

async function stateHash(documentId: string): Promise<string> {
  const doc = await loadDocumentState(t.db, documentId);
  try {
    return contentHash(doc);
  } finally {
    doc.destroy();
  }
}

async function audit(action: string) {
  return t.db.selectFrom('audit_events').select(['actor_user_id', 'details']).where('action', '=', action).execute();
}

describe('making a document bilingual', () => {
  it("keeps the Swedish area's text as its main language and adds Finnish beside it, once, audited", async () => {
    const admin = await actorFor(t.deps, 'admin.rantala@sopu.example');
    const agreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
    await changeDocument(t.db, agreement, (doc) => fillSection(doc, 'parties', p('Parter är Strandvik, Holmby och Saarela.')));
    const before = await getTranslations(t.deps, admin, agreement);
    expect(before).toMatchObject({ languages: null, language: 'sv', canMakeBilingual: true, canMark: false, sections: [] });

    const made = await makeDocumentBilingual(t.deps, admin, agreement);
    expect(made.languages).toEqual({ main: 'sv', parallel: 'fi' });
    expect(made.canMakeBilingual).toBe(false);
    // The Swedish text is there and in line; the Finnish of a section with text is missing, of an empty one nothing.
    expect(made.sections.find((s) => s.key === 'parties')!.states).toEqual({ sv: 'in_line', fi: 'missing' });
    expect(made.sections.find((s) => s.key === 'purpose')!.states).toEqual({ sv: 'in_line', fi: 'in_line' });
    expect(made.needsTranslation).toEqual(['parties']);
    expect(await audit('document.made_bilingual')).toEqual([{ actor_user_id: admin.userId, details: JSON.stringify({ languages: ['sv', 'fi'] }) }]);

    const counts = await tableCounts(t.db);
    expect(await refusal(makeDocumentBilingual(t.deps, admin, agreement))).toBe('conflict:already_bilingual');
    expect(await tableCounts(t.db)).toEqual(counts);
  });

  it('is refused in an area with only Finnish-speaking municipalities, and to anyone but the host admin; nothing changes', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const hash = await stateHash(agreement);
    const counts = await tableCounts(t.db);
    expect(await refusal(makeDocumentBilingual(t.deps, await actorFor(t.deps, 'admin.kajaani@sopu.example'), agreement))).toBe('conflict:no_swedish_member');
    const saaristo = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
    expect(await refusal(makeDocumentBilingual(t.deps, await actorFor(t.deps, 'drafter.holmpy@sopu.example'), saaristo))).toBe('forbidden');
    // Another area's document is not there at all.
    expect(await refusal(makeDocumentBilingual(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), agreement))).toBe('not_found');
    expect(await stateHash(agreement)).toBe(hash);
    expect(await tableCounts(t.db)).toEqual(counts);
    expect((await getTranslations(t.deps, await actorFor(t.deps, 'admin.kajaani@sopu.example'), agreement)).canMakeBilingual).toBe(false);
  });
});

describe('marking a translation updated', () => {
  it('a Finnish edit leaves the Swedish stale; the drafter marks it updated and it is in line for everyone, audited', async () => {
    const admin = await actorFor(t.deps, 'admin.rantala@sopu.example');
    const drafter = await actorFor(t.deps, 'drafter.holmpy@sopu.example');
    const agreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
    await changeDocument(t.db, agreement, (doc) => fillSection(doc, 'parties', p('Parter är Strandvik, Holmby och Saarela.')));
    await makeDocumentBilingual(t.deps, admin, agreement);
    await changeDocument(t.db, agreement, (doc) => fillSection(doc, 'parties', p('Osapuolet ovat Rantala, Holmpy ja Saarela.'), 'fi'));
    // A Finnish translation written after the mark: the Swedish counts as stale until someone checks and marks it.
    expect((await getTranslations(t.deps, drafter, agreement)).sections.find((s) => s.key === 'parties')!.states).toEqual({ sv: 'stale', fi: 'in_line' });
    const marked = await markTranslationUpdated(t.deps, drafter, agreement, { section: 'parties' });
    expect(marked.states).toEqual({ sv: 'in_line', fi: 'in_line' });
    expect(marked.mark).toMatchObject({ by: drafter.userId, at: t.clock.now() });

    // The Finnish changes: the Swedish is stale, with the Finnish as it was when marked; the hash covers the Finnish.
    const hashBefore = await stateHash(agreement);
    await changeDocument(t.db, agreement, (doc) => {
      const text = (doc.getXmlFragment(languageFragmentName('parties', 'fi', { main: 'sv', parallel: 'fi' })).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(text.length, ' Sopimus on kolmikielinen.');
    });
    const stale = (await getTranslations(t.deps, drafter, agreement)).sections.find((s) => s.key === 'parties')!;
    expect(stale.states).toEqual({ sv: 'stale', fi: 'in_line' });
    expect(stale.mark!.texts.fi).toEqual(p('Osapuolet ovat Rantala, Holmpy ja Saarela.'));
    expect(await stateHash(agreement)).not.toBe(hashBefore);

    await markTranslationUpdated(t.deps, drafter, agreement, { section: 'parties' });
    expect((await getTranslations(t.deps, drafter, agreement)).needsTranslation).toEqual([]);
    const events = await audit('translation.marked_updated');
    expect(events.map((e) => JSON.parse(e.details as string))).toEqual([
      { section: 'parties', before: { fi: 'in_line', sv: 'stale' }, changed: ['fi'] },
      { section: 'parties', before: { fi: 'in_line', sv: 'stale' }, changed: ['fi'] },
    ]);
  });

  it('marks the texts the person saw: their keystrokes still in transit are waited for, not flagged stale again', async () => {
    const admin = await actorFor(t.deps, 'admin.rantala@sopu.example');
    const drafter = await actorFor(t.deps, 'drafter.holmpy@sopu.example');
    const agreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
    await changeDocument(t.db, agreement, (doc) => fillSection(doc, 'parties', p('Parter är Strandvik, Holmby och Saarela.')));
    await makeDocumentBilingual(t.deps, admin, agreement);
    await changeDocument(t.db, agreement, (doc) => fillSection(doc, 'parties', p('Osapuolet ovat Rantala, Holmpy ja Saarela'), 'fi'));
    // The translator's page already shows the full stop they typed last; the server has not got it yet.
    const seen = hashTranslationTexts({ sv: p('Parter är Strandvik, Holmby och Saarela.'), fi: p('Osapuolet ovat Rantala, Holmpy ja Saarela.') });
    const marking = markTranslationUpdated(t.deps, drafter, agreement, { section: 'parties', seen });
    // The full stop lands a moment later (well within the wait): whenever it lands, the mark is of the text seen.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await changeDocument(t.db, agreement, (doc) => {
      const text = (doc.getXmlFragment(languageFragmentName('parties', 'fi', { main: 'sv', parallel: 'fi' })).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(text.length, '.');
    });
    const marked = await marking;
    expect(marked.mark!.texts.fi).toEqual(p('Osapuolet ovat Rantala, Holmpy ja Saarela.'));
    expect((await getTranslations(t.deps, drafter, agreement)).sections.find((s) => s.key === 'parties')!.states).toEqual({ sv: 'in_line', fi: 'in_line' });
    expect(await audit('translation.marked_updated')).toHaveLength(1);
  });

  it('refuses to mark texts that are not those the person saw (changed by someone else), and a malformed hash; nothing changes', async () => {
    const admin = await actorFor(t.deps, 'admin.rantala@sopu.example');
    const drafter = await actorFor(t.deps, 'drafter.holmpy@sopu.example');
    const agreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
    await changeDocument(t.db, agreement, (doc) => fillSection(doc, 'parties', p('Parter är Strandvik, Holmby och Saarela.')));
    await makeDocumentBilingual(t.deps, admin, agreement);
    await changeDocument(t.db, agreement, (doc) => fillSection(doc, 'parties', p('Osapuolet ovat Rantala ja Holmpy.'), 'fi'));
    const counts = await tableCounts(t.db);
    const hash = await stateHash(agreement);
    const seen = hashTranslationTexts({ sv: p('Parter är Strandvik, Holmby och Saarela.'), fi: p('Osapuolet ovat Rantala, Holmpy ja Saarela.') });
    expect(await refusal(markTranslationUpdated(t.deps, drafter, agreement, { section: 'parties', seen }))).toBe('conflict:text_changed');
    expect(await refusal(markTranslationUpdated(t.deps, drafter, agreement, { section: 'parties', seen: 'ABC' }))).toBe('invalid_input');
    expect(await refusal(markTranslationUpdated(t.deps, drafter, agreement, { section: 'parties', seen: seen.toUpperCase() }))).toBe('invalid_input');
    expect(await tableCounts(t.db)).toEqual(counts);
    expect(await stateHash(agreement)).toBe(hash);
    expect((await getTranslations(t.deps, drafter, agreement)).sections.find((s) => s.key === 'parties')!.states.sv).toBe('stale');
  });

  it('is refused on a document in one language, for an unknown section, and to those who do not edit the text; nothing changes', async () => {
    const drafter = await actorFor(t.deps, 'drafter.holmpy@sopu.example');
    const agreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
    const counts = await tableCounts(t.db);
    const hash = await stateHash(agreement);
    expect(await refusal(markTranslationUpdated(t.deps, drafter, agreement, { section: 'parties' }))).toBe('conflict:not_bilingual');
    await makeDocumentBilingual(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), agreement);
    const made = await tableCounts(t.db);
    const bilingualHash = await stateHash(agreement);
    expect(await refusal(markTranslationUpdated(t.deps, drafter, agreement, { section: 'no_such_section' }))).toBe('invalid_input');
    expect(await refusal(markTranslationUpdated(t.deps, drafter, agreement, {}))).toBe('invalid_input');
    expect(await refusal(markTranslationUpdated(t.deps, await actorFor(t.deps, 'rep.saarela@sopu.example'), agreement, { section: 'parties' }))).toBe('forbidden');
    expect(await tableCounts(t.db)).toEqual(made);
    expect(await stateHash(agreement)).toBe(bilingualHash);
    expect(bilingualHash).not.toBe(hash);
    expect(counts.doc_updates).toBeLessThan(made.doc_updates);
  });
});
