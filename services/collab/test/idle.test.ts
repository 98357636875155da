import { expect, it } from 'vitest';
import { CLOSE } from '../src/index.ts';
import { connect, cookieFor, createTestDeps, documentOf, startCollab, synced, typeInto, waitFor } from './harness.ts';

it('lets the session of someone who only has the document open go idle, but not of someone editing', async () => {
  const { deps, cleanup } = await createTestDeps({ idleTimeoutMs: 1500 });
  const collab = await startCollab(deps, { recheckMs: 200 });
  try {
    const agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
    const idle = connect(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    const busy = connect(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await Promise.all([synced(idle), synced(busy)]);
    const typing = setInterval(() => typeInto(busy.doc, 'equipment', '.'), 100);
    try {
      await waitFor(() => idle.closes.some((c) => c.code === CLOSE.unauthenticated), 'idle session ended', 6000);
      expect(busy.closes).toHaveLength(0);
      expect(busy.provider.wsconnected).toBe(true);
    } finally {
      clearInterval(typing);
      idle.destroy();
      busy.destroy();
    }
  } finally {
    await collab.stop();
    await cleanup();
  }
});
