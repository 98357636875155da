import { canonicalJson, contentHash, contentProblems } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { approvalsOverview } from '../approvals/index.ts';
import { listChecks } from '../areas/index.ts';
import type { Actor } from '../shared/deps.ts';
import { loadDocumentState } from './document-state.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, writeSection, type TestDeps } from '../testing.ts';
import { currentContent, getVersion, saveVersion } from '../versions/index.ts';

// Before the layout guard knew the editor's schema, a client could store a bare text in a section; from then on
// every hash of the document threw (`el.toArray is not a function`): the dashboard, versions, approvals.

let t: TestDeps;
let agreement: string;
let admin: Actor;

beforeEach(async () => {
  t = await createTestDeps();
  agreement = await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement');
  admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
  await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Kajaani on vastuukunta.']));
  // What a past guard let in, written straight to the store as that guard would have stored it.
  await changeDocument(t.db, agreement, (doc) => {
    doc.getXmlFragment('section:parties').push([new Y.XmlText('x')]);
    const heading = new Y.XmlElement('heading');
    heading.insert(0, [new Y.XmlText('Otsikko')]);
    heading.setAttribute('level', 9 as unknown as string);
    doc.getXmlFragment('section:purpose').push([heading]);
    const text = (doc.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.format(0, 7, { link: { href: 'javascript:alert(document.cookie)', target: '_blank' } });
  });
});
afterEach(async () => {
  await t.cleanup();
});

const repairEvents = () => t.db.selectFrom('audit_events').select(['action', 'actor_user_id', 'subject_id', 'details']).where('action', '=', 'document.content_repaired').execute();
const storedRows = async () => (await t.db.selectFrom('doc_updates').select('seq').where('document_id', '=', agreement).execute()).length;

describe('a document holding content the schema forbids, stored before the guard refused it', () => {
  it('is read without throwing: its hash is the hash of the repaired text', async () => {
    const stored = await loadDocumentState(t.db, agreement);
    expect(contentProblems(stored).length).toBeGreaterThan(0);
    const before = await currentContent(t.db, agreement);
    expect(before.hash).toBe(contentHash(stored));
    expect(canonicalJson(before.canonical)).not.toContain('javascript:');
    stored.destroy();
    await listChecks(t.deps, admin, 'kainuu-koillismaa');
    expect((await currentContent(t.db, agreement)).hash).toBe(before.hash);
  });

  it('is repaired once when the dashboard loads it: the repair is stored as an update and audited, and the checks work', async () => {
    const rows = await storedRows();
    const checks = await listChecks(t.deps, admin, 'kainuu-koillismaa');
    expect(checks.find((c) => c.id === `required_topics:${agreement}`)).toBeDefined();
    expect(await storedRows()).toBe(rows + 1);
    const stored = await loadDocumentState(t.db, agreement);
    expect(contentProblems(stored)).toEqual([]);
    stored.destroy();
    const events = await repairEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_user_id: null, subject_id: agreement });
    expect(JSON.parse(events[0]!.details)).toEqual({
      count: 3,
      repairs: [
        { section: 'parties', problem: 'link: href, target not allowed (in paragraph)' },
        { section: 'parties', problem: 'text in the section' },
        { section: 'purpose', problem: 'heading.level may not be 9' },
      ],
    });
    // Nothing left to repair: loading again stores and audits nothing.
    await listChecks(t.deps, admin, 'kainuu-koillismaa');
    expect(await storedRows()).toBe(rows + 1);
    expect(await repairEvents()).toHaveLength(1);
  });

  it('saves a version of the repaired text, whose content and hash hold nothing the schema forbids', async () => {
    const before = await currentContent(t.db, agreement);
    const version = await saveVersion(t.deps, admin, agreement, { label: 'Korjattu' });
    expect(version.hash).toBe(before.hash);
    expect(await repairEvents()).toHaveLength(1);
    const detail = await getVersion(t.deps, admin, agreement, version.number);
    const parties = detail.sections.find((s) => s.key === 'parties')!;
    expect(parties.content).toEqual({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Kajaani on vastuukunta.' }] }] });
    expect(detail.sections.find((s) => s.key === 'purpose')!.content).toEqual({ type: 'doc', content: [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Otsikko' }] }] });
    // The version's own Yjs state is the repaired one.
    const frozen = await t.db.selectFrom('versions').select('snapshot').where('document_id', '=', agreement).where('number', '=', version.number).executeTakeFirstOrThrow();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, frozen.snapshot);
    expect(contentProblems(doc)).toEqual([]);
    expect(contentHash(doc)).toBe(version.hash);
    // The approvals page reads the current hash too.
    await expect(approvalsOverview(t.deps, admin, 'kainuu-koillismaa', agreement)).resolves.toBeDefined();
  });
});
