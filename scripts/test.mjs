// `npm test`: install what is missing (pnpm dependencies; from Debian: Chromium for the end-to-end tests, LibreOffice
// and poppler to read the exported files back, docs/decisions/022-exports.md, HAProxy for the cluster proof), then typecheck, check the boundaries
// between core's features, and run every test: unit and integration per package, then end-to-end in real Chromium.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensureInstalled, HAPROXY, pnpm, run } from './ensure.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The programs the tests run, and the Debian package of each: installed with apt-get when missing (as root, or
 * through sudo without a password), in one update and one install, on a fresh CI machine as on a laptop.
 */
const DEBIAN = [
  { path: CHROMIUM, pkg: 'chromium', why: 'the end-to-end tests' },
  // LibreOffice without its GUI: opens each exported DOCX as an office suite would (packages/exports/src/readers.ts).
  { path: '/usr/bin/soffice', pkg: 'libreoffice-writer-nogui', why: 'reading exported DOCX back' },
  // pdftotext, pdfinfo, pdffonts, pdftoppm: read each exported PDF back.
  { path: '/usr/bin/pdftotext', pkg: 'poppler-utils', why: 'reading exported PDFs back' },
  { path: '/usr/bin/pdffonts', pkg: 'poppler-utils', why: 'reading exported PDFs back' },
  // The cluster proof (tests/proof/cluster.test.ts) runs two Sopu processes behind HAProxy.
  { path: HAPROXY, pkg: 'haproxy', why: 'the cluster proof' },
];

function ensureDebianPackages() {
  const missing = DEBIAN.filter((d) => !existsSync(d.path));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((d) => d.pkg))];
  const isRoot = process.getuid?.() === 0;
  const apt = isRoot ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
  console.log(`→ missing ${missing.map((d) => `${d.path} (${d.why})`).join(', ')}: installing ${packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync(apt[0], [...apt.slice(1), 'update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 && spawnSync(apt[0], [...apt.slice(1), 'install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
  const still = DEBIAN.filter((d) => !existsSync(d.path));
  if (!install || install.status !== 0 || still.length > 0) {
    console.error(`✗ could not install ${packages.join(' ')}; install them (apt-get install ${packages.join(' ')})${still.some((d) => d.pkg === 'chromium') ? ' or set CHROMIUM_PATH' : ''}`);
    process.exit(1);
  }
}

ensureInstalled();
ensureDebianPackages();
const turbo = [pnpm, 'exec', 'turbo', 'run'];
console.log('→ typecheck');
run(turbo[0], [...turbo.slice(1), 'typecheck', '--output-logs=errors-only']);
console.log('→ boundaries between core\'s features (dependency-cruiser; docs/decisions/021)');
run(turbo[0], [...turbo.slice(1), 'boundaries', '--output-logs=full']);
console.log('→ unit, integration and end-to-end tests');
run(turbo[0], [...turbo.slice(1), 'test', '--concurrency=1', '--output-logs=full']);
console.log('\n✓ all tests passed');
