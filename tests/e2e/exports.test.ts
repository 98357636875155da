import { docxText, pdfFonts, pdfText } from '@sopu/exports/readers';
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { AREA, e2eSuite, expectAccessible, hydrated, screenshot } from './harness.ts';

// Files a council can put on its agenda (issue 17, docs/decisions/022-exports.md), in real Chromium against the real
// server: a member downloads version 2 of the demo agreement as PDF and as Word from the version page, the page saying
// that the file is being made while the server draws it; the files are read back with poppler and LibreOffice; the
// verify page takes the PDF dropped on it, the DOCX chosen, a hash pasted, and tells a changed copy and a file that is
// no export from the originals. A council secretary takes their council's decision proposal; the host admin sends a
// version with a background text that every council's proposal then carries.

const suite = e2eSuite();

const SIX = ['Hyrynsalmi', 'Kajaani', 'Kuusamo', 'Paltamo', 'Sotkamo', 'Suomussalmi'];
const files: { pdf?: Buffer; pdfName?: string; docx?: Buffer; hash?: string; versionLabel?: string } = {};
/**
 * Version 2's label in the demo: "Valtuustokäsittelyyn" and the day it was sent, forty days before the demo was loaded
 * (in Helsinki). The suite's server loaded it before this file ran: the day of forty days before two hours ago, or of
 * forty days before now, whichever the load fell on.
 */
const FORTY_DAYS_MS = 40 * 24 * 3_600_000;
const helsinkiDay = new Intl.DateTimeFormat('fi-FI', { timeZone: 'Europe/Helsinki', day: 'numeric', month: 'numeric', year: 'numeric' });
const version2Labels = () => [...new Set([Date.now() - 2 * 3_600_000, Date.now()].map((t) => `Valtuustokäsittelyyn ${helsinkiDay.format(t - FORTY_DAYS_MS)}`))];
const VERSION_2_LABEL = /^Valtuustokäsittelyyn \d{1,2}\.\d{1,2}\.\d{4}$/;

const bytesOf = async (download: Download) => readFileSync((await download.path())!);

/**
 * Clicks a download link while the server's answer is held back, so that the page's "being made" state can be seen
 * for certain (the server still draws the real file); then lets it through and returns the download.
 */
async function downloadWithProgress(page: Page, linkName: string, making: string): Promise<Download> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const route = '**/api/v1/**';
  await page.route(route, async (r) => {
    await held;
    await r.continue();
  });
  const link = page.getByRole('link', { name: linkName, exact: true });
  const line = page.locator('.downloads', { has: link }).locator('.downloads__status');
  const downloading = page.waitForEvent('download');
  await link.click();
  await expect.poll(() => line.textContent()).toContain(making);
  expect(await line.locator('progress').count()).toBe(1);
  release();
  const download = await downloading;
  await page.unroute(route);
  await expect.poll(() => line.textContent()).toContain(`Ladattu: ${download.suggestedFilename()}`);
  return download;
}

async function verifyPage(page: Page): Promise<void> {
  await page.goto(`/areas/${AREA}/verify`);
  await hydrated(page);
}

const answer = (page: Page) => page.getByTestId('verify-answer');

