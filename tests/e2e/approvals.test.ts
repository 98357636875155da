import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { AREA, documentReady, e2eSuite, editorOf, expectAccessible, hydrated, OTHER_AREA, screenshot } from './harness.ts';

// Versions and council approvals on the demo agreement (version 1 drafted, version 2 out for approval with six of ten
// councils approved): the host admin saves and sends a version, three secretaries record their councils' decisions,
// a drafter edits the text, the approvals show they cover an older text with the diff, a new version goes out and
// all ten councils approve it: approved, the request closed, not in force. In Saaristo (every council approved, two
// decisions final) the last decision becomes final, and the agreement is in force once the date it states has come.

const suite = e2eSuite();
let agreementPath = '';

const TEN = ['Hyrynsalmi', 'Kajaani', 'Kuhmo', 'Kuusamo', 'Paltamo', 'Puolanka', 'Ristijärvi', 'Sotkamo', 'Suomussalmi', 'Taivalkoski'];
const slugOf = (name: string) => name.toLowerCase().replace(/ä/g, 'a').replace(/ö/g, 'o');
/** A Helsinki calendar day as the date input wants it (yyyy-mm-dd): today, or `days` from today. */
const today = (days = 0) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Helsinki' }).format(new Date(Date.now() + days * 86_400_000));
/** yyyy-mm-dd as the Finnish page writes it: 7.12.2026. */
const finnishDay = (day: string) => day.split('-').map(Number).reverse().join('.');

function person(email: string, lang?: 'sv'): Promise<Page> {
  return suite.person(email, lang);
}

