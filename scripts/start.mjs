// `npm start`: install what is missing, build the web app (cached by Turborepo), then run the one server process.
// The server migrates the database, loads the demo areas into an empty one, and prints the demo logins.
// It also supervises the server: a process that exits on an error nobody foresaw (it logs and exits, as Node
// advises) is started again at once. Nothing is lost by that: every edit is stored before anyone sees it.
import { spawn } from 'node:child_process';
import { ensureInstalled, pnpm, root, run } from './ensure.mjs';

ensureInstalled();
console.log('→ building the web app (cached when nothing changed)');
run(pnpm, ['exec', 'turbo', 'run', 'build', '--filter=@sopu/web', '--output-logs=errors-only']);

const CRASH_WINDOW_MS = 60_000;
const MAX_CRASHES_IN_WINDOW = 5;
const crashes = [];
let stopping = false;
let server;

function startServer() {
  server = spawn(process.execPath, ['--import', 'tsx', 'apps/web/server.ts'], { cwd: root, stdio: 'inherit', env: { PRINT_DEMO_LOGINS: '1', ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' } });
  server.on('exit', (code, signal) => {
    if (stopping) return process.exit(code ?? 0);
    if (code === 0) return process.exit(0);
    const now = Date.now();
    crashes.push(now);
    while (crashes.length > 0 && now - crashes[0] > CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length >= MAX_CRASHES_IN_WINDOW) {
      console.error(`✗ the server stopped ${crashes.length} times within a minute (last: ${signal ?? `exit ${code}`}); not restarting`);
      return process.exit(code ?? 1);
    }
    console.error(`↻ the server stopped (${signal ?? `exit ${code}`}); starting it again`);
    startServer();
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    server?.kill(signal);
  });
}
startServer();
