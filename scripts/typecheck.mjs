import { ensureInstalled, pnpm, run } from './ensure.mjs';

ensureInstalled();
run(pnpm, ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']);
