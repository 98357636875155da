/**
 * Proof: crash durability. A collab process under 50 editing clients is killed with SIGKILL again and again; after
 * each kill, every update any client had received from another client (so the server had relayed it) is in the
 * database. Persist before broadcast means nothing relayed can be lost. 10 cycles in `npm test`,
 * `npm run proof -- durability` runs 100. Prints cycles, updates checked and lost (0).
 */
import { sectionsMap } from '@sopu/doc-model';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, cookieFor, demoDatabase, documentOf, LONG, prng, seedFromEnv, startCollabChild, storedDoc, synced, waitFor, type Client, type CollabChild } from './support/collab.ts';

const CYCLES = LONG ? 100 : 10;
const CLIENTS = 50;
const SEED = seedFromEnv(7);
const SECTIONS = ['parties', 'purpose', 'governance', 'body_composition', 'finance_administration', 'personnel', 'premises', 'disputes'];
const TOKEN = /t(\d+)-(\d+);/g;

let db: Awaited<ReturnType<typeof demoDatabase>>;
let server: CollabChild | undefined;
const clients: Array<Client & { index: number }> = [];

beforeAll(async () => {
  db = await demoDatabase();
  // Member municipalities' drafters type directly here (the proof is of storage, not of the negotiation, whose
  // suggest-only rule would refuse their plain typing with 4422: decision 025).
  await db.deps.db.updateTable('areas').set({ direct_editing: 'everyone' }).execute();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.kill('SIGKILL');
  await db?.cleanup();
});

/** Every token in a document's sections: `t<client>-<n>;`, typed by client <client>. */
function tokensOf(doc: Y.Doc): Array<{ client: number; token: string }> {
  const found: Array<{ client: number; token: string }> = [];
  for (const key of SECTIONS) {
    const text = doc.getXmlFragment(`section:${key}`).toString();
    for (const m of text.matchAll(TOKEN)) found.push({ client: Number(m[1]), token: m[0] });
  }
  return found;
}

function type(doc: Y.Doc, key: string, text: string) {
  const fragment = doc.getXmlFragment(`section:${key}`);
  doc.transact(() => {
    let paragraph = fragment.get(0) as Y.XmlElement | undefined;
    if (!paragraph) {
      paragraph = new Y.XmlElement('paragraph');
      fragment.insert(0, [paragraph]);
    }
    let text_ = paragraph.get(0) as Y.XmlText | undefined;
    if (!text_) {
      text_ = new Y.XmlText();
      paragraph.insert(0, [text_]);
    }
    text_.insert(text_.length, text);
  });
}

it(`loses nothing any peer had received, over ${CYCLES} SIGKILLs under ${CLIENTS} editing clients`, async () => {
  const rng = prng(SEED);
  const agreement = await documentOf(db.deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
  const drafters = ['admin.kajaani', 'drafter.kajaani', 'drafter.sotkamo', 'drafter.kuusamo'].map((p) => `${p}@sopu.example`);
  server = await startCollabChild(db.url, { instanceId: 'durability' });
  const port = server.port;
  for (let i = 0; i < CLIENTS; i++) {
    const client = Object.assign(connect(server.wsUrl, agreement, await cookieFor(db.deps, drafters[i % drafters.length]!)), { index: i });
    clients.push(client);
  }
  await Promise.all(clients.map((c) => synced(c)));
  expect(sectionsMap(clients[0]!.doc).size).toBe(20);

  const counters = new Array<number>(CLIENTS).fill(0);
  let checked = 0;
  const distinct = new Set<string>();
  let lost = 0;
  const lostExamples: string[] = [];
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    // Everyone types for a while; some clients type fast, some slowly.
    const typing = setInterval(() => {
      for (const c of clients) {
        if (!rng.chance(0.3)) continue;
        type(c.doc, rng.pick(SECTIONS), `t${c.index}-${counters[c.index]!++};`);
      }
    }, 5);
    await new Promise((r) => setTimeout(r, 150 + rng.int(250)));
    await server.kill('SIGKILL');
    clearInterval(typing);
    // What each client had received from the others: the server relayed it, so it was stored.
    const received = new Set<string>();
    for (const c of clients) for (const t of tokensOf(c.doc)) if (t.client !== c.index) received.add(t.token);
    const stored = new Set(tokensOf(await storedDoc(db.deps.db, agreement)).map((t) => t.token));
    for (const token of received) {
      checked++;
      distinct.add(token);
      if (!stored.has(token)) {
        lost++;
        if (lostExamples.length < 5) lostExamples.push(`cycle ${cycle}: ${token}`);
      }
    }
    expect(server.stderr(), `the server logged errors in cycle ${cycle}`).toBe('');
    // The same slot comes back on the same port, and takes its leases back at once.
    server = await startCollabChild(db.url, { port, instanceId: 'durability' });
    await Promise.all(clients.map((c) => synced(c)));
  }

  // No client was refused anything: every close was a kill (1006).
  expect(clients.flatMap((c) => c.closes.filter((x) => x.code !== 1006).map((x) => `${c.index}: ${x.code} ${x.reason}`))).toEqual([]);
  // At the end, every client converges on the stored document, with no token twice.
  const final = clients[0]!;
  await waitFor(() => clients.every((c) => Y.encodeStateVector(c.doc).toString() === Y.encodeStateVector(final.doc).toString()), 'all clients converge', 30_000);
  const tokens = tokensOf(final.doc).map((t) => t.token);
  expect(new Set(tokens).size).toBe(tokens.length);
  console.log(`durability: ${CYCLES} SIGKILL cycles, ${CLIENTS} clients, ${distinct.size} relayed updates checked (${checked} checks after kills), ${lost} lost (seed ${SEED})`);
  expect(lostExamples).toEqual([]);
  expect(lost).toBe(0);
  // A deadline for a run that stopped, not a timing: the long form takes from minutes to far more on a busy machine.
}, LONG ? 3_600_000 : 300_000);
