import { canonicalDocument, contentHash } from '@sopu/doc-model';
import { restoreVersion, saveVersion, type Actor, type CoreDeps } from '@sopu/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, cookieFor, createTestDeps, documentOf, startCollab, storedDoc, synced, waitFor, type Client } from './harness.ts';

// Restoring a version through the live room (core's DocumentWriter is the collab server, as in production), seen by a
// real y-websocket client that is editing: the restore arrives as an ordinary edit, and what did not change keeps its
// identity in the client's document, so a position the client holds (a comment anchor, a caret) stays where it was.

let deps: CoreDeps;
let cleanupDb: () => Promise<void>;
let collab: Awaited<ReturnType<typeof startCollab>>;
let agreement: string;
let drafter: Actor;
const clients: Client[] = [];

beforeEach(async () => {
  const created = await createTestDeps();
  deps = created.deps;
  cleanupDb = created.cleanup;
  collab = await startCollab(deps);
  agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
  const user = await deps.db.selectFrom('users').select(['id', 'email', 'display_name']).where('email', '=', 'drafter.sotkamo@sopu.example').executeTakeFirstOrThrow();
  drafter = { userId: user.id, email: user.email, displayName: user.display_name };
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await collab.stop();
  await cleanupDb();
});

const paragraphs = (doc: Y.Doc) => doc.getXmlFragment('section:parties').toArray() as Y.XmlElement[];
const runOf = (doc: Y.Doc, i: number) => paragraphs(doc)[i]!.get(0) as Y.XmlText;
const storedText = async () => {
  const doc = await storedDoc(deps.db, agreement);
  try {
    return paragraphs(doc).map((p) => (p.get(0) as Y.XmlText | undefined)?.toString() ?? '');
  } finally {
    doc.destroy();
  }
};

describe('restoring a version through the live room', () => {
  it('reaches a connected editor as a normal edit: only the changed paragraph changes, the editor’s positions in the rest hold', async () => {
    const client = connect(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    clients.push(client);
    await synced(client);
    client.doc.transact(() => {
      const fragment = client.doc.getXmlFragment('section:parties');
      fragment.insert(
        0,
        ['Kajaani on vastuukunta.', 'Sotkamo on jäsen.'].map((text) => {
          const p = new Y.XmlElement('paragraph');
          p.insert(0, [new Y.XmlText(text)]);
          return p;
        }),
      );
    });
    await waitFor(async () => (await storedText()).join('|') === 'Kajaani on vastuukunta.|Sotkamo on jäsen.', 'the text to be stored');
    const v1 = await saveVersion(deps, drafter, agreement, { label: 'Ensimmäinen' });

    // The editor holds a position on "vastuukunta" (as an anchor or a caret does), then edits the second paragraph.
    const firstRun = runOf(client.doc, 0);
    const position = Y.createRelativePositionFromTypeIndex(firstRun, 'Kajaani on '.length);
    runOf(client.doc, 1).insert('Sotkamo on jäsen'.length, ' ja Kuhmo');
    await waitFor(async () => (await storedText())[1] === 'Sotkamo on jäsen ja Kuhmo.', 'the edit to be stored');

    const seen: Array<{ origin: unknown; local: boolean }> = [];
    client.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.changed.size > 0) seen.push({ origin: tr.origin, local: tr.local });
    });
    await restoreVersion(deps, drafter, agreement, 1);
    await waitFor(() => runOf(client.doc, 1).toString() === 'Sotkamo on jäsen.', 'the restore to reach the editor');

    // Arrived from the server like anyone's edit, and the editor's document is the version's, hash for hash.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.origin === client.provider && !s.local)).toBe(true);
    expect(contentHash(client.doc)).toBe(v1.hash);
    const stored = await storedDoc(deps.db, agreement);
    expect(canonicalDocument(client.doc)).toEqual(canonicalDocument(stored));
    stored.destroy();
    // The first paragraph was not touched: the same text object, and the position is where it was.
    expect(runOf(client.doc, 0)).toBe(firstRun);
    const absolute = Y.createAbsolutePositionFromRelativePosition(position, client.doc);
    expect(absolute?.type).toBe(firstRun);
    expect(absolute?.index).toBe('Kajaani on '.length);
  });
});
