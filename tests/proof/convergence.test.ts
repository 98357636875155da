/**
 * Proof: convergence. Real y-websocket clients make seeded random edits (typing, deleting, formatting, new
 * paragraphs, section statuses, suggested insertions and deletions, and the host's accepts and rejects of them as
 * the server makes them, decision 025), drop off and edit offline, come back, while the server restarts (gracefully and by
 * SIGKILL). Every replica has every section's whole metadata throughout (a status can be set on any section at any
 * step). In the end every client and the stored document hold identical content, and no typed text is there twice.
 * Short form in `npm test` (1 seed × 400 steps); `npm run proof -- convergence` runs 20 seeds × 3,000 steps. A failure
 * prints its seed: `PROOF_SEEDS=<seed>[,<seed>…] npm run proof -- convergence` replays the same edits (timing may
 * differ); `PROOF_SEEDS=1-50` runs more.
 */
import { decideSuggestions, readSection, readSections, readSuggestions, sectionsMap, setSectionStatus } from '@sopu/doc-model';
import * as Y from 'yjs';
import { afterAll, expect, it } from 'vitest';
import { connect, cookieFor, demoDatabase, documentOf, LONG, prng, seedsFromEnv, startCollabChild, storedDoc, synced, waitFor, type Client, type CollabChild } from './support/collab.ts';

const STEPS = LONG ? 3_000 : 400;
const SEEDS = seedsFromEnv(LONG ? Array.from({ length: 20 }, (_, i) => i + 1) : [1]);
const SECTIONS = ['parties', 'purpose', 'governance', 'personnel', 'premises'];
const TOKEN = /⟨[a-z]{8}⟩/g;

let server: CollabChild | undefined;

afterAll(async () => {
  await server?.kill('SIGKILL');
});

type Rng = ReturnType<typeof prng>;

/** The XmlTexts of a section (one per paragraph), creating the first paragraph when the section is empty. */
function texts(doc: Y.Doc, key: string): Y.XmlText[] {
  const fragment = doc.getXmlFragment(`section:${key}`);
  if (fragment.length === 0) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText()]);
    fragment.insert(0, [paragraph]);
  }
  return fragment.toArray().flatMap((p) => (p instanceof Y.XmlElement ? p.toArray().filter((t): t is Y.XmlText => t instanceof Y.XmlText) : []));
}

/** How many suggestions were made and decided (printed with the figures: the random steps do reach them). */
const negotiated = { suggested: 0, decided: 0 };

/** Who writes: the person's user id and municipality, and whether they are the host (who decides on suggestions). */
interface Writer {
  userId: string;
  municipality: string;
  host: boolean;
}

/** One random edit, the way an editor makes them. */
function edit(rng: Rng, doc: Y.Doc, token: () => string, writer: Writer) {
  const key = rng.pick(SECTIONS);
  const userId = writer.userId;
  doc.transact(() => {
    const all = texts(doc, key);
    const text = rng.pick(all);
    const roll = rng.int(13);
    const mark = () => ({ id: `s${rng.int(1_000_000_000).toString(36).padStart(6, '0')}`, author: writer.userId, municipality: writer.municipality, at: 1_796_000_000_000 });
    if (roll === 10) {
      text.insert(rng.int(text.length + 1), token(), { suggestionInsert: mark() });
      negotiated.suggested++;
    } else if (roll === 11 && text.length > 0) {
      negotiated.suggested++;
      const at = rng.int(text.length);
      text.format(at, Math.min(1 + rng.int(6), text.length - at), { suggestionDelete: mark() });
    } else if (roll === 12 && writer.host) {
      // The host accepts or rejects a pending suggestion, as the server applies it (doc-model decideSuggestions).
      const pending = readSuggestions(doc);
      if (pending.length > 0) {
        const chosen = rng.pick(pending);
        if (decideSuggestions(doc, (s) => s.id === chosen.id, rng.chance(0.5) ? 'accept' : 'reject').length > 0) negotiated.decided++;
      }
    } else if (roll >= 10) text.insert(rng.int(text.length + 1), token());
    else if (roll < 5) text.insert(rng.int(text.length + 1), token());
    else if (roll < 7 && text.length > 0) {
      const at = rng.int(text.length);
      text.delete(at, Math.min(1 + rng.int(6), text.length - at));
    } else if (roll < 8 && text.length > 1) {
      const at = rng.int(text.length - 1);
      text.format(at, 1 + rng.int(text.length - at - 1), { bold: rng.chance(0.5) ? true : null });
    } else if (roll < 9) {
      const fragment = doc.getXmlFragment(`section:${key}`);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(token())]);
      fragment.insert(rng.int(fragment.length + 1), [paragraph]);
    } else {
      // "Agreed" is the host's decision through the server (decision 025): clients set the other two.
      const status = rng.pick(['drafting', 'not_applicable'] as const);
      try {
        setSectionStatus(doc, key, status, status === 'not_applicable' ? `syy ${token()}` : '', userId);
      } catch (e) {
        // Say what the replica held, so that a failure here can be reproduced from its seed.
        const entry = sectionsMap(doc).get(key);
        throw new Error(`client ${doc.clientID}: ${(e as Error).message}; sections ${sectionsMap(doc).size}, ${key} = ${entry instanceof Y.Map ? JSON.stringify(entry.toJSON()) : String(entry)}`);
      }
    }
  });
}

/** Everything a person sees of the document: the sections' metadata and text, in a comparable form. */
function content(doc: Y.Doc): string {
  const meta = readSections(doc).map((s) => `${s.key}:${s.order}:${s.status}:${s.reason}`);
  return JSON.stringify([meta, SECTIONS.map((k) => doc.getXmlFragment(`section:${k}`).toString())]);
}

