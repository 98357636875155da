// Installs what is missing so that `npm start` and `npm test` work on a machine with only Node.js and npm:
// a pinned pnpm in .tools/, then the workspace's dependencies from the committed lockfile.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { delimiter, dirname, join } from 'node:path';

export const root = fileURLToPath(new URL('..', import.meta.url));
const PNPM_VERSION = '12.4.2';
export const pnpm = join(root, '.tools', 'node_modules', '.bin', 'pnpm');

// Turborepo looks pnpm up on PATH: put the pinned one first.
const PATH = `${join(root, '.tools', 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`;
// better-sqlite3 (the Hocuspocus baseline of the benchmark, tests/bench/hocuspocus) is built by node-gyp, which would download
// Node's headers; this machine has no network for that, but Node ships its headers beside its binary.
const NODE_PREFIX = dirname(dirname(process.execPath));
const NODEDIR = !process.env.npm_config_nodedir && existsSync(join(NODE_PREFIX, 'include', 'node', 'node.h')) ? { npm_config_nodedir: NODE_PREFIX } : {};

export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options, env: { ...process.env, PATH, TURBO_TELEMETRY_DISABLED: '1', ...NODEDIR, ...(options.env ?? {}) } });
  if (result.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

export function ensureInstalled() {
  if (!existsSync(pnpm)) {
    console.log(`→ installing pnpm ${PNPM_VERSION} into .tools/`);
    run('npm', ['install', '--prefix', '.tools', '--no-audit', '--no-fund', '--loglevel=error', '-E', `pnpm@${PNPM_VERSION}`]);
  }
  // pnpm installs from the lockfile unchanged (frozen) when CI is set, as .ci/run does.
  run(pnpm, ['install', '--prefer-offline', '--reporter=append-only']);
}

/**
 * Installs a Debian package with apt-get when its program is missing (as root, or through passwordless sudo):
 * Chromium for the end-to-end tests, HAProxy for the cluster. Stops with a clear message when it cannot.
 */
export function ensureDebianPackage({ program, pkg, hint }) {
  if (existsSync(program)) return;
  const isRoot = process.getuid?.() === 0;
  const apt = isRoot ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
  console.log(`→ ${program} is missing: installing Debian's ${pkg} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync(apt[0], [...apt.slice(1), 'update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 && spawnSync(apt[0], [...apt.slice(1), 'install', '-y', '-qq', pkg], { stdio: 'inherit', env });
  if (!install || install.status !== 0 || !existsSync(program)) {
    console.error(`✗ could not install ${pkg}; install it (apt-get install ${pkg})${hint ? ` or ${hint}` : ''}`);
    process.exit(1);
  }
}

export const HAPROXY = '/usr/sbin/haproxy';

if (import.meta.url === `file://${process.argv[1]}`) ensureInstalled();
