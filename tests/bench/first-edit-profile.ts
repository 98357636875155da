// The first-edit benchmark's profiler (opt-in: `FIRST_EDIT_PROFILE=1 npm run bench -- first-edit`; first-edit.ts then
// profiles instead of measuring). Each profiled visit is a cold one (a fresh browser context) with Chromium's trace
// (the renderer's main thread: script compiling and running, HTML parsing, style, layout, paint, GC) and V8's sampling
// profiler (which script's code ran) from the navigation's start to the page done. The summary says where the main
// thread's time went on the editor page and on the read-only page: by script (each chunk) and by kind of work, each
// until the page hydrated and from then to the first section editable; by function; and the page's elements by region.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: Record<string, unknown>; name?: string; [key: string]: unknown };
}
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

export interface VisitProfile {
  path: string;
  marks: Record<string, number | undefined>;
  /** Main-thread busy time (ms) from the navigation's start to done: the trace's top-level tasks. */
  busy: number;
  /** JavaScript by script (ms of samples; "(program)" is native work V8 cannot attribute, GC apart). */
  byScript: Map<string, number>;
  /** Main-thread self time by trace event (ms): compile, evaluate, parse HTML, style, layout, paint … */
  byEvent: Map<string, number>;
  /** JavaScript by function (self, ms), script-qualified. */
  byFunction: Map<string, number>;
  /** Elements when done, by region of the page (overlapping: a region's count includes its inner regions'). */
  regions: Record<string, number>;
}

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing', 'loading', 'blink'];
const WRAPPERS = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'ThreadPool_RunTask', 'SimpleWatcher::OnHandleReady']);

