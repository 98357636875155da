// Summarises a V8 .cpuprofile (from `BENCH_PROFILE=1 node --import tsx tests/bench/run.ts`):
// self time by function and by file, and inclusive time of the functions of interest.
//   node --import tsx tests/bench/profile-summary.ts tests/bench/results/profiles/ours-….cpuprofile [top=25]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));

const short = (url: string) => url.replace(/^file:\/\//, '').replace(/.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/.*\/work\/main\//, '');
const where = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const total = [...self.values()].reduce((a, b) => a + b, 0);
const idle = [...self.entries()].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, v]) => a + v, 0);
const busy = total - idle;

const selfBy = (key: (n: Node) => string) => {
  const m = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') continue;
    m.set(key(n), (m.get(key(n)) ?? 0) + t);
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
};

// Inclusive time: each sample counts once for every distinct frame on its stack.
const inclusive = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur)!;
    if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(root)') continue;
    const k = where(n);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
});

const pct = (t: number) => `${((t / busy) * 100).toFixed(1)}%`;
console.log(`${file}\nwall ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s, busy ${(busy / 1000).toFixed(2)} s\n`);
console.log(`self time by function (top ${top}):`);
for (const [k, t] of selfBy(where).slice(0, top)) console.log(`  ${t.toFixed(0).padStart(7)} ms ${pct(t).padStart(6)}  ${k}`);
console.log(`\nself time by file (top ${top}):`);
for (const [k, t] of selfBy((n) => short(n.callFrame.url) || n.callFrame.functionName).slice(0, top)) console.log(`  ${t.toFixed(0).padStart(7)} ms ${pct(t).padStart(6)}  ${k}`);
console.log(`\ninclusive time (top ${top * 2}):`);
for (const [k, t] of [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, top * 2)) console.log(`  ${t.toFixed(0).padStart(7)} ms ${pct(t).padStart(6)}  ${k}`);
