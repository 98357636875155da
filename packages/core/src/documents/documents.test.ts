import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authorizeDocumentConnections, canEditDocument, createDocument, listDocuments } from './documents.ts';
import { actorFor, createTestDeps, sessionTokenFor, type TestDeps } from '../testing.ts';

let t: TestDeps;
beforeEach(async () => (t = await createTestDeps()));
afterEach(() => t.cleanup());

const documentOf = async (slug: string, kind: string) =>
  (await t.db.selectFrom('documents').innerJoin('areas', 'areas.id', 'documents.area_id').select('documents.id').where('areas.slug', '=', slug).where('documents.kind', '=', kind).executeTakeFirstOrThrow()).id;

describe('who may edit which document', () => {
  it('lets drafters and admins edit agreements, and only the host municipality edit administrative rules', () => {
    expect(canEditDocument({ role: 'drafter', isHostMunicipality: false }, 'cooperation_agreement')).toBe(true);
    expect(canEditDocument({ role: 'drafter', isHostMunicipality: false }, 'administrative_rules')).toBe(false);
    expect(canEditDocument({ role: 'drafter', isHostMunicipality: true }, 'administrative_rules')).toBe(true);
    expect(canEditDocument({ role: 'member_rep', isHostMunicipality: true }, 'cooperation_agreement')).toBe(false);
    expect(canEditDocument({ role: 'council_secretary', isHostMunicipality: true }, 'service_plan')).toBe(false);
  });
});

describe('authorizeDocumentConnections', () => {
  it('answers every socket of a document at once: editors, read-only members, outsiders and dead sessions', async () => {
    const agreement = await documentOf('kainuu-koillismaa', 'cooperation_agreement');
    const rules = await documentOf('kainuu-koillismaa', 'administrative_rules');
    const tokens = {
      sotkamo: await sessionTokenFor(t.deps, 'drafter.sotkamo@sopu.example'),
      kajaani: await sessionTokenFor(t.deps, 'drafter.kajaani@sopu.example'),
      viewer: await sessionTokenFor(t.deps, 'viewer.kuhmo@sopu.example'),
      outsider: await sessionTokenFor(t.deps, 'admin.rantala@sopu.example'),
    };
    const entries = [tokens.sotkamo, tokens.kajaani, tokens.viewer, tokens.outsider, 'not-a-session', null].map((token) => ({ token, activity: false }));

    const onAgreement = await authorizeDocumentConnections(t.deps, agreement, entries);
    expect(onAgreement.map((v) => ('denied' in v ? v.denied : v.readOnly))).toEqual([false, false, true, 'not_found', 'unauthenticated', 'unauthenticated']);

    const onRules = await authorizeDocumentConnections(t.deps, rules, entries);
    // Sotkamo is not the host: it reads the host's administrative rules but does not edit them.
    expect(onRules.map((v) => ('denied' in v ? v.denied : v.readOnly))).toEqual([true, false, true, 'not_found', 'unauthenticated', 'unauthenticated']);

    const missing = await authorizeDocumentConnections(t.deps, 'no-such-document', entries.slice(0, 1));
    expect(missing).toEqual([{ denied: 'not_found' }]);
  });

  it('does not count a re-check as activity, but does count an edit', async () => {
    const agreement = await documentOf('kainuu-koillismaa', 'cooperation_agreement');
    const token = await sessionTokenFor(t.deps, 'drafter.sotkamo@sopu.example');
    const expiry = async () => (await t.db.selectFrom('sessions').select('expires_at').executeTakeFirstOrThrow()).expires_at;
    const before = await expiry();
    t.clock.advance(60 * 60_000);
    await authorizeDocumentConnections(t.deps, agreement, [{ token, activity: false }]);
    expect(await expiry()).toBe(before);
    await authorizeDocumentConnections(t.deps, agreement, [{ token, activity: true }]);
    expect(await expiry()).toBe(before + 60 * 60_000);
  });
});

describe('createDocument', () => {
  it('lets the host admin add an authority-task agreement with its template, audited', async () => {
    const admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
    const created = await createDocument(t.deps, admin, 'kainuu-koillismaa', { kind: 'authority_task_agreement' });
    expect(created.title).toBe('Sopimus viranomaistehtävän hoitamisesta (kuntalaki 54 §)');
    expect((await listDocuments(t.db, admin, 'kainuu-koillismaa')).map((d) => d.kind)).toContain('authority_task_agreement');
    const first = await t.db.selectFrom('doc_updates').select('seq').where('document_id', '=', created.id).execute();
    expect(first).toEqual([{ seq: 1 }]);
    const audit = await t.db.selectFrom('audit_events').select('action').where('subject_id', '=', created.id).execute();
    expect(audit).toEqual([{ action: 'document.created' }]);
  });

  it('refuses drafters, unknown kinds and a second agreement, changing nothing', async () => {
    const drafter = await actorFor(t.deps, 'drafter.kajaani@sopu.example');
    const admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
    const count = async () => (await t.db.selectFrom('documents').select('id').execute()).length;
    const before = await count();
    await expect(createDocument(t.deps, drafter, 'kainuu-koillismaa', { kind: 'service_plan' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(createDocument(t.deps, admin, 'kainuu-koillismaa', { kind: 'cooperation_agreement' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(createDocument(t.deps, admin, 'kainuu-koillismaa', { kind: 'service_plan', title: '' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(createDocument(t.deps, admin, 'saaristo-skargard', { kind: 'service_plan' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await count()).toBe(before);
  });
});
