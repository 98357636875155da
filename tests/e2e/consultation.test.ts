import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREA, expectAccessible, hydrated, launchBrowser, People, screenshot, startApp, type App } from './harness.ts';

// A consultation round on the host's administrative rules, from an empty demo (no drafted text): the host opens a
// round for three members, two answer, one does not, the deadline passes (the rules' clock is moved forward through
// SOPU_CLOCK_OFFSET_FILE), the host closes, answers, publishes and records the adoption; adopting a version nobody
// was heard on is refused on screen. A second server with the full demo shows a newcomer both demo rounds.

let app: App;
let demo: App;
let browser: Browser;
const people = new People();
const clockDir = mkdtempSync(join(tmpdir(), 'sopu-clock-'));
const clockFile = join(clockDir, 'offset');
const DAY = 86_400_000;

/** A Helsinki calendar day, as a date input wants it (yyyy-mm-dd). */
const helsinkiDay = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Helsinki' }).format(new Date(ms));

function person(server: App, email: string, lang?: 'sv'): Promise<Page> {
  return people.signIn(browser, server, email, lang);
}

async function rulesPath(page: Page): Promise<string> {
  await page.goto(`/areas/${AREA}`);
  await page.locator('a.document-link', { hasText: 'Hallintosääntö' }).click();
  await page.waitForURL(/\/documents\//);
  return new URL(page.url()).pathname;
}

beforeAll(async () => {
  writeFileSync(clockFile, '0');
  [app, demo] = await Promise.all([startApp({ env: { SEED_DEMO_CONTENT: 'false', SOPU_CLOCK_OFFSET_FILE: clockFile } }), startApp()]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await people.close();
  await browser?.close();
  await app?.stop();
  await demo?.stop();
  rmSync(clockDir, { recursive: true, force: true });
  expect(people.pageErrors).toEqual([]);
});

describe('consultation rounds on the administrative rules', () => {
  it('open a round, two members answer, one does not, the deadline passes, close, respond, publish, adopt; an unconsulted version is refused', async () => {
    const host = await person(app, 'admin.kajaani@sopu.example');
    const rules = await rulesPath(host);

    // A version to consult on.
    await host.goto(`${rules}/versions`);
    await hydrated(host);
    await host.getByLabel('Version nimi').fill('Hallintosäännön muutos lausunnolle');
    await host.getByRole('button', { name: 'Tallenna versio' }).click();
    await host.getByText('Versio 1 on tallennettu.').waitFor();

    // The host opens a round for Kuhmo, Sotkamo and Paltamo, deadline tomorrow at 16.00 Finnish time.
    await host.goto(`${rules}/rounds`);
    await hydrated(host);
    const form = host.getByRole('form', { name: 'Avaa lausuntokierros' });
    await form.getByLabel('Otsikko').fill('Lautakunnan kokousmenettely');
    await form.getByLabel('Kysymykset sopijakunnille').fill('Hyväksyttekö päätösvaltaisuuden äänimääräehdon?\nOnko sähköisille kokouksille tarvetta?');
    await form.getByLabel('Päivä').fill(helsinkiDay(Date.now() + DAY));
    await form.getByLabel('Kellonaika').fill('16:00');
    for (const box of await form.getByRole('checkbox').all()) {
      const name = (await box.evaluate((el) => el.parentElement?.textContent ?? '')).trim();
      if (!['Kuhmo', 'Sotkamo', 'Paltamo'].includes(name)) await box.uncheck();
    }
    await form.getByLabel('Saate').fill('Hallintosääntöön ehdotetaan muutoksia lautakunnan kokousmenettelyyn.');
    await expectAccessible(host);
    // First as a draft: only the host admin sees it; a member gets the same 404 as for a missing round.
    await form.getByRole('button', { name: 'Tallenna luonnoksena' }).click();
    await host.waitForURL(/\/rounds\/[^/?]+\?drafted=1/);
    const round = new URL(host.url()).pathname;
    await host.getByText('Tämä kierros on luonnos').waitFor();
    await screenshot(host, 'consultation-draft');
    const early = await person(app, 'rep.kuhmo@sopu.example');
    expect((await early.goto(round))?.status()).toBe(404);
    await early.goto(`/areas/${AREA}`);
    expect(await early.locator('.round-list__item', { hasText: 'Lautakunnan kokousmenettely' }).count()).toBe(0);
    await early.context().close();
    // Then opened from the draft.
    await host.getByRole('form', { name: 'Kierroksen luonnos' }).getByRole('button', { name: 'Avaa kierros' }).click();
    await host.waitForURL(/\?opened=1/);
    await host.getByText('Lausuntokierros on avattu. Kutsu näkyy 3 kunnan edustajille.').waitFor();
    expect(await host.getByTestId('round-deadline').textContent()).toMatch(/klo 16\.00 1 päivä jäljellä$/);
    await screenshot(host, 'consultation-round-opened');

    // Kuhmo's rep sees the round on the dashboard with the days left, and gives a general statement plus a comment.
    const kuhmo = await person(app, 'rep.kuhmo@sopu.example');
    await kuhmo.goto(`/areas/${AREA}`);
    const item = kuhmo.locator('.round-list__item', { hasText: 'Lautakunnan kokousmenettely' });
    await expect.poll(() => item.textContent()).toMatch(/1 päivä jäljellä.*Kuhmo: Ei vielä vastannut/);
    await item.getByRole('link').click();
    await kuhmo.waitForURL(round);
    await hydrated(kuhmo);
    await kuhmo.getByLabel('Yleinen lausunto').fill('Kuhmo kannattaa muutosta.');
    const section = kuhmo.locator('details.section-comment').first();
    await section.locator('summary').click();
    await section.locator('textarea').fill('Päätösvaltaisuuden ehto on selkeä.');
    await expectAccessible(kuhmo);
    await kuhmo.getByRole('button', { name: 'Anna lausunto' }).click();
    await kuhmo.getByText('Lausunto on annettu.').waitFor();
    // Before the close, a municipality sees only its own statement.
    expect(await kuhmo.locator('.invitee').count()).toBe(1);

    // Sotkamo's rep has no comments.
    const sotkamo = await person(app, 'rep.sotkamo@sopu.example');
    await sotkamo.goto(round);
    await hydrated(sotkamo);
    await sotkamo.getByLabel('Ei lausuttavaa').check();
    await sotkamo.getByRole('button', { name: 'Anna lausunto' }).click();
    await sotkamo.getByText('Lausunto on annettu.').waitFor();

    // The host sees who has answered, cannot close yet, and reminds Paltamo (its rep's bell rings).
    await host.goto(round);
    await hydrated(host);
    expect(await host.locator('.invitee[data-municipality="578"]').textContent()).toContain('Ei vielä vastannut');
    await expect.poll(() => host.getByRole('button', { name: 'Päätä kierros' }).isDisabled()).toBe(true);
    expect(await host.locator('.round-steps').textContent()).toContain('Kierroksen voi päättää, kun määräaika on päättynyt');
    await host.getByRole('button', { name: 'Muistuta vastaamattomia' }).click();
    await host.getByText('Muistutus lähetettiin yhden kunnan edustajille.').waitFor();
    const paltamo = await person(app, 'rep.paltamo@sopu.example');
    await paltamo.goto('/notifications');
    await paltamo.getByText(/muistuttaa: kuntasi lausunto puuttuu/).waitFor();

    // Two days later (the rules' clock moves), the deadline has passed: Paltamo can no longer answer, the host closes.
    // The server reads the offset file at every reading of its clock, so the next request already runs two days on.
    writeFileSync(clockFile, String(2 * DAY));
    await paltamo.goto(round);
    await hydrated(paltamo);
    expect(await paltamo.getByRole('button', { name: 'Anna lausunto' }).count()).toBe(0);
    await host.goto(round);
    await hydrated(host);
    host.once('dialog', (dialog) => void dialog.accept());
    await host.getByRole('button', { name: 'Päätä kierros' }).click();
    await host.getByText('Kierros on päätetty.').waitFor();
    expect(await host.locator('.invitee[data-municipality="578"]').textContent()).toContain('Ei vastannut määräaikaan mennessä');

    // Publishing is refused until every statement item has its response; then the host answers each and publishes.
    await host.getByRole('button', { name: 'Julkaise yhteenveto' }).waitFor();
    expect(await host.getByRole('button', { name: 'Julkaise yhteenveto' }).isDisabled()).toBe(true);
    const responses = host.getByRole('form', { name: 'Vastineet' });
    const selects = responses.locator('select');
    expect(await selects.count()).toBe(2);
    await selects.nth(0).selectOption('taken_into_account');
    await selects.nth(1).selectOption('partly');
    await responses.locator('textarea').nth(1).fill('Ehto täsmennetään kuntalain mukaiseksi.');
    await expectAccessible(host);
    await screenshot(host, 'consultation-responses');
    await responses.getByRole('button', { name: 'Tallenna vastineet' }).click();
    await host.getByText('Vastineet on tallennettu.').waitFor();
    await expect.poll(() => host.getByRole('button', { name: 'Julkaise yhteenveto' }).isDisabled()).toBe(false);
    await host.getByRole('button', { name: 'Julkaise yhteenveto' }).click();
    await host.waitForURL(/\/summary\?published=1/);
    const rows = host.locator('table.summary-table tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    expect(await rows.nth(0).textContent()).toMatch(/Kuhmo.*Kuhmo kannattaa muutosta\..*Otettu huomioon/);
    expect(await host.getByTestId('summary-counts').textContent()).toContain('Vastasi 2 (ei lausuttavaa 1), ei vastannut 1.');
    await expectAccessible(host);
    await screenshot(host, 'consultation-summary');
    // Members see the published summary too.
    await kuhmo.goto(`${round}/summary`);
    await expect.poll(() => kuhmo.locator('table.summary-table tbody tr').count()).toBe(4);

    // The host records the adoption of the consulted version.
    await host.goto(`${rules}/rounds`);
    await hydrated(host);
    const adopt = host.getByRole('form', { name: 'Kirjaa hyväksyminen' });
    await adopt.getByLabel('Hyväksytty versio').selectOption('1');
    await adopt.getByLabel('Päättänyt toimielin').fill('Kajaanin kaupunginvaltuusto');
    await adopt.getByLabel('Päätöspäivä').fill(helsinkiDay(Date.now() + 2 * DAY));
    await adopt.getByLabel('Pöytäkirjan pykälä (§)').fill('§ 45');
    await adopt.getByRole('button', { name: 'Kirjaa hyväksyminen' }).click();
    await host.getByText('Version 1 hyväksyminen on kirjattu.').waitFor();
    expect(await host.getByTestId('adoption').first().textContent()).toContain('Kajaanin kaupunginvaltuusto hyväksyi version 1');

    // A new version nobody was heard on: its adoption is refused, with the reason, and nothing is recorded.
    await host.goto(`${rules}/versions`);
    await hydrated(host);
    await host.getByLabel('Version nimi').fill('Lausunnon jälkeen muutettu');
    await host.getByRole('button', { name: 'Tallenna versio' }).click();
    await host.getByText('Versio 2 on tallennettu.').waitFor();
    await host.goto(`${rules}/rounds`);
    await hydrated(host);
    await adopt.getByLabel('Hyväksytty versio').selectOption('2');
    await adopt.getByLabel('Päättänyt toimielin').fill('Kajaanin kaupunginvaltuusto');
    await adopt.getByLabel('Päätöspäivä').fill(helsinkiDay(Date.now() + 2 * DAY));
    await adopt.getByLabel('Pöytäkirjan pykälä (§)').fill('§ 46');
    await adopt.getByRole('button', { name: 'Kirjaa hyväksyminen' }).click();
    await host.getByText('Tästä versiosta ei ole pyydetty lausuntoja. Avaa ensin lausuntokierros tästä versiosta.').waitFor();
    expect(await host.getByTestId('adoption').count()).toBe(1);
    await screenshot(host, 'consultation-adoption-refused');

    // The round's timeline tells it all.
    await host.goto(round);
    const timeline = await host.locator('.timeline').textContent();
    for (const step of ['avasi kierroksen', 'Kuhmo antoi lausunnon', 'Sotkamo antoi lausunnon', 'Muistutus: Paltamo', 'Määräaika päättyi', 'Ei vastannut: Paltamo', 'julkaisi yhteenvedon', 'Hyväksytty: Kajaanin kaupunginvaltuusto § 45']) expect(timeline).toContain(step);
    // A whole round in four browsers: about a minute alone, more on a shared two-core machine.
  }, 180_000);

  it('a newcomer sees the demo rounds, one finished with its summary and one open, in Finnish and in Swedish', async () => {
    const rep = await person(demo, 'rep.kuhmo@sopu.example');
    await rep.goto(`/areas/${AREA}`);
    const rounds = rep.locator('.round-list__item');
    await expect.poll(() => rounds.count()).toBeGreaterThanOrEqual(2);
    await expectAccessible(rep);
    await screenshot(rep, 'consultation-dashboard');
    await rounds.filter({ hasText: 'Yhteenveto julkaistu' }).first().getByRole('link').click();
    await hydrated(rep);
    await rep.getByRole('link', { name: 'Lausuntoyhteenveto' }).click();
    await expect.poll(() => rep.locator('table.summary-table tbody tr').count()).toBeGreaterThan(3);
    await screenshot(rep, 'consultation-demo-summary');

    const sv = await person(demo, 'rep.kuhmo@sopu.example', 'sv');
    await sv.goto(`/areas/${AREA}`);
    await sv.locator('.round-list__item', { hasText: 'På remiss' }).first().getByRole('link').click();
    await hydrated(sv);
    await sv.getByRole('heading', { name: /Lämna kommunens utlåtande|Komplettera kommunens utlåtande/ }).waitFor();
    await expectAccessible(sv);
    await screenshot(sv, 'consultation-demo-open-sv');
  });
});
