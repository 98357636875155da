import { describe, expect, it } from 'vitest';
import { shouldReconnect } from './close-policy.ts';

describe('the editor reconnects after', () => {
  it('a slow socket (4408), too much at once (4429), a restart or handover (1001, 1012), a busy server (1011, 1013) and no code', () => {
    for (const code of [4408, 4429, 1001, 1006, 1011, 1012, 1013, 4503]) expect(shouldReconnect({ code }), String(code)).toBe(true);
  });
  it('but not after losing the session (4401), access (4403, 4404), or a refused update (4400, 4422)', () => {
    for (const code of [4400, 4401, 4403, 4404, 4422]) expect(shouldReconnect({ code }), String(code)).toBe(false);
  });
});