describe('a version as a file, and verify', () => {
  it('a member downloads version 2 as PDF from its page, with the progress shown; poppler reads it back', async () => {
    const page = await suite.person('viewer.kuhmo@sopu.example');
    await page.goto(`/areas/${AREA}`);
    await page.locator('a.document-link', { hasText: 'Yhteistoimintasopimus' }).click();
    await page.getByRole('link', { name: 'Versiot', exact: true }).click();
    // The demo sent version 2 forty days before it was loaded, and names it by that day (in Helsinki).
    const link = page.getByRole('link', { name: VERSION_2_LABEL });
    files.versionLabel = (await link.textContent())!.trim();
    expect(version2Labels()).toContain(files.versionLabel);
    await link.click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(`Versio 2: ${files.versionLabel}`);
    await hydrated(page);
    await screenshot(page, 'exports-version');

    const download = await downloadWithProgress(page, 'Versio 2 PDF-tiedostona', 'Luodaan PDF-tiedostoa…');
    const pdf = await bytesOf(download);
    const name = download.suggestedFilename();
    expect(name).toMatch(/^kainuu-koillismaa-yhteistoimintasopimus-v2-[0-9a-f]{8}\.pdf$/);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    const hash = /[0-9a-f]{64}/.exec(text.replace(/\s+/g, ''))?.[0];
    expect(hash?.slice(0, 8)).toBe(name.slice(-12, -4));
    expect(text.replace(/\s+/g, ' ')).toContain('Kainuu-Koillismaan työllisyysalue');
    expect(text).toContain('1. Osapuolet');
    expect(text).toContain('§');
    expect((await pdfFonts(pdf)).every((f) => f.embedded)).toBe(true);
    Object.assign(files, { pdf, pdfName: name, hash });
    await screenshot(page, 'exports-version-downloaded');
    await expectAccessible(page);
  }, 120_000);

  it('and as Word; LibreOffice opens it and reads the same version and hash', async () => {
    const page = await suite.person('viewer.kuhmo@sopu.example');
    const versions = await page.goto(`/areas/${AREA}`).then(() => page.locator('a.document-link', { hasText: 'Yhteistoimintasopimus' }).getAttribute('href'));
    await page.goto(`${versions}/versions/2`);
    await hydrated(page);
    const download = await downloadWithProgress(page, 'Versio 2 Word-tiedostona (DOCX)', 'Luodaan Word-tiedostoa…');
    expect(download.suggestedFilename()).toBe(files.pdfName!.replace(/\.pdf$/, '.docx'));
    const docx = await bytesOf(download);
    const [text] = await docxText([docx]);
    expect(text!.replace(/\s+/g, '')).toContain(files.hash);
    expect(text).toContain('Kainuu-Koillismaan työllisyysalue');
    files.docx = docx;
  }, 120_000);

  it('the verify page takes the PDF dropped on it: area, document, version, sent, the six councils, current text', async () => {
    const page = await suite.person('secretary.paltamo@sopu.example');
    await page.goto(`/areas/${AREA}`);
    await page.getByRole('navigation', { name: 'Alueen sivut' }).getByRole('link', { name: 'Tarkista tiedosto' }).click();
    await page.waitForURL(/\/verify$/);
    await hydrated(page);
    await expectAccessible(page);
    await screenshot(page, 'exports-verify');
    // Held until the page has said it is checking; then the real server answers.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) => url.pathname.startsWith(`/areas/${AREA}/verify`),
      async (route) => {
        if (route.request().method() === 'POST') await held;
        await route.continue();
      },
    );
    const transfer = await page.evaluateHandle(
      ({ base64, name }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], name, { type: 'application/pdf' }));
        return data;
      },
      { base64: files.pdf!.toString('base64'), name: files.pdfName! },
    );
    await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(() => page.locator('.verify-file [role="status"]').textContent()).toContain('Tarkistetaan tiedostoa…');
    release();
    await expect.poll(() => page.getByTestId('verify-found').textContent()).toBe(`Tiedosto ${files.pdfName} on Sopun vienti.`);
    await page.unroute((url) => url.pathname.startsWith(`/areas/${AREA}/verify`));
    expect(await page.getByTestId('verify-version').textContent()).toBe(`Versio 2: ${files.versionLabel!}`);
    expect(await page.getByTestId('verify-sent').textContent()).toContain('Kyllä');
    expect(await page.getByTestId('verify-approved').textContent()).toBe(SIX.join(', '));
    expect(await page.getByTestId('verify-current').textContent()).toBe('On yhä täsmälleen sama.');
    expect(await answer(page).locator('code.hash').textContent()).toBe(files.hash);
    await screenshot(page, 'exports-verify-found');
    await expectAccessible(page);
  }, 90_000);

  it('the DOCX chosen, and a pasted hash, are known too; a changed copy and a picture are not exports', async () => {
    const page = await suite.person('rep.kuhmo@sopu.example');
    await verifyPage(page);
    await page.locator('#verify-file').setInputFiles({ name: 'sopimus.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: files.docx! });
    await page.getByRole('button', { name: 'Tarkista tiedosto' }).click();
    await expect.poll(() => page.getByTestId('verify-found').textContent()).toBe('Tiedosto sopimus.docx on Sopun vienti.');
    expect(await page.getByTestId('verify-version').textContent()).toBe(`Versio 2: ${files.versionLabel!}`);

    // A council's copy with one word of its metadata changed: it still names the version's hash, but it is not Sopu's file.
    const changed = Buffer.from(files.pdf!.toString('latin1').replace('Sopu (PDFKit)', 'Sopu (PDFKiT)'), 'latin1');
    await page.locator('#verify-file').setInputFiles({ name: 'muokattu.pdf', mimeType: 'application/pdf', buffer: changed });
    await page.getByRole('button', { name: 'Tarkista tiedosto' }).click();
    await expect.poll(() => answer(page).locator('[data-reason]').getAttribute('data-reason')).toBe('altered');
    expect(await answer(page).textContent()).toContain('Tämä tiedosto ei ole minkään version Sopu-vienti.');
    await screenshot(page, 'exports-verify-altered');

    await page.locator('#verify-file').setInputFiles({ name: 'kuva.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf at all') });
    await page.getByRole('button', { name: 'Tarkista tiedosto' }).click();
    await expect.poll(() => answer(page).locator('[data-reason]').getAttribute('data-reason')).toBe('not_pdf_or_docx');

    // Over the limit: said at once, and not sent.
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url());
    });
    // Made in the page: 21 MB through the DevTools protocol would take longer than choosing it does.
    await page.locator('#verify-file').evaluate((input: HTMLInputElement) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(21 * 1024 * 1024)], 'iso.pdf', { type: 'application/pdf' }));
      input.files = data.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.getByRole('button', { name: 'Tarkista tiedosto' }).click();
    await expect.poll(() => page.locator('#verify-file-error').textContent()).toBe('Tiedosto on liian suuri. Yksikään Sopun vienti ei ole näin suuri.');
    expect(posts).toEqual([]);

    await page.getByLabel('SHA-256-tiiviste').fill(files.hash!.slice(0, 8));
    await page.getByRole('button', { name: 'Tarkista tiiviste' }).click();
    await expect.poll(() => page.getByTestId('verify-found').textContent()).toBe('Tiiviste löytyi.');
    expect(await page.getByTestId('verify-approved').textContent()).toBe(SIX.join(', '));

    await page.getByLabel('SHA-256-tiiviste').fill('xyz');
    await page.getByRole('button', { name: 'Tarkista tiiviste' }).click();
    await expect.poll(() => page.locator('#verify-hash-error').textContent()).toContain('Anna SHA-256-tiiviste');
    expect(await page.getByLabel('SHA-256-tiiviste').getAttribute('aria-invalid')).toBe('true');
  }, 90_000);
});

