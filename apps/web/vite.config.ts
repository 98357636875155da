import { vitePlugin as remix } from '@remix-run/dev';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { WEB_BUILD_STAMP, webBuildInputsHash } from '../../scripts/web-build.mjs';

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

/** The npm package (or `app` / a workspace package) a module belongs to. */
function packageOf(id: string): string {
  const path = id.replace(/\\/g, '/').replace(/^\0/, '').split('?')[0]!;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ws = path.match(/\/(packages|services)\/([^/]+)\//);
  if (ws) return `@sopu/${ws[2]}`;
  return path.includes('/apps/web/app/') ? 'app (apps/web/app)' : path.startsWith('vite/') || path.includes('commonjsHelpers') ? 'bundler runtime' : path;
}

/** Where the client build leaves its bundle-cost report (read by tests/e2e/web-build.test.ts). */
const BUNDLE_COST_FILE = fileURLToPath(new URL('build/bundle-cost.json', import.meta.url));

/**
 * After a client build, prints what each dependency costs the editor page on its first paint, gzip, and the total
 * against the budget: the chunks the browser loads before the page can hydrate (entry, root, the area layout, the
 * document route, the page's own language, Finnish as the budget's page is Finnish) and everything they import
 * statically. A package's cost is the gzip of its rendered code within each chunk, scaled so the packages of a chunk
 * add up to the chunk's own gzip size. Then what the page loads later, by dynamic import (the editor's chunk while
 * the socket syncs, the comment composer, a translation's change), each with the chunks it brings that the first
 * paint has not; the other languages' translations are left out (a page loads only its own). Writes the same as
 * JSON to build/bundle-cost.json.
 */
function bundleCost(options: { route: string; budgetKb: number }): Plugin {
  return {
    name: 'sopu-bundle-cost',
    apply: 'build',
    generateBundle(_output, bundle) {
      if (this.environment ? this.environment.name !== 'client' : false) return;
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const source = (c: (typeof chunks)[number]) => (c.facadeModuleId ?? '').replace(/\\/g, '/').split('?')[0]!;
      const routeChunk = chunks.find((c) => source(c).endsWith(`/app/${options.route}`));
      const entry = chunks.find((c) => /\/app\/entry\.client\.tsx$/.test(source(c)));
      if (!routeChunk || !entry) return;
      const roots = [entry, routeChunk, ...chunks.filter((c) => /\/app\/(root|routes\/areas\.\$slug)\.tsx$/.test(source(c)) || /\/app\/locales\/fi\.json$/.test(source(c)))];
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const gzip = new Map(chunks.map((c) => [c.fileName, gzipSync(c.code).length]));
      /** A chunk and what it imports statically, leaving out what `skip` has. */
      const closure = (names: string[], skip: Set<string> = new Set()) => {
        const found = new Set<string>();
        const visit = (name: string) => {
          if (found.has(name) || skip.has(name)) return;
          found.add(name);
          for (const dep of byName.get(name)?.imports ?? []) visit(dep);
        };
        for (const name of names) visit(name);
        return found;
      };
      const loaded = closure(roots.map((c) => c.fileName));
      const cost = new Map<string, number>();
      let total = 0;
      for (const name of loaded) {
        const chunk = byName.get(name)!;
        const chunkGzip = gzip.get(name)!;
        total += chunkGzip;
        const parts = new Map<string, string>();
        for (const [id, m] of Object.entries(chunk.modules)) parts.set(packageOf(id), (parts.get(packageOf(id)) ?? '') + (m.code ?? ''));
        const raw = [...parts].map(([pkg, code]) => [pkg, code.length > 0 ? gzipSync(code).length : 0] as const);
        const sum = raw.reduce((a, [, n]) => a + n, 0) || 1;
        for (const [pkg, n] of raw) cost.set(pkg, (cost.get(pkg) ?? 0) + (n / sum) * chunkGzip);
      }
      // Loaded later: the dynamic imports of the first paint's chunks (not another language's translation).
      const lazy = [...new Set([...loaded].flatMap((name) => byName.get(name)?.dynamicImports ?? []))].filter((name) => !loaded.has(name) && !/\/app\/locales\//.test(source(byName.get(name)!)));
      const later = lazy.map((name) => {
        const brings = closure([name], loaded);
        const packages = [...new Set([...brings].flatMap((n) => Object.keys(byName.get(n)!.modules).map(packageOf)))].sort();
        return { chunk: name, name: byName.get(name)!.name, kb: [...brings].reduce((a, n) => a + gzip.get(n)!, 0) / 1024, packages };
      });
      const allLater = closure(lazy, loaded);
      const allLaterKb = [...allLater].reduce((a, n) => a + gzip.get(n)!, 0) / 1024;
      const kb = (n: number) => `${(n / 1024).toFixed(1).padStart(6)} KB`;
      const lines = [...cost].sort((a, b) => b[1] - a[1]).filter(([, n]) => n >= 512).map(([pkg, n]) => `  ${kb(n)}  ${pkg}`);
      const verdict = total / 1024 <= options.budgetKb ? 'within' : 'OVER';
      const laterLines = later.map((l) => `  ${kb(l.kb * 1024)}  ${l.name} (${l.packages.filter((p) => p !== 'app (apps/web/app)').slice(0, 6).join(', ') || 'app'}${l.packages.length > 7 ? ', …' : ''})`);
      console.log(
        `\n[bundle-cost] editor page JavaScript on first paint, gzip, by dependency (${loaded.size} chunks):\n${lines.join('\n')}\n  ${kb(total)}  total, ${verdict} the ${options.budgetKb} KB budget\n` +
          `[bundle-cost] loaded later by the same page, when needed (each with the chunks it brings that the first paint has not):\n${laterLines.join('\n')}\n  ${kb(allLaterKb * 1024)}  all of them; first paint and all of them ${kb(total + allLaterKb * 1024)}\n`,
      );
      mkdirSync(dirname(BUNDLE_COST_FILE), { recursive: true });
      writeFileSync(
        BUNDLE_COST_FILE,
        `${JSON.stringify({ route: options.route, budgetKb: options.budgetKb, firstPaint: { kb: total / 1024, chunks: loaded.size, packages: Object.fromEntries([...cost].map(([p, n]) => [p, n / 1024])) }, later, allLaterKb }, null, 1)}\n`,
      );
    },
  };
}

/**
 * Stamps the build with the hash of what it was made from (scripts/web-build.mjs), taken when the build starts: the
 * tests that run the build rebuild it when the sources have changed since (ensureWebBuild there). The stamp
 * is removed as the client build starts and written when the server build (the last) has finished, so a build that
 * stopped half way has none.
 */
function inputsStamp(): Plugin {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const stamp = join(root, WEB_BUILD_STAMP);
  // The client and the server build run in one process, each loading this file: one hash for both.
  process.env.SOPU_WEB_BUILD_INPUTS ??= webBuildInputsHash(root);
  let ssr = false;
  return {
    name: 'sopu-inputs-stamp',
    apply: 'build',
    configResolved(config) {
      ssr = Boolean(config.build.ssr);
    },
    buildStart() {
      if (!ssr) rmSync(stamp, { force: true });
    },
    closeBundle() {
      if (!ssr) return;
      mkdirSync(dirname(stamp), { recursive: true });
      writeFileSync(stamp, `${process.env.SOPU_WEB_BUILD_INPUTS}\n`);
    },
  };
}

export default defineConfig({
  plugins: [
    inputsStamp(),
    bundleCost({ route: 'routes/areas.$slug.documents.$documentId.tsx', budgetKb: 280 }),
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
  // Workspace packages stay external in the server build: the Node process loads them once (through tsx), so the
  // server bundle and server.ts share one copy of core, and native modules are never parsed by Rollup.
  ssr: { external: ['@sopu/core', '@sopu/auth', '@sopu/db', '@sopu/api', '@sopu/collab', '@libsql/client', 'libsql', '@node-rs/argon2'] },
  optimizeDeps: {
    include: ['yjs', 'y-websocket', 'y-protocols/awareness', '@tiptap/react', '@tiptap/starter-kit', '@tiptap/extension-collaboration', '@tiptap/extension-collaboration-caret', '@tiptap/y-tiptap', 'i18next', 'react-i18next'],
    exclude: ['@libsql/client', 'libsql', '@node-rs/argon2'],
  },
  build: {
    target: 'es2022',
    rollupOptions: {
      output: {
        // A language's translation chunk is named so that the server can find it and have the browser preload it
        // (app/translation-chunks.server.ts): the page then hydrates as soon as without it.
        chunkFileNames: (chunk) => (/\/app\/locales\/(fi|sv|en)\.json$/.test(chunk.facadeModuleId ?? '') ? 'assets/locale-[name]-[hash].js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
