import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The one Vitest configuration of the workspace's packages; each package's vitest.config.ts re-exports it. */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'app/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: [fileURLToPath(new URL('./tests/setup/no-console-noise.ts', import.meta.url))],
    // Generous: CI runs on two cores beside browsers and servers; argon2 and a fresh database per test take time.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