describe('decision proposals and the matrix as files', () => {
  it("a council secretary takes their own council's proposal only; it names the version and its hash", async () => {
    const page = await suite.person('secretary.kuhmo@sopu.example');
    await page.goto(`/areas/${AREA}/approvals`);
    await hydrated(page);
    const proposals = page.locator('section.proposals');
    expect(await proposals.locator('h2').textContent()).toBe('Päätösehdotukset valtuustoille (versio 2)');
    expect(await proposals.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-municipality')))).toEqual(['290']);
    await screenshot(page, 'exports-approvals-secretary');
    const download = await downloadWithProgress(page, 'Päätösehdotus: Kuhmo (Word-tiedosto)', 'Luodaan Word-tiedostoa…');
    expect(download.suggestedFilename()).toMatch(/^kainuu-koillismaa-v2-[0-9a-f]{8}-paatosehdotus-kuhmo\.docx$/);
    const [text] = await docxText([await bytesOf(download)]);
    expect(text!.replace(/\s+/g, ' ')).toContain(`Valtuusto hyväksyy Kainuu-Koillismaan työllisyysalueen yhteistoimintasopimuksen, versio 2, tarkiste ${files.hash!.slice(0, 8)}…, liitteen mukaisena.`);
  }, 120_000);

  it("the host admin sends version 3 with a background text, which every council's proposal carries; the matrix as CSV", async () => {
    const page = await suite.person('admin.kajaani@sopu.example');
    await page.goto(`/areas/${AREA}`);
    await page.locator('a.document-link', { hasText: 'Yhteistoimintasopimus' }).click();
    await page.waitForURL(/\/documents\/[^/]+$/);
    // The demo's pending suggestions would keep the version from the councils (decision 025): the host rejects them.
    await page.evaluate(async (id) => {
      const pending = (await (await fetch(`/api/v1/documents/${id}/suggestions`)).json()) as Array<{ id: string }>;
      for (const s of pending) {
        const res = await fetch(`/api/v1/documents/${id}/suggestions/${s.id}/reject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'Ei tässä vaiheessa.' }) });
        if (res.status !== 200 && res.status !== 404) throw new Error(`reject ${s.id}: ${res.status}`);
      }
    }, new URL(page.url()).pathname.split('/').pop()!);
    await page.getByRole('link', { name: 'Versiot', exact: true }).click();
    await hydrated(page);
    await page.getByLabel('Version nimi').fill('Valtuustoille joulukuussa');
    await page.getByRole('button', { name: 'Tallenna versio' }).click();
    await expect.poll(() => page.getByText('Versio 3 on tallennettu.').count()).toBe(1);

    await page.goto(`/areas/${AREA}/approvals`);
    await hydrated(page);
    const background = 'Kainuun ja Koillismaan kunnat ovat valmistelleet sopimusta syksyn 2026.\n\nVersio 3 lähetetään kaikille valtuustoille.';
    await page.getByLabel('Versio', { exact: true }).selectOption('3');
    await page.getByLabel('Taustateksti päätösehdotuksiin').fill(background);
    await screenshot(page, 'exports-approvals-send');
    await page.getByRole('button', { name: 'Lähetä valtuustoille' }).click();
    await expect.poll(() => page.locator('section.proposals h2').textContent()).toBe('Päätösehdotukset valtuustoille (versio 3)');
    expect(await page.locator('section.proposals li').count()).toBe(10);
    await screenshot(page, 'exports-approvals-admin');
    await expectAccessible(page);

    const download = await downloadWithProgress(page, 'Päätösehdotus: Kajaani (Word-tiedosto)', 'Luodaan Word-tiedostoa…');
    const [text] = await docxText([await bytesOf(download)]);
    const flat = text!.replace(/\s+/g, ' ');
    expect(flat).toContain('Kainuun ja Koillismaan kunnat ovat valmistelleet sopimusta syksyn 2026.');
    expect(flat).toContain('Versio 3 lähetetään kaikille valtuustoille.');
    expect(flat).toContain('versio 3, tarkiste');

    const csv = await downloadWithProgress(page, 'Valtuustojen käsittely CSV-tiedostona', 'Luodaan CSV-tiedostoa…');
    const rows = (await bytesOf(csv)).toString('utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^Versio,Tarkiste,Lähetetty,/);
    expect(rows.filter((r) => r.startsWith('3,'))).toHaveLength(10);
  }, 180_000);
});
