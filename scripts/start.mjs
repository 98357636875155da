// `npm start`: install what is missing, build the web app (cached by Turborepo), then run the one server process.
// The server migrates the database, loads the demo areas into an empty one, and prints the demo logins.
import { spawn } from 'node:child_process';
import { ensureInstalled, pnpm, root, run } from './ensure.mjs';

ensureInstalled();
console.log('→ building the web app (cached when nothing changed)');
run(pnpm, ['exec', 'turbo', 'run', 'build', '--filter=@sopu/web', '--output-logs=errors-only']);

const server = spawn(process.execPath, ['--import', 'tsx', 'apps/web/server.ts'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' } });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
