import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// The shared configuration, plus the composition root's own tests (server/), which start the assembled server.
export default mergeConfig(shared, defineConfig({ test: { include: ['server/**/*.test.ts'] } }));
