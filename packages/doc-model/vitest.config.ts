import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Node on purpose: the server reads documents through this package without a DOM.
    environment: 'node',
    // Generous: CI runs on two cores beside browsers and servers; argon2 and a fresh database per test take time.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    setupFiles: ['./vitest.setup.ts'],
  },
});
