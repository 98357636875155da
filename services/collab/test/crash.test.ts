import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { connect, cookieFor, createTestDeps, documentOf, startCollabChild, textOf, typeInto, waitFor, type Client, type CollabChild } from './harness.ts';

const children: CollabChild[] = [];
/** The child processes answer slowly on a loaded machine (they share two cores with everything else): every wait for one is long. */
const SLOW = 30_000;
const childSynced = (client: Client) => waitFor(() => client.provider.synced, 'sync with the child process', SLOW);
const clients: Client[] = [];
const gates: string[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const child of children.splice(0)) await child.kill('SIGKILL');
  for (const gate of gates.splice(0)) rmSync(gate, { force: true });
});

it('loses nothing a peer had seen when the process is killed with SIGKILL between receiving an update and storing it', async () => {
  const { deps, url, cleanup } = await createTestDeps();
  try {
    const agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
    // While this file exists, the first process's commits wait (test/held-commits-child.ts).
    const gate = join(tmpdir(), `sopu-hold-commits-${randomUUID()}`);
    gates.push(gate);
    const first = await startCollabChild(url, { instanceId: 'crash-test', entry: 'test/held-commits-child.ts', args: [gate] });
    children.push(first);
    const writer = connect(first.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const observer = connect(first.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    clients.push(writer, observer);
    await Promise.all([childSynced(writer), childSynced(observer)]);
    typeInto(writer.doc, 'disputes', 'stored;');
    await waitFor(() => textOf(observer.doc, 'disputes') === 'stored;', 'the first edit relayed (so stored)', SLOW);

    writeFileSync(gate, '');
    typeInto(writer.doc, 'disputes', 'held;');
    // Sent after the edit on the same socket: the process handles both in order and relays presence at once, so once
    // the observer has this, it has whatever the process relayed of the edit (a relay before the store included).
    writer.provider.awareness.setLocalStateField('sopu', { section: 'disputes' });
    await waitFor(() => first.stdout().includes('commit held'), "the edit's commit waiting", SLOW);
    await waitFor(() => observer.provider.awareness.getStates().get(writer.doc.clientID)?.sopu?.section === 'disputes', "the writer's presence after the edit", SLOW);
    const seenAtCrash = textOf(observer.doc, 'disputes');
    await first.kill('SIGKILL');
    expect(existsSync(gate)).toBe(true);
    rmSync(gate);

    const second = await startCollabChild(url, { instanceId: 'crash-test' });
    children.push(second);
    const reader = connect(second.wsUrl, agreement, await cookieFor(deps, 'viewer.kuhmo@sopu.example'));
    clients.push(reader);
    await childSynced(reader);
    // Every edit the observer had seen is stored: the recovered text extends what it saw.
    expect(textOf(reader.doc, 'disputes').slice(0, seenAtCrash.length)).toBe(seenAtCrash);
    expect(seenAtCrash.startsWith('stored;')).toBe(true);
    // Neither process logged an error (a server error never passes unseen).
    expect(first.stderr()).toBe('');
    expect(second.stderr()).toBe('');
  } finally {
    await cleanup();
  }
  // Two processes start (each a tsx compile of the server): under load that alone takes many seconds.
}, 120_000);
