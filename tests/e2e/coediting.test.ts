import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allowDirectEditing, AREA, collabNetwork, collectPageErrors, connectionOf, documentReady, editorOf, editorText, launchBrowser, login, newContext, openDocument, presenceNames,
  screenshot, seriousA11yViolations, startApp, type App,
} from './harness.ts';

let app: App;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

interface Person {
  context: BrowserContext;
  page: Page;
}

async function person(email: string, setup?: (context: BrowserContext) => Promise<void>): Promise<Person> {
  const context = await newContext(browser, app);
  contexts.push(context);
  await setup?.(context);
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  page.on('close', () => pageErrors.push(...errors));
  await login(page, email);
  return { context, page };
}

/** The characters of a text in a canonical order (a multiset): equal when nothing was lost or doubled. */
const sortedChars = (text: string) => [...text].sort().join('');

/** The section's text before the editor's caret (blocks joined by newlines, as editorText). */
async function textBeforeCaret(page: Page, key: string): Promise<string> {
  return editorOf(page, key).evaluate((root) => {
    const state = (root as HTMLElement & { editor?: { state: { selection: { head: number }; doc: { textBetween(from: number, to: number, separator: string): string } } } }).editor?.state;
    return state ? state.doc.textBetween(0, state.selection.head, '\n') : '';
  });
}

/** How many times `part` occurs in `text`. */
const count = (text: string, part: string) => text.split(part).length - 1;

/**
 * Puts the caret at the very end of a section's text, as a person would (focus, Ctrl+End), and waits until the editor
 * has taken it: ProseMirror reads the browser's caret into its state a moment later, and for a moment after focusing
 * may put its previous selection back. Typing before that would land at the old place.
 */
async function caretToEnd(page: Page, key: string): Promise<void> {
  const editor = editorOf(page, key);
  await editor.focus();
  await page.keyboard.press('Control+End');
  await expect
    .poll(
      async () => {
        const atEnd = await editor.evaluate((root) => {
          const state = (root as HTMLElement & { editor?: { state: { selection: { empty: boolean; head: number }; doc: { content: { size: number } } } } }).editor?.state;
          return Boolean(state && state.selection.empty && state.selection.head === state.doc.content.size - 1);
        });
        if (!atEnd) await page.keyboard.press('Control+End');
        return atEnd;
      },
      { message: `caret at the end of ${key}` },
    )
    .toBe(true);
}

/** Waits until every page shows the same text in the section, and returns it. */
async function converged(pages: Page[], key: string, timeout = 15_000): Promise<string> {
  let texts: string[] = [];
  await expect
    .poll(
      async () => {
        texts = await Promise.all(pages.map((p) => editorText(p, key)));
        return texts.every((t) => t === texts[0]);
      },
      { timeout, message: `section ${key} converges` },
    )
    .toBe(true);
  return texts[0]!;
}

/**
 * Proof that everything one page sent before now has gone through the server: it types a unique marker into a
 * section and waits until all the other pages show it (the server relays each socket's messages in order).
 */
async function barrier(from: Page, to: Page[], key = 'development'): Promise<void> {
  const marker = `tahdistys-${Math.random().toString(36).slice(2, 8)}`;
  await caretToEnd(from, key);
  await from.keyboard.type(` ${marker}`);
  for (const page of to) await expect.poll(() => editorText(page, key), { message: `barrier ${marker}` }).toContain(marker);
}

let kajaani: Person;
let sotkamo: Person;
let kuhmo: Person;

beforeAll(async () => {
  // Co-editing is tested on empty sections: the demo's drafted text stays out of this file.
  app = await startApp({ env: { SEED_DEMO_CONTENT: 'false' } });
  // Drafters of two municipalities type into the same text: the area lets every drafter edit directly.
  await allowDirectEditing(app);
  browser = await launchBrowser();
  [kajaani, sotkamo, kuhmo] = await Promise.all([person('drafter.kajaani@sopu.example'), person('drafter.sotkamo@sopu.example'), person('viewer.kuhmo@sopu.example')]);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  // Also the check that the server printed no unexpected error output in the whole file (see App.stop).
  await app?.stop();
});

