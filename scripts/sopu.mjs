// `npm run sopu -- area create|list|suspend|resume|export …` and `audit verify`: the operator's command (services/ops, README
// "Operating"). Runs from the repository root, like `npm start`, so that the default DATABASE_URL
// (file:./data/sopu.db) is the server's database. Installs the dependencies first only when they are missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled, root } from './ensure.mjs';

if (!existsSync(join(root, 'services', 'ops', 'node_modules'))) ensureInstalled();
const result = spawnSync(process.execPath, ['--import', 'tsx', join('services', 'ops', 'src', 'cli.ts'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
