import { calculateCostShares, listChecks, type CoreDeps } from '@sopu/core';
import { actorFor } from '@sopu/core/testing';
import { GENERATED_MAP, readGeneratedTables, sectionFragment } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../src/index.ts';
import { cookieFor, openLiveRoom, roundTrip, storedDoc, synced, waitFor, type LiveRoom } from './harness.ts';

// Generated tables in the live room (issue 21): a table Sopu inserts again replaces its earlier one for everyone
// connected with stock y-websocket clients; a drafter's hand edit in it reaches the checks, which read the stored
// document; and the marks that find the table are the server's: a client writing them is refused.

let room: LiveRoom;
let deps: CoreDeps;
let collab: LiveRoom['collab'];
let agreement: string;
const open = (...args: Parameters<LiveRoom['open']>) => room.open(...args);

beforeEach(async () => {
  room = await openLiveRoom('kainuu-koillismaa');
  ({ deps, collab, agreement } = room);
});
afterEach(() => room.close());

const tablesIn = (doc: Y.Doc, key: string) => sectionFragment(doc, key).toArray().filter((n) => n instanceof Y.XmlElement && n.nodeName === 'table').length;

describe('generated tables in the live room', () => {
  it('inserted again, the table replaces the old one for every client; a hand edit in a cell shows in the checks; the marks are refused from a client', async () => {
    const drafter = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const reader = open(collab.wsUrl, agreement, await cookieFor(deps, 'rep.kuhmo@sopu.example'));
    await Promise.all([synced(drafter), synced(reader)]);
    const admin = await actorFor(deps, 'admin.kajaani@sopu.example');
    await calculateCostShares(deps, admin, 'kainuu-koillismaa', { year: 2027, netCosts: 1000, key: 'labour_force', insert: true });
    await calculateCostShares(deps, admin, 'kainuu-koillismaa', { year: 2027, netCosts: 2000, key: 'labour_force', insert: true });
    await Promise.all([roundTrip(drafter), roundTrip(reader)]);
    for (const client of [drafter, reader]) {
      expect(tablesIn(client.doc, 'finance_administration')).toBe(1);
      expect(readGeneratedTables(client.doc).map((t) => [t.kind, t.rows.at(-1)![3]])).toEqual([['cost_shares', '2 000,00']]);
    }
    expect((await listChecks(deps, admin, 'kainuu-koillismaa')).find((c) => c.id === 'agreement_table:cost_shares')!.status).toBe('pass');

    // The drafter types into the total's euro cell.
    const table = sectionFragment(drafter.doc, 'finance_administration').toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'table') as Y.XmlElement;
    const lastRow = table.get(table.length - 1) as Y.XmlElement;
    const text = ((lastRow.get(3) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, '1');
    await roundTrip(drafter);
    await roundTrip(reader);
    await waitFor(async () => (await listChecks(deps, admin, 'kainuu-koillismaa')).find((c) => c.id === 'agreement_table:cost_shares')!.status === 'warning', 'the hand edit reaches the check');

    // The marks are the server's.
    const forger = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await synced(forger);
    forger.doc.getMap(GENERATED_MAP).delete('cost_shares');
    await waitFor(() => forger.closes.some((c) => c.code === CLOSE.layoutViolation), 'a forged mark refused');
    await roundTrip(reader);
    expect(readGeneratedTables(reader.doc).map((t) => t.kind)).toEqual(['cost_shares']);
    const stored = await storedDoc(deps.db, agreement);
    expect(readGeneratedTables(stored).map((t) => t.kind)).toEqual(['cost_shares']);
    stored.destroy();
  });
});
