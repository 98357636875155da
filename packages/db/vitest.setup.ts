import { afterEach, beforeEach, vi, type MockInstance } from 'vitest';

// An unexpected console.error is a failure, not noise. A test that expects one asserts on
// `vi.mocked(console.error)` and then calls `.mockClear()` on it.
let consoleError: MockInstance<typeof console.error>;

beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  const calls = consoleError.mock.calls.map((args) => args.map((a) => (a instanceof Error ? a.stack ?? a.message : String(a))).join(' '));
  consoleError.mockRestore();
  if (calls.length > 0) throw new Error(`unexpected console.error:\n${calls.join('\n')}`);
});
