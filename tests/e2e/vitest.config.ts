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
    // What a page shows after a click is waited for up to 10 s (vitest's default is 1 s): a form's answer and the
    // page's revalidation take longer than that on a busy two-core machine, which is no defect of the page.
    expect: { poll: { timeout: 10_000 } },
  },
});
