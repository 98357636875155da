import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { AREA, documentReady, e2eSuite, expectAccessible, hydrated, OTHER_AREA, screenshot } from './harness.ts';

// The area's settings and the checks the law implies, on the demo area: the host admin gives Kajaani a majority in
// the joint body (the live preview and the saved check both say so, and the agreement's checks link to the section),
// restores it, inserts a chair rotation and a cost-share table into the agreement, and adds a milestone that the
// dashboard then counts down to; a member reads the checks in Swedish.

const suite = e2eSuite();

function person(email: string, lang?: 'sv'): Promise<Page> {
  return suite.person(email, lang);
}

const check = (page: Page, id: string) => page.locator(`[data-testid="checks"] [data-check="${id}"]`).first();

describe('area settings and checks', () => {
  it('the joint body: a majority shows live and in the checks, beside the agreement with a link to the section', async () => {
    const admin = await person('admin.kajaani@sopu.example');
    await admin.goto(`/areas/${AREA}`);
    await expect.poll(() => check(admin, 'joint_body_majority').getAttribute('class')).toContain('check--pass');
    expect(await check(admin, 'labour_force_threshold').getAttribute('class')).toContain('check--pass');
    // A check that passes has nothing to fix: its link shows the section.
    expect(await check(admin, 'joint_body_majority').getByRole('link').textContent()).toBe('Näytä sopimuksessa');
    await expectAccessible(admin);
    await screenshot(admin, 'settings-dashboard-checks');

    await admin.getByRole('navigation', { name: 'Alueen sivut' }).getByRole('link', { name: 'Asetukset' }).click();
    await admin.waitForURL(/\/settings$/);
    await hydrated(admin);
    await expectAccessible(admin);
    await screenshot(admin, 'settings-page');
    const form = admin.getByRole('form', { name: 'Yhteinen toimielin' });
    const seats = form.getByLabel('Jäsenpaikat: Kajaani');
    const before = await seats.inputValue();
    // Nonsense is refused in words, naming the row, and nothing changes.
    await seats.fill('neljä');
    await form.getByRole('button', { name: 'Tallenna' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('Kajaani, jäsenpaikat: anna luku');
    await seats.fill('40');
    // The preview follows the typing, by the same rule the check uses.
    await expect.poll(() => form.getByTestId('vote-verdict').textContent()).toMatch(/^Ei täyty: kunnalla Kajaani on yli puolet äänistä/);
    await form.getByRole('button', { name: 'Tallenna' }).click();
    await form.getByText('Tallennettu.').waitFor();

    await admin.goto(`/areas/${AREA}`);
    await expect.poll(() => check(admin, 'joint_body_majority').getAttribute('class')).toContain('check--fail');
    expect(await check(admin, 'joint_body_majority').textContent()).toContain('Kajaani');
    // Beside the agreement, the failing check opens by itself and leads to the section where it is fixed.
    expect(await check(admin, 'joint_body_majority').getByRole('link').textContent()).toBe('Korjaa sopimuksessa');
    await check(admin, 'joint_body_majority').getByRole('link', { name: 'Korjaa sopimuksessa' }).click();
    await admin.waitForURL(/\/documents\/[^#]+#section-/);
    await documentReady(admin, 'parties');
    const panel = admin.locator('details.document-checks');
    expect(await panel.getAttribute('open')).not.toBeNull();
    await expect.poll(() => panel.locator('[data-check="joint_body_majority"]').getAttribute('class')).toContain('check--fail');
    await screenshot(admin, 'settings-document-checks');

    // Put it back.
    await admin.goto(`/areas/${AREA}/settings`);
    await hydrated(admin);
    await admin.getByRole('form', { name: 'Yhteinen toimielin' }).getByLabel('Jäsenpaikat: Kajaani').fill(before);
    await admin.getByRole('form', { name: 'Yhteinen toimielin' }).getByRole('button', { name: 'Tallenna' }).click();
    await admin.getByRole('form', { name: 'Yhteinen toimielin' }).getByText('Tallennettu.').waitFor();
    await admin.goto(`/areas/${AREA}`);
    await expect.poll(() => check(admin, 'joint_body_majority').getAttribute('class')).toContain('check--pass');
  });

  it('a chair rotation and cost shares go into the agreement as tables; a milestone counts down on the dashboard', async () => {
    const admin = await person('admin.kajaani@sopu.example');
    await admin.goto(`/areas/${AREA}/settings`);
    await hydrated(admin);

    const rotation = admin.getByRole('form', { name: 'Puheenjohtajakierto' });
    await rotation.getByLabel('Ensimmäinen vuosi').fill('2027');
    await rotation.getByLabel('Vuosia').fill('3');
    await rotation.getByRole('button', { name: 'Näytä ehdotus' }).click();
    const rows = admin.getByTestId('rotation').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    for (const row of await rows.all()) {
      const [chair, vice, secretary] = (await row.locator('td').allTextContents()).map((s) => s.trim());
      expect(new Set([chair, vice, secretary]).size).toBe(3);
    }
    await rotation.getByRole('button', { name: 'Lisää sopimukseen' }).click();
    await admin.getByText('Kiertotaulukko on lisätty sopimukseen.').waitFor();

    const costs = admin.getByRole('form', { name: 'Kustannusosuudet' });
    await costs.getByLabel('Vuosi').fill('2027');
    await costs.getByLabel('Nettokustannukset (€)').fill('1 000 000,01');
    await costs.getByRole('button', { name: 'Laske', exact: true }).click();
    const table = admin.getByTestId('cost-shares');
    await table.waitFor();
    // The euros add up to the cent, the per cents to 100.
    expect((await table.locator('tfoot').textContent())?.replace(/\s/g, '')).toContain('1000000,01€');
    const cents = (await table.locator('tbody td:nth-child(4)').allTextContents()).map((s) => Number(s.replace(/[^\d]/g, '')));
    expect(cents.reduce((a, b) => a + b, 0)).toBe(100_000_001);
    await costs.getByRole('button', { name: 'Laske ja lisää sopimukseen' }).click();
    await admin.getByText('Kustannustaulukko on lisätty sopimukseen.').waitFor();
    await screenshot(admin, 'settings-tables');

    // The tables are in the agreement, after the sections' own text.
    await admin.getByRole('link', { name: 'Avaa sopimuksen kohta' }).click();
    await documentReady(admin, 'finance_administration');
    await expect.poll(() => admin.locator('section[data-section="body_composition"] table').count()).toBeGreaterThan(0);
    await expect.poll(async () => (await admin.locator('section[data-section="finance_administration"] table').last().textContent())?.replace(/\s/g, '')).toContain('1000000,01');

    // A milestone in ten days: the dashboard counts down to it.
    await admin.goto(`/areas/${AREA}/settings`);
    await hydrated(admin);
    const milestones = admin.getByRole('form', { name: 'Aikataulu' });
    const last = (await milestones.locator('tbody tr').count()) - 1;
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Helsinki' }).format(new Date(Date.now() + 10 * 86_400_000));
    await milestones.getByLabel(`Rivi ${last + 1}: päivä`).fill(day);
    await milestones.getByLabel(`Rivi ${last + 1}: laji`).selectOption('deadline');
    await milestones.getByLabel(`Rivi ${last + 1}: nimi suomeksi`).fill('Lausunnot sopimusluonnoksesta');
    await milestones.getByRole('button', { name: 'Tallenna' }).click();
    await milestones.getByText('Tallennettu.').waitFor();
    await admin.goto(`/areas/${AREA}`);
    await expect.poll(() => admin.locator('.milestone', { hasText: 'Lausunnot sopimusluonnoksesta' }).textContent()).toContain('10 päivää jäljellä');
  });

  it('numbers typed with a point or a comma are read or refused in words; a table inserted again replaces the old one; the check compares it with the settings', async () => {
    const admin = await person('admin.kajaani@sopu.example');
    await admin.goto(`/areas/${AREA}/settings`);
    await hydrated(admin);
    const form = admin.getByRole('form', { name: 'Yhteinen toimielin' });
    const seats = form.getByLabel('Jäsenpaikat: Kajaani');
    const before = await seats.inputValue();
    // "2,5" seats: the preview says what it cannot read (the verdict no longer vanishes), saving is refused naming the row.
    await seats.fill('2,5');
    await expect.poll(() => form.getByTestId('vote-verdict').textContent()).toBe('Osuuksia ei voi laskea: Kajaani, jäsenpaikat: kirjoita kokonaisluku ilman pistettä tai pilkkua (esim. 20\u00a0333).');
    await form.getByRole('button', { name: 'Tallenna' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('Kajaani, jäsenpaikat: kirjoita kokonaisluku ilman pistettä tai pilkkua');
    await screenshot(admin, 'settings-typed-number-refused');
    // Votes per seat with a decimal comma are read.
    await seats.fill(before);
    await form.getByLabel('Ääniä jäsentä kohden: Kajaani').fill('13,0');
    await expect.poll(() => form.getByTestId('vote-verdict').textContent()).toMatch(/^Kunnossa/);

    // The rotation inserted twice: the second replaces the first (one table in § 4).
    const rotation = admin.getByRole('form', { name: 'Puheenjohtajakierto' });
    await rotation.getByLabel('Ensimmäinen vuosi').fill('2027');
    await rotation.getByLabel('Vuosia').fill('3');
    await rotation.getByRole('button', { name: 'Lisää sopimukseen' }).click();
    await admin.getByText(/^(Kiertotaulukko on lisätty sopimukseen\.|Sopimuksen kiertotaulukko on korvattu uudella\.)$/).waitFor();
    await hydrated(admin);
    await rotation.getByLabel('Vuosia').fill('4');
    await rotation.getByRole('button', { name: 'Lisää sopimukseen' }).click();
    await admin.getByText('Sopimuksen kiertotaulukko on korvattu uudella.').waitFor();
    await screenshot(admin, 'settings-table-replaced');
    await admin.goto(`/areas/${AREA}`);
    await expect.poll(() => check(admin, 'agreement_table:chair_rotation').getAttribute('class')).toContain('check--pass');

    // Hyrynsalmi gives up its seat: the rotation in the agreement no longer matches, and the check says so.
    await admin.goto(`/areas/${AREA}/settings`);
    await hydrated(admin);
    const hyrynsalmi = form.getByLabel('Jäsenpaikat: Hyrynsalmi');
    const hyrynsalmiBefore = await hyrynsalmi.inputValue();
    await hyrynsalmi.fill('0');
    await form.getByRole('button', { name: 'Tallenna' }).click();
    await form.getByText('Tallennettu.').waitFor();
    await admin.goto(`/areas/${AREA}`);
    await expect.poll(() => check(admin, 'agreement_table:chair_rotation').getAttribute('class')).toContain('check--warning');
    expect(await check(admin, 'agreement_table:chair_rotation').textContent()).toContain('Sopimuksen taulukko ei enää vastaa asetuksia: päivitä se.');
    await screenshot(admin, 'settings-table-check-warning');
    // In Swedish for a member, with the way to the section.
    const rep = await person('rep.kuhmo@sopu.example', 'sv');
    await rep.goto(`/areas/${AREA}`);
    await expect.poll(() => check(rep, 'agreement_table:chair_rotation').textContent()).toContain('Avtalets tabell motsvarar inte längre inställningarna: uppdatera den.');
    await screenshot(rep, 'settings-table-check-warning-sv');
    await check(rep, 'agreement_table:chair_rotation').getByRole('link').click();
    await rep.waitForURL(/\/documents\/[^#]+#section-body_composition$/);

    // Put the seat back: the table matches again.
    await admin.goto(`/areas/${AREA}/settings`);
    await hydrated(admin);
    await form.getByLabel('Jäsenpaikat: Hyrynsalmi').fill(hyrynsalmiBefore);
    await form.getByRole('button', { name: 'Tallenna' }).click();
    await form.getByText('Tallennettu.').waitFor();
    await admin.goto(`/areas/${AREA}`);
    await expect.poll(() => check(admin, 'agreement_table:chair_rotation').getAttribute('class')).toContain('check--pass');
  });

  it('Swedish: a labour-force figure with a point is refused in words, naming the municipality', async () => {
    const admin = await person('admin.rantala@sopu.example', 'sv');
    await admin.goto(`/areas/${OTHER_AREA}/settings`);
    await hydrated(admin);
    const form = admin.getByRole('form', { name: 'Arbetskraft' });
    await form.getByLabel('Arbetskraft: Strandvik').fill('6.200');
    await form.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('Strandvik, arbetskraft: skriv ett heltal utan punkt eller kommatecken (t.ex. 20\u00a0333)');
    await screenshot(admin, 'settings-typed-number-refused-sv');
  });

  it('a member reads the checks and key facts in Swedish, and cannot change the settings', async () => {
    const rep = await person('rep.kuhmo@sopu.example', 'sv');
    await rep.goto(`/areas/${AREA}`);
    await rep.getByRole('heading', { name: 'Kontroller' }).waitFor();
    expect(await rep.locator('[data-testid="checks"] .check__status').first().textContent()).toMatch(/I sin ordning|Anmärkning|Uppfylls inte/);
    expect(await rep.getByRole('heading', { name: 'Viktiga uppgifter' }).count()).toBe(1);
    await expectAccessible(rep);
    await screenshot(rep, 'settings-dashboard-sv');
    const res = await rep.request.post(`/areas/${AREA}/settings`, { form: { intent: 'joint-body' }, headers: { origin: suite.app.url } });
    expect(res.status()).toBe(403);
  });
});
