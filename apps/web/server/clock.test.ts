import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readEnv } from '../env.ts';
import { ruleClock } from './clock.ts';

const dir = mkdtempSync(join(tmpdir(), 'sopu-clock-'));
afterEach(() => vi.useRealTimers());

describe('the rules’ clock', () => {
  it('is the real clock without an offset file', () => {
    expect(ruleClock(undefined)).toBe(Date.now);
  });

  it('adds the offset written in the file from the very next reading (a test writes it and goes on); garbage or a missing file mean none', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const file = join(dir, 'offset');
    const clock = ruleClock(file);
    expect(clock()).toBe(1_000_000);
    writeFileSync(file, String(15 * 86_400_000));
    expect(clock()).toBe(1_000_000 + 15 * 86_400_000);
    writeFileSync(file, String(2 * 86_400_000));
    expect(clock()).toBe(1_000_000 + 2 * 86_400_000);
    writeFileSync(file, '1e9; rm -rf /');
    expect(clock()).toBe(1_000_000);
    rmSync(file);
    vi.advanceTimersByTime(100);
    expect(clock()).toBe(1_000_100);
  });

  it('is refused outside a local address', () => {
    expect(() => readEnv({ PORT: '0', PUBLIC_URL: 'https://sopu.example.fi', SOPU_CLOCK_OFFSET_FILE: '/tmp/x' })).toThrow(/SOPU_CLOCK_OFFSET_FILE/);
    expect(readEnv({ PORT: '0', PUBLIC_URL: 'http://127.0.0.1:3000', SOPU_CLOCK_OFFSET_FILE: '/tmp/x' }).SOPU_CLOCK_OFFSET_FILE).toBe('/tmp/x');
  });
});
