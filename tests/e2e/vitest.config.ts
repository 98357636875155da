import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    // A build older than the sources is rebuilt before any file runs (scripts/web-build.mjs).
    globalSetup: ['e2e/web-build.setup.ts'],
    // One real server and browser per file, files one after another: the machine has two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
