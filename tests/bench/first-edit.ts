// First-edit benchmark: `node --import tsx tests/bench/first-edit.ts` (`npm run bench -- first-edit`). About a minute.
//
// The real server (apps/web/server.ts on the production build, as `npm start` runs it) on a free port with a fresh
// temp-file database and the demo data, and Chromium (playwright-core, /usr/bin/chromium, headless). One drafter of
// Kainuu-Koillismaa opens the demo agreement:
//   measured  navigation → the first section's editor editable: its ProseMirror element contenteditable="true"
//             (an editor mounts only once the socket has synced the document) and the connection saying "saved".
//   baseline  navigation → the same agreement rendered read-only by the same server and hydrated: version 1, the
//             demo's drafted text saved for the councils (the version view: the same session check, root and area
//             layout, stylesheets, server rendering and hydration, without the editor, its code and its socket).
// Each visit is a fresh browser context (an empty HTTP cache: a first visit) signed in with the same session; the two
// pages take turns. Then the same again in one context per pair ("warm": the second visit of each page, its code
// cached). Times are read inside the page (performance.now(): from the navigation's start): first contentful paint,
// hydration, the socket's open and first message, the editor's chunk arriving, the first section editable.
// Goal (issue 24): first section editable ≤ 1.5× the read-only page, at the median and p90 of the cold visits.
// Reported, not enforced. Writes tests/bench/results/first-edit-latest.md (+ .json).
//
// Knobs: BENCH_FIRST_EDIT_RUNS (15 per page and kind), BENCH_FIRST_EDIT_USER (drafter.kajaani@sopu.example).
// FIRST_EDIT_PROFILE=1 profiles instead (first-edit-profile.ts: cold visits with Chromium's trace and V8's profiler,
// FIRST_EDIT_PROFILE_RUNS of each page, 4 by default) and writes tests/bench/results/first-edit-profile.md.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { ensureWebBuild } from '../../scripts/web-build.mjs';
import { ms, ratio, summarise, table } from './common.ts';
import { profiledVisit, profileReport, type VisitProfile } from './first-edit-profile.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const RESULTS = join(HERE, 'results');
const RUNS = Number(process.env.BENCH_FIRST_EDIT_RUNS ?? 15);
const WARMUP = 2;
const USER = process.env.BENCH_FIRST_EDIT_USER ?? 'drafter.kajaani@sopu.example';
const PASSWORD = 'sopu-demo-password';
const AREA = 'kainuu-koillismaa';
const GOAL = 1.5;
const log = (text: string) => console.error(`[bench first-edit] ${text}`);

// ---------------------------------------------------------------------------------------------------------------
// The server

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function machineBusyMs(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) as number[];
  return (user! + nice! + system! + irq! + softirq! + steal!) * 10; // USER_HZ = 100
}

