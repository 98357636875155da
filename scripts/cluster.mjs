// `npm run cluster`: two Sopu processes on this machine behind HAProxy (services/ops/cluster/haproxy.cfg), sharing
// the database of DATABASE_URL: /collab/<documentId> by consistent hashing of the document id, everything else round
// robin. Installs what is missing (HAProxy with apt-get), builds the web app, then runs services/ops/src/cluster-main.ts.
// CLUSTER_PORT (3000) is where people connect; CLUSTER_WEB_PORTS (3101,3102) the processes. SIGHUP to the printed
// pid restarts the processes one at a time; Ctrl-C stops all. README "Operating Sopu", docs/decisions/028.
import { spawn } from 'node:child_process';
import { ensureDebianPackage, ensureInstalled, HAPROXY, pnpm, root, run } from './ensure.mjs';

ensureInstalled();
ensureDebianPackage({ program: HAPROXY, pkg: 'haproxy' });
console.log('→ building the web app (cached when nothing changed)');
run(pnpm, ['exec', 'turbo', 'run', 'build', '--filter=@sopu/web', '--output-logs=errors-only']);
const child = spawn(process.execPath, ['--import', 'tsx', 'services/ops/src/cluster-main.ts'], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
