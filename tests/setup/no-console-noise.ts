import { afterEach, vi } from 'vitest';

// An unexpected console.error or console.warn is a failure, not noise. A test that expects one reads
// `vi.mocked(console.error).mock.calls` and then calls `.mockClear()` on it.
afterEach(() => {
  const complaints: string[] = [];
  for (const level of ['error', 'warn'] as const) {
    const spy = vi.mocked(console[level]);
    for (const args of spy.mock.calls) complaints.push(`console.${level}: ${args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ')}`);
    spy.mockClear();
  }
  if (complaints.length > 0) throw new Error(`unexpected console output:\n${complaints.join('\n')}`);
});

for (const level of ['error', 'warn'] as const) vi.spyOn(console, level).mockImplementation(() => {});
