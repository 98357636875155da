// `npm run proof -- <suite>`: one proof suite in its long form (tests/proof/<suite>.test.ts with PROOF_LONG=1), e.g.
// `npm run proof -- fuzz`. Without a name, every suite in its long form. `npm test` runs the short forms.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebianPackage, ensureInstalled, HAPROXY, pnpm, root, run } from './ensure.mjs';

const suites = readdirSync(join(root, 'tests', 'proof')).filter((f) => f.endsWith('.test.ts')).map((f) => f.replace(/\.test\.ts$/, ''));
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!suites.includes(name)) {
    console.error(`✗ no proof suite "${name}"; the suites are: ${suites.join(', ')}`);
    process.exit(2);
  }
}
ensureInstalled();
// The cluster proof runs two Sopu processes behind Debian's HAProxy.
if (wanted.length === 0 || wanted.includes('cluster')) ensureDebianPackage({ program: HAPROXY, pkg: 'haproxy' });
run(pnpm, ['exec', 'turbo', 'run', 'build', '--filter=@sopu/web', '--output-logs=errors-only']);
const files = (wanted.length > 0 ? wanted : suites).map((name) => `proof/${name}.test.ts`);
run(pnpm, ['--filter', '@sopu/tests', 'exec', 'vitest', 'run', '--config', 'proof/vitest.config.ts', ...files], { env: { PROOF_LONG: '1' } });
