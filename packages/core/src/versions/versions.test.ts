import { fillSection, anchorBytes, contentHash, createAnchor, findInSection, readSection, resolveAnchor, sectionPlainText } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Actor } from '../shared/deps.ts';
import { loadDocumentState, makeDocumentBilingual } from '../documents/index.ts';
import { isDomainError } from '../shared/errors.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, tableCounts, writeSection, type TestDeps } from '../testing.ts';
import { createThread, listThreads } from '../comments/index.ts';
import { compareVersions, currentContent, getVersion, listVersions, restoreVersion, saveVersion } from './versions.ts';

let t: TestDeps;
let agreement: string;
let foreign: string;
const as: Record<string, Actor> = {};

beforeEach(async () => {
  t = await createTestDeps();
  agreement = await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement');
  foreign = await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement');
  for (const who of ['admin.kajaani', 'drafter.sotkamo', 'rep.paltamo', 'viewer.kuhmo', 'admin.rantala']) as[who] = await actorFor(t.deps, `${who}@sopu.example`);
  await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Kajaani on vastuukunta.', 'Sotkamo on jäsen.']));
});
afterEach(async () => {
  await t.cleanup();
});

const code = (e: unknown) => (isDomainError(e) ? e.code : e);

describe('versions', () => {
  it('freezes the canonical content under a name, numbered, with the hash of the document as it was', async () => {
    t.clock.advance(1000);
    const v1 = await saveVersion(t.deps, as['drafter.sotkamo']!, agreement, { label: 'Valtuustokäsittelyyn 3.10.' });
    const doc = await loadDocumentState(t.db, agreement);
    expect(v1).toMatchObject({ number: 1, label: 'Valtuustokäsittelyyn 3.10.', hash: contentHash(doc), createdBy: { name: 'Valmistelija Sotkamo' } });
    await changeDocument(t.db, agreement, (d) => writeSection(d, 'parties', ['Kajaani on vastuukunta.', 'Sotkamo ja Kuhmo ovat jäseniä.']));
    const v2 = await saveVersion(t.deps, as['admin.kajaani']!, agreement, { label: 'Toinen' });
    expect(v2.number).toBe(2);
    expect(v2.hash).not.toBe(v1.hash);
    expect((await listVersions(t.deps, as['viewer.kuhmo']!, agreement)).map((v) => v.number)).toEqual([2, 1]);
    const detail = await getVersion(t.deps, as['viewer.kuhmo']!, agreement, 1);
    const parties = detail.sections.find((s) => s.key === 'parties')!;
    expect(parties.content.content?.map((p) => p.content?.[0]?.text)).toEqual(['Kajaani on vastuukunta.', 'Sotkamo on jäsen.']);
    expect(parties.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.sections.filter((s) => s.key !== 'parties').every((s) => s.hash !== parties.hash)).toBe(true);
    doc.destroy();
  });

  it('gives the same hash to the same content, whatever the editing history', async () => {
    const a = await saveVersion(t.deps, as['drafter.sotkamo']!, agreement, { label: 'A' });
    // Typed differently (a word added and removed again, the paragraph rewritten), the same text in the end.
    await changeDocument(t.db, agreement, (doc) => {
      const text = (doc.getXmlFragment('section:parties').get(1) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(0, 'Kuhmo ja ');
    });
    await changeDocument(t.db, agreement, (doc) => {
      const text = (doc.getXmlFragment('section:parties').get(1) as Y.XmlElement).get(0) as Y.XmlText;
      text.delete(0, 'Kuhmo ja '.length);
    });
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Kajaani on vastuukunta.', 'Sotkamo on jäsen.']));
    const b = await saveVersion(t.deps, as['drafter.sotkamo']!, agreement, { label: 'B' });
    expect(b.hash).toBe(a.hash);
  });

  it('restores a version as a new change on top, saved as a version of its own; history stays', async () => {
    await changeDocument(t.db, agreement, (doc) => {
      const meta = doc.getMap('sections').get('premises') as Y.Map<unknown>;
      meta.set('status', 'not_applicable');
      meta.set('reason', 'Ei yhteisiä tiloja.');
    });
    const v1 = await saveVersion(t.deps, as['drafter.sotkamo']!, agreement, { label: 'Ensimmäinen' });
    await changeDocument(t.db, agreement, (doc) => {
      writeSection(doc, 'parties', ['Aivan toinen teksti.']);
      const meta = doc.getMap('sections').get('premises') as Y.Map<unknown>;
      meta.set('status', 'drafting');
      meta.set('reason', '');
    });
    const updatesBefore = (await t.db.selectFrom('doc_updates').select('seq').where('document_id', '=', agreement).execute()).length;
    const restored = await restoreVersion(t.deps, as['drafter.sotkamo']!, agreement, 1);
    expect(restored).toMatchObject({ number: 2, label: 'Ensimmäinen', restoredFrom: 1, hash: v1.hash });
    const doc = await loadDocumentState(t.db, agreement);
    expect(sectionPlainText(doc, 'parties')).toBe('Kajaani on vastuukunta.\n\nSotkamo on jäsen.');
    expect(readSection(doc, 'premises')).toMatchObject({ status: 'not_applicable', reason: 'Ei yhteisiä tiloja.' });
    expect(contentHash(doc)).toBe(v1.hash);
    // A change on top: the update log only grew.
    expect((await t.db.selectFrom('doc_updates').select('seq').where('document_id', '=', agreement).execute()).length).toBe(updatesBefore + 1);
    expect((await listVersions(t.deps, as['viewer.kuhmo']!, agreement)).map((v) => v.number)).toEqual([2, 1]);
    doc.destroy();
  });

  it('lets drafters and the host admin save and restore; others read; another area’s ids are not found', async () => {
    await saveVersion(t.deps, as['admin.kajaani']!, agreement, { label: 'x' });
    const before = await tableCounts(t.db);
    for (const who of ['rep.paltamo', 'viewer.kuhmo']) {
      expect(code(await saveVersion(t.deps, as[who]!, agreement, { label: 'x' }).catch((e) => e)), who).toBe('forbidden');
      expect(code(await restoreVersion(t.deps, as[who]!, agreement, 1).catch((e) => e)), who).toBe('forbidden');
    }
    expect(code(await saveVersion(t.deps, as['drafter.sotkamo']!, agreement, { label: '' }).catch((e) => e))).toBe('invalid_input');
    for (const call of [
      () => saveVersion(t.deps, as['admin.rantala']!, agreement, { label: 'x' }),
      () => listVersions(t.deps, as['admin.rantala']!, agreement),
      () => getVersion(t.deps, as['admin.rantala']!, agreement, 1),
      () => getVersion(t.deps, as['admin.kajaani']!, agreement, 99),
      () => getVersion(t.deps, as['admin.kajaani']!, agreement, 'abc'),
      () => getVersion(t.deps, as['admin.kajaani']!, foreign, 1),
    ]) {
      expect(code(await call().catch((e) => e))).toBe('not_found');
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('restoring keeps comment anchors wherever their text survives', () => {
  /** A thread on `quote` in the parties section, anchored as the browser anchors a selection. */
  async function threadOn(quote: string) {
    const doc = await loadDocumentState(t.db, agreement);
    const range = findInSection(doc, 'parties', quote);
    expect(range, quote).not.toBeNull();
    const anchor = createAnchor(doc, 'parties', range!.from, range!.to);
    doc.destroy();
    return createThread(t.deps, as['drafter.sotkamo']!, agreement, { section: 'parties', body: 'Tarkennetaanko?', anchor });
  }
  const threadNow = async (id: string) => (await listThreads(t.deps, as['drafter.sotkamo']!, agreement)).find((th) => th.id === id)!;
  /** What the anchor selects in the stored document now ('' when it has collapsed). */
  async function anchoredText(id: string): Promise<string> {
    const thread = await threadNow(id);
    const doc = await loadDocumentState(t.db, agreement);
    const resolved = resolveAnchor(doc, 'parties', { from: anchorBytes(thread.anchor!.from)!, to: anchorBytes(thread.anchor!.to)! });
    doc.destroy();
    return resolved?.text ?? '';
  }
  /** Types into the second paragraph in place, as an editor does (the first paragraph's items stay). */
  const editSecondParagraph = (text: string) =>
    changeDocument(t.db, agreement, (doc) => {
      const paragraph = doc.getXmlFragment('section:parties').get(1) as Y.XmlElement;
      const run = paragraph.get(0) as Y.XmlText;
      run.insert(run.length - 1, text);
    });

  it('restoring a version identical to the text now: the thread stays on its text', async () => {
    const thread = await threadOn('vastuukunta');
    const v1 = await saveVersion(t.deps, as['drafter.sotkamo']!, agreement, { label: 'Sama' });
    await restoreVersion(t.deps, as['drafter.sotkamo']!, agreement, 1);
    expect(await threadNow(thread.id)).toMatchObject({ anchorLost: false, quote: 'vastuukunta' });
    expect(await anchoredText(thread.id)).toBe('vastuukunta');
    expect((await currentContent(t.db, agreement)).hash).toBe(v1.hash);
  });

  it('restoring a version that differs in another paragraph: the thread stays on its text, the other paragraph is the version’s', async () => {
    const v1 = await saveVersion(t.deps, as['drafter.sotkamo']!, agreement, { label: 'Ennen' });
    const thread = await threadOn('vastuukunta');
    await editSecondParagraph(' ja Kuhmo');
    expect((await currentContent(t.db, agreement)).hash).not.toBe(v1.hash);
    await restoreVersion(t.deps, as['admin.kajaani']!, agreement, 1);
    const doc = await loadDocumentState(t.db, agreement);
    expect(sectionPlainText(doc, 'parties')).toBe('Kajaani on vastuukunta.\n\nSotkamo on jäsen.');
    expect(contentHash(doc)).toBe(v1.hash);
    doc.destroy();
    expect(await threadNow(thread.id)).toMatchObject({ anchorLost: false });
    expect(await anchoredText(thread.id)).toBe('vastuukunta');
  });

  it('restoring a version without the anchored text: the thread is marked "text removed", keeping its quote', async () => {
    const v1 = await saveVersion(t.deps, as['drafter.sotkamo']!, agreement, { label: 'Ennen' });
    await editSecondParagraph(' Paltamo liittyy myöhemmin');
    const thread = await threadOn('Paltamo liittyy');
    await restoreVersion(t.deps, as['drafter.sotkamo']!, agreement, 1);
    expect(await threadNow(thread.id)).toMatchObject({ anchorLost: true, quote: 'Paltamo liittyy' });
    expect((await currentContent(t.db, agreement)).hash).toBe(v1.hash);
  });
});

describe('versions of a bilingual document (decision 026)', () => {
  const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

  it('freeze both languages; a comparison shows a change of the Finnish alone; restoring brings both back', async () => {
    const admin = as['admin.rantala']!;
    await makeDocumentBilingual(t.deps, admin, foreign);
    await changeDocument(t.db, foreign, (doc) => {
      fillSection(doc, 'parties', paragraph('Parter är Strandvik, Holmby och Saarela.'));
      fillSection(doc, 'parties', paragraph('Osapuolet ovat Rantala, Holmpy ja Saarela.'), 'fi');
    });
    const v1 = await saveVersion(t.deps, admin, foreign, { label: 'Tvåspråkig' });
    const detail = await getVersion(t.deps, admin, foreign, v1.number);
    expect(detail.languages).toEqual(['sv', 'fi']);
    expect(detail.sections.find((s) => s.key === 'parties')).toMatchObject({ content: paragraph('Parter är Strandvik, Holmby och Saarela.'), parallel: paragraph('Osapuolet ovat Rantala, Holmpy ja Saarela.') });

    await changeDocument(t.db, foreign, (doc) => {
      const text = (doc.getXmlFragment('section:parties:fi').get(0) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(text.length, ' Muutettu.');
    });
    const comparison = await compareVersions(t.deps, admin, foreign, { from: v1.number, to: 'current' });
    expect(comparison.identical).toBe(false);
    expect(comparison.changedSections).toEqual(['parties']);
    const parties = comparison.diff.sections.find((s) => s.key === 'parties')!;
    expect(parties.parallelBlocks!.flatMap((b) => b.runs.filter((r) => r.op === 'insert').map((r) => r.text))).toEqual([' Muutettu.']);

    await restoreVersion(t.deps, admin, foreign, v1.number);
    expect((await currentContent(t.db, foreign)).hash).toBe(v1.hash);
  });
});
