import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Node on purpose: the server reads documents through this package without a DOM.
    environment: 'node',
    setupFiles: ['./vitest.setup.ts'],
  },
});