const KAJAANI_TEXT = 'Kajaanin kaupunki toimii vastuukuntana.';
const SOTKAMO_TEXT = 'Sotkamon kunta osallistuu jäsenkuntana.';
const KAJAANI_MORE = ' Kajaani lisää tähän omat sanansa.';
const SOTKAMO_MORE = ' Sotkamo kirjoittaa samaan kappaleeseen.';
const LIVE_TEXT = 'Lukijan nähtäväksi kirjoitettu lisäys.';
const REASON = 'Asiakasmaksuja ei peritä työllisyyspalveluista.';
const OFFLINE_TEXT = 'Kirjoitettu ilman verkkoyhteyttä Kajaanissa.';
const ONLINE_TEXT = 'Kirjoitettu samaan aikaan Sotkamossa.';

describe('co-editing the cooperation agreement', () => {
  it('two drafters see each other and type into the same section at the same time; both end with the same text', async () => {
    await Promise.all([openDocument(kajaani.page), openDocument(sotkamo.page)]);
    expect(await editorOf(kajaani.page, 'parties').getAttribute('contenteditable')).toBe('true');

    await expect.poll(() => presenceNames(kajaani.page)).toEqual(expect.arrayContaining([expect.stringContaining('Sotkamo'), expect.stringContaining('Kajaani')]));
    await expect.poll(() => presenceNames(sotkamo.page)).toEqual(expect.arrayContaining([expect.stringContaining('Kajaani'), expect.stringContaining('Sotkamo')]));
    // Each person once, oneself first and marked as oneself.
    expect(await presenceNames(kajaani.page)).toHaveLength(2);
    expect(await kajaani.page.locator('[data-testid="presence"] li').first().textContent()).toContain('(sinä)');

    expect(await editorText(kajaani.page, 'parties')).toBe('');
    await editorOf(kajaani.page, 'parties').click();
    await editorOf(sotkamo.page, 'parties').click();
    // Focus shows in the other's presence list as the section being edited.
    await expect.poll(() => sotkamo.page.locator('[data-testid="presence"] li', { hasText: 'Kajaani' }).textContent()).toContain('muokkaa: Osapuolet');

    await Promise.all([kajaani.page.keyboard.type(KAJAANI_TEXT, { delay: 20 }), sotkamo.page.keyboard.type(SOTKAMO_TEXT, { delay: 20 })]);

    const text = await converged([kajaani.page, sotkamo.page], 'parties');
    // Each sentence whole, nothing else, in either order: usually a paragraph each (both wrote into the empty
    // section), or one paragraph when one person's first letter reached the other before they began.
    expect([`${KAJAANI_TEXT}\n${SOTKAMO_TEXT}`, `${SOTKAMO_TEXT}\n${KAJAANI_TEXT}`, KAJAANI_TEXT + SOTKAMO_TEXT, SOTKAMO_TEXT + KAJAANI_TEXT], text).toContain(text);
    // Each caret right after its own sentence.
    expect((await textBeforeCaret(kajaani.page, 'parties')).endsWith(KAJAANI_TEXT), `Kajaani's caret in\n${text}`).toBe(true);
    expect((await textBeforeCaret(sotkamo.page, 'parties')).endsWith(SOTKAMO_TEXT), `Sotkamo's caret in\n${text}`).toBe(true);

    // Again, now both at the same caret, the end of the same paragraph, typing at the same moment. Both additions
    // begin with the same character (a space), the case the collaboration binding once got wrong (decision 010):
    // each addition must stay whole and in order, right after the text that was there, one after the other in
    // either order, and each person's caret right after their own words.
    await caretToEnd(kajaani.page, 'parties');
    await caretToEnd(sotkamo.page, 'parties');
    await Promise.all([kajaani.page.keyboard.type(KAJAANI_MORE, { delay: 20 }), sotkamo.page.keyboard.type(SOTKAMO_MORE, { delay: 20 })]);
    const more = await converged([kajaani.page, sotkamo.page], 'parties');
    expect([text + KAJAANI_MORE + SOTKAMO_MORE, text + SOTKAMO_MORE + KAJAANI_MORE], more).toContain(more);
    expect((await textBeforeCaret(kajaani.page, 'parties')).endsWith(KAJAANI_MORE), `Kajaani's caret in\n${more}`).toBe(true);
    expect((await textBeforeCaret(sotkamo.page, 'parties')).endsWith(SOTKAMO_MORE), `Sotkamo's caret in\n${more}`).toBe(true);
    await expect.poll(() => connectionOf(kajaani.page).textContent()).toContain('Kaikki muutokset tallennettu');
  });

  it('a viewer sees the text live, read-only, and cannot change it', async () => {
    await openDocument(kuhmo.page);
    const viewer = kuhmo.page;
    expect(await viewer.getByTestId('read-only-notice').textContent()).toContain('Roolisi on Lukija');
    // Every section's editor is read-only, with no toolbar and no status controls.
    const editables = await viewer.locator('section[data-section] .ProseMirror').evaluateAll((els) => els.map((e) => e.getAttribute('contenteditable')));
    expect(editables.length).toBeGreaterThan(1);
    expect(editables.length).toBe(await viewer.locator('section[data-section]').count());
    expect(new Set(editables)).toEqual(new Set(['false']));
    expect(await viewer.getByRole('toolbar').count()).toBe(0);
    expect(await viewer.locator('form.status-control').count()).toBe(0);

    // What the drafters wrote before, and what they write now.
    expect(await converged([viewer, kajaani.page, sotkamo.page], 'parties')).toContain(KAJAANI_TEXT);
    await caretToEnd(kajaani.page, 'parties');
    await kajaani.page.keyboard.press('Enter');
    await kajaani.page.keyboard.type(LIVE_TEXT);
    await expect.poll(() => editorText(viewer, 'parties')).toContain(LIVE_TEXT);

    // The drafters see the viewer, marked read-only.
    for (const drafter of [kajaani.page, sotkamo.page]) {
      await expect.poll(() => presenceNames(drafter)).toEqual(expect.arrayContaining([expect.stringContaining('Kuhmo')]));
      expect(await drafter.locator('[data-testid="presence"] li', { hasText: 'Kuhmo' }).textContent()).toContain('lukuoikeus');
    }

    // The viewer types, selects all and deletes, presses Enter: nothing changes, in their view or the drafters'.
    const before = await editorText(kajaani.page, 'parties');
    await editorOf(viewer, 'parties').click();
    await viewer.keyboard.type('LUKIJAN MUUTOS');
    await viewer.keyboard.press('Control+A');
    await viewer.keyboard.press('Backspace');
    await viewer.keyboard.press('Enter');
    expect(await editorText(viewer, 'parties')).toBe(before);
    await barrier(kajaani.page, [viewer, sotkamo.page]);
    await barrier(sotkamo.page, [viewer, kajaani.page]);
    expect(await editorText(kajaani.page, 'parties')).toBe(before);
    expect(await editorText(sotkamo.page, 'parties')).toBe(before);
    expect(await editorText(viewer, 'parties')).toBe(before);
  });

  it('a drafter marks a section not applicable with a reason; everyone sees it at once, and without a reason nothing changes', async () => {
    const drafter = kajaani.page;
    const section = drafter.locator('section[data-section="client_fees"]');
    const status = section.getByLabel('Tila', { exact: true });
    const badgeOf = (page: Page) => page.locator('section[data-section="client_fees"] .doc-section__header .status-badge');
    expect(await badgeOf(sotkamo.page).textContent()).toBe('Valmistelussa');

    await status.selectOption({ label: 'Ei sovelleta' });
    const reason = section.getByLabel('Perustelu (pakollinen)');
    const save = section.getByRole('button', { name: 'Tallenna tila' });
    // Empty: the browser's own required-field check stops it.
    await save.click();
    expect(await reason.evaluate((el: HTMLTextAreaElement) => el.validity.valueMissing)).toBe(true);
    // Only spaces: the app refuses it and says why.
    await reason.fill('   ');
    await save.click();
    await expect.poll(() => section.getByRole('alert').textContent()).toBe('Kirjoita perustelu sille, miksi osiota ei sovelleta.');
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    // Nothing changed anywhere.
    await barrier(drafter, [sotkamo.page, kuhmo.page]);
    for (const page of [drafter, sotkamo.page, kuhmo.page]) {
      expect(await badgeOf(page).textContent()).toBe('Valmistelussa');
      expect(await page.getByTestId('reason-client_fees').count()).toBe(0);
    }

    await reason.fill(REASON);
    await save.click();
    await expect.poll(() => section.getByRole('status').textContent()).toBe('Tila tallennettu – se näkyy kaikille.');
    for (const page of [drafter, sotkamo.page, kuhmo.page]) {
      await expect.poll(() => page.getByTestId('reason-client_fees').textContent()).toBe(`Ei sovelleta, koska: ${REASON}`);
      expect(await badgeOf(page).textContent()).toBe('Ei sovelleta');
    }
    // The other drafter's own control follows.
    expect(await sotkamo.page.locator('section[data-section="client_fees"]').getByLabel('Tila', { exact: true }).inputValue()).toBe('not_applicable');
    expect(await sotkamo.page.locator('section[data-section="client_fees"]').getByLabel('Perustelu (pakollinen)').inputValue()).toBe(REASON);
  });

  it('a drafter whose connection drops keeps typing; both drafters converge when it returns, nothing lost or doubled', async () => {
    // A second window of drafter.kajaani whose collab socket the test can cut (see collabNetwork in the harness);
    // the first window closes, so the only Kajaani in the document is the one going offline.
    let network!: Awaited<ReturnType<typeof collabNetwork>>;
    const offline = await person('drafter.kajaani@sopu.example', async (context) => {
      network = await collabNetwork(context);
    });
    await kajaani.page.close();
    kajaani = offline;
    await openDocument(offline.page);
    expect(network.connections()).toBe(1);
    const before = await converged([offline.page, sotkamo.page, kuhmo.page], 'parties');
    expect(before).toContain(LIVE_TEXT);
    await expect.poll(() => presenceNames(sotkamo.page)).toEqual(expect.arrayContaining([expect.stringContaining('Kajaani')]));

    await offline.context.setOffline(true);
    await network.cut();
    const status = connectionOf(offline.page);
    await expect.poll(() => status.getAttribute('data-state')).toBe('offline');
    expect(await status.textContent()).toContain('Ei yhteyttä');
    // The others see Kajaani leave.
    await expect.poll(() => presenceNames(sotkamo.page)).not.toEqual(expect.arrayContaining([expect.stringContaining('Kajaani')]));

    // Both type into the same section, one offline and one online.
    await caretToEnd(offline.page, 'parties');
    await caretToEnd(sotkamo.page, 'parties');
    await Promise.all([
      (async () => {
        await offline.page.keyboard.press('Enter');
        await offline.page.keyboard.type(OFFLINE_TEXT, { delay: 10 });
      })(),
      (async () => {
        await sotkamo.page.keyboard.press('Enter');
        await sotkamo.page.keyboard.type(ONLINE_TEXT, { delay: 10 });
      })(),
    ]);
    expect(await status.getAttribute('data-state')).toBe('offline');
    expect(await status.locator('.connection__unsaved').textContent()).toBe('Tallentamattomia muutoksia');
    expect(await editorOf(offline.page, 'parties').getAttribute('contenteditable')).toBe('true');
    // The online viewer has the online text, but not the offline text (and the offline page not the online one).
    await expect.poll(() => editorText(kuhmo.page, 'parties')).toContain(ONLINE_TEXT);
    expect(await editorText(kuhmo.page, 'parties')).not.toContain(OFFLINE_TEXT);
    expect(await editorText(sotkamo.page, 'parties')).not.toContain(OFFLINE_TEXT);
    expect(await editorText(offline.page, 'parties')).not.toContain(ONLINE_TEXT);
    await screenshot(offline.page, 'coediting-offline-kajaani');

    await offline.context.setOffline(false);
    network.restore();
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 20_000 }).toBe('connected');
    await expect.poll(() => status.textContent()).toContain('Kaikki muutokset tallennettu');
    expect(network.connections()).toBeGreaterThanOrEqual(2);

    const after = await converged([offline.page, sotkamo.page, kuhmo.page], 'parties');
    for (const part of [KAJAANI_TEXT, SOTKAMO_TEXT, KAJAANI_MORE, SOTKAMO_MORE, LIVE_TEXT, OFFLINE_TEXT, ONLINE_TEXT]) expect(count(after, part), `${part} in\n${after}`).toBe(1);
    expect(sortedChars(after), after).toBe(sortedChars(`${before}\n${OFFLINE_TEXT}\n${ONLINE_TEXT}`));
    // What was there before, plus one paragraph from each of the two.
    const lines = after.split('\n');
    expect(lines, after).toHaveLength(before.split('\n').length + 2);
    expect(lines.filter((l) => l !== OFFLINE_TEXT && l !== ONLINE_TEXT)).toEqual(before.split('\n'));
    await expect.poll(() => presenceNames(sotkamo.page)).toEqual(expect.arrayContaining([expect.stringContaining('Kajaani')]));

    await screenshot(kajaani.page, 'coediting-document-kajaani');
    await screenshot(sotkamo.page, 'coediting-document-sotkamo');
    await screenshot(kuhmo.page, 'coediting-document-kuhmo-viewer');
  });

  it('axe-core finds no serious or critical violations on the document page, for a drafter and for a viewer', async () => {
    const problems: Record<string, unknown> = {};
    for (const [name, page] of [['drafter', sotkamo.page], ['viewer', kuhmo.page]] as const) {
      const violations = await seriousA11yViolations(page);
      if (violations.length > 0) problems[name] = violations;
    }
    expect(problems).toEqual({});
  });

  it('the text is persisted: after a reload, and after a restart of the server', async () => {
    const expected = await converged([kajaani.page, sotkamo.page, kuhmo.page], 'parties');
    const development = await editorText(sotkamo.page, 'development');

    await sotkamo.page.reload();
    await documentReady(sotkamo.page);
    expect(await editorText(sotkamo.page, 'parties')).toBe(expected);

    // Everyone leaves; the server stops as a deployment would stop it, and starts again with the same database.
    for (const p of [kajaani, sotkamo, kuhmo]) await p.page.close();
    await app.restart();
    const page = await sotkamo.context.newPage();
    const errors = collectPageErrors(page);
    page.on('close', () => pageErrors.push(...errors));
    sotkamo.page = page;
    await openDocument(page);
    expect(await editorText(page, 'parties')).toBe(expected);
    expect(await editorText(page, 'development')).toBe(development);
    expect(await page.getByTestId('reason-client_fees').textContent()).toBe(`Ei sovelleta, koska: ${REASON}`);
  });

  it('the audit log records who edited and the status change with its reason, and nothing from the viewer', async () => {
    const admin = await person('admin.kajaani@sopu.example');
    await admin.page.goto(`/areas/${AREA}/audit`);
    expect(await admin.page.locator('.notice-success').textContent()).toContain('Lokin tiivisteketju on eheä');
    const rows = admin.page.locator('table.audit-table tbody tr');
    const actorOf = (row: number) => rows.nth(row).locator('td').nth(1).textContent();
    const texts = await rows.allTextContents();
    const actors = await Promise.all(texts.map((_, i) => actorOf(i)));
    // The status change: by the drafter who made it, with section, status and reason.
    const statusRows = texts.filter((t) => t.includes('client_fees'));
    expect(statusRows, texts.join('\n')).toHaveLength(1);
    expect(statusRows[0]).toContain('Valmistelija Kajaani');
    expect(statusRows[0]).toContain(REASON);
    // Both drafters' edits are there; the viewer, whose typing the editor refused, has no event at all.
    expect(actors).toEqual(expect.arrayContaining(['Valmistelija Kajaani', 'Valmistelija Sotkamo']));
    expect(actors).not.toContain('Lukija Kuhmo');
    await screenshot(admin.page, 'coediting-audit');
  });

  it('no page threw an uncaught exception', async () => {
    for (const context of contexts) for (const page of context.pages()) await page.close();
    expect(pageErrors).toEqual([]);
  });
});