async function findAgreement(page: Page): Promise<string> {
  if (!agreementPath) {
    await page.goto(`/areas/${AREA}`);
    await page.locator('a.document-link', { hasText: 'Yhteistoimintasopimus' }).click();
    await page.waitForURL(/\/documents\//);
    agreementPath = new URL(page.url()).pathname;
  }
  return agreementPath;
}

async function approvals(page: Page): Promise<void> {
  await page.goto(`/areas/${AREA}/approvals`);
  await hydrated(page);
}

const summary = (page: Page) => page.getByTestId('approval-summary');
/** A council's cell in the matrix; column 0 is the newest request (the open one). */
const cell = (page: Page, municipality: string, column = 0) =>
  page.locator('table.approval-matrix tbody tr', { has: page.locator('th', { hasText: municipality }) }).locator('td').nth(column);

/** Records a council's decision in the open column through the cell's form. */
async function record(page: Page, municipality: string, state: 'approved' | 'scheduled', section: string): Promise<void> {
  await cell(page, municipality).getByRole('button', { name: `Kirjaa valtuuston käsittely: ${municipality}` }).click();
  const form = page.getByRole('form', { name: `Kirjaa valtuuston käsittely: ${municipality}` });
  await form.getByLabel('Vaihe').selectOption(state);
  if (state === 'scheduled') await form.getByLabel('Kokouspäivä').fill(today());
  else {
    await form.getByLabel('Päätöspäivä').fill(today());
    await form.getByLabel('Pöytäkirjan pykälä (§)').fill(section);
  }
  await form.getByRole('button', { name: 'Kirjaa' }).click();
  await expect.poll(() => cell(page, municipality).getAttribute('class')).toContain(`approval-cell--${state}`);
}

describe('versions and council approvals', () => {
  it('a newcomer sees the demo matrix in progress, in Finnish and in Swedish', async () => {
    const admin = await person('admin.kajaani@sopu.example');
    await approvals(admin);
    await expect.poll(() => summary(admin).textContent()).toMatch(/^Ei voimassa: 6\/10 valtuustoa on hyväksynyt version 2/);
    expect(await cell(admin, 'Kuhmo').getAttribute('class')).toContain('approval-cell--scheduled');
    await expectAccessible(admin);
    await screenshot(admin, 'approvals-demo');

    const sv = await person('secretary.kuhmo@sopu.example', 'sv');
    await sv.goto(`/areas/${AREA}/approvals`);
    await expect.poll(() => summary(sv).textContent()).toMatch(/^Inte i kraft: 6\/10 fullmäktige har godkänt version 2/);
    await screenshot(sv, 'approvals-demo-sv');
    await sv.goto(`${await findAgreement(admin)}/compare?from=1&to=2`);
    // The text changed in sections 3 and 6; the sections agreed before the text went to the councils (issue 21) differ
    // from the first draft by their status.
    await expect.poll(() => sv.getByTestId('compare-summary').textContent()).toMatch(/^Skillnader i \d+ avsnitt: (\d+, )*3, (\d+, )*6(, \d+)*\.$/);
    await expect.poll(async () => (await sv.locator('section[data-section="governance"] del').allTextContents()).join('|')).toContain('30');
    await expectAccessible(sv);
    await screenshot(sv, 'compare-demo-sv');
  });

  it('save and send a version, three secretaries approve, an edit makes their approvals cover an older text, a new version goes out and all ten approve: approved, the request closed, not yet in force', async () => {
    const admin = await person('admin.kajaani@sopu.example');
    const agreement = await findAgreement(admin);
    // The host's drafter edits directly (a member municipality's drafter would only suggest, decision 025).
    const drafter = await person('drafter.kajaani@sopu.example');
    await drafter.goto(agreement);
    await documentReady(drafter, 'premises');
    // The demo's suggestions pending in the text would keep any version from the councils: the host rejects them.
    await admin.evaluate(async (id) => {
      const pending = (await (await fetch(`/api/v1/documents/${id}/suggestions`)).json()) as Array<{ id: string }>;
      for (const s of pending) {
        const res = await fetch(`/api/v1/documents/${id}/suggestions/${s.id}/reject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'Ei tässä vaiheessa.' }) });
        if (res.status !== 200 && res.status !== 404) throw new Error(`reject ${s.id}: ${res.status}`);
      }
    }, new URL(agreement, 'http://x').pathname.split('/').pop()!);
    /** The drafter adds a sentence at the end of a section; resolves once the versions page says the text changed. */
    const edit = async (sentence: string) => {
      await editorOf(drafter, 'premises').click();
      await drafter.keyboard.press('Control+End');
      await drafter.keyboard.type(` ${sentence}`);
      await expect
        .poll(
          async () => {
            await admin.goto(`${agreement}/versions`);
            return admin.getByTestId('current-vs-versions').textContent();
          },
          { timeout: 15_000 },
        )
        .toMatch(/^Tekstiä on muutettu/);
    };
    // The text first changes from the demo's version 2 (a version with the same text as one already approved would
    // carry those approvals: they are of its hash).
    await edit('Ensimmäinen muutos.');

    // The host admin saves the text as a named version and sends it to the councils.
    await admin.goto(`${agreement}/versions`);
    await hydrated(admin);
    await admin.getByLabel('Version nimi').fill('Valtuustokäsittelyyn (e2e)');
    await admin.getByRole('button', { name: 'Tallenna versio' }).click();
    await admin.getByText(/Versio \d+ on tallennettu/).waitFor();
    const saved = Number((await admin.getByText(/Versio \d+ on tallennettu/).textContent())!.match(/\d+/)![0]);
    await screenshot(admin, 'versions-saved');
    await expectAccessible(admin);
    await approvals(admin);
    await admin.getByLabel('Versio', { exact: true }).selectOption(String(saved));
    await admin.getByRole('button', { name: 'Lähetä valtuustoille' }).click();
    await admin.getByText(`Versio ${saved} on lähetetty valtuustojen käsiteltäväksi.`).waitFor();
    await expect.poll(() => summary(admin).textContent()).toMatch(new RegExp(`^Ei voimassa: 0/10 valtuustoa on hyväksynyt version ${saved}`));

    // Three council secretaries, each in a browser of their own, record their councils' approvals; each may record
    // only its own municipality's row.
    for (const [name, section] of [['Kuhmo', '41 §'], ['Sotkamo', '112 §'], ['Puolanka', '7 §']] as const) {
      const secretary = await person(`secretary.${slugOf(name)}@sopu.example`);
      await approvals(secretary);
      const buttons = secretary.locator('table.approval-matrix tbody td').getByRole('button', { name: /^Kirjaa valtuuston käsittely/ });
      expect(await buttons.count()).toBeGreaterThan(0);
      for (const label of await buttons.evaluateAll((all) => all.map((b) => b.getAttribute('aria-label')))) expect(label).toBe(`Kirjaa valtuuston käsittely: ${name}`);
      if (name === 'Kuhmo') {
        // A decision dated the day before the version was sent is refused, and the form says which field and why.
        await cell(secretary, name).getByRole('button', { name: `Kirjaa valtuuston käsittely: ${name}` }).click();
        const form = secretary.getByRole('form', { name: `Kirjaa valtuuston käsittely: ${name}` });
        await form.getByLabel('Vaihe').selectOption('approved');
        await form.getByLabel('Päätöspäivä').fill(today(-1));
        await form.getByLabel('Pöytäkirjan pykälä (§)').fill(section);
        await form.getByRole('button', { name: 'Kirjaa' }).click();
        await expect
          .poll(() => form.getByRole('alert').textContent())
          .toContain(`Päätöspäivä: Päätös on päivätty ennen kuin versio ${saved} lähetettiin valtuustoille (${finnishDay(today())}).`);
        expect(await cell(secretary, name).getAttribute('class')).toContain('approval-cell--pending');
        await expectAccessible(secretary);
        await screenshot(secretary, 'approvals-decision-before-sent');
        // The date put right, the same form records it.
        await form.getByLabel('Päätöspäivä').fill(today());
        await form.getByRole('button', { name: 'Kirjaa' }).click();
        await expect.poll(() => cell(secretary, name).getAttribute('class')).toContain('approval-cell--approved');
      } else await record(secretary, name, 'approved', section);
      await expect.poll(() => cell(secretary, name).textContent()).toContain(section);
      await secretary.context().close();
    }
    await approvals(admin);
    await expect.poll(() => summary(admin).textContent()).toMatch(new RegExp(`^Ei voimassa: 3/10 valtuustoa on hyväksynyt version ${saved}`));

    // A drafter edits the text: the approvals now cover an older text, with a link to what changed.
    await edit('Lisäys valtuustokäsittelyn jälkeen.');
    await approvals(admin);
    await admin.getByTestId('open-request-stale').waitFor();
    const stale = cell(admin, 'Kuhmo').getByRole('link', { name: 'koskee vanhempaa tekstiä – näytä muutokset' });
    await stale.waitFor();
    expect(await cell(admin, 'Kajaani').getByRole('link', { name: /vanhempaa tekstiä/ }).count()).toBe(0);
    await expectAccessible(admin);
    await screenshot(admin, 'approvals-older-text');
    await stale.click();
    await admin.waitForURL(/\/compare\?/);
    await expect.poll(() => admin.getByTestId('compare-summary').textContent()).toMatch(/^Ero yhdessä osiossa: \d+\.$/);
    // Inserted words are <ins> (with a word for screen readers first); nothing was deleted.
    await expect.poll(async () => (await admin.locator('section[data-section="premises"] ins').allTextContents()).join('|')).toBe('lisätty:  Lisäys valtuustokäsittelyn jälkeen.');
    expect(await admin.locator('section[data-section="premises"] del').count()).toBe(0);
    await expectAccessible(admin);
    await screenshot(admin, 'compare-older-text');

    // A new version goes out: it supersedes the open request; the old approvals stay on record against their hash.
    await admin.goto(`${agreement}/versions`);
    await hydrated(admin);
    await admin.getByLabel('Version nimi').fill('Korjattu valtuustokäsittelyyn (e2e)');
    await admin.getByRole('button', { name: 'Tallenna versio' }).click();
    await admin.getByText(`Versio ${saved + 1} on tallennettu.`).waitFor();
    await approvals(admin);
    await admin.getByLabel('Versio', { exact: true }).selectOption(String(saved + 1));
    await admin.getByRole('button', { name: 'Lähetä valtuustoille' }).click();
    await admin.getByText(`Versio ${saved + 1} on lähetetty valtuustojen käsiteltäväksi.`).waitFor();
    await expect.poll(() => cell(admin, 'Kuhmo', 1).getAttribute('class')).toContain('approval-cell--approved');
    expect(await cell(admin, 'Kuhmo', 1).textContent()).toContain('41 §');

    // All ten: the three secretaries again, the host admin on behalf of the other seven (marked as such).
    for (const [name, section] of [['Kuhmo', '52 §'], ['Sotkamo', '130 §'], ['Puolanka', '11 §']] as const) {
      const secretary = await person(`secretary.${slugOf(name)}@sopu.example`);
      await approvals(secretary);
      await record(secretary, name, 'approved', section);
      await secretary.context().close();
    }
    await approvals(admin);
    for (const name of TEN.filter((n) => !['Kuhmo', 'Sotkamo', 'Puolanka'].includes(n))) await record(admin, name, 'approved', '9 §');
    expect(await cell(admin, 'Paltamo').textContent()).toContain('kirjattu kunnan puolesta');
    await approvals(admin);
    // Approved by every council is not in force: the request is closed, and no decision is final yet.
    await expect
      .poll(() => summary(admin).textContent())
      .toMatch(new RegExp(`^Ei vielä voimassa: kaikki 10 valtuustoa hyväksyivät version ${saved + 1} \\([0-9a-f]{4}…\\) \\d+\\.\\d+\\.; lainvoimaisia 0/10; .* odottavat lainvoimaa; tulee voimaan 1\\.1\\.\\d{4}, kun kaikki päätökset ovat lainvoimaisia$`));
    expect(await admin.locator('table.approval-matrix thead th').nth(1).textContent()).toContain('kaikki päättäneet');
    expect(await admin.getByTestId('approval-steps').locator('[data-step="approved"]').getAttribute('class')).toContain('approval-step--done');
    expect(await admin.getByTestId('approval-steps').locator('[data-step="in-force"]').getAttribute('class')).not.toContain('approval-step--done');
    await expectAccessible(admin);
    await screenshot(admin, 'approvals-approved-not-in-force');
    // A long story of many pages in several browsers: on a shared two-core machine it takes well over a minute.
  }, 240_000);

  it('in Saaristo the last decision becomes final, and the agreement is in force only once the date it states has come (in Swedish)', async () => {
    const secretary = await person('secretary.saarela@sopu.example', 'sv');
    await secretary.goto(`/areas/${OTHER_AREA}/approvals`);
    await hydrated(secretary);
    await expect
      .poll(() => summary(secretary).textContent())
      .toMatch(/^Ännu inte i kraft: alla 3 fullmäktige godkände version 2 \([0-9a-f]{4}…\) den \d+\.\d+\.; laga kraft 2\/3; Saarela väntar på laga kraft; träder i kraft den 1\.1\.\d{4} när alla beslut har vunnit laga kraft$/);
    await screenshot(secretary, 'approvals-saaristo-sv');

    // Saarela's secretary records that the council's decision became final yesterday.
    await cell(secretary, 'Saarela').getByRole('button', { name: 'Registrera fullmäktiges behandling: Saarela' }).click();
    const form = secretary.getByRole('form', { name: 'Registrera fullmäktiges behandling: Saarela' });
    await form.getByLabel('Skede').selectOption('final');
    await form.getByLabel('Dag då beslutet vann laga kraft').fill(today(-1));
    await form.getByRole('button', { name: 'Registrera' }).click();
    await expect.poll(() => cell(secretary, 'Saarela').getAttribute('class')).toContain('approval-cell--final');
    expect(await cell(secretary, 'Saarela').textContent()).toContain(`laga kraft ${finnishDay(today(-1))}`);
    // Every decision final: still not in force before the date the agreement states.
    await expect
      .poll(() => summary(secretary).textContent())
      .toMatch(/^Ännu inte i kraft: alla 3 fullmäktige godkände version 2 \([0-9a-f]{4}…\) den \d+\.\d+\., besluten vann laga kraft den \d+\.\d+\., undertecknat 2\/3; träder i kraft den 1\.1\.\d{4}$/);
    await secretary.context().close();

    // The host admin sets the date the agreement states to today: in force from today.
    const admin = await person('admin.rantala@sopu.example', 'sv');
    await admin.goto(`/areas/${OTHER_AREA}/approvals`);
    await hydrated(admin);
    await admin.getByLabel('Ikraftträdandedag enligt avtalet').fill(today());
    await admin.getByRole('button', { name: 'Spara ikraftträdandedagen' }).click();
    await admin.getByText('Ikraftträdandedagen har sparats.').waitFor();
    await expect.poll(() => summary(admin).textContent()).toMatch(new RegExp(`^I kraft från ${finnishDay(today()).replace(/\./g, '\\.')}: alla 3 fullmäktige godkände version 2 `));
    expect(await admin.getByTestId('approval-steps').locator('[data-step="in-force"]').getAttribute('class')).toContain('approval-step--done');
    await expectAccessible(admin);
    await screenshot(admin, 'approvals-in-force-sv');
  });
});
