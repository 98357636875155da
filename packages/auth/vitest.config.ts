import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // Generous: CI runs on two cores beside browsers and servers; argon2 and a fresh database per test take time.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    include: ['src/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
  },
});
