import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDbDocumentStore } from '../src/index.ts';
import { createTestDeps, documentOf, textOf, typeInto } from './harness.ts';

it('compacts a stored log into one snapshot that loads to the same document, keeping every update and its author', async () => {
  const { deps, cleanup } = await createTestDeps();
  try {
    const store = createDbDocumentStore(deps.db, deps.audit);
    const documentId = await documentOf(deps.db, 'saaristo-skargard', 'cooperation_agreement');
    const author = (await deps.db.selectFrom('users').select('id').where('email', '=', 'drafter.holmpy@sopu.example').executeTakeFirstOrThrow()).id;
    const doc = new Y.Doc();
    const initial = await store.load(documentId);
    for (const u of initial.updates) Y.applyUpdate(doc, u);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 300; i++) typeInto(doc, 'premises', `${i} `);
    expect(await store.acquireLease(documentId, 'test', 60_000)).toBe(true);
    await store.append(documentId, { afterSeq: initial.lastSeq, updates: updates.map((update) => ({ update, userId: author })), audit: [], clients: [] }, { areaId: 'unused', owner: 'test' });

    const seq = await store.compact(documentId);
    expect(seq).toBe(initial.lastSeq + 300);
    const loaded = await store.load(documentId);
    expect(loaded.snapshotSeq).toBe(seq);
    expect(loaded.updates).toHaveLength(0);
    const fromSnapshot = new Y.Doc();
    Y.applyUpdate(fromSnapshot, loaded.snapshot!);
    expect(textOf(fromSnapshot, 'premises')).toBe(textOf(doc, 'premises'));
    // compacting twice changes nothing; the log is kept as the authorship record
    expect(await store.compact(documentId)).toBe(seq);
    const rows = await deps.db.selectFrom('doc_updates').select(['user_id']).where('document_id', '=', documentId).execute();
    expect(rows.filter((r) => r.user_id === author)).toHaveLength(300);
  } finally {
    await cleanup();
  }
});
