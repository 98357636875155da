// `npm test`: install what is missing (pnpm dependencies; Debian's Chromium for the end-to-end tests), then
// typecheck, check the boundaries between core's features, and run every test: unit and integration per package,
// then end-to-end in real Chromium.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensureInstalled, pnpm, run } from './ensure.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = process.getuid?.() === 0;
  const apt = isRoot ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
  console.log(`→ ${CHROMIUM} is missing: installing Debian's chromium with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync(apt[0], [...apt.slice(1), 'update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 && spawnSync(apt[0], [...apt.slice(1), 'install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!install || install.status !== 0 || !existsSync(CHROMIUM)) {
    console.error(`✗ could not install chromium; install it (apt-get install chromium) or set CHROMIUM_PATH`);
    process.exit(1);
  }
}

ensureInstalled();
ensureChromium();
const turbo = [pnpm, 'exec', 'turbo', 'run'];
console.log('→ typecheck');
run(turbo[0], [...turbo.slice(1), 'typecheck', '--output-logs=errors-only']);
console.log('→ boundaries between core\'s features (dependency-cruiser; docs/decisions/021)');
run(turbo[0], [...turbo.slice(1), 'boundaries', '--output-logs=full']);
console.log('→ unit, integration and end-to-end tests');
run(turbo[0], [...turbo.slice(1), 'test', '--concurrency=1', '--output-logs=full']);
console.log('\n✓ all tests passed');
