import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The proof suites (fuzzing, crash durability, convergence, cross-tenant and role matrix, web security). `npm test`
 * runs their short forms; `npm run proof -- <name>` runs one in its long form (PROOF_LONG=1). Each prints its figures.
 */
export default defineConfig({
  test: {
    include: ['proof/**/*.test.ts'],
    environment: 'node',
    setupFiles: [fileURLToPath(new URL('../setup/no-console-noise.ts', import.meta.url))],
    // Servers, child processes and many sockets per file: one file at a time on two cores.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
