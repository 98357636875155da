import { docxText, pdfText } from '@sopu/exports/readers';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectionOf, documentReady, e2eSuite, expectAccessible, hydrated, OTHER_AREA, screenshot, SCREENSHOTS } from './harness.ts';

// Two languages (issue 20, decision 026) on the bilingual demo agreement of Saaristo: two people write the Finnish and
// the Swedish text of one section at once, a third sees a Finnish edit flag the Swedish stale live, a mark clears it;
// the saved version holds both texts; sending it to the councils warns; on a narrow screen one language at a time;
// the host admin makes the administrative rules bilingual.

const suite = e2eSuite();

const column = (page: Page, section: string, lang: 'fi' | 'sv') => page.locator(`section[data-section="${section}"] [data-lang="${lang}"]`);
const editorIn = (page: Page, section: string, lang: 'fi' | 'sv') => column(page, section, lang).locator('.ProseMirror');
const translationOf = (page: Page, section: string, lang: 'fi' | 'sv') => column(page, section, lang).getAttribute('data-translation');

/** The bilingual page is ready: hydrated, synced, and the section's column in `lang` shows its editor. */
async function ready(page: Page, section = 'parties', lang: 'fi' | 'sv' = 'fi'): Promise<void> {
  await hydrated(page);
  await connectionOf(page).and(page.locator('[data-state="connected"]')).waitFor();
  await editorIn(page, section, lang).waitFor();
}

