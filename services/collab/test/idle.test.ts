import { expect, it } from 'vitest';
import { CLOSE } from '../src/index.ts';
import { connect, cookieFor, createTestDeps, documentOf, serverHasSeen, startCollab, synced, typeInto, userIdOf, waitFor } from './harness.ts';

it('lets the session of someone who only has the document open go idle, but not of someone editing', async () => {
  const IDLE = 60 * 60_000;
  let time = Date.UTC(2026, 11, 1, 8, 0, 0);
  const { deps, cleanup } = await createTestDeps({ idleTimeoutMs: IDLE, now: () => time });
  // No timer decides anything here: the test moves the sessions' clock and asks for each re-check itself.
  const collab = await startCollab(deps, { recheckMs: 3_600_000 });
  try {
    const agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
    const idle = connect(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    const busy = connect(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await Promise.all([synced(idle), synced(busy)]);
    const busyId = await userIdOf(deps.db, 'drafter.kajaani@sopu.example');

    time += 0.6 * IDLE;
    typeInto(busy.doc, 'equipment', 'edit');
    await serverHasSeen(collab.collab, agreement, busyId, busy);
    // The edit is activity: this check extends the busy session; the idle one only has the page open.
    await collab.collab.recheckAll();
    expect(idle.closes).toHaveLength(0);

    time += 0.5 * IDLE;
    await collab.collab.recheckAll();
    await waitFor(() => idle.closes.some((c) => c.code === CLOSE.unauthenticated), 'idle session ended');
    expect(busy.closes).toHaveLength(0);
    expect(busy.provider.wsconnected).toBe(true);
    idle.destroy();
    busy.destroy();
  } finally {
    await collab.stop();
    await cleanup();
  }
});
