import { afterEach, expect, it } from 'vitest';
import { connect, cookieFor, createTestDeps, documentOf, startCollabChild, synced, textOf, typeInto, waitFor, type Client, type CollabChild } from './harness.ts';

const children: CollabChild[] = [];
const clients: Client[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const child of children.splice(0)) await child.kill('SIGKILL');
});

it('loses nothing a peer had seen when the server process is killed with SIGKILL mid-edit', async () => {
  const { deps, url, cleanup } = await createTestDeps();
  try {
    const agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
    const first = await startCollabChild(url, { instanceId: 'crash-test' });
    children.push(first);
    const writer = connect(first.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const observer = connect(first.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    clients.push(writer, observer);
    await Promise.all([synced(writer), synced(observer)]);

    let seen = '';
    observer.doc.on('update', () => (seen = textOf(observer.doc, 'disputes')));
    let i = 0;
    const typing = setInterval(() => typeInto(writer.doc, 'disputes', `${i++};`), 1);
    await waitFor(() => seen.split(';').length > 150, 'observer sees edits', 15_000);
    await first.kill('SIGKILL');
    clearInterval(typing);
    const seenAtCrash = seen;
    expect(seenAtCrash.length).toBeGreaterThan(0);

    const second = await startCollabChild(url, { instanceId: 'crash-test' });
    children.push(second);
    const reader = connect(second.wsUrl, agreement, await cookieFor(deps, 'viewer.kuhmo@sopu.example'));
    clients.push(reader);
    await synced(reader);
    const recovered = textOf(reader.doc, 'disputes');
    // Every edit the observer had seen is stored: the recovered text extends what it saw.
    expect(recovered.startsWith(seenAtCrash)).toBe(true);
    // Neither process logged an error (a server error never passes unseen).
    expect(first.stderr()).toBe('');
    expect(second.stderr()).toBe('');
  } finally {
    await cleanup();
  }
});
