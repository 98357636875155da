import { contentHash, readSuggestions } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sendForApproval } from '../approvals/index.ts';
import { createThread } from '../comments/index.ts';
import { loadDocumentState } from '../documents/index.ts';
import { isDomainError } from '../shared/errors.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, tableCounts, writeSection, type TestDeps } from '../testing.ts';
import { getVersion, saveVersion } from '../versions/index.ts';
import { agreeSection, decideAuthorSuggestions, decideSuggestion, listPositions, listSuggestionDecisions, listSuggestions, reopenSection, setPosition } from './index.ts';

const AREA = 'kainuu-koillismaa';
const AT = 1_796_000_000_000;

let t: TestDeps;
let agreement: string;
let sotkamo: { userId: string };
beforeEach(async () => {
  t = await createTestDeps();
  agreement = await documentIdOf(t.db, AREA, 'cooperation_agreement');
  sotkamo = await actorFor(t.deps, 'drafter.sotkamo@sopu.example');
  await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'equipment', ['Kunnat luovuttavat laitteet.']));
});
afterEach(async () => {
  await t.cleanup();
});

const as = (email: string) => actorFor(t.deps, email);
const admin = () => as('admin.kajaani@sopu.example');

/** A suggestion as Sotkamo's drafter's editor writes it: an insertion and a deletion in the equipment section. */
async function suggestInEquipment(insertId = 'ins-sotkamo-1', deleteId = 'del-sotkamo-1') {
  await changeDocument(t.db, agreement, (doc) => {
    const text = (doc.getXmlFragment('section:equipment').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const mark = (id: string) => ({ id, author: sotkamo.userId, municipality: '765', at: AT });
    text.insert(27, ' ja ohjelmistot', { suggestionInsert: mark(insertId) });
    text.format(0, 6, { suggestionDelete: mark(deleteId) });
  });
}

async function refusal(run: () => Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await run();
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('not refused');
}

async function plainText(key: string): Promise<string> {
  const doc = await loadDocumentState(t.db, agreement);
  try {
    return doc.getXmlFragment(`section:${key}`).toString();
  } finally {
    doc.destroy();
  }
}

describe('suggested changes', () => {
  it('are listed for every member, with author and municipality; another area does not see the document', async () => {
    await suggestInEquipment();
    const list = await listSuggestions(t.deps, await as('viewer.kuhmo@sopu.example'), agreement);
    expect(list.filter((s) => s.section === 'equipment')).toEqual([
      { id: 'del-sotkamo-1', section: 'equipment', kind: 'delete', text: 'Kunnat', author: { id: sotkamo.userId, name: expect.any(String) }, municipalityCode: '765', createdAt: AT },
      { id: 'ins-sotkamo-1', section: 'equipment', kind: 'insert', text: ' ja ohjelmistot', author: { id: sotkamo.userId, name: expect.any(String) }, municipalityCode: '765', createdAt: AT },
    ]);
    expect((await refusal(async () => listSuggestions(t.deps, await as('rep.holmpy@sopu.example'), agreement))).code).toBe('not_found');
  });

  it('the host accepts one and rejects the other with a reason: the text follows, each is recorded and audited; a version then has the accepted text only', async () => {
    await suggestInEquipment();
    const host = await as('drafter.kajaani@sopu.example');
    const accepted = await decideSuggestion(t.deps, host, agreement, 'ins-sotkamo-1', { decision: 'accept', text: ' ja ohjelmistot' });
    expect(accepted).toMatchObject({ decision: 'accepted', suggestions: [{ id: 'ins-sotkamo-1', kind: 'insert' }] });
    expect((await refusal(() => decideSuggestion(t.deps, host, agreement, 'del-sotkamo-1', { decision: 'reject' }))).code).toBe('invalid_input');
    await decideSuggestion(t.deps, host, agreement, 'del-sotkamo-1', { decision: 'reject', reason: 'Kunnat jäävät tekstiin.' });
    expect(await plainText('equipment')).toBe('<paragraph>Kunnat luovuttavat laitteet ja ohjelmistot.</paragraph>');
    const decisions = await listSuggestionDecisions(t.deps, sotkamo as never, agreement);
    expect(decisions.map((d) => [d.suggestionId, d.decision, d.reason])).toEqual([
      ['del-sotkamo-1', 'rejected', 'Kunnat jäävät tekstiin.'],
      ['ins-sotkamo-1', 'accepted', ''],
    ]);
    const audit = await t.db.selectFrom('audit_events').select(['action', 'details']).where('action', 'like', 'suggestion.%').orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['suggestion.accepted', 'suggestion.rejected']);
    const version = await saveVersion(t.deps, await admin(), agreement, { label: 'Sovittu' });
    expect(version.pendingSuggestions).toEqual([]);
    const detail = await getVersion(t.deps, await admin(), agreement, version.number);
    expect(JSON.stringify(detail.sections.find((s) => s.key === 'equipment')?.content)).toContain('Kunnat luovuttavat laitteet ja ohjelmistot.');
  });

  it('refuses a decision on a suggestion that changed since it was shown (stale), and one that is gone, changing nothing', async () => {
    await suggestInEquipment();
    const host = await admin();
    const before = await tableCounts(t.db);
    expect(await refusal(() => decideSuggestion(t.deps, host, agreement, 'ins-sotkamo-1', { decision: 'accept', text: ' ja ohjelmat' }))).toEqual({ code: 'conflict', details: { reason: 'stale', text: ' ja ohjelmistot' } });
    expect((await refusal(() => decideSuggestion(t.deps, host, agreement, 'nosuch-1', { decision: 'accept' }))).code).toBe('not_found');
    expect((await refusal(() => decideSuggestion(t.deps, host, agreement, '../../x', { decision: 'accept' }))).code).toBe('not_found');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('all of one author’s suggestions in a section at once', async () => {
    await suggestInEquipment();
    const result = await decideAuthorSuggestions(t.deps, await admin(), agreement, { section: 'equipment', author: sotkamo.userId, decision: 'reject', reason: 'Ei näin.' });
    expect(result.suggestions.map((s) => s.id).sort()).toEqual(['del-sotkamo-1', 'ins-sotkamo-1']);
    expect(await plainText('equipment')).toBe('<paragraph>Kunnat luovuttavat laitteet.</paragraph>');
    expect((await refusal(async () => decideAuthorSuggestions(t.deps, await admin(), agreement, { section: 'nosuch', author: sotkamo.userId, decision: 'accept' }))).code).toBe('not_found');
  });

  it('a version saved with pending suggestions lists them apart, hashes the accepted text, and is refused for council approval saying how many and where', async () => {
    const doc = await loadDocumentState(t.db, agreement);
    const acceptedHash = contentHash(doc);
    doc.destroy();
    await suggestInEquipment();
    const version = await saveVersion(t.deps, await admin(), agreement, { label: 'Keskeneräinen' });
    expect(version.hash).toBe(acceptedHash);
    expect(version.pendingSuggestions.map((s) => s.id)).toEqual(['del-sotkamo-1', 'ins-sotkamo-1']);
    const refused = await refusal(async () => sendForApproval(t.deps, await admin(), agreement, { version: version.number }));
    expect(refused).toEqual({ code: 'conflict', details: { reason: 'pending_suggestions', count: 2, sections: ['equipment'], documentKind: 'cooperation_agreement' } });
  });
});

describe('positions per municipality', () => {
  it('are given for one’s own municipality, bound to the section’s text, and say when given on an earlier text', async () => {
    const rep = await as('rep.kuhmo@sopu.example');
    await setPosition(t.deps, rep, agreement, 'equipment', '290', { stance: 'objects', text: 'Laitteiden omistus on sovittava.' });
    await setPosition(t.deps, sotkamo as never, agreement, 'equipment', '765', { stance: 'agree' });
    let overview = await listPositions(t.deps, await as('viewer.kuhmo@sopu.example'), agreement);
    const equipment = () => overview.sections.find((s) => s.key === 'equipment')!;
    expect(equipment().positions.map((p) => [p.municipalityCode, p.stance, p.text ?? null, p.current]).sort()).toEqual([
      ['290', 'objects', 'Laitteiden omistus on sovittava.', true],
      ['765', 'agree', null, true],
    ]);
    expect(overview.municipalities[0]).toMatchObject({ code: '205', isHost: true });
    // A suggestion alone does not change the accepted text; an accepted one does.
    await suggestInEquipment();
    overview = await listPositions(t.deps, rep, agreement);
    expect(equipment().positions.every((p) => p.current)).toBe(true);
    await decideSuggestion(t.deps, await admin(), agreement, 'ins-sotkamo-1', { decision: 'accept' });
    overview = await listPositions(t.deps, rep, agreement);
    expect(equipment().positions.map((p) => p.current)).toEqual([false, false]);
  });

  it('refuses another municipality’s position, a reservation without text, an over-long text and an unknown section, changing nothing', async () => {
    const rep = await as('rep.kuhmo@sopu.example');
    const before = await tableCounts(t.db);
    expect((await refusal(() => setPosition(t.deps, rep, agreement, 'equipment', '765', { stance: 'agree' }))).code).toBe('forbidden');
    expect((await refusal(() => setPosition(t.deps, rep, agreement, 'equipment', '290', { stance: 'reservations' }))).code).toBe('invalid_input');
    expect((await refusal(() => setPosition(t.deps, rep, agreement, 'equipment', '290', { stance: 'objects', text: 'x'.repeat(5001) }))).code).toBe('invalid_input');
    expect((await refusal(() => setPosition(t.deps, rep, agreement, 'equipment', '290', { stance: 'maybe' }))).code).toBe('invalid_input');
    expect((await refusal(() => setPosition(t.deps, rep, agreement, 'nosuch', '290', { stance: 'agree' }))).code).toBe('not_found');
    expect((await refusal(async () => setPosition(t.deps, await as('secretary.kuhmo@sopu.example'), agreement, 'equipment', '290', { stance: 'agree' }))).code).toBe('forbidden');
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('marking a section agreed', () => {
  it('is refused with a placeholder, an open thread, a pending suggestion or an objection to the current text; the host admin overrides with a reason', async () => {
    const host = await as('drafter.kajaani@sopu.example');
    const problems = async () => (await refusal(() => agreeSection(t.deps, host, agreement, 'equipment', {}))).details;
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'equipment', ['Kunnat luovuttavat laitteet. [Täydennetään myöhemmin]']));
    expect(await problems()).toEqual({ reason: 'not_agreeable', problems: ['placeholder'] });
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'equipment', ['Kunnat luovuttavat laitteet.']));
    await setPosition(t.deps, await as('rep.kuhmo@sopu.example'), agreement, 'equipment', '290', { stance: 'objects', text: 'Ei käy.' });
    await createThread(t.deps, await as('rep.kuhmo@sopu.example'), agreement, { section: 'equipment', body: 'Kuka omistaa?' });
    await suggestInEquipment();
    expect(await problems()).toEqual({ reason: 'not_agreeable', problems: ['open_threads', 'pending_suggestions', 'objections'] });
    expect((await refusal(() => agreeSection(t.deps, host, agreement, 'equipment', { override: 'Kokous sopi.' }))).code).toBe('forbidden');
    expect(await agreeSection(t.deps, await admin(), agreement, 'equipment', { override: 'Ohjausryhmä sopi 5.12.' })).toEqual({ section: 'equipment', problems: ['open_threads', 'pending_suggestions', 'objections'], overridden: true });
    const audit = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'section.agreed').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ section: 'equipment', override: 'Ohjausryhmä sopi 5.12.' });
    // Agreed: reopened by the host, audited; a section not agreed cannot be reopened.
    await reopenSection(t.deps, host, agreement, 'equipment', { reason: 'Lisättävää' });
    expect((await refusal(() => reopenSection(t.deps, host, agreement, 'equipment', {}))).details).toEqual({ reason: 'not_agreed' });
  });

  it('an empty section cannot be agreed even with an override; a clean one can', async () => {
    expect((await refusal(async () => agreeSection(t.deps, await admin(), agreement, 'client_data', { override: 'x' }))).details).toEqual({ reason: 'not_agreeable', problems: ['empty'] });
    expect(await agreeSection(t.deps, await admin(), agreement, 'equipment', {})).toEqual({ section: 'equipment', problems: [], overridden: false });
    const doc = await loadDocumentState(t.db, agreement);
    expect((doc.getMap('sections').get('equipment') as Y.Map<unknown>).get('status')).toBe('agreed');
    expect(readSuggestions(doc)).toEqual([]);
    doc.destroy();
  });
});
