import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO_PASSWORD = 'sopu-demo-password';
export const SCREENSHOTS = join(repoRoot, 'tests', 'e2e', 'screenshots');
const SERVER_BUILD = join(repoRoot, 'apps', 'web', 'build', 'server', 'index.js');
const CLIENT_BUILD = join(repoRoot, 'apps', 'web', 'build', 'client');

/** Waits for a condition without fixed sleeps standing in for correctness: polls until true or the deadline. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

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

/**
 * The production build, made from the sources as they are: the e2e global setup rebuilds one that is missing or
 * older than its sources (e2e/web-build.setup.ts, scripts/web-build.mjs). A build running at the same moment
 * empties the folder for a few seconds, so wait a little for it rather than fail at once.
 */
async function waitForBuild(): Promise<void> {
  const built = () => existsSync(SERVER_BUILD) && existsSync(CLIENT_BUILD);
  try {
    await until(built, 'the web build', 45_000, 250);
  } catch {
    throw new Error(`The web app is not built (${SERVER_BUILD} is missing). Run: cd apps/web && npx remix vite:build`);
  }
}

export interface App {
  url: string;
  databaseUrl: string;
  /** Everything the server printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Error output of the server so far that no expected entry explains, and expected entries miscounted (serverErrorLines). */
  unexpectedErrors(): string[];
  /** Stops the server (SIGTERM, as a deployment would) and starts it again on the same port and database file. */
  restart(): Promise<void>;
  /**
   * Stops the server and removes its files; then fails (throws) if the server printed unexpected error output in
   * the whole run, so that every e2e file, which stops its server in afterAll, checks it at the end.
   */
  stop(): Promise<void>;
}

/**
 * Server output that is expected although it is on stderr or looks like an error: a pattern for a line, the reason,
 * and exactly how many lines match it (default 1). A file whose test provokes an error on purpose passes its own
 * entries to startApp({ expectedErrors }); a line more or a line fewer than expected is reported, so that neither an
 * extra error nor a provocation that no longer happens passes.
 */
export interface ExpectedServerError {
  pattern: RegExp;
  reason: string;
  /** Lines that match, exactly. */
  count?: number;
}

/** Empty: a healthy run of the server prints nothing to stderr and no stack trace. */
export const EXPECTED_SERVER_ERRORS: ReadonlyArray<ExpectedServerError> = [];

/**
 * Lines of stdout that count as error output: a stack frame ("    at fn (file:1:2)"), an error line ("Error: …",
 * "TypeError: …", "SqliteError …"), or an uncaught/unhandled report.
 */
