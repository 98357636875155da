import { afterEach, vi } from 'vitest';

// An unexpected console.error or console.warn (say, from Tiptap or Yjs) is a failure, not noise.
const complaints: string[] = [];
for (const level of ['error', 'warn'] as const) {
  vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
    complaints.push(`console.${level}: ${args.map(String).join(' ')}`);
  });
}

afterEach(() => {
  const found = complaints.splice(0);
  if (found.length > 0) throw new Error(found.join('\n'));
});
