import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The standalone collab server (services/collab/src/main.ts) bundled into one JavaScript file, built from the
 * sources once per test process. The proofs restart the server many times (the convergence proof about sixty times
 * per seed); started through tsx, loading the workspace's TypeScript takes most of each restart (about 3 s of CPU
 * against 1 s bundled), so the long forms spent most of their time starting processes.
 *
 * Only the workspace's own code is bundled (esbuild, the transpiler tsx itself uses). Every package from
 * node_modules stays a separate import of the file it resolves to, native modules included; a module's
 * `import.meta.url` is its own source file's, as under tsx (the database's checkpoint worker resolves libsql from it).
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
let built: Promise<string> | undefined;

export function collabBundle(): Promise<string> {
  built ??= build();
  return built;
}

async function build(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sopu-collab-bundle-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, 'main.mjs');
  await esbuild.build({
    entryPoints: [join(root, 'services/collab/src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    plugins: [
      {
        name: 'node-modules-as-they-are',
        setup(build) {
          // A bare import of a package (not one of the workspace's): imported from the file it resolves to.
          build.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.path.startsWith('@sopu/') || args.pluginData === 'resolving' || args.path.startsWith('node:')) return undefined;
            const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
            if (resolved.errors.length > 0) return { errors: resolved.errors };
            return { path: resolved.external || !resolved.path.startsWith('/') ? args.path : resolved.path, external: true };
          });
          build.onLoad({ filter: /\.ts$/ }, (args) => ({
            contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  return outfile;
}
