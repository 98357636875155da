import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREA, expectAccessible, hydrated, launchBrowser, OTHER_AREA, People, screenshot, startApp, type App } from './harness.ts';

// Consultation as municipalities answer it (docs/decisions/027), in Chromium, in Finnish and in Swedish: the host sets
// the agreement's minimum period, a shorter round warns and opens only with a reason; a rep answers question by
// question, records the board's decision and attaches its minutes, while a renamed program, a 30 MB file and a zip
// bomb are refused and change nothing. In Swedish, a round goes from answers to the published summary grouped by
// question.

let app: App;
let browser: Browser;
const people = new People();
const scratch = mkdtempSync(join(tmpdir(), 'sopu-attachments-'));
const DAY = 86_400_000;
const helsinkiDay = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Helsinki' }).format(new Date(ms));

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

/** A Windows program (MZ … PE), named as a PDF. */
function program(): Buffer {
  const bytes = Buffer.alloc(4096);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  return bytes;
}

/** A DOCX whose one extra entry unpacks 200 MB of zeros from a few hundred kilobytes (a zip bomb). */
function zipBomb(): Buffer {
  const entries: Array<[string, Buffer]> = [
    ['[Content_Types].xml', Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')],
    ['word/document.xml', Buffer.from('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')],
    ['word/media/zeros.bin', Buffer.alloc(200 * 1024 * 1024)],
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const packed = deflateRawSync(data);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, packed);
    centrals.push(central, n);
    offset += 30 + n.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** The area's administrative rules, with a saved version (through the API, as the versions page would). */
async function rulesWithVersion(page: Page, slug: string): Promise<string> {
  const documents = (await (await page.request.get(`/api/v1/areas/${slug}/documents`)).json()) as Array<{ id: string; kind: string }>;
  const rules = documents.find((d) => d.kind === 'administrative_rules')!.id;
  const saved = await page.request.post(`/api/v1/documents/${rules}/versions`, { data: { label: 'Lausunnolle' }, headers: { origin: app.url } });
  expect(saved.status()).toBe(201);
  return `/areas/${slug}/documents/${rules}`;
}

beforeAll(async () => {
  app = await startApp({ env: { SEED_DEMO_CONTENT: 'false' } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await people.close();
  await browser?.close();
  await app?.stop();
  rmSync(scratch, { recursive: true, force: true });
  expect(people.pageErrors).toEqual([]);
});

describe('consultation as municipalities answer it', () => {
  it('Finnish: the minimum period warns and asks for a reason; answers per question, the decision, and only safe attachments', async () => {
    const host = await people.signIn(browser, app, 'admin.kajaani@sopu.example');
    // The agreement's minimum period: 45 days, July not counted.
    await host.goto(`/areas/${AREA}/settings`);
    await hydrated(host);
    const period = host.getByRole('form', { name: 'Vähimmäislausuntoaika' });
    await period.getByLabel('Päiviä vähintään').fill('45');
    await period.getByLabel('Heinäkuuta ei lueta lausuntoaikaan').check();
    await period.getByRole('button', { name: 'Tallenna' }).click();
    await period.getByText('Tallennettu').waitFor();
    await screenshot(host, 'consultation-period-setting');

    const rules = await rulesWithVersion(host, AREA);
    await host.goto(`${rules}/rounds`);
    await hydrated(host);
    const form = host.getByRole('form', { name: 'Avaa lausuntokierros' });
    await form.getByLabel('Otsikko').fill('Kokouspalkkiot 2027');
    await form.getByLabel('Kysymykset sopijakunnille').fill('Onko kokouspalkkio sopiva?\nRiittääkö seitsemän päivän kutsuaika?');
    await form.getByLabel('Päivä').fill(helsinkiDay(Date.now() + 20 * DAY));
    // The warning appears as the date is chosen; without a reason the server refuses too.
    await form.getByText(/Lausuntoaikaa jää vain 20 päivää; sopimuksen mukaan sen on oltava vähintään 45 päivää/).waitFor();
    await expectAccessible(host);
    await screenshot(host, 'consultation-short-period-warning');
    await form.getByRole('button', { name: 'Avaa kierros' }).click();
    await host.getByText('Lausuntoaikaa on 20 päivää, mutta sopimuksen mukaan vähintään 45: kirjaa syy lyhyemmälle ajalle.').first().waitFor();
    await form.getByLabel('Syy lyhyempään lausuntoaikaan').fill('Valtuusto kokoontuu ennen vuodenvaihdetta.');
    await form.getByRole('button', { name: 'Avaa kierros' }).click();
    await host.waitForURL(/\/rounds\/[^/?]+\?opened=1/);
    const round = new URL(host.url()).pathname;
    await host.getByText(/Kierros avattiin 20 päivän lausuntoajalla.*Syy: Valtuusto kokoontuu ennen vuodenvaihdetta\./).waitFor();

    // Kuhmo's rep answers the questions one by one and records the executive board's decision.
    const kuhmo = await people.signIn(browser, app, 'rep.kuhmo@sopu.example');
    await kuhmo.goto(round);
    await hydrated(kuhmo);
    await kuhmo.getByLabel('Kysymys 1: Onko kokouspalkkio sopiva?').fill('On sopiva.');
    await kuhmo.getByLabel('Kysymys 2: Riittääkö seitsemän päivän kutsuaika?').fill('Riittää, kun esityslista on liitteineen.');
    await kuhmo.getByLabel('Päättäjä').fill('Kunnanhallitus');
    await kuhmo.getByLabel('Päätöspäivä').fill(helsinkiDay(Date.now()));
    await kuhmo.getByLabel('Pykälä').fill('§ 112');
    await kuhmo.getByLabel('Linkki pöytäkirjaan').fill('https://kuhmo.cloudnc.fi/pk/112');
    await expectAccessible(kuhmo);
    await kuhmo.getByRole('button', { name: 'Anna lausunto' }).click();
    await kuhmo.getByText('Lausunto on annettu.').waitFor();
    const own = kuhmo.locator('.invitee[data-municipality="290"]');
    await own.getByText('Kysymys 2: Riittääkö seitsemän päivän kutsuaika?').waitFor();
    expect(await own.locator('.statement__decision').textContent()).toMatch(/^Päättäjä: Kunnanhallitus \d+\.\d+\.\d{4}, 112 §\. Pöytäkirja$/);
    // The form shows the section as stored, not as typed (issue 21: it said "§ 112" until a reload).
    await expect.poll(() => kuhmo.getByLabel('Pykälä').inputValue()).toBe('112 §');

    // A PDF is attached; a renamed program and a zip bomb are refused by the server, a 30 MB file before sending.
    await hydrated(kuhmo);
    const upload = own.locator('form.attachment-upload');
    await upload.locator('input[type=file]').setInputFiles({ name: 'Pöytäkirjanote.pdf', mimeType: 'application/pdf', buffer: PDF });
    await upload.getByRole('button', { name: 'Lisää liite' }).click();
    await own.getByRole('link', { name: 'Pöytäkirjanote.pdf' }).waitFor();
    await upload.locator('input[type=file]').setInputFiles({ name: 'lausunto.pdf', mimeType: 'application/pdf', buffer: program() });
    await upload.getByRole('button', { name: 'Lisää liite' }).click();
    await upload.getByText(/Liitteeksi käyvät vain PDF-, Word- \(DOCX\) ja OpenDocument-tiedostot/).waitFor();
    await upload.locator('input[type=file]').setInputFiles({ name: 'liite.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: zipBomb() });
    await upload.getByRole('button', { name: 'Lisää liite' }).click();
    await upload.getByText(/Tiedostoa ei hyväksytty: se purkautuu moninkertaiseksi/).waitFor();
    // 30 MB from a file (a buffer that large crawls over the DevTools protocol).
    const big = join(scratch, 'iso.pdf');
    writeFileSync(big, Buffer.alloc(30 * 1024 * 1024));
    await upload.locator('input[type=file]').setInputFiles(big);
    await upload.getByRole('button', { name: 'Lisää liite' }).click();
    await upload.getByText(/Tiedosto on liian suuri/).waitFor();
    await screenshot(kuhmo, 'consultation-statement-attachments');
    // The server's own 413 for 30 MB on these paths is proven against the real server in apps/web/server/app.test.ts
    // (here the server answers from the declared length and drops the rest, which a test client writing 30 MB sees
    // as a broken pipe).
    // Nothing but the PDF was stored; it downloads as an attachment.
    const view = await (await kuhmo.request.get(`/api/v1/rounds/${round.split('/').pop()}`)).json();
    const files = view.invitees.find((i: { municipality: { code: string } }) => i.municipality.code === '290').attachments;
    expect(files.map((f: { fileName: string }) => f.fileName)).toEqual(['Pöytäkirjanote.pdf']);
    const file = await kuhmo.request.get(`/api/v1/attachments/${files[0].id}`);
    expect(file.headers()['content-disposition']).toMatch(/^attachment;/);
    expect(file.headers()['x-content-type-options']).toBe('nosniff');
    // Another municipality does not see Kuhmo's file before the close.
    const sotkamo = await people.signIn(browser, app, 'rep.sotkamo@sopu.example');
    expect((await sotkamo.request.get(`/api/v1/attachments/${files[0].id}`)).status()).toBe(404);
    // Sotkamo cannot remove it either; Kuhmo's rep, who uploaded it, removes it with the button beside it.
    expect((await sotkamo.request.delete(`/api/v1/attachments/${files[0].id}`, { headers: { origin: app.url } })).status()).toBe(404);
    await own.getByRole('button', { name: 'Poista liite Pöytäkirjanote.pdf' }).click();
    await own.getByText('Liite Pöytäkirjanote.pdf on poistettu.').waitFor();
    await expect.poll(() => own.getByRole('link', { name: 'Pöytäkirjanote.pdf' }).count()).toBe(0);
    await screenshot(kuhmo, 'consultation-attachment-removed');
    const after = await (await kuhmo.request.get(`/api/v1/rounds/${round.split('/').pop()}`)).json();
    expect(after.invitees.find((i: { municipality: { code: string } }) => i.municipality.code === '290').attachments).toEqual([]);
    expect((await kuhmo.request.get(`/api/v1/attachments/${files[0].id}`)).status()).toBe(404);
  }, 180_000);

  it('Swedish: answers per question, the board’s decision, the responses and the summary grouped by question', async () => {
    const host = await people.signIn(browser, app, 'admin.rantala@sopu.example', 'sv');
    const rules = await rulesWithVersion(host, OTHER_AREA);
    await host.goto(`${rules}/rounds`);
    await hydrated(host);
    const form = host.getByRole('form', { name: 'Inled en remissrunda' });
    await form.getByLabel('Rubrik').fill('Sammanträdesarvoden');
    await form.getByLabel('Frågor till avtalskommunerna').fill('Är arvodet skäligt?\nBör väntetiden ersättas?');
    await form.getByLabel('Datum').fill(helsinkiDay(Date.now() + 10 * DAY));
    for (const box of await form.getByRole('checkbox').all()) {
      const name = (await box.evaluate((el) => el.parentElement?.textContent ?? '')).trim();
      if (name !== 'Holmby') await box.uncheck();
    }
    await form.getByRole('button', { name: 'Inled remissrundan' }).click();
    await host.waitForURL(/\/rounds\/[^/?]+\?opened=1/);
    const round = new URL(host.url()).pathname;

    const holmby = await people.signIn(browser, app, 'rep.holmpy@sopu.example', 'sv');
    await holmby.goto(round);
    await hydrated(holmby);
    await holmby.getByLabel('Fråga 1: Är arvodet skäligt?').fill('Ja.');
    await holmby.getByLabel('Fråga 2: Bör väntetiden ersättas?').fill('Ja, också för ersättare.');
    await holmby.getByLabel('Beslutsfattare').fill('Kommunstyrelsen');
    await holmby.getByLabel('Beslutsdatum').fill(helsinkiDay(Date.now()));
    await holmby.getByLabel('Paragraf').fill('58');
    await expectAccessible(holmby);
    await screenshot(holmby, 'consultation-statement-sv');
    await holmby.getByRole('button', { name: 'Lämna utlåtandet' }).click();
    await holmby.getByText('Utlåtandet har lämnats.').first().waitFor();
    // The section as stored; a file attached by mistake is removed with its button, in Swedish.
    await expect.poll(() => holmby.getByLabel('Paragraf').inputValue()).toBe('58 §');
    await hydrated(holmby);
    const mine = holmby.locator('.invitee[data-municipality="902"]');
    await mine.locator('form.attachment-upload input[type=file]').setInputFiles({ name: 'fel-bilaga.pdf', mimeType: 'application/pdf', buffer: PDF });
    await mine.locator('form.attachment-upload').getByRole('button', { name: 'Lägg till bilaga' }).click();
    await mine.getByRole('link', { name: 'fel-bilaga.pdf' }).waitFor();
    await mine.getByRole('button', { name: 'Ta bort bilagan fel-bilaga.pdf' }).click();
    await mine.getByText('Bilagan fel-bilaga.pdf har tagits bort.').waitFor();
    await expect.poll(() => mine.getByRole('link', { name: 'fel-bilaga.pdf' }).count()).toBe(0);
    await screenshot(holmby, 'consultation-attachment-removed-sv');

    // Everyone answered: the host closes early, responds to each answer, publishes.
    await host.goto(round);
    await hydrated(host);
    host.once('dialog', (dialog) => void dialog.accept());
    await host.getByRole('button', { name: 'Avsluta remissrundan' }).click();
    await host.getByText(/Remissrundan har avslutats/).waitFor();
    await hydrated(host);
    const responses = host.getByRole('form', { name: 'Bemötanden' });
    await responses.locator('select[name="status:902:q1"]').selectOption('taken_into_account');
    await responses.locator('select[name="status:902:q2"]').selectOption('partly');
    await responses.locator('textarea[name="reason:902:q2"]').fill('Ersätts för ordinarie ledamöter.');
    await responses.getByRole('button', { name: 'Spara bemötandena' }).click();
    await host.getByText('Bemötandena har sparats.').waitFor();
    await host.getByRole('button', { name: 'Publicera sammandraget' }).click();
    await host.waitForURL(/\/summary\?published=1/);
    await host.getByRole('heading', { name: 'Fråga 2: Bör väntetiden ersättas?' }).waitFor();
    const second = host.locator('section.summary-question').nth(1);
    expect(await second.textContent()).toContain('Ja, också för ersättare.');
    expect(await second.textContent()).toContain('Ersätts för ordinarie ledamöter.');
    expect(await host.locator('.summary-decisions').textContent()).toMatch(/Holmby: Beslutsfattare: Kommunstyrelsen \d+\.\d+\.\d{4}, 58 §\./);
    await expectAccessible(host);
    await screenshot(host, 'consultation-summary-by-question-sv');
  }, 180_000);
});
