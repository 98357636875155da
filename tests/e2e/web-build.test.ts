import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureWebBuild, WEB_BUILD_STAMP, webBuildInputs, webBuildInputsHash, webBuildState } from '../../scripts/web-build.mjs';

// The suites that run the production build (e2e, the route matrix, web security, the server's tests) rebuild a build
// older than its sources instead of testing it (scripts/web-build.mjs); the Vite config stamps each build.

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function write(root: string, file: string, text: string) {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

/** A repository in miniature: the web package, a package and a service with sources, a lockfile, git's ignores. */
function repository(): string {
  const root = mkdtempSync(join(tmpdir(), 'sopu-web-build-'));
  roots.push(root);
  expect(spawnSync('git', ['init', '-q'], { cwd: root }).status).toBe(0);
  write(root, '.gitignore', 'build/\nnode_modules/\ndata/\n*.db\n');
  write(root, 'apps/web/app/root.tsx', 'export default 1;\n');
  write(root, 'apps/web/vite.config.ts', 'export default {};\n');
  write(root, 'packages/core/src/index.ts', 'export const rule = 1;\n');
  write(root, 'packages/core/README.md', 'not an input\n');
  write(root, 'services/collab/src/room.ts', 'export const room = 1;\n');
  write(root, 'pnpm-lock.yaml', 'lockfileVersion: 9\n');
  return root;
}

/** What a build leaves, stamped as apps/web/vite.config.ts stamps it (the inputs' hash when it started). */
function fakeBuild(root: string, stamped = true) {
  const hash = webBuildInputsHash(root);
  write(root, 'apps/web/build/server/index.js', 'export const routes = {};\n');
  mkdirSync(join(root, 'apps/web/build/client'), { recursive: true });
  if (stamped) write(root, WEB_BUILD_STAMP, `${hash}\n`);
}

describe('the web build is rebuilt when it is older than its sources', () => {
  it('counts as inputs the web package and every package and service src/; not what git ignores, nor the lockfile (Turborepo hashes the web package’s own dependencies)', () => {
    const root = repository();
    write(root, 'apps/web/data/sopu.db', 'a database');
    expect(webBuildInputs(root)).toEqual(['apps/web/app/root.tsx', 'apps/web/vite.config.ts', 'packages/core/src/index.ts', 'services/collab/src/room.ts']);
  });

  it('builds when there is no build, and not again while the sources are unchanged', () => {
    const root = repository();
    expect(webBuildState(root)).toEqual({ fresh: false, reason: 'there is no build' });
    let builds = 0;
    const build = (r: string) => (builds++, fakeBuild(r));
    ensureWebBuild({ root, build, log: () => {} });
    expect(builds).toBe(1);
    expect(webBuildState(root)).toEqual({ fresh: true });
    ensureWebBuild({ root, build, log: () => {} });
    // Something git ignores (a database file under the web package) changes nothing.
    write(root, 'apps/web/data/sopu.db', 'a database');
    ensureWebBuild({ root, build, log: () => {} });
    expect(builds).toBe(1);
  });

  it('rebuilds after a change to any input: a package source, the web app, a new file', () => {
    const root = repository();
    fakeBuild(root);
    const changes: Array<[string, string]> = [
      ['packages/core/src/index.ts', 'export const rule = 2;\n'],
      ['apps/web/app/root.tsx', 'export default 2;\n'],
      ['services/collab/src/new.ts', 'export {};\n'],
    ];
    for (const [file, text] of changes) {
      write(root, file, text);
      expect(webBuildState(root), file).toEqual({ fresh: false, reason: 'its sources have changed since it was made' });
      const lines: string[] = [];
      ensureWebBuild({ root, build: (r) => fakeBuild(r), log: (line) => lines.push(line) });
      expect(lines).toEqual(['→ the web build is not current (its sources have changed since it was made): building it']);
      expect(webBuildState(root)).toEqual({ fresh: true });
    }
  });

  it('builds anew (bypassing the cache) when what a build restored is not current, and stops the run when that does not help', () => {
    const root = repository();
    fakeBuild(root, false);
    expect(webBuildState(root)).toMatchObject({ fresh: false, reason: expect.stringContaining('does not say what it was made from') });
    const forced: boolean[] = [];
    // A cache that restores the unstamped build, then a real build.
    ensureWebBuild({ root, build: (r, { force }) => (forced.push(force), force && fakeBuild(r)), log: () => {} });
    expect(forced).toEqual([false, true]);
    expect(webBuildState(root)).toEqual({ fresh: true });
    write(root, 'apps/web/app/root.tsx', 'export default 3;\n');
    expect(() => ensureWebBuild({ root, build: () => {}, log: () => {} })).toThrow(
      'The web build (apps/web/build) is still not current after building it: its sources have changed since it was made',
    );
  });

  it('the build this run uses was stamped by the Vite config with the sources as they are (global setup)', () => {
    expect(webBuildState()).toEqual({ fresh: true });
  });
});

describe('the editor page’s JavaScript (the bundle-cost report of the build, apps/web/vite.config.ts)', () => {
  interface BundleCost {
    budgetKb: number;
    firstPaint: { kb: number; packages: Record<string, number> };
    later: Array<{ name: string; kb: number; packages: string[] }>;
  }
  const report = (): BundleCost => JSON.parse(readFileSync(new URL('../../apps/web/build/bundle-cost.json', import.meta.url), 'utf8')) as BundleCost;

  it('is at most 280 KB gzip on first paint, bilingual columns and suggestion mode included (issue 24)', () => {
    const cost = report();
    expect(cost.budgetKb).toBe(280);
    expect(cost.firstPaint.kb).toBeLessThanOrEqual(280);
  });

  it('loads the editor, the comment composer and a translation’s change later, when the page needs them', () => {
    const cost = report();
    // The editor's code (ProseMirror through Tiptap, the Yjs binding, link detection) is not part of the first paint…
    for (const pkg of ['prosemirror-view', '@tiptap/core', '@tiptap/y-tiptap', 'linkifyjs']) expect(cost.firstPaint.packages).not.toHaveProperty(pkg);
    // … while the socket's own (Yjs and y-websocket) is, so that the page starts syncing as it hydrates.
    expect(cost.firstPaint.packages).toHaveProperty('yjs');
    expect(cost.firstPaint.packages).toHaveProperty('y-websocket');
    const later = new Map(cost.later.map((l) => [l.name, l]));
    expect(later.get('editor-chunk')?.packages).toEqual(expect.arrayContaining(['prosemirror-view', '@tiptap/core', '@tiptap/y-tiptap']));
    expect([...later.keys()]).toEqual(expect.arrayContaining(['Composer', 'TranslationChange']));
  });
});