/** A script's short name: the chunk file without its hash; an inline script of the page as such. */
function scriptName(url: string): string {
  if (!url) return '';
  const file = url.replace(/[?#].*$/, '').split('/').pop() ?? url;
  if (!/\.m?js$/.test(file)) return url.startsWith('http') ? '(inline script of the page)' : url;
  return file.replace(/-[A-Za-z0-9_-]{8}\.js$/, '.js');
}
const add = (map: Map<string, number>, key: string, value: number) => map.set(key, (map.get(key) ?? 0) + value);

// The page's elements when done, and where they are: each region of the page (an element with a class inside main, two
// levels below a section) by its descendants.
const DOM = `(() => {
  const regions = {};
  const count = (el) => el.getElementsByTagName('*').length + 1;
  const label = (el) => el.tagName.toLowerCase() + (el.classList[0] ? '.' + el.classList[0] : '');
  for (const el of document.querySelectorAll('main > *, main > * > *, .document-layout > * > *, section[data-section] > *, section[data-section] > * > *, section.frozen-section > *')) {
    regions[label(el)] = (regions[label(el)] || 0) + count(el);
  }
  return { elements: document.getElementsByTagName('*').length, html: performance.getEntriesByType('navigation')[0]?.decodedBodySize ?? 0, regions };
})()`;

export async function profiledVisit(browser: Browser, context: BrowserContext, path: string, done: string, readMarks: string): Promise<VisitProfile> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await browser.startTracing(page, { categories: CATEGORIES });
  await cdp.send('Profiler.start');
  await page.goto(path, { waitUntil: 'commit' });
  const deadline = Date.now() + 60_000;
  while (!(await page.evaluate(done))) {
    if (Date.now() > deadline) throw new Error(`${path}: not done within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const marks = (await page.evaluate(readMarks)) as Record<string, number | undefined>;
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  // FIRST_EDIT_PROFILE_SAVE=<dir>: each visit's V8 profile as a .cpuprofile (DevTools opens it; profile-summary.ts reads it).
  if (process.env.FIRST_EDIT_PROFILE_SAVE) {
    mkdirSync(process.env.FIRST_EDIT_PROFILE_SAVE, { recursive: true });
    writeFileSync(join(process.env.FIRST_EDIT_PROFILE_SAVE, `${path.includes('/versions/') ? 'read-only' : 'editor'}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  }
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(trace) ? trace : trace.traceEvents;

  // The page's renderer main thread, and its navigation's start (blink's navigationStart mark of this document).
  const starts = events.filter((e) => e.name === 'navigationStart' && String(e.args?.data?.documentLoaderURL ?? '').includes(path.split('?')[0]!));
  const start = starts.at(-1);
  if (!start) {
    const seen = events.filter((e) => e.name === 'navigationStart').map((e) => JSON.stringify(e.args?.data ?? {}));
    throw new Error(`no navigationStart of ${path} in the trace (${events.length} events; navigationStart seen: ${seen.join(' | ') || 'none'})`);
  }
  const end = start.ts + ((marks.editable ?? marks.hydrated ?? 0) + 5) * 1000;
  // The renderer's main thread that did the most in the window (a navigation may move the page to another process).
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
  const inWindow = events.filter((e) => e.ph === 'X' && e.ts >= start.ts && e.ts <= end && mains.includes(`${e.pid}:${e.tid}`));
  const load = new Map<string, number>();
  for (const e of inWindow) if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') add(load, `${e.pid}:${e.tid}`, e.dur ?? 0);
  const thread = [...load.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const main = inWindow.filter((e) => `${e.pid}:${e.tid}` === thread).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const dom = (await page.evaluate(DOM)) as { elements: number; html: number; regions: Record<string, number> };
  marks.elements = dom.elements;
  marks.htmlKb = dom.html / 1024;

  // Self time per event name (nested complete events), and the top-level tasks.
  const byEvent = new Map<string, number>();
  const stack: { e: TraceEvent; child: number }[] = [];
  let busy = 0;
  const close = () => {
    const { e, child } = stack.pop()!;
    const label = eventLabel(e);
    if (!WRAPPERS.has(e.name)) add(byEvent, `${e.ts - start.ts <= (marks.hydrated ?? Infinity) * 1000 ? 'a' : 'b'} ${label}`, ((e.dur ?? 0) - child) / 1000);
    if (stack.length > 0) stack.at(-1)!.child += e.dur ?? 0;
  };
  for (const e of main) {
    while (stack.length > 0 && e.ts >= stack.at(-1)!.e.ts + (stack.at(-1)!.e.dur ?? 0)) close();
    if (stack.length === 0) busy += (e.dur ?? 0) / 1000;
    stack.push({ e, child: 0 });
  }
  while (stack.length > 0) close();

  // JavaScript by script and function from the sampling profiler (its clock is the trace's).
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byScript = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const next = t + (profile.timeDeltas[i + 1] ?? 0);
    if (t < start.ts || t > end) return;
    const node = byId.get(id)!;
    const fn = node.callFrame.functionName;
    if (fn === '(idle)') return;
    const script = fn === '(program)' || fn === '(garbage collector)' || fn === '(root)' ? fn : scriptName(node.callFrame.url) || '(native)';
    const dt = (next - t) / 1000;
    add(byScript, `${t - start.ts <= (marks.hydrated ?? Infinity) * 1000 ? 'a' : 'b'} ${script}`, dt);
    if (!fn.startsWith('(')) add(byFunction, `${fn || '(anonymous)'} ${script}:${node.callFrame.lineNumber + 1}:${node.callFrame.columnNumber + 1}`, dt);
    
  });

  await page.close();
  return { path, marks, busy, byScript, byEvent, byFunction, regions: dom.regions };
}

function eventLabel(e: TraceEvent): string {
  const data = e.args?.data ?? {};
  const url = typeof data.url === 'string' ? data.url : typeof (e.args as { fileName?: string } | undefined)?.fileName === 'string' ? (e.args as { fileName: string }).fileName : '';
  if (e.name === 'EventDispatch' && typeof data.type === 'string') return `EventDispatch ${data.type}`;
  if (url && /compile|evaluate|EvaluateScript|FunctionCall/i.test(e.name)) return `${e.name} ${scriptName(url)}`;
  return e.name;
}

/** The report: the mean over the visits of each page, side by side. */
export function profileReport(visits: { kind: string; profile: VisitProfile }[], top = 14): string {
  const out: string[] = [];
  const kinds = [...new Set(visits.map((v) => v.kind))];
  const mean = (kind: string, pick: (p: VisitProfile) => Map<string, number>) => {
    const list = visits.filter((v) => v.kind === kind);
    const m = new Map<string, number>();
    for (const v of list) for (const [k, x] of pick(v.profile)) add(m, k, x / list.length);
    return m;
  };
  // By phase: until hydrated (a) and from hydrated to done (b: the editor page's first section editable).
  const side = (title: string, pick: (p: VisitProfile) => Map<string, number>, n: number, phased = false) => {
    const columns = phased ? kinds.flatMap((k) => [`${k}|a`, `${k}|b`]) : kinds.map((k) => `${k}|`);
    const maps = columns.map((c) => {
      const [kind, phase] = c.split('|') as [string, string];
      const m = new Map<string, number>();
      for (const [key, x] of mean(kind, pick)) if (!phase || key.startsWith(`${phase} `)) add(m, phase ? key.slice(2) : key, x);
      return m;
    }).filter((m, i) => !phased || m.size > 0 || i % 2 === 0);
    const names = columns.filter((_, i) => maps[i] !== undefined).map((c) => c.replace('|a', ', until hydrated').replace('|b', ', hydrated → editable').replace('|', ''));
    const total = (key: string) => maps.reduce((a, m) => a + (m.get(key) ?? 0), 0);
    const keys = [...new Set(maps.flatMap((m) => [...m.keys()]))].sort((a, b) => total(b) - total(a)).slice(0, n);
    out.push('', `#### ${title} ${title.startsWith('Elements') ? '(mean of the cold visits)' : '(ms, mean of the cold visits)'}`, '', `| | ${names.join(' | ')} |`, `| --- | ${names.map(() => '---:').join(' | ')} |`);
    for (const k of keys) out.push(`| ${k} | ${maps.map((m) => (m.get(k) ?? 0).toFixed(1)).join(' | ')} |`);
    out.push(`| total of all rows | ${maps.map((m) => [...m.values()].reduce((a, b) => a + b, 0).toFixed(1)).join(' | ')} |`);
  };
  out.push('', `| | ${kinds.join(' | ')} |`, `| --- | ${kinds.map(() => '---:').join(' | ')} |`);
  const avg = (kind: string, f: (p: VisitProfile) => number | undefined) => {
    const xs = visits.filter((v) => v.kind === kind).map((v) => f(v.profile)).filter((x): x is number => typeof x === 'number');
    return xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(0) : '–';
  };
  for (const [label, f] of [
    ['HTML first byte', (p: VisitProfile) => p.marks.responseStart],
    ['hydrated', (p: VisitProfile) => p.marks.hydrated],
    ['first section editable', (p: VisitProfile) => p.marks.editable],
    ['main thread busy until done', (p: VisitProfile) => p.busy],
    ['HTML (KB, decoded)', (p: VisitProfile) => p.marks.htmlKb],
    ['elements in the page when done', (p: VisitProfile) => p.marks.elements],
  ] as const)
    out.push(`| ${label} | ${kinds.map((k) => avg(k, f)).join(' | ')} |`);
  side('JavaScript by script (V8 samples)', (p) => p.byScript, top, true);
  side('Main thread by kind of work (trace, self time)', (p) => p.byEvent, top + 6, true);
  side('JavaScript by function (self)', (p) => p.byFunction, top + 6);
  side('Elements by region when done (a region counts its inner regions too)', (p) => new Map(Object.entries(p.regions)), top + 10);
  return out.join('\n');
}
