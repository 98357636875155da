// `npm test`: install what is missing (pnpm dependencies; Debian's Chromium for the end-to-end tests and HAProxy for
// the cluster proof), then
// typecheck, check the boundaries between core's features, and run every test: unit and integration per package,
// then end-to-end in real Chromium.
import { ensureDebianPackage, ensureInstalled, HAPROXY, pnpm, run } from './ensure.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

ensureInstalled();
ensureDebianPackage({ program: CHROMIUM, pkg: 'chromium', hint: 'set CHROMIUM_PATH' });
// The cluster proof (tests/proof/cluster.test.ts) runs two Sopu processes behind Debian's HAProxy.
ensureDebianPackage({ program: HAPROXY, pkg: 'haproxy' });
const turbo = [pnpm, 'exec', 'turbo', 'run'];
console.log('→ typecheck');
run(turbo[0], [...turbo.slice(1), 'typecheck', '--output-logs=errors-only']);
console.log('→ boundaries between core\'s features (dependency-cruiser; docs/decisions/021)');
run(turbo[0], [...turbo.slice(1), 'boundaries', '--output-logs=full']);
console.log('→ unit, integration and end-to-end tests');
run(turbo[0], [...turbo.slice(1), 'test', '--concurrency=1', '--output-logs=full']);
console.log('\n✓ all tests passed');