ensureWebBuild({ log: (line: string) => log(line) });
const dir = mkdtempSync(join(tmpdir(), 'sopu-bench-first-edit-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
let output = '';
const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/web/server.ts'], {
  cwd: ROOT,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, DATABASE_URL: `file:${join(dir, 'sopu.db')}`, NODE_ENV: 'production' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
const serverExited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
let browser: Browser | null = null;
async function shutdown() {
  await browser?.close().catch(() => undefined);
  if (server.exitCode === null && server.signalCode === null) {
    server.kill('SIGTERM');
    const killer = setTimeout(() => server.kill('SIGKILL'), 10_000);
    await serverExited;
    clearTimeout(killer);
  }
  rmSync(dir, { recursive: true, force: true });
}
process.once('SIGINT', () => void shutdown().then(() => process.exit(130)));
// Whatever ends this process (a failed step included) ends the server too.
process.once('exit', () => {
  if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

try {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 90 s:\n${output}`)), 90_000);
    const check = () => {
      if (output.includes('Sopu is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout!.on('data', check);
    check();
    server.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
} catch (error) {
  await shutdown();
  throw error;
}

// ---------------------------------------------------------------------------------------------------------------
// The browser and what a page records about itself

/** Marks in milliseconds from the navigation's start, recorded by the page itself (INSTRUMENT). */
interface Marks {
  /** The page's HTML: its first and last byte. */
  responseStart?: number;
  responseEnd?: number;
  fcp?: number;
  domContentLoaded?: number;
  hydrated?: number;
  wsCreated?: number;
  wsOpen?: number;
  wsFirstMessage?: number;
  editorChunkStart?: number;
  editorChunkEnd?: number;
  editable?: number;
  saved?: number;
  /** The read-only page: its first section's text is in the page. */
  text?: number;
}

declare global {
  interface Window {
    __firstEdit?: { marks: Marks };
  }
}

// Runs before the page's own scripts (an init script, through the DevTools protocol: the app's CSP does not apply).
// Plain JavaScript in strings: functions handed over from here would carry the TypeScript loader's helpers.
const INSTRUMENT = `(() => {
  const marks = {};
  window.__firstEdit = { marks };
  const now = () => performance.now();
  window.addEventListener('sopu:hydrated', () => { marks.hydrated ??= now(); }, { once: true });
  document.addEventListener('DOMContentLoaded', () => { marks.domContentLoaded ??= now(); }, { once: true });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(address, protocols) {
      super(address, protocols);
      marks.wsCreated ??= now();
      this.addEventListener('open', () => { marks.wsOpen ??= now(); }, { once: true });
      this.addEventListener('message', () => { marks.wsFirstMessage ??= now(); }, { once: true });
    }
  };
  const check = () => {
    // The editor page's sections carry data-section; the version view's are frozen-section.
    const first = document.querySelector('section[data-section], section.frozen-section');
    if (first && marks.text === undefined && (first.textContent || '').trim().length > 0) marks.text = now();
    if (marks.editable === undefined && first && first.querySelector('.ProseMirror[contenteditable="true"]')) marks.editable = now();
    if (marks.saved === undefined && document.querySelector('[data-testid="connection"][data-state="connected"] .connection__saved')) marks.saved = now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['contenteditable', 'data-state'] });
})()`;

const READ_MARKS = `(() => {
  const marks = { ...window.__firstEdit.marks };
  marks.fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
  const navigation = performance.getEntriesByType('navigation')[0];
  marks.responseStart = navigation?.responseStart;
  marks.responseEnd = navigation?.responseEnd;
  const chunk = performance.getEntriesByType('resource').find((r) => /\\/editor-chunk-[^/]*\\.js$/.test(r.name));
  if (chunk) {
    marks.editorChunkStart = chunk.startTime;
    marks.editorChunkEnd = chunk.responseEnd;
  }
  return marks;
})()`;

// What each page shows of the agreement: its sections, and their text without headings (the editor's, or a frozen
// section's), so that the report can say the two pages show the same.
const SECTIONS = `(() => {
  const sections = [...document.querySelectorAll('section[data-section], section.frozen-section')];
  const text = (s) => [...s.querySelectorAll('.ProseMirror')].map((e) => e.textContent || '').join('') || (s.textContent || '').replace(s.querySelector('header')?.textContent || '', '');
  return { sections: sections.length, characters: sections.reduce((n, s) => n + text(s).replace(/\\s+/g, '').length, 0) };
})()`;

browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const contextOptions = { baseURL: url, locale: 'fi-FI', timezoneId: 'Europe/Helsinki', viewport: { width: 1280, height: 900 } } as const;

// Sign in once; every visit's context starts with the same session cookie.
const signIn = await browser.newContext(contextOptions);
const page0 = await signIn.newPage();
await page0.goto('/login');
await page0.getByLabel('Sähköpostiosoite').fill(USER);
await page0.getByRole('button', { name: 'Jatka', exact: true }).click();
await page0.getByLabel('Salasana').fill(PASSWORD);
await page0.getByRole('button', { name: 'Kirjaudu', exact: true }).click();
await page0.waitForURL((u) => !u.pathname.startsWith('/login'));
await page0.goto(`/areas/${AREA}`);
const agreement = await page0.locator('a.document-link', { hasText: 'Yhteistoimintasopimus' }).first().getAttribute('href');
if (!agreement) throw new Error('the demo agreement is not on the dashboard');
const editorPath = agreement;
const readOnlyPath = `${agreement}/versions/1`;
const storageState = await signIn.storageState();
async function sectionsOf(path: string): Promise<{ sections: number; characters: number }> {
  await page0.goto(path);
  if (path === editorPath) await page0.locator('section[data-section] .ProseMirror[contenteditable="true"]').first().waitFor();
  return page0.evaluate(SECTIONS) as Promise<{ sections: number; characters: number }>;
}
const shown = { editor: await sectionsOf(editorPath), readOnly: await sectionsOf(readOnlyPath) };
await signIn.close();

type Kind = 'editor' | 'readOnly';
const PATHS: Record<Kind, string> = { editor: editorPath, readOnly: readOnlyPath };
const DONE: Record<Kind, string> = {
  editor: '!!window.__firstEdit?.marks.editable && !!window.__firstEdit?.marks.saved',
  readOnly: '!!window.__firstEdit?.marks.hydrated && !!window.__firstEdit?.marks.text',
};

async function freshContext(): Promise<BrowserContext> {
  const context = await browser!.newContext({ ...contextOptions, storageState });
  await context.addInitScript(INSTRUMENT);
  return context;
}

if (process.env.FIRST_EDIT_PROFILE === '1') {
  const runs = Number(process.env.FIRST_EDIT_PROFILE_RUNS ?? 4);
  const visits: { kind: string; profile: VisitProfile }[] = [];
  const load = loadavg();
  for (let i = -1; i < runs; i++) {
    for (const kind of (i % 2 === 0 ? ['editor', 'readOnly'] : ['readOnly', 'editor']) as Kind[]) {
      const context = await freshContext();
      const profile = await profiledVisit(browser, context, PATHS[kind], DONE[kind], READ_MARKS);
      await context.close();
      if (i >= 0) visits.push({ kind: kind === 'editor' ? 'editor' : 'read-only', profile });
    }
  }
  const report = `## First edit, profiled — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n\n${runs} cold visits per page (after one of each), load average before/after ${load[0]!.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}; times are slower than unprofiled ones.\n${profileReport(visits)}`;
  console.log(report);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'first-edit-profile.md'), `${report}\n`);
  await shutdown();
  process.exit(0);
}