for (const seed of SEEDS) {
  it(`converges after ${STEPS} random steps with disconnects, offline edits and restarts (seed ${seed})`, async () => {
    const rng = prng(seed);
    // A database of its own per seed: each run starts from the same empty agreement.
    const db = await demoDatabase();
    const agreement = await documentOf(db.deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
    // Drafters of three municipalities edit directly here (the proof is of the merge); all of them also suggest.
    await db.deps.db.updateTable('areas').set({ direct_editing: 'everyone' }).execute();
    server = await startCollabChild(db.url, { instanceId: `convergence-${seed}` });
    const port = server.port;
    const emails = ['admin.kajaani', 'drafter.kajaani', 'drafter.sotkamo', 'drafter.kuusamo'].map((p) => `${p}@sopu.example`);
    const municipalities = ['205', '205', '765', '305'];
    const mine: Client[] = [];
    for (let i = 0; i < 7; i++) mine.push(connect(server.wsUrl, agreement, await cookieFor(db.deps, emails[i % emails.length]!)));
    // A client names only its own person as who changed a status (the server refuses anything else).
    const userIds = await Promise.all(emails.map(async (e) => (await db.deps.db.selectFrom('users').select('id').where('email', '=', e).executeTakeFirstOrThrow()).id));
    // Once a replica has the document, every section's metadata stays whole in it whatever arrives (a partial
    // entry, e.g. {"order": n} only, makes setting that section's status throw in that browser).
    const partial: string[] = [];
    let stepNow = -1;
    for (const c of mine) {
      let whole = false;
      c.doc.on('afterTransaction', () => {
        const count = readSections(c.doc).length;
        if (count === 20) whole = true;
        else if (whole && partial.length < 10) {
          const entries = [...sectionsMap(c.doc).entries()].filter(([key]) => !readSection(c.doc, key));
          partial.push(`step ${stepNow}, client ${c.doc.clientID}: ${count} whole sections; ${entries.map(([key, v]) => `${key} = ${v instanceof Y.Map ? JSON.stringify(v.toJSON()) : String(v)}`).join(', ')}`);
        }
      });
    }
    try {
      await Promise.all(mine.map((c) => synced(c)));
      // Each insertion is a token of eight random letters: a deletion that joins parts of two tokens cannot
      // fabricate one that was typed, so a token found twice was stored twice.
      const names = prng(seed + 1_000_000);
      const typed = new Set<string>();
      const token = () => () => {
        const t = `⟨${Array.from({ length: 8 }, () => 'abcdefghijklmnopqrstuvwxyz'[names.int(26)]).join('')}⟩`;
        typed.add(t);
        return t;
      };
      for (let step = 0; step < STEPS; step++) {
        stepNow = step;
        const i = rng.int(mine.length);
        const c = mine[i]!;
        const roll = rng.int(100);
        if (roll < 80) {
          const w = i % userIds.length;
          edit(rng, c.doc, token(), { userId: userIds[w]!, municipality: municipalities[w]!, host: w < 2 });
        } else if (roll < 90) {
          if (c.provider.shouldConnect) c.provider.disconnect();
          else c.provider.connect();
        } else if (roll < 92) {
          // The server goes away (gracefully, or killed) and comes back on the same address.
          await server.kill(rng.chance(0.5) ? 'SIGTERM' : 'SIGKILL');
          expect(server.stderr(), `seed ${seed}`).toBe('');
          server = await startCollabChild(db.url, { port, instanceId: `convergence-${seed}` });
        }
        if (rng.chance(0.3)) await new Promise((r) => setTimeout(r, rng.int(5)));
      }
      for (const c of mine) if (!c.provider.shouldConnect) c.provider.connect();
      await Promise.all(mine.map((c) => synced(c)));
      const expected = () => content(mine[0]!.doc);
      await waitFor(() => mine.every((c) => content(c.doc) === expected()), `all clients converge (seed ${seed})`, 30_000);
      await waitFor(async () => content(await storedDoc(db.deps.db, agreement)) === expected(), `the stored document converges (seed ${seed})`, 30_000);

      const final = mine[0]!.doc;
      const found = SECTIONS.flatMap((k) => final.getXmlFragment(`section:${k}`).toString().match(TOKEN) ?? []).concat(
        readSections(final).flatMap((s) => s.reason.match(TOKEN) ?? []),
      );
      const twice = found.filter((t, i) => typed.has(t) && found.indexOf(t) !== i);
      expect(twice, `text there twice (seed ${seed})`).toEqual([]);
      expect(sectionsMap(final).size).toBe(20);
      expect(partial, `replicas with a section's metadata partial (seed ${seed})`).toEqual([]);
      expect(server.stderr(), `the server logged errors (seed ${seed})`).toBe('');
      expect(mine.flatMap((c) => c.closes.filter((x) => ![1006, 1001].includes(x.code)).map((x) => `${x.code} ${x.reason}`)), `refusals (seed ${seed})`).toEqual([]);
      expect(negotiated.decided, `suggestions decided (seed ${seed})`).toBeGreaterThan(0);
      console.log(`convergence: seed ${seed}, ${STEPS} steps, ${mine.length} clients, ${typed.size} insertions, ${found.filter((t) => typed.has(t)).length} left whole after deletions, ${negotiated.suggested} suggestions made and ${negotiated.decided} decided, identical everywhere, 0 duplicated`);
      negotiated.suggested = 0;
      negotiated.decided = 0;
    } catch (error) {
      throw new Error(`convergence failed with seed ${seed}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      for (const c of mine) c.destroy();
      await server.kill('SIGTERM');
      server = undefined;
      await db.cleanup();
    }
    // A deadline for a run that stopped: a long seed takes minutes, far more on a busy shared machine.
  }, LONG ? 3_600_000 : 900_000);
}
