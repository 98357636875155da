// `npm run bench`: the benchmarks of tests/bench, each printing its report and ratios against a baseline measured in
// the same run. `npm run bench -- diff` (or exports, first-edit, collab) runs one of them.
//   diff:   version diff of two full agreements (tests/bench/diff.ts), seconds.
//   exports: the demo agreement as DOCX and PDF/A, and a server's event loop while it exports (tests/bench/exports.ts),
//           about a minute.
//   first-edit: the demo agreement in Chromium, navigation → the first section editable, against the same server's
//           read-only rendering of the same agreement (tests/bench/first-edit.ts), about a minute.
//   collab: our collab server against the plain @y/websocket-server and Hocuspocus 4.7 (+ SQLite), all started in the
//           same run: single edits with 1, 50 and 200 clients, 50 editors typing at once, 200 editors × 2 updates/s,
//           open → synced of a 10,000-keystroke document, 15,000 idle sockets, cold loads (tests/bench/run.ts), ~6 min.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled, pnpm, root, run } from './ensure.mjs';

const BENCHMARKS = { diff: 'tests/bench/diff.ts', exports: 'tests/bench/exports.ts', 'first-edit': 'tests/bench/first-edit.ts', collab: 'tests/bench/run.ts' };
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}

ensureInstalled();
const selected = chosen.length > 0 ? chosen : Object.keys(BENCHMARKS);
if (selected.includes('collab')) {
  // The Hocuspocus baseline is its own install (tests/bench/hocuspocus): better-sqlite3 compiles for about a minute,
  // which `npm start`, `npm test` and CI should never pay for.
  const dir = join(root, 'tests', 'bench', 'hocuspocus');
  if (!existsSync(join(dir, 'node_modules', '@hocuspocus', 'extension-sqlite'))) {
    console.log('Installing the Hocuspocus baseline (tests/bench/hocuspocus; better-sqlite3 compiles once, about a minute)…');
    run(pnpm, ['install', '--frozen-lockfile'], { cwd: dir });
  }
}
for (const name of selected) run(process.execPath, ['--import', 'tsx', BENCHMARKS[name]]);