async function visit(context: BrowserContext, kind: Kind): Promise<Marks> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(PATHS[kind], { waitUntil: 'commit' });
  // Polled from here (the page's CSP forbids evaluating strings inside it); the times are the page's own marks.
  const deadline = Date.now() + 30_000;
  while (!(await page.evaluate(DONE[kind]))) {
    if (Date.now() > deadline) throw new Error(`${kind}: not done within 30 s (${JSON.stringify(await page.evaluate(READ_MARKS))})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const marks = (await page.evaluate(READ_MARKS)) as Marks;
  await page.close();
  if (errors.length > 0) throw new Error(`${kind} page errors: ${errors.join('; ')}`);
  return marks;
}

const samples: Record<'cold' | 'warm', Record<Kind, Marks[]>> = { cold: { editor: [], readOnly: [] }, warm: { editor: [], readOnly: [] } };
const load0 = loadavg();
const busyStart = { machine: machineBusyMs(), wall: performance.now() };
log(`${RUNS} runs per page, cold and warm, after ${WARMUP} warm-up runs; ${url}`);
for (let i = -WARMUP; i < RUNS; i++) {
  // Cold: a context per visit. The two pages take turns, each first every other run.
  const order: Kind[] = i % 2 === 0 ? ['editor', 'readOnly'] : ['readOnly', 'editor'];
  for (const kind of order) {
    const context = await freshContext();
    const marks = await visit(context, kind);
    // Warm: the same page again in the same context (its code and styles cached, the session as before).
    const again = await visit(context, kind);
    await context.close();
    if (i >= 0) {
      samples.cold[kind].push(marks);
      samples.warm[kind].push(again);
    }
  }
}
const busy = (machineBusyMs() - busyStart.machine) / (performance.now() - busyStart.wall);
const load1 = loadavg();
const chromiumVersion = browser.version();
await shutdown();

// ---------------------------------------------------------------------------------------------------------------
// Report

const stat = (list: Marks[], key: keyof Marks) => summarise(list.map((m) => m[key]).filter((v): v is number => typeof v === 'number'));
const out: string[] = [];
const cpu = cpus();
function measuredRevision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: HERE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', '../../apps/web', '../../packages', '../../services').length > 0;
    return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' plus uncommitted changes' : ''}`;
  } catch {
    return 'unknown revision';
  }
}
out.push(`## First edit — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
out.push('');
out.push(
  `Node ${process.version}, Chromium ${chromiumVersion}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, loopback. The machine was ${(busy * 100).toFixed(0)}% busy ` +
    `(of one core; the server and Chromium included) during the runs; load average before/after ${load0[0]!.toFixed(2)} / ${load1[0]!.toFixed(2)}. ` +
    `Command: \`npm run bench -- first-edit\`. Code measured: ${measuredRevision()}.`,
);
out.push('');
out.push(
  `Signed in as ${USER}. Editor page: \`${editorPath}\` (${shown.editor.sections} sections, ${shown.editor.characters} characters of text). ` +
    `Read-only baseline: \`${readOnlyPath}\`, version 1 of the same agreement (${shown.readOnly.sections} sections, ${shown.readOnly.characters} characters). ` +
    `${RUNS} visits per page and kind after ${WARMUP} warm-up rounds; the pages take turns. Cold: a fresh browser context (empty HTTP cache) per visit; warm: the same page again in that context.`,
);
for (const kind of ['cold', 'warm'] as const) {
  const e = samples[kind].editor;
  const r = samples[kind].readOnly;
  const rows: string[][] = [];
  const row = (page: string, what: string, list: Marks[], key: keyof Marks) => {
    const s = stat(list, key);
    rows.push([page, what, ms(s.p50, 1), ms(s.p90, 1), ms(s.min, 1), ms(s.max, 1), String(s.n)]);
  };
  row('editor', 'HTML first byte', e, 'responseStart');
  row('editor', 'HTML last byte', e, 'responseEnd');
  row('editor', 'first contentful paint', e, 'fcp');
  row('editor', 'hydrated', e, 'hydrated');
  row('editor', 'socket created', e, 'wsCreated');
  row('editor', 'socket open (upgrade authorised)', e, 'wsOpen');
  row('editor', 'first message (sync answer)', e, 'wsFirstMessage');
  row('editor', 'editor chunk requested', e, 'editorChunkStart');
  row('editor', 'editor chunk arrived', e, 'editorChunkEnd');
  row('editor', '**first section editable**', e, 'editable');
  row('editor', 'connection says saved', e, 'saved');
  row('read-only', 'HTML first byte', r, 'responseStart');
  row('read-only', 'HTML last byte', r, 'responseEnd');
  row('read-only', 'first contentful paint', r, 'fcp');
  row('read-only', 'first section text in the page', r, 'text');
  row('read-only', '**hydrated**', r, 'hydrated');
  const editable = stat(e, 'editable');
  const baseline = stat(r, 'hydrated');
  const fcp = stat(r, 'fcp');
  rows.push(['**editor / read-only**', '**editable / hydrated**', `**${ratio(editable.p50, baseline.p50)}**`, `**${ratio(editable.p90, baseline.p90)}**`, '', '', '']);
  rows.push(['editor / read-only', 'editable / read-only first paint', ratio(editable.p50, fcp.p50), ratio(editable.p90, fcp.p90), '', '', '']);
  out.push('');
  out.push(`### ${kind === 'cold' ? 'Cold (first visit, empty cache)' : 'Warm (second visit, code cached)'} — ms from the navigation's start`);
  out.push('');
  out.push(table(['page', 'moment', 'p50', 'p90', 'min', 'max', 'n'], rows));
}
const cold = { editable: stat(samples.cold.editor, 'editable'), baseline: stat(samples.cold.readOnly, 'hydrated') };
const verdict = (a: number, b: number) => (a / b <= GOAL ? 'met' : '**missed**');
out.push('');
out.push('### Goal');
out.push('');
out.push(
  table(
    ['goal', 'measured', 'verdict'],
    [
      [`first section editable ≤ ${GOAL}× the read-only page hydrated, median (cold)`, `${ms(cold.editable.p50, 1)} vs ${ms(cold.baseline.p50, 1)} ms = ${ratio(cold.editable.p50, cold.baseline.p50)}`, verdict(cold.editable.p50, cold.baseline.p50)],
      [`… p90 (cold)`, `${ms(cold.editable.p90, 1)} vs ${ms(cold.baseline.p90, 1)} ms = ${ratio(cold.editable.p90, cold.baseline.p90)}`, verdict(cold.editable.p90, cold.baseline.p90)],
    ],
  ),
);
const report = out.join('\n');
console.log(report);
mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, 'first-edit-latest.md'), `${report}\n`);
writeFileSync(join(RESULTS, 'first-edit-latest.json'), `${JSON.stringify({ editorPath, readOnlyPath, shown, samples }, null, 1)}\n`);
log(`report written to ${relative(process.cwd(), join(RESULTS, 'first-edit-latest.md'))}`);
