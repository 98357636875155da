// `npm run bench`: the benchmarks of tests/bench, each printing its report and ratios against a baseline measured in
// the same run. `npm run bench -- diff` or `npm run bench -- collab` runs one of them.
//   diff:   version diff of two full agreements (tests/bench/diff.ts), seconds.
//   collab: our collab server against the plain @y/websocket-server, edit → remote-peer latency for 1, 50 and 200
//           clients, and cold loads (tests/bench/run.ts), ~2 min.
import { ensureInstalled, run } from './ensure.mjs';

const BENCHMARKS = { diff: 'tests/bench/diff.ts', collab: 'tests/bench/run.ts' };
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}

ensureInstalled();
for (const name of chosen.length > 0 ? chosen : Object.keys(BENCHMARKS)) run(process.execPath, ['--import', 'tsx', BENCHMARKS[name]]);
