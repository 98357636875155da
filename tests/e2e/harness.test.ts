import { describe, expect, it } from 'vitest';
import { serverErrorLines } from './harness.ts';

// The e2e harness fails a file whose server printed unexpected error output (App.stop); this is what counts.
describe('serverErrorLines', () => {
  const stdout = '\nSopu is running on http://127.0.0.1:1234 (listening on 127.0.0.1:1234)\n\nDemo logins (demo data only), password for all: x\n  drafter.kajaani@sopu.example  drafter  Kajaani\n';

  it('finds nothing in a healthy run', () => {
    expect(serverErrorLines(stdout, '')).toEqual([]);
    expect(serverErrorLines(stdout, '\n  \n')).toEqual([]);
  });

  it('counts every stderr line, and stack traces and error lines on stdout', () => {
    const trace = 'TypeError: Cannot read properties of undefined\n    at handle (/app/server.ts:10:5)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)';
    expect(serverErrorLines(stdout, '[collab] something went wrong\n')).toEqual(['[collab] something went wrong']);
    expect(serverErrorLines(`${stdout}${trace}\n`, '')).toEqual(trace.split('\n'));
    expect(serverErrorLines(`${stdout}SqliteError: no such table\nUnhandled rejection\n`, '')).toEqual(['SqliteError: no such table', 'Unhandled rejection']);
  });

  it('leaves out exactly the expected lines: one more, or one fewer, is reported', () => {
    expect(serverErrorLines(stdout, 'expected noise\nreal problem\n', [{ pattern: /^expected noise$/ }])).toEqual(['real problem']);
    expect(serverErrorLines(stdout, 'expected noise\nexpected noise\n', [{ pattern: /^expected noise$/ }])).toEqual(['expected 1 line(s) matching /^expected noise$/, the server printed 2']);
    expect(serverErrorLines(stdout, '', [{ pattern: /^expected noise$/ }])).toEqual(['expected 1 line(s) matching /^expected noise$/, the server printed 0']);
    expect(serverErrorLines(stdout, 'expected noise\nexpected noise\n', [{ pattern: /^expected noise$/, count: 2 }])).toEqual([]);
  });
});