const ERROR_LIKE = [/^\s+at\s\S.*(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/, /^\s*([A-Z]\w*)?(Error|Exception)(:|\s|$)/, /\b([Uu]ncaught|[Uu]nhandled)\b/];

/**
 * What is wrong with the server's error output: every non-empty line it wrote to stderr and every line of stdout that
 * looks like an error or stack trace, less those an expected entry matches; and for each expected entry matched by
 * another number of lines than its count, a line saying so.
 */
export function serverErrorLines(stdout: string, stderr: string, expected: ReadonlyArray<Pick<ExpectedServerError, 'pattern' | 'count'>> = EXPECTED_SERVER_ERRORS): string[] {
  const lines = [...stderr.split('\n').filter((line) => line.trim() !== ''), ...stdout.split('\n').filter((line) => ERROR_LIKE.some((pattern) => pattern.test(line)))];
  const matched = expected.map(() => 0);
  const unexpected = lines.filter((line) => {
    const i = expected.findIndex(({ pattern }) => pattern.test(line));
    if (i < 0) return true;
    matched[i]! += 1;
    return false;
  });
  const miscounted = expected.flatMap(({ pattern, count = 1 }, i) => (matched[i] === count ? [] : [`expected ${count} line(s) matching ${String(pattern)}, the server printed ${matched[i]}`]));
  return [...unexpected, ...miscounted];
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

/** The real server, as `npm start` runs it (production build), on a free port with a database of its own. */
export async function startApp(options: { expectedErrors?: ReadonlyArray<ExpectedServerError>; env?: Record<string, string> } = {}): Promise<App> {
  const dir = mkdtempSync(join(tmpdir(), 'sopu-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const databaseUrl = `file:${join(dir, 'sopu.db')}`;
  let output = '';
  let stdout = '';
  let stderr = '';
  const allowed = [...EXPECTED_SERVER_ERRORS, ...(options.expectedErrors ?? [])];
  const unexpectedErrors = () => serverErrorLines(stdout, stderr, allowed);

  const launchOnce = async (): Promise<Running> => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/web/server.ts'], {
      cwd: repoRoot,
      // PRINT_DEMO_LOGINS as scripts/start.mjs sets it: the greeting is printed though stdout is a pipe here.
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, DATABASE_URL: databaseUrl, NODE_ENV: 'production', PRINT_DEMO_LOGINS: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const mark = output.length;
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stderr += chunk.toString();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stdout += chunk.toString();
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.slice(mark)}`)), 60_000);
        child.stdout!.on('data', () => {
          if (output.slice(mark).includes('Sopu is running')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`server exited with ${code}:\n${output.slice(mark)}`));
        });
      });
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return { child, exited };
  };
  const launch = async (): Promise<Running> => {
    for (let attempt = 1; ; attempt++) {
      await waitForBuild();
      try {
        return await launchOnce();
      } catch (error) {
        // Only a build that vanished between the check and the import (a concurrent rebuild) is worth another try.
        if (attempt >= 3 || !String(error).includes('build/server/index.js')) throw error;
      }
    }
  };
  const halt = async ({ child, exited }: Running) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };

  let running: Running;
  try {
    running = await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    databaseUrl,
    output: () => output,
    unexpectedErrors,
    async restart() {
      await halt(running);
      running = await launch();
    },
    async stop() {
      await halt(running);
      rmSync(dir, { recursive: true, force: true });
      const errors = unexpectedErrors();
      if (errors.length > 0) {
        throw new Error(`The server's error output is not what was expected (${errors.length} lines; expected entries: EXPECTED_SERVER_ERRORS in tests/e2e/harness.ts, startApp's expectedErrors):\n${errors.slice(0, 40).join('\n')}\n--- full server output ---\n${output.slice(-8000)}`);
      }
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

declare global {
  interface Window {
    __sopuHydrated?: boolean;
  }
}

export async function newContext(browser: Browser, app: App, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: app.url, locale: 'fi-FI', timezoneId: 'Europe/Helsinki', viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(15_000);
  // The app announces when React has hydrated (until then clicks reach only plain HTML); remember it per document.
  await context.addInitScript(() => window.addEventListener('sopu:hydrated', () => (window.__sopuHydrated = true), { once: true }));
  return context;
}

/** Resolves once the current document has hydrated: its interactive (React-only) parts respond. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__sopuHydrated === true);
}

/**
 * The login page's two steps (docs/decisions/024): the address, then, for an address whose municipality has no
 * identity provider, the password. Leaves the page wherever the password sends it (a second step, an error).
 */
export async function enterPassword(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Sähköpostiosoite').fill(email);
  await page.getByRole('button', { name: 'Jatka', exact: true }).click();
  await page.getByLabel('Salasana').fill(password);
  await page.getByRole('button', { name: 'Kirjaudu', exact: true }).click();
}

export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await enterPassword(page, email, password);
  try {
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  } catch (error) {
    const alert = await page.locator('.error-summary').textContent().catch(() => null);
    throw new Error(`login as ${email} failed${alert ? `: ${alert}` : ''} (${String(error)})`);
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Uncaught exceptions in the page (console noise such as a 404 resource is not one). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  return errors;
}

let axeSource: string | undefined;

/** axe-core in the page; returns the violations of impact serious or critical (WCAG 2.1 A/AA rules). */
export async function seriousA11yViolations(page: Page): Promise<Array<{ id: string; impact: string | null; nodes: string[] }>> {
  // Evaluated through the DevTools protocol, as @axe-core/playwright does: a <script> tag (addScriptTag) would be
  // blocked by the app's Content Security Policy, which allows only scripts of its own or with the page's nonce.
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[] }> }> }> } }).axe;
    // resultTypes: only violations are needed; axe then spends no time listing every passing node.
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

// ---------------------------------------------------------------------------------------------------------------
// The live document editor

export const AREA = 'kainuu-koillismaa';
export const OTHER_AREA = 'saaristo-skargard';
export const AGREEMENT_TITLE = 'Yhteistoimintasopimus';

/** The section's Tiptap editor (the contenteditable element). */
export const editorOf = (page: Page, key: string) => page.locator(`section[data-section="${key}"] .ProseMirror`);
export const connectionOf = (page: Page) => page.getByTestId('connection');

/**
 * Opens a document of the signed-in person's area from the dashboard's list, and waits until the page has hydrated,
 * the live connection has synced (editors mount only then) and the section `waitFor` shows its editor.
 */
export async function openDocument(page: Page, title = AGREEMENT_TITLE, waitFor = 'parties'): Promise<string> {
  await page.goto(`/areas/${AREA}`);
  await page.locator('a.document-link', { hasText: title }).click();
  await page.waitForURL(/\/documents\//);
  await documentReady(page, waitFor);
  return page.url();
}

export async function documentReady(page: Page, waitFor = 'parties'): Promise<void> {
  await hydrated(page);
  await connectionOf(page).and(page.locator('[data-state="connected"]')).waitFor();
  await editorOf(page, waitFor).waitFor();
  // Once synced, the page mounts the editors in the order of the sections, a few per task (decision 005, issue 24):
  // ready is when no section still says it is loading.
  await expect.poll(() => page.locator('.section-editor__loading').count()).toBe(0);
}

/**
 * The section's text exactly as the editor shows it: its blocks' text joined by newlines (an empty section is one
 * empty paragraph, ''), without the other people's carets (widgets whose text is a person's name).
 */
export async function editorText(page: Page, key: string): Promise<string> {
  return editorOf(page, key).evaluate((root) => {
    const clone = root.cloneNode(true) as HTMLElement;
    for (const widget of clone.querySelectorAll('.collaboration-carets__caret, .collaboration-carets__label, .ProseMirror-widget')) widget.remove();
    return [...clone.children].map((child) => child.textContent ?? '').join('\n');
  });
}

/** Names in the page's presence list. */
export async function presenceNames(page: Page): Promise<string[]> {
  return page.locator('[data-testid="presence"] li[data-user-name]').evaluateAll((items) => items.map((li) => li.getAttribute('data-user-name') ?? ''));
}

/**
 * A switch for a context's live connections (`/collab/…`), because `context.setOffline(true)` alone does not end a
 * WebSocket that is already open in Chromium: it only holds its frames back (and the page still believes it is
 * connected). Installed before the page opens its socket, it routes each collab WebSocket through Playwright to the
 * real server (`connectToServer`, a real socket in the page). `cut()` closes the open sockets on both ends and holds
 * new connection attempts pending, as a network that is gone; `restore()` lets the pending attempts through.
 * Use together with `setOffline`, so that `navigator.onLine` and the page's offline events match.
 */
export interface CollabNetwork {
  cut(): Promise<void>;
  restore(): void;
  /** Connections made to the server so far. */
  connections(): number;
}

export async function collabNetwork(context: BrowserContext): Promise<CollabNetwork> {
  let open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  let down = false;
  let release: () => void = () => {};
  let released = Promise.resolve();
  let connections = 0;
  await context.routeWebSocket(/\/collab\//, async (ws) => {
    // While the network is down, the attempt stays "connecting" (as an unanswered TCP handshake would).
    while (down) await released;
    const server = ws.connectToServer();
    connections++;
    const pair = { page: ws, server };
    open.add(pair);
    ws.onClose((code, reason) => {
      open.delete(pair);
      void server.close({ code, reason }).catch(() => {});
    });
    server.onClose((code, reason) => {
      open.delete(pair);
      void ws.close({ code, reason }).catch(() => {});
    });
  });
  return {
    async cut() {
      down = true;
      released = new Promise<void>((resolve) => (release = resolve));
      const pairs = [...open];
      open = new Set();
      // 1006 (abnormal closure) cannot be sent; 4000 is an application code the app treats as a plain disconnect.
      await Promise.all(pairs.flatMap((p) => [p.page.close({ code: 4000, reason: 'network cut by test' }), p.server.close({ code: 4000, reason: 'network cut by test' })]));
    },
    restore() {
      down = false;
      release();
    },
    connections: () => connections,
  };
}

/**
 * The people of one test file: each signs in in a browser context of their own; their page errors are collected
 * (a test file asserts there were none) and their contexts closed together.
 */
export class People {
  readonly #contexts: BrowserContext[] = [];
  readonly pageErrors: string[] = [];

  /** A page in a browser context of its own, nobody signed in (without JavaScript when asked). */
  async fresh(browser: Browser, server: App, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await newContext(browser, server, options);
    this.#contexts.push(context);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    page.on('close', () => this.pageErrors.push(...errors));
    return page;
  }

  /** Signs `email` in on `server` (the demo password), in Swedish when `lang` says so. */
  async signIn(browser: Browser, server: App, email: string, lang?: 'sv'): Promise<Page> {
    const page = await this.fresh(browser, server);
    await login(page, email);
    if (lang) await page.context().addCookies([{ name: 'lang', value: lang, url: server.url }]);
    return page;
  }

  async close(): Promise<void> {
    for (const context of this.#contexts.splice(0)) await context.close();
  }
}

/** The page has no serious or critical WCAG 2.1 A/AA violation (axe-core). */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousA11yViolations(page), page.url()).toEqual([]);
}

/**
 * One server and one browser for a test file, started before its tests and stopped after them, with the people who
 * sign in; after the tests, no page may have thrown.
 */
export function e2eSuite() {
  let app: App | undefined;
  let browser: Browser | undefined;
  const people = new People();
  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await people.close();
    await browser?.close();
    await app?.stop();
    expect(people.pageErrors).toEqual([]);
  });
  return {
    get app(): App {
      if (!app) throw new Error('the suite has not started');
      return app;
    },
    /** `email` signed in in a browser context of their own, in Swedish when `lang` says so. */
    person(email: string, lang?: 'sv'): Promise<Page> {
      if (!app || !browser) throw new Error('the suite has not started');
      return people.signIn(browser, app, email, lang);
    },
  };
}

/**
 * Lets every drafter of an area edit the text directly (the area's setting, docs/decisions/025), as its host admin
 * does on the settings page: for files about co-editing between municipalities, which by default only suggest.
 */
export async function allowDirectEditing(app: App, slug = AREA, admin = 'admin.kajaani@sopu.example'): Promise<void> {
  const origin = new URL(app.url).origin;
  const login = await fetch(`${origin}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ email: admin, password: DEMO_PASSWORD }) });
  const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${origin}/api/v1/areas/${slug}/settings/direct-editing`, { method: 'PUT', headers: { 'content-type': 'application/json', origin, cookie }, body: JSON.stringify({ directEditing: 'everyone' }) });
  if (res.status !== 200) throw new Error(`direct editing not allowed: ${res.status} ${await res.text()}`);
}
