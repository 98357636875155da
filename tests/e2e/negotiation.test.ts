import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { documentReady, e2eSuite, editorOf, editorText, SCREENSHOTS, seriousA11yViolations } from './harness.ts';

// The negotiation (docs/decisions/025) in two real browsers: a member municipality's drafter (Sotkamo) can only
// suggest; the host's drafter (Kajaani) sees the suggestions live, accepts one and rejects the other; both browsers
// end with the same text, and a version saved afterwards holds the accepted text only.

const suite = e2eSuite();
let agreementUrl = '';

async function openAgreement(page: Page): Promise<void> {
  if (!agreementUrl) {
    await page.goto('/areas/kainuu-koillismaa');
    await page.locator('a.document-link', { hasText: 'Yhteistoimintasopimus' }).click();
    await page.waitForURL(/\/documents\//);
    agreementUrl = page.url();
  } else await page.goto(agreementUrl);
  await documentReady(page, 'equipment');
}

/** Puts the caret right after `after` (or selects `text`) in a section's editor, as a click and a drag would. */
async function place(page: Page, section: string, text: string, mode: 'after' | 'select'): Promise<void> {
  await editorOf(page, section).click();
  const found = await editorOf(page, section).evaluate(
    (root, [wanted, how]) => {
      const editor = (root as HTMLElement & { editor?: { state: { doc: { descendants: (f: (node: { isText: boolean; text?: string }, pos: number) => boolean | void) => void } }; commands: { setTextSelection: (r: { from: number; to: number } | number) => boolean; focus: () => boolean } } }).editor!;
      let range: { from: number; to: number } | null = null;
      editor.state.doc.descendants((node, pos) => {
        if (range || !node.isText) return !range;
        const at = node.text!.indexOf(wanted!);
        if (at >= 0) range = { from: pos + at, to: pos + at + wanted!.length };
        return false;
      });
      if (!range) return false;
      editor.commands.focus();
      return editor.commands.setTextSelection(how === 'after' ? (range as { to: number }).to : range);
    },
    [text, mode] as const,
  );
  expect(found, `"${text}" in ${section}`).toBe(true);
}

/** The part of the page around `selector` (a whole document page is twenty sections: too tall to shoot at once). */
async function screenshot(page: Page, name: string, selector = 'section[data-section="equipment"]'): Promise<void> {
  await page.locator(selector).first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

const group = (page: Page, section: string) => page.locator(`.suggestion-group[data-section="${section}"]`);
const cards = (page: Page, section: string) => group(page, section).locator('.suggestion-card');

describe('suggested changes between two municipalities', () => {
  it('a member drafter suggests an insertion and a deletion; the host sees both live, accepts one and rejects the other; both browsers end identical; a version then has the accepted text only', async () => {
    const sotkamo = await suite.person('drafter.sotkamo@sopu.example');
    const kajaani = await suite.person('drafter.kajaani@sopu.example');
    await Promise.all([openAgreement(sotkamo), openAgreement(kajaani)]);
    const original = await editorText(kajaani, 'equipment');
    expect(original).toContain('Vastuukunta hankkii ja omistaa');

    // Sotkamo only suggests: the toggle says so, and typing and deleting become suggestions.
    await expect.poll(() => sotkamo.getByRole('button', { name: 'Ehdota muutoksia' }).getAttribute('aria-pressed')).toBe('true');
    await place(sotkamo, 'equipment', 'työvälineet', 'after');
    await sotkamo.keyboard.type(' ja ohjelmistot');
    await place(sotkamo, 'equipment', 'yhteisessä käytössä olevan ', 'select');
    await sotkamo.keyboard.press('Backspace');
    const member = editorOf(sotkamo, 'equipment');
    await expect.poll(() => member.locator('ins.suggestion').textContent()).toBe(' ja ohjelmistot');
    await expect.poll(() => member.locator('del.suggestion').textContent()).toBe('yhteisessä käytössä olevan ');

    // The host sees both, live, in the text and in the side list, with who made them.
    const host = editorOf(kajaani, 'equipment');
    await expect.poll(() => host.locator('ins.suggestion').count()).toBe(1);
    await expect.poll(() => host.locator('del.suggestion').count()).toBe(1);
    await expect.poll(() => cards(kajaani, 'equipment').count()).toBe(2);
    expect(await cards(kajaani, 'equipment').first().textContent()).toContain('Valmistelija Sotkamo');
    expect(await host.locator('ins.suggestion').getAttribute('title')).toMatch(/Valmistelija Sotkamo, Sotkamo/);
    await screenshot(sotkamo, 'negotiation-member-suggests');
    await screenshot(kajaani, 'negotiation-host-sees-suggestions');
    // The member gets no decision buttons.
    expect(await cards(sotkamo, 'equipment').getByRole('button', { name: 'Hyväksy' }).count()).toBe(0);

    // Accept the insertion; reject the deletion with a reason.
    await cards(kajaani, 'equipment').filter({ hasText: 'ohjelmistot' }).getByRole('button', { name: 'Hyväksy' }).click();
    await expect.poll(() => host.locator('ins.suggestion').count()).toBe(0);
    const deletion = cards(kajaani, 'equipment').filter({ hasText: 'yhteisessä' });
    await deletion.getByRole('button', { name: 'Hylkää…' }).click();
    await deletion.getByLabel('Hylkäyksen perustelu').fill('Kalusto on yhteisessä käytössä; sana jää.');
    await deletion.getByRole('button', { name: 'Hylkää', exact: true }).click();

    const expected = original.replace('työvälineet', 'työvälineet ja ohjelmistot');
    for (const page of [kajaani, sotkamo]) {
      await expect.poll(() => editorText(page, 'equipment'), { timeout: 15_000 }).toBe(expected);
      await expect.poll(() => editorOf(page, 'equipment').locator('.suggestion').count()).toBe(0);
    }
    // The same formatting too: no run of the section carries a mark in either browser (the other's caret aside).
    for (const page of [kajaani, sotkamo]) expect(await editorOf(page, 'equipment').locator('p').evaluateAll((ps) => ps.map((p) => p.querySelectorAll('strong, em, ins, del, a').length))).toEqual([0]);
    await expect.poll(() => group(kajaani, 'equipment').count()).toBe(0);
    await screenshot(kajaani, 'negotiation-decided');
    await screenshot(kajaani, 'negotiation-host-pending-list', '.negotiation');

    // A version saved now: the accepted text; the demo's suggestions still pending elsewhere are not in it.
    const documentId = new URL(agreementUrl).pathname.split('/').pop()!;
    const version = await kajaani.evaluate(async (id) => {
      const saved = await fetch(`/api/v1/documents/${id}/versions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label: 'Neuvottelun jälkeen' }) });
      const { number } = (await saved.json()) as { number: number };
      return { number, ...((await (await fetch(`/api/v1/documents/${id}/versions/${number}`)).json()) as { pendingSuggestions: Array<{ section: string }>; sections: Array<{ key: string; content: unknown }> }) };
    }, documentId);
    const text = (key: string) => JSON.stringify(version.sections.find((s) => s.key === key)?.content);
    expect(text('equipment')).toContain('työvälineet ja ohjelmistot');
    expect(text('equipment')).toContain('yhteisessä käytössä olevan');
    expect(text('premises')).not.toContain('Vuokatissa');
    expect(text('premises')).toContain('sovittuina asiointipäivinä');
    expect(version.pendingSuggestions.map((s) => s.section)).toEqual(['premises', 'premises', 'premises']);

    // Sent to the councils, that version is refused, saying how many suggestions are pending and where, by title.
    const admin = await suite.person('admin.kajaani@sopu.example');
    await admin.goto('/areas/kainuu-koillismaa/approvals');
    await admin.getByLabel('Versio', { exact: true }).selectOption(String(version.number));
    await admin.getByRole('button', { name: 'Lähetä valtuustoille' }).click();
    await admin.getByText('Versiossa on avoimia muutosehdotuksia (3, osioissa Toimitilat).', { exact: false }).waitFor();
  }, 120_000);

  it('shows the positions matrix, and a member rep records an objection; the page is accessible', async () => {
    const rep = await suite.person('rep.kuhmo@sopu.example');
    await openAgreement(rep);
    const matrix = rep.locator('table.positions-matrix');
    await matrix.scrollIntoViewIfNeeded();
    expect(await matrix.locator('td.position--objects').count()).toBeGreaterThan(0);
    expect(await matrix.locator('td.position--old').count()).toBeGreaterThan(0);
    const form = rep.locator('form.position-form');
    await form.getByLabel('Osio').selectOption('equipment');
    await form.getByLabel('Vastustaa').check();
    await form.getByLabel('Mitä vastustatte ja miksi').fill('Ohjelmistojen kustannusjako on sovittava erikseen.');
    await form.getByRole('button', { name: 'Tallenna kanta' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Kanta tallennettu.');
    await expect.poll(() => matrix.locator('td.position--objects').count()).toBeGreaterThan(1);
    await screenshot(rep, 'negotiation-positions', 'table.positions-matrix');
    expect(await seriousA11yViolations(rep)).toEqual([]);
  }, 120_000);

  it('the host admin lets every drafter edit directly on the settings page; a member drafter then has no suggestion mode forced', async () => {
    const admin = await suite.person('admin.kajaani@sopu.example');
    await admin.goto('/areas/kainuu-koillismaa/settings');
    const block = admin.locator('form.settings-block', { has: admin.getByRole('heading', { name: 'Tekstin muokkaus' }) });
    await block.getByLabel('Kaikkien kuntien valmistelijat').check();
    await block.getByRole('button', { name: 'Tallenna' }).click();
    await expect.poll(() => block.textContent()).toContain('Tallennettu');
    await screenshot(admin, 'settings-direct-editing', 'form:has(#editing-heading)');
    const kuusamo = await suite.person('drafter.kuusamo@sopu.example');
    await openAgreement(kuusamo);
    const toggle = kuusamo.getByRole('button', { name: 'Ehdota muutoksia' });
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await toggle.isDisabled()).toBe(false);
  }, 120_000);
});
