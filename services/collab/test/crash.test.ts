import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { connect, cookieFor, createTestDeps, documentOf, ORIGIN, synced, textOf, typeInto, waitFor, type Client } from './harness.ts';

const collabRoot = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];
const clients: Client[] = [];

/** The standalone collab server in a child process of its own, on the test's database file. */
async function startChild(databaseUrl: string): Promise<{ child: ChildProcess; wsUrl: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: collabRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, COLLAB_PORT: '0', ALLOWED_ORIGINS: ORIGIN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /collab listening on [^:]+:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`collab child exited with ${code}`)));
  });
  return { child, wsUrl: `ws://127.0.0.1:${port}/collab` };
}

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

it('loses nothing a peer had seen when the server process is killed with SIGKILL mid-edit', async () => {
  const { deps, url, cleanup } = await createTestDeps();
  try {
    const agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
    const first = await startChild(url);
    const writer = connect(first.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const observer = connect(first.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    clients.push(writer, observer);
    await Promise.all([synced(writer), synced(observer)]);

    let seen = '';
    observer.doc.on('update', () => (seen = textOf(observer.doc, 'disputes')));
    let i = 0;
    const typing = setInterval(() => typeInto(writer.doc, 'disputes', `${i++};`), 1);
    await waitFor(() => seen.split(';').length > 150, 'observer sees edits', 15_000);
    first.child.kill('SIGKILL');
    clearInterval(typing);
    await new Promise<void>((resolve) => first.child.once('exit', () => resolve()));
    const seenAtCrash = seen;
    expect(seenAtCrash.length).toBeGreaterThan(0);

    const second = await startChild(url);
    const reader = connect(second.wsUrl, agreement, await cookieFor(deps, 'viewer.kuhmo@sopu.example'));
    clients.push(reader);
    await synced(reader);
    const recovered = textOf(reader.doc, 'disputes');
    // Every edit the observer had seen is stored: the recovered text extends what it saw.
    expect(recovered.startsWith(seenAtCrash)).toBe(true);
  } finally {
    await cleanup();
  }
});
