// The web app's production build (apps/web/build) and whether it is current. The build carries the hash of what it
// was made from (apps/web/vite.config.ts writes it); the tests that run the build compare that with the sources now
// and rebuild a build that is missing or older than its sources, so that no test ever runs a stale build.
// The inputs are Turborepo's for the build task (turbo.json): the web package's files as git sees them (tracked, or
// new and not ignored), and every workspace package's and service's src/. (Turborepo also hashes the web package's
// resolved dependencies; the whole lockfile is not an input here, or a change elsewhere in it would make a build
// that Turborepo rightly restores from its cache look stale.)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The stamp's place, relative to the repository root: in the build, but not in build/client, which the server serves. */
export const WEB_BUILD_STAMP = join('apps', 'web', 'build', 'inputs.sha256');

const isInput = (file) => (file.startsWith('apps/web/') && !file.startsWith('apps/web/build/')) || /^(packages|services)\/[^/]+\/src\//.test(file);

/** Without git (a copy of the sources): every file, less what .gitignore names in these folders. */
const SKIP = new Set(['build', 'node_modules', '.turbo', '.cache', 'test-results', 'data', 'dist']);
function walk(root, dir, files) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIP.has(entry.name) || /\.db(-wal|-shm)?$/.test(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(root, path, files);
    else if (entry.isFile()) files.push(relative(root, path).split('\\').join('/'));
  }
}

/** The files the build is made from, relative to `root`, sorted. */
export function webBuildInputs(root = repoRoot) {
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', 'apps/web', 'packages', 'services'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let files;
  if (git.status === 0) files = git.stdout.split('\0').filter((f) => f !== '');
  else {
    files = [];
    for (const dir of ['apps/web', 'packages', 'services']) walk(root, join(root, dir), files);
  }
  // A tracked file deleted in the work tree is no input any more.
  return [...new Set(files.filter((f) => isInput(f) && existsSync(join(root, f)) && statSync(join(root, f)).isFile()))].sort();
}

/** sha256 (hex) over every input's path and content. */
export function webBuildInputsHash(root = repoRoot) {
  const hash = createHash('sha256');
  for (const file of webBuildInputs(root)) hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  return hash.digest('hex');
}

/** Whether the build at `root` exists and was made from the sources as they are now; if not, why. */
export function webBuildState(root = repoRoot) {
  const build = join(root, 'apps', 'web', 'build');
  if (!existsSync(join(build, 'server', 'index.js')) || !existsSync(join(build, 'client'))) return { fresh: false, reason: 'there is no build' };
  const stamp = join(root, WEB_BUILD_STAMP);
  if (!existsSync(stamp)) return { fresh: false, reason: 'the build does not say what it was made from (made before it was stamped, or stopped half way)' };
  if (readFileSync(stamp, 'utf8').trim() !== webBuildInputsHash(root)) return { fresh: false, reason: 'its sources have changed since it was made' };
  return { fresh: true };
}

/**
 * Builds as `npm test` and `npm run proof` do: through Turborepo, which restores a build of the same inputs from its
 * cache in a moment (`force`: builds anew). NODE_ENV is left out as those leave it (a test runner's NODE_ENV=test
 * would make a dev build).
 */
export function turboWebBuild(root = repoRoot, { force = false } = {}) {
  const tools = join(root, '.tools', 'node_modules', '.bin');
  const pnpm = existsSync(join(tools, 'pnpm')) ? join(tools, 'pnpm') : 'pnpm';
  const env = { ...process.env, PATH: `${tools}${delimiter}${process.env.PATH ?? ''}`, TURBO_TELEMETRY_DISABLED: '1' };
  delete env.NODE_ENV;
  const result = spawnSync(pnpm, ['exec', 'turbo', 'run', 'build', '--filter=@sopu/web', '--output-logs=errors-only', ...(force ? ['--force'] : [])], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env });
  if (result.status !== 0) throw new Error(`building the web app failed (turbo run build --filter=@sopu/web exited ${result.status ?? result.signal}); its output is above`);
}

/**
 * Makes sure what runs the production build (e2e, the route matrix, web security, the server's own tests) runs one
 * made from the sources as they are: a build that is missing, unstamped or older than its sources is rebuilt
 * (`build`, by default through Turborepo; once more bypassing its cache if what it restored is still not current);
 * one that still is not current stops the run with the reason.
 */
export function ensureWebBuild({ root = repoRoot, build = turboWebBuild, log = (line) => console.log(line) } = {}) {
  const before = webBuildState(root);
  if (before.fresh) return;
  log(`→ the web build is not current (${before.reason}): building it`);
  build(root, { force: false });
  let after = webBuildState(root);
  if (!after.fresh) {
    log(`→ the web build is still not current (${after.reason}): building it anew`);
    build(root, { force: true });
    after = webBuildState(root);
  }
  if (!after.fresh) throw new Error(`The web build (apps/web/build) is still not current after building it: ${after.reason}. Build it by hand: cd apps/web && npx remix vite:build`);
}
