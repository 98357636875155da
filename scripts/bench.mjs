// `npm run bench`: the collab benchmarks (tests/bench/run.ts): our server and the plain @y/websocket-server, started
// in the same run, edit → remote-peer latency for 1, 50 and 200 clients, and cold loads; prints ratios.
import { ensureInstalled, run } from './ensure.mjs';

ensureInstalled();
run(process.execPath, ['--import', 'tsx', 'tests/bench/run.ts']);
