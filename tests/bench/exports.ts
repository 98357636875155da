// Exports benchmark: `node --import tsx tests/bench/exports.ts` (`npm run bench -- exports`). About a minute.
//
// 1. The demo agreement (Kainuu-Koillismaa's drafted text, db/seeds/demo-content.json) drawn as DOCX and as PDF/A in
//    this thread, 20 timed runs each after warm-up (the fonts parsed once, as in a long-lived worker): median, p95 and
//    memory. Baselines in the same run: the same renderers drawing a one-paragraph document (the fixed cost of a file),
//    and LibreOffice headless turning our DOCX into a PDF (the usual way to get a PDF out of a Word file).
// 2. The event loop of a server process while it answers 10 PDF and 10 DOCX exports over HTTP, one after another
//    (server-exports.ts): drawing in the worker-thread render pool as Sopu's server does, against drawing in the
//    server's own thread.
// Goals (issue 17): ≤ 300 ms DOCX, ≤ 500 ms PDF (median), the server's event loop never held up more than 20 ms.
// Reported, not enforced. Writes tests/bench/results/exports-latest.md.
//
// Knobs: BENCH_EXPORT_RUNS (20), BENCH_EXPORT_REQUESTS (10 per format).
import { documentModel, renderDocx, renderPdf, type RenderJob } from '@sopu/exports';
import { demoFacts, demoSections } from '@sopu/exports/testing';
import { convertDocx } from '@sopu/exports/readers';
import { fork } from 'node:child_process';
import { serialize } from 'node:v8';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms, ratio, summarise, table } from './common.ts';
import type { ExportsChildAnswer, ExportsChildCommand } from './server-exports.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'results');
const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 20);
const REQUESTS = Number(process.env.BENCH_EXPORT_REQUESTS ?? 10);
const WARMUP = 3;
const GOAL = { docx: 300, pdf: 500, loopMs: 20 };
const log = (text: string) => console.error(`[bench exports] ${text}`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// ---------------------------------------------------------------------------------------------------------------
// 1. Drawing in this thread

const demo = documentModel(demoFacts({ sections: demoSections('kainuu-koillismaa') }));
const tiny = documentModel(
  demoFacts({
    sections: [{ key: 'parties', order: 0, status: 'drafting', reason: '', content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Osapuolet.' }] }] } }],
  }),
);
const draw = (job: RenderJob) => (job.format === 'docx' ? renderDocx(job.model) : renderPdf(job.model));

interface Timed {
  samples: number[];
  bytes: number;
  heapPeak: number;
}

async function time(job: RenderJob, runs: number): Promise<Timed> {
  for (let i = 0; i < WARMUP; i++) await draw(job);
  const samples: number[] = [];
  let bytes = 0;
  let heapPeak = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const file = await draw(job);
    samples.push(performance.now() - start);
    bytes = file.byteLength;
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }
  return { samples, bytes, heapPeak };
}

const rssBefore = process.memoryUsage().rss;
log(`drawing the demo agreement ${RUNS}× each (after ${WARMUP} warm-up runs)…`);
// Interleaved by format so that neither has the machine to itself.
const results: Record<string, Timed> = {};
for (const [name, job] of [
  ['docx', { model: demo, format: 'docx' }],
  ['pdf', { model: demo, format: 'pdf' }],
  ['docx-floor', { model: tiny, format: 'docx' }],
  ['pdf-floor', { model: tiny, format: 'pdf' }],
] as const) {
  results[name] = await time(job, RUNS);
  log(`${name}: median ${ms(summarise(results[name].samples).p50)} ms`);
}
const rssAfter = process.memoryUsage().rss;

// What the server's own thread does for one export when the pool draws: build the model from the canonical text, and
// copy it to the worker (structured clone). Measured here, in one thread, as CPU work is: the loop delays below
// stretch with the machine's load, this does far less.
const facts = demoFacts({ sections: demoSections('kainuu-koillismaa') });
const mainThread: number[] = [];
for (let i = 0; i < WARMUP + RUNS; i++) {
  const start = performance.now();
  serialize({ id: i, job: { model: documentModel(facts), format: 'pdf' } });
  if (i >= WARMUP) mainThread.push(performance.now() - start);
}
const maxRss = process.resourceUsage().maxRSS * 1024;

let libreOffice: number[] = [];
if (existsSync('/usr/bin/soffice')) {
  log('LibreOffice headless converting the demo DOCX to PDF, 3 runs (a process each, as a server would start it)…');
  const docx = await renderDocx(demo);
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await convertDocx([docx], 'pdf');
    libreOffice.push(performance.now() - start);
  }
} else {
  log('LibreOffice is not installed: its baseline is left out');
  libreOffice = [];
}

// ---------------------------------------------------------------------------------------------------------------
// 2. A server's event loop while it exports

interface LoopResult {
  mode: string;
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  requestMs: number[];
  rss: number;
  /** The same loop measured as long again with nothing to do: what the machine's other work alone costs it. */
  idle: { maxMs: number; p99Ms: number; meanMs: number };
}

async function serverLoop(mode: 'pool' | 'thread'): Promise<LoopResult> {
  const child = fork(join(HERE, 'server-exports.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_RENDER: mode }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type: ExportsChildAnswer['type']) => new Promise<ExportsChildAnswer>((resolve) => child.on('message', (m: ExportsChildAnswer) => m.type === type && resolve(m)));
  const ready = (await next('ready')) as Extract<ExportsChildAnswer, { type: 'ready' }>;
  const command = (c: ExportsChildCommand) => child.send(c);
  const get = async (format: 'pdf' | 'docx') => {
    const res = await fetch(`http://127.0.0.1:${ready.port}/api/v1/documents/${ready.documentId}/versions/2/export?format=${format}`, { headers: { cookie: ready.cookie } });
    if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  // Warm: the worker has started and parsed its fonts; the thread has too.
  await get('pdf');
  await get('docx');
  command({ type: 'measure-start' });
  const began = performance.now();
  const requestMs: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    for (const format of ['pdf', 'docx'] as const) {
      const start = performance.now();
      await get(format);
      requestMs.push(performance.now() - start);
    }
  }
  const took = performance.now() - began;
  const measure = async () => {
    const measured = next('measured');
    command({ type: 'measure-stop' });
    return (await measured) as Extract<ExportsChildAnswer, { type: 'measured' }>;
  };
  const m = await measure();
  // The noise floor: the same server, as long again, answering nothing.
  command({ type: 'measure-start' });
  await new Promise((resolve) => setTimeout(resolve, took));
  const idle = await measure();
  command({ type: 'stop' });
  await new Promise((resolve) => child.once('exit', resolve));
  return { mode, maxMs: m.maxMs, p99Ms: m.p99Ms, meanMs: m.meanMs, requestMs, rss: m.rss, idle: { maxMs: idle.maxMs, p99Ms: idle.p99Ms, meanMs: idle.meanMs } };
}

log(`a server answering ${REQUESTS} PDF and ${REQUESTS} DOCX exports, drawing in its render pool…`);
const pooled = await serverLoop('pool');
log(`…and drawing in its own thread (baseline)…`);
const threaded = await serverLoop('thread');

// ---------------------------------------------------------------------------------------------------------------
// Report

const s = (name: string) => summarise(results[name]!.samples);
const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.max(0, Math.ceil(0.95 * samples.length) - 1)]!;
const verdict = (value: number, goal: number) => (value <= goal ? `✓ ≤ ${goal} ms` : `✗ > ${goal} ms`);
const lo = libreOffice.length > 0 ? summarise(libreOffice).p50 : Number.NaN;
const report = [
  `# Exports benchmark`,
  '',
  `${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} · load ${loadavg().map((l) => l.toFixed(2)).join(' ')} · Node ${process.version}`,
  '',
  `## The demo agreement drawn in one thread (${RUNS} runs after ${WARMUP} warm-up)`,
  '',
  table(
    ['file', 'median ms', 'p95 ms', 'max ms', 'size', 'goal (median)', 'vs one-paragraph file', 'LibreOffice DOCX→PDF vs ours'],
    [
      ['DOCX (docx 9.15)', ms(s('docx').p50), ms(p95(results.docx!.samples)), ms(s('docx').max), `${(results.docx!.bytes / 1024).toFixed(0)} KB`, verdict(s('docx').p50, GOAL.docx), ratio(s('docx').p50, s('docx-floor').p50), ''],
      ['PDF/A-2b (PDFKit 0.20)', ms(s('pdf').p50), ms(p95(results.pdf!.samples)), ms(s('pdf').max), `${(results.pdf!.bytes / 1024).toFixed(0)} KB`, verdict(s('pdf').p50, GOAL.pdf), ratio(s('pdf').p50, s('pdf-floor').p50), ratio(lo, s('pdf').p50)],
      ['one paragraph, DOCX', ms(s('docx-floor').p50), ms(p95(results['docx-floor']!.samples)), ms(s('docx-floor').max), `${(results['docx-floor']!.bytes / 1024).toFixed(0)} KB`, '', '1.00×', ''],
      ['one paragraph, PDF', ms(s('pdf-floor').p50), ms(p95(results['pdf-floor']!.samples)), ms(s('pdf-floor').max), `${(results['pdf-floor']!.bytes / 1024).toFixed(0)} KB`, '', '1.00×', ''],
      ['LibreOffice headless, our DOCX → PDF', libreOffice.length > 0 ? ms(lo) : 'not installed', '', libreOffice.length > 0 ? ms(Math.max(...libreOffice)) : '', '', '', '', '1.00×'],
    ],
  ),
  '',
  `Memory of this process: RSS ${mb(rssBefore)} before drawing, ${mb(rssAfter)} after ${RUNS * 4 + WARMUP * 4} files (peak RSS ${mb(maxRss)}); JS heap at most ${mb(Math.max(...Object.values(results).map((r) => r.heapPeak)))}.`,
  '',
  `The server thread's own share of an export when the pool draws (the model built and copied to the worker): median ${ms(summarise(mainThread).p50)} ms, max ${ms(summarise(mainThread).max)} ms.`,
  '',
  `## A server's event loop while it exports (${REQUESTS} PDF + ${REQUESTS} DOCX over HTTP, one after another)`,
  '',
  table(
    ['drawing', 'loop delay max ms', 'p99 ms', 'mean ms', 'idle: max / p99 / mean ms', 'request median ms', 'request max ms', 'server RSS', 'goal'],
    [pooled, threaded].map((r) => [
      r.mode === 'pool' ? 'render pool (worker thread), as Sopu runs' : 'in the server thread (baseline)',
      ms(r.maxMs),
      ms(r.p99Ms),
      ms(r.meanMs),
      `${ms(r.idle.maxMs)} / ${ms(r.idle.p99Ms)} / ${ms(r.idle.meanMs)}`,
      ms(summarise(r.requestMs).p50),
      ms(summarise(r.requestMs).max),
      mb(r.rss),
      r.mode === 'pool' ? verdict(r.maxMs, GOAL.loopMs) : '',
    ]),
  ),
  '',
  `The pool holds the loop up ${ratio(pooled.maxMs, threaded.maxMs)} as long as drawing in the thread does (max delay). "Idle" is the same server measured as long again answering nothing: on a loaded machine that is the floor, the delay the other processes cause alone.`,
  '',
].join('\n');

console.log(report);
mkdirSync(RESULTS, { recursive: true });
const file = join(RESULTS, 'exports-latest.md');
writeFileSync(file, report);
log(`written to ${relative(process.cwd(), file)}`);