async function openAgreement(page: Page, lang: 'fi' | 'sv' = 'fi'): Promise<string> {
  await page.goto(`/areas/${OTHER_AREA}`);
  await page.locator('a.document-link', { hasText: /Yhteistoimintasopimus|Samarbetsavtal/ }).click();
  await page.waitForURL(/\/documents\//);
  await ready(page, 'parties', lang);
  return page.url();
}

/** Types at the end of a column's text, as a person would. */
async function typeAtEnd(page: Page, section: string, lang: 'fi' | 'sv', text: string): Promise<void> {
  const editor = editorIn(page, section, lang);
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

const textOf = (page: Page, section: string, lang: 'fi' | 'sv') => editorIn(page, section, lang).innerText();

/** Clicks a download link and returns the file the browser saved, with its name. */
async function download(page: Page, linkName: string): Promise<{ name: string; bytes: Uint8Array }> {
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: linkName }).click();
  const file: Download = await downloading;
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

/** What the window shows, around a section (a bilingual agreement is too long a page to photograph whole in time). */
async function shot(page: Page, name: string, section?: string): Promise<void> {
  if (section) await page.locator(`section[data-section="${section}"]`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describe('a bilingual agreement', () => {
  it('two people write the Finnish and the Swedish text of a section at once; a Finnish edit flags the Swedish stale for a third, live; marking it updated clears it', async () => {
    const translator = await suite.person('drafter.holmpy@sopu.example', 'sv');
    const host = await suite.person('admin.rantala@sopu.example');
    const reader = await suite.person('rep.saarela@sopu.example');
    // Holmby's drafter translates: the host lets every municipality's drafters write the text directly (decision 025;
    // by default they would suggest, and a suggestion changes no accepted text to translate).
    const setting = await host.request.put(`/api/v1/areas/${OTHER_AREA}/settings/direct-editing`, { data: { directEditing: 'everyone' }, headers: { origin: suite.app.url } });
    expect(setting.status()).toBe(200);
    const url = await openAgreement(reader);
    // The text went to the councils agreed (the demo, issue 21): the host reopens "purpose" to revise it.
    const agreementId = /\/documents\/([^/?#]+)/.exec(url)![1]!;
    const reopened = await host.request.post(`/api/v1/documents/${agreementId}/sections/purpose/reopen`, { data: { reason: 'Täydennetään digitaalisista palveluista.' }, headers: { origin: suite.app.url } });
    expect(reopened.status()).toBe(200);
    await translator.goto(url);
    await host.goto(url);
    await Promise.all([ready(translator), ready(host)]);

    // The demo's stale translation: the Swedish of "development" was completed after the approvals.
    expect(await translationOf(reader, 'development', 'fi')).toBe('stale');
    expect(await translationOf(reader, 'development', 'sv')).toBe('in_line');
    // Headings in each column's language, guidance too.
    expect(await column(reader, 'parties', 'sv').locator('h2').innerText()).toContain('Parter');
    expect(await column(reader, 'parties', 'fi').locator('h2').innerText()).toContain('Osapuolet');
    // The member rep is read-only but comments: the presence list says so.
    await expect.poll(() => host.locator('[data-testid="presence"] li', { hasText: 'Saarela' }).innerText()).toContain('voi kommentoida');
    await shot(reader, 'bilingual-agreement-fi', 'development');
    await shot(translator, 'bilingual-agreement-sv');

    // At once: the translator writes Swedish, the host Finnish, in the same section.
    await Promise.all([typeAtEnd(translator, 'purpose', 'sv', ' Tjänsterna ges också digitalt.'), typeAtEnd(host, 'purpose', 'fi', ' Palveluja annetaan myös digitaalisesti.')]);
    for (const page of [translator, host, reader]) {
      await expect.poll(() => textOf(page, 'purpose', 'sv')).toContain('Tjänsterna ges också digitalt.');
      await expect.poll(() => textOf(page, 'purpose', 'fi')).toContain('Palveluja annetaan myös digitaalisesti.');
    }
    // Both changed since they were marked in line: each is flagged until someone checks and marks them.
    await expect.poll(() => translationOf(reader, 'purpose', 'sv')).toBe('stale');
    await expect.poll(() => translationOf(reader, 'purpose', 'fi')).toBe('stale');
    await translator.locator('section[data-section="purpose"] [data-lang="sv"]').getByRole('button', { name: /Markera översättningen som uppdaterad/ }).click();
    await expect.poll(() => translationOf(reader, 'purpose', 'sv')).toBe('in_line');
    await expect.poll(() => translationOf(reader, 'purpose', 'fi')).toBe('in_line');

    // A Finnish edit alone: the Swedish is stale for the reader at once, with the change shown.
    await typeAtEnd(host, 'purpose', 'fi', ' Asiointi on maksutonta.');
    // The flag turns at the first keystroke: the change it shows is read once the reader has the whole sentence.
    await expect.poll(() => textOf(reader, 'purpose', 'fi')).toContain('Asiointi on maksutonta.');
    await expect.poll(() => translationOf(reader, 'purpose', 'sv')).toBe('stale');
    expect(await translationOf(reader, 'purpose', 'fi')).toBe('in_line');
    const flag = reader.getByTestId('translation-purpose-sv');
    expect(await flag.innerText()).toContain('Käännös vanhentunut.');
    await flag.locator('.translation-flag__change > summary').click();
    await expect.poll(() => flag.locator('ins').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('Asiointi on maksutonta.')]));
    // The reader may comment but not mark; the translator marks it updated once the Swedish says the same.
    expect(await flag.getByRole('button').count()).toBe(0);
    await shot(reader, 'bilingual-stale-fi', 'purpose');
    await expect.poll(() => translationOf(translator, 'purpose', 'sv')).toBe('stale');
    await shot(translator, 'bilingual-stale-sv', 'purpose');
    await typeAtEnd(translator, 'purpose', 'sv', ' Tjänsterna är avgiftsfria.');
    // Marked at once, with the last keystrokes perhaps still on their way: the page sends the hash of the texts it
    // has, and the server marks exactly those once they arrive (decision 026), so nothing is flagged again after.
    await translator.getByTestId('translation-purpose-sv').getByRole('button', { name: /Markera översättningen som uppdaterad/ }).click();
    await expect.poll(() => translationOf(reader, 'purpose', 'sv')).toBe('in_line');
    await expect.poll(() => translationOf(reader, 'purpose', 'fi')).toBe('in_line');
    expect(await textOf(reader, 'purpose', 'sv')).toContain('Tjänsterna är avgiftsfria.');
    // The translator's own page too, once the mark has come back to it from the room (the reader's page may have it
    // first: an assertion at once here failed once in CI, on 8950310).
    await expect.poll(() => translator.getByTestId('translation-purpose-sv').count()).toBe(0);
    expect(await translationOf(translator, 'purpose', 'sv')).toBe('in_line');

    // A position may name the column it concerns: Saarela's rep objects to the Swedish text only.
    const positionForm = reader.locator('form.position-form');
    await positionForm.scrollIntoViewIfNeeded();
    await positionForm.getByLabel('Osio').selectOption('purpose');
    await positionForm.getByLabel('Kanta koskee').selectOption('sv');
    await positionForm.getByLabel('Vastustaa').check();
    await positionForm.getByLabel('Mitä vastustatte ja miksi').fill('Ruotsinkielinen termi on eri kuin laissa.');
    await positionForm.getByRole('button', { name: 'Tallenna kanta' }).click();
    await expect.poll(() => positionForm.getByRole('status').textContent()).toBe('Kanta tallennettu.');
    const cell = reader.locator('table.positions-matrix tr', { hasText: 'Sopimuksen tarkoitus' }).locator('td.position--objects', { hasText: 'Ruotsinkielinen termi' });
    await expect.poll(() => cell.innerText()).toContain('koskee ruotsinkielistä tekstiä');
    await reader.locator('section.positions').screenshot({ path: join(SCREENSHOTS, 'bilingual-position-fi.png') });
    await expectAccessible(reader);

    // The host saves the text as a version: it holds both languages. The demo's pending suggestions are decided first
    // (a version with suggestions pending does not go to the councils, decision 025).
    const documentId = /\/documents\/([^/?#]+)/.exec(url)![1]!;
    const pending = (await (await host.request.get(`/api/v1/documents/${documentId}/suggestions`)).json()) as Array<{ id: string }>;
    for (const s of pending) expect((await host.request.post(`/api/v1/documents/${documentId}/suggestions/${s.id}/reject`, { data: { reason: 'Ei tässä versiossa.' }, headers: { origin: suite.app.url } })).status()).toBe(200);
    const saved = await host.request.post(`/api/v1/documents/${documentId}/versions`, { data: { label: 'Tvåspråkig' }, headers: { origin: suite.app.url } });
    expect(saved.status()).toBe(201);
    const { number } = (await saved.json()) as { number: number };
    await reader.goto(`${url}/versions/${number}`);
    expect(await reader.locator('section.frozen-section[aria-labelledby="v-purpose"] [data-lang="fi"]').innerText()).toContain('Asiointi on maksutonta.');
    expect(await reader.locator('section.frozen-section[aria-labelledby="v-purpose"] [data-lang="sv"]').innerText()).toContain('Tjänsterna är avgiftsfria.');
    await reader.locator('section[aria-labelledby="v-purpose"]').scrollIntoViewIfNeeded();
    await shot(reader, 'bilingual-version-fi');

    // The version's file offers Finnish, Swedish, or both side by side (the default); both holds both texts, as
    // poppler reads the PDF and LibreOffice the Word file.
    const picker = reader.getByTestId('download-language');
    expect(await picker.inputValue()).toBe('both');
    expect(await picker.locator('option').allInnerTexts()).toEqual(['Ruotsi ja suomi rinnakkain', 'Vain ruotsinkielinen', 'Vain suomenkielinen']);
    await picker.scrollIntoViewIfNeeded();
    await reader.screenshot({ path: join(SCREENSHOTS, 'bilingual-export-fi.png') });
    const pdf = await download(reader, `Versio ${number} PDF-tiedostona`);
    const pdfRead = (await pdfText(pdf.bytes)).replace(/\s+/g, ' ');
    expect(pdfRead).toContain('Asiointi on maksutonta.');
    expect(pdfRead).toContain('Tjänsterna är avgiftsfria.');
    // The file is in the agreement's main language, Swedish: its cover says it holds both.
    expect(pdfRead).toContain('finska och svenska parallellt');
    await translator.goto(`${url}/versions/${number}`);
    await hydrated(translator);
    const väljare = translator.getByTestId('download-language');
    expect(await väljare.locator('option').allInnerTexts()).toEqual(['Svenska och finska parallellt', 'Endast den svenska', 'Endast den finska']);
    await väljare.scrollIntoViewIfNeeded();
    await translator.screenshot({ path: join(SCREENSHOTS, 'bilingual-export-sv.png') });
    const word = await download(translator, `Version ${number} som Word-fil (DOCX)`);
    const [wordRead] = await docxText([word.bytes]);
    expect(wordRead!.replace(/\s+/g, ' ')).toContain('Asiointi on maksutonta.');
    expect(wordRead!.replace(/\s+/g, ' ')).toContain('Tjänsterna är avgiftsfria.');
    expect(word.name).toBe(pdf.name.replace(/\.pdf$/, '.docx'));
    // One language alone: the Finnish, named so, without the Swedish.
    await väljare.selectOption('fi');
    const finnish = await download(translator, `Version ${number} som PDF-fil`);
    expect(finnish.name).toMatch(/-fi\.pdf$/);
    const finnishRead = (await pdfText(finnish.bytes)).replace(/\s+/g, ' ');
    expect(finnishRead).toContain('Asiointi on maksutonta.');
    expect(finnishRead).not.toContain('Tjänsterna är avgiftsfria.');

    // Sending it to the councils warns: the Finnish of "development" is still stale.
    await host.goto(`/areas/${OTHER_AREA}/approvals`);
    await host.locator('#send-version').selectOption(String(number));
    await host.getByRole('button', { name: 'Lähetä valtuustoille' }).click();
    const warning = host.getByTestId('stale-translations');
    await warning.waitFor();
    expect(await warning.innerText()).toContain('Yhteistoiminnan kehittäminen');
    await screenshot(host, 'bilingual-send-warning-fi');
    await warning.getByRole('checkbox').check();
    await host.getByRole('button', { name: 'Lähetä valtuustoille' }).click();
    await host.getByText(`Versio ${number} on lähetetty valtuustojen käsiteltäväksi.`).waitFor();
  }, 240_000);

  it('on a narrow screen one language at a time; the host admin makes the administrative rules bilingual (in Swedish)', async () => {
    const host = await suite.person('admin.rantala@sopu.example', 'sv');
    await host.setViewportSize({ width: 560, height: 900 });
    await openAgreement(host, 'sv');
    // Swedish (the reader's language) shows; Finnish is a tap away.
    expect(await column(host, 'parties', 'sv').isVisible()).toBe(true);
    expect(await column(host, 'parties', 'fi').isVisible()).toBe(false);
    await shot(host, 'bilingual-narrow-sv', 'parties');
    await host.getByRole('group', { name: 'Språkversion som visas' }).getByRole('button', { name: 'på finska' }).click();
    expect(await column(host, 'parties', 'fi').isVisible()).toBe(true);
    expect(await column(host, 'parties', 'sv').isVisible()).toBe(false);
    await shot(host, 'bilingual-narrow-fi', 'parties');

    await host.setViewportSize({ width: 1280, height: 900 });
    await host.goto(`/areas/${OTHER_AREA}`);
    await host.locator('a.document-link', { hasText: /Hallintosääntö|Förvaltningsstadga/ }).click();
    await host.waitForURL(/\/documents\//);
    await documentReady(host, 'scope');
    await host.getByRole('heading', { name: 'Tvåspråkigt dokument' }).waitFor();
    await shot(host, 'bilingual-make-sv');
    await host.getByRole('button', { name: 'Gör dokumentet tvåspråkigt' }).click();
    await ready(host, 'scope', 'fi');
    expect(await translationOf(host, 'scope', 'fi')).toBe('missing');
    expect(await host.getByTestId('bilingual-notice').innerText()).toContain('Dokumentet är tvåspråkigt: svenska och finska.');
    await expectAccessible(host);
    await shot(host, 'bilingual-rules-sv', 'scope');
  }, 180_000);
});
