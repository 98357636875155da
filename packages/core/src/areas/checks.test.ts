import { setSectionStatus, templateFor } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listChecks, type AreaCheck } from './checks.ts';
import { calculateCostShares, chairRotation } from './agreement-tables.ts';
import { sectionFragment } from '@sopu/doc-model';
import * as Y from 'yjs';
import { updateExceptionGround, updateJointBody, updateLabourForce } from './settings.ts';
import { labourForceCheck, mentionsTieRule, requiredTopicsCheck } from './checks.rules.ts';
import type { Actor } from '../shared/deps.ts';
import { createDocument } from '../documents/index.ts';
import { isDomainError } from '../shared/errors.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, tableCounts, writeSection, type TestDeps } from '../testing.ts';

const KAINUU = 'kainuu-koillismaa';
const SAARISTO = 'saaristo-skargard';
const KAINUU_CODES = ['205', '290', '578', '620', '697', '765', '777', '105', '305', '832'];

let t: TestDeps;
let admin: Actor;
let rantala: Actor;
beforeEach(async () => {
  t = await createTestDeps();
  admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
  rantala = await actorFor(t.deps, 'admin.rantala@sopu.example');
});
afterEach(async () => {
  await t.cleanup();
});

const byId = (checks: AreaCheck[], id: string) => checks.find((c) => c.id === id)!;
const SOURCE = { source: 'Tilastokeskus, työssäkäyntitilasto', year: 2024 };

/** Saaristo's three municipalities with these figures (total = a + b + c). */
async function saaristoFigures(a: number, b: number, c: number) {
  await updateLabourForce(t.deps, rantala, SAARISTO, { municipalities: [{ code: '901', labourForce: a, ...SOURCE }, { code: '902', labourForce: b, ...SOURCE }, { code: '903', labourForce: c, ...SOURCE }] });
}

describe('labour force against 20,000', () => {
  it('20,000 passes; the sentence gives the total and the source', async () => {
    await saaristoFigures(10_000, 6_000, 4_000);
    const check = byId(await listChecks(t.deps, rantala, SAARISTO), 'labour_force_threshold');
    expect(check.status).toBe('pass');
    expect(check.message.fi).toBe('Alueen kuntien työvoima on yhteensä 20\u00a0000, eli vähintään 20\u00a0000. Lähde: Tilastokeskus, työssäkäyntitilasto 2024.');
    expect(check.message.sv).toBe('Kommunernas arbetskraft är sammanlagt 20\u00a0000, alltså minst 20\u00a0000. Källa: Statistikcentralen, sysselsättningsstatistik 2024.');
    expect(check.message.en).toMatch(/ Source: Statistics Finland, employment statistics 2024\.$/);
    expect(check.section).toEqual({ documentId: await documentIdOf(t.db, SAARISTO, 'cooperation_agreement'), key: 'parties' });
  });

  it('19,999 with the grounds recorded is a warning: the permit decision is needed, the grounds and their conditions, one commuting region', async () => {
    // The demo's Saaristo has its permit (it has operated since 2025): here, an area that has yet to get one.
    await updateExceptionGround(t.deps, rantala, SAARISTO, { grounds: ['archipelago_or_distance', 'language_rights'], permit: null });
    await saaristoFigures(10_000, 6_000, 3_999);
    const check = byId(await listChecks(t.deps, rantala, SAARISTO), 'labour_force_threshold');
    expect(check.status).toBe('warning');
    expect(check.message.fi).toContain('yhteensä 19\u00a0999, alle 20\u00a0000');
    expect(check.message.fi).toContain('valtioneuvoston poikkeusluvalla (voimaanpanolain 4 §)');
    expect(check.message.fi).toContain('Poikkeuslupa on valtioneuvoston päätös, ei sopimukseen kirjattava määräys.');
    expect(check.message.fi).toContain('Perusteet, joihin alue nojaa: saaristoisuus tai pitkät etäisyydet; suomen- tai ruotsinkielisten kielelliset oikeudet.');
    expect(check.message.fi).toContain('riittävät taloudelliset voimavarat ja henkilöstövoimavarat');
    expect(check.message.fi).toContain('työssäkäynnin kannalta yhtenäinen');
    expect(check.message.fi).toContain('Poikkeuslupapäätöstä ei ole kirjattu.');
    expect(check.message.sv).toContain('statsrådets undantagstillstånd (4 § i införandelagen)');
    expect(check.message.sv).toContain('inte en bestämmelse i avtalet');
    expect(check.message.sv).toContain('pendlingen');
    expect(check.message.en).toContain('section 4 of the implementing act');
    // Never a decree, never legal advice.
    for (const text of Object.values(check.message)) expect(text).not.toMatch(/asetus|förordning|decree|suosittelemme|rekommenderar|we recommend/i);
  });

  it('below with no ground is a fail; with the permit decision recorded it passes and names the decision', async () => {
    await updateExceptionGround(t.deps, rantala, SAARISTO, { grounds: [], permit: null });
    expect(byId(await listChecks(t.deps, rantala, SAARISTO), 'labour_force_threshold')).toMatchObject({ status: 'fail', message: { fi: expect.stringContaining('Poikkeusluvan perustetta ei ole kirjattu.') } });
    await updateExceptionGround(t.deps, rantala, SAARISTO, { grounds: ['other_special_reason'], permit: { reference: 'VN/1234/2024', date: '2024-06-12' } });
    const check = byId(await listChecks(t.deps, rantala, SAARISTO), 'labour_force_threshold');
    expect(check.status).toBe('pass');
    expect(check.message.fi).toContain('Poikkeuslupapäätös on kirjattu: VN/1234/2024, 12.6.2024.');
    expect(check.message.fi).toContain('Peruste, johon alue nojaa: muu erityinen syy.');
    // Ground 5 needs the service plan, which the area does not have in Sopu.
    expect(check.message.fi).toContain('järjestämislain 15 §:n 4 momentti');
    expect(check.message.fi).toContain('Alueella ei ole vielä suunnitelmaa Sopussa.');
    await createDocument(t.deps, rantala, SAARISTO, { kind: 'service_plan' });
    expect(byId(await listChecks(t.deps, rantala, SAARISTO), 'labour_force_threshold').message.fi).not.toContain('ei ole vielä suunnitelmaa');
  });

  it('a missing figure below the threshold is a warning that names the municipality; above it still passes as a lower bound', async () => {
    await updateLabourForce(t.deps, rantala, SAARISTO, { municipalities: [{ code: '903', labourForce: null }] });
    const check = byId(await listChecks(t.deps, rantala, SAARISTO), 'labour_force_threshold');
    expect(check).toMatchObject({ status: 'warning' });
    expect(check.message.fi).toContain('Luku puuttuu: Saarela.');
    expect(check.message.sv).toContain('Siffran saknas för Saarela.');
    await updateLabourForce(t.deps, admin, KAINUU, { municipalities: [{ code: '697', labourForce: null }] });
    expect(byId(await listChecks(t.deps, admin, KAINUU), 'labour_force_threshold')).toMatchObject({ status: 'pass', message: { fi: expect.stringContaining('vähintään 39\u00a0850') } });
  });

  it('demo figures are said to be demo figures', async () => {
    const check = byId(await listChecks(t.deps, admin, KAINUU), 'labour_force_threshold');
    expect(check.status).toBe('pass');
    expect(check.message.fi).toContain('Luvut ovat esimerkkilukuja, eivät virallisia tilastoja.');
  });

  it('the pure rule at the exact boundary', () => {
    const facts = (total: number) => ({ municipalities: [{ name: { fi: 'A', sv: 'A' }, labourForce: total, labourForceIsDemo: false, labourForceSource: null, labourForceYear: null }], exceptionGrounds: ['sami_rights'], permit: null, hasServicePlan: false });
    expect(labourForceCheck(facts(20_000)).status).toBe('pass');
    expect(labourForceCheck(facts(19_999)).status).toBe('warning');
    expect(labourForceCheck(facts(19_999)).message.fi).toContain('saamelaisten kieltä ja kulttuuria koskevat oikeudet');
  });
});

describe('the joint body', () => {
  const seats = (own: Record<string, [number, number]>) => KAINUU_CODES.map((code) => ({ code, seats: own[code]?.[0] ?? 1, votesPerSeat: own[code]?.[1] ?? 1 }));

  it('the demo composition passes both checks: Kajaani 39 of 100 votes, nobody at half', async () => {
    const checks = await listChecks(t.deps, admin, KAINUU);
    expect(byId(checks, 'joint_body_majority')).toMatchObject({ status: 'pass', section: { key: 'body_composition' } });
    expect(byId(checks, 'joint_body_majority').message.fi).toBe('Yhdelläkään kunnalla ei ole yli puolta yhteisen toimielimen äänistä. Suurin osuus: Kajaani, 39/100 ääntä (39,00\u00a0%).');
    expect(byId(checks, 'joint_body_majority').message.sv).toBe('Ingen kommun har över hälften av rösterna i det gemensamma organet. Störst andel: Kajana, 39/100 röster (39,00\u00a0%).');
    expect(byId(checks, 'joint_body_tie_rule').status).toBe('pass');
  });

  it('50.01 % fails the majority check whoever chairs', async () => {
    // Kajaani 100 × 50.01 = 5,001 of 10,000 votes; Kuhmo 100 × 49.91 and the eight others one each make the 4,999.
    await updateJointBody(t.deps, admin, KAINUU, { municipalities: seats({ '205': [100, 50.01], '290': [100, 49.91] }), chairCode: '290' });
    const check = byId(await listChecks(t.deps, admin, KAINUU), 'joint_body_majority');
    expect(check.status).toBe('fail');
    expect(check.message.fi).toBe('Yli puolet yhteisen toimielimen äänistä on yhdellä kunnalla: Kajaani, 5\u00a0001/10\u00a0000 ääntä (50,01\u00a0%). Se voisi päättää asioista yksin.');
  });

  it('exactly 50.00 %: fail with the chair and no tie rule; a warning without the chair; a tie provision in the text passes the tie check', async () => {
    await updateJointBody(t.deps, admin, KAINUU, { municipalities: seats({ '205': [9, 1] }), chairCode: '205' });
    let checks = await listChecks(t.deps, admin, KAINUU);
    expect(byId(checks, 'joint_body_majority')).toMatchObject({ status: 'fail', message: { fi: expect.stringContaining('Tasan puolet yhteisen toimielimen äänistä ja puheenjohtaja ovat samalla kunnalla: Kajaani, 9/18 ääntä (50,00\u00a0%).') } });
    expect(byId(checks, 'joint_body_tie_rule')).toMatchObject({ status: 'fail', section: { key: 'body_composition' } });
    expect(byId(checks, 'joint_body_tie_rule').message.fi).toBe('Tasan puolet äänistä ja puheenjohtaja ovat samalla kunnalla (Kajaani), eikä sopimuksessa ole määräystä siitä, miten tasatilanne ratkaistaan.');

    await updateJointBody(t.deps, admin, KAINUU, { municipalities: seats({ '205': [9, 1] }), chairCode: '765' });
    checks = await listChecks(t.deps, admin, KAINUU);
    expect(byId(checks, 'joint_body_majority').status).toBe('warning');
    expect(byId(checks, 'joint_body_tie_rule')).toMatchObject({ status: 'warning', message: { sv: expect.stringContaining('Om ordföranden kommer från denna kommun kunde den ensam fatta besluten.') } });

    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'body_composition', ['Lautakunnassa on 18 jäsentä.', 'Jos äänet menevät tasan, asia palautetaan valmisteluun.']));
    checks = await listChecks(t.deps, admin, KAINUU);
    expect(byId(checks, 'joint_body_tie_rule').status).toBe('pass');
    expect(byId(checks, 'joint_body_tie_rule').message.fi).toBe('Tasan puolet äänistä on yhdellä kunnalla (Kajaani), ja sopimuksen osiossa ”Toimielimen kokoonpano ja jäsenten valitseminen” mainitaan tasatilanne. Sopu ei arvioi määräyksen sisältöä.');
  });

  it('seats not entered: both joint-body checks are warnings naming what is missing', async () => {
    await t.db.updateTable('municipalities').set({ seats: null }).where('code', 'in', ['901', '903']).execute();
    const checks = await listChecks(t.deps, rantala, SAARISTO);
    expect(byId(checks, 'joint_body_majority')).toMatchObject({ status: 'warning', message: { fi: 'Yhteisen toimielimen paikat ja äänet puuttuvat: Rantala ja Saarela. Ääniosuuksia ei voi arvioida ennen sitä.', sv: 'Platserna och rösterna i det gemensamma organet saknas för Strandvik och Saarela. Röstandelarna kan inte bedömas förrän dess.' } });
    expect(byId(checks, 'joint_body_tie_rule').status).toBe('warning');
  });

  it('finds tie provisions as Finnish and Swedish agreements word them, not "jaetaan tasan"', () => {
    for (const text of ['Äänten mennessä tasan ratkaisee puheenjohtajan ääni.', 'Jos äänet menevät tasan, ...', 'Tasatilanteessa asia palautetaan.', 'Om rösterna faller lika avgör lottning.', 'Vid lika röstetal ...']) expect(mentionsTieRule(text), text).toBe(true);
    for (const text of ['Kustannukset jaetaan tasan kuntien kesken.', 'Kostnaderna fördelas jämnt.', '']) expect(mentionsTieRule(text), text).toBe(false);
  });
});

describe('required topics', () => {
  it('the empty template fails, listing the first five topics by number and the count of the rest; links the first', async () => {
    const checks = await listChecks(t.deps, admin, KAINUU);
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const check = byId(checks, `required_topics:${agreement}`);
    expect(check.status).toBe('fail');
    expect(check.section).toEqual({ documentId: agreement, key: 'parties' });
    expect(check.message.fi).toMatch(/^Yhteistoimintasopimus: 20\/20 aihetta on käsittelemättä: 1\. .+, 2\. .+, 3\. .+, 4\. .+, 5\. .+ ja 15 muuta\./);
    expect(check.message.sv).toMatch(/^Samarbetsavtalet: 20 av 20 ämnen har inte behandlats: .+ och 15 till\./);
    // Administrative rules are not a required-topics document.
    expect(checks.map((c) => c.id)).toEqual(['labour_force_threshold', 'joint_body_majority', 'joint_body_tie_rule', 'required_documents', `required_topics:${agreement}`]);
  });

  it('text, or not applicable with a reason, covers a topic; an empty paragraph does not; all covered passes', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const keys = templateFor('cooperation_agreement').map((s) => s.key);
    await changeDocument(t.db, agreement, (doc) => {
      for (const key of keys.slice(0, 17)) writeSection(doc, key, [`${key} teksti.`]);
      writeSection(doc, keys[17]!, ['   ']);
      setSectionStatus(doc, keys[18]!, 'not_applicable', 'Ei koske aluetta.', 'u');
    });
    let check = byId(await listChecks(t.deps, admin, KAINUU), `required_topics:${agreement}`);
    expect(check).toMatchObject({ status: 'fail', section: { key: keys[17] } });
    expect(check.message.fi).toMatch(/^Yhteistoimintasopimus: 2\/20 aihetta on käsittelemättä: 18\. .+ ja 20\. .+\. Kirjoita/);
    await changeDocument(t.db, agreement, (doc) => {
      writeSection(doc, keys[17]!, ['Teksti.']);
      writeSection(doc, keys[19]!, ['Teksti.']);
    });
    check = byId(await listChecks(t.deps, admin, KAINUU), `required_topics:${agreement}`);
    expect(check.status).toBe('pass');
    expect(check.section).toBeUndefined();
    expect(check.message.fi).toBe('Yhteistoimintasopimus: kaikki 20 aihetta on käsitelty (teksti on kirjoitettu tai aihe on merkitty perustellusti tarpeettomaksi).');
  });

  it('a heading alone or the template placeholder does not cover a topic (issue 21)', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const keys = templateFor('cooperation_agreement').map((s) => s.key);
    await changeDocument(t.db, agreement, (doc) => {
      for (const key of keys.slice(0, 18)) writeSection(doc, key, [`${key} teksti.`]);
      writeSection(doc, keys[18]!, ['[Täydennetään: kokoonpano]']);
      writeSection(doc, keys[19]!, ['[Kompletteras]', '  [Täydennetään ]']);
    });
    const check = byId(await listChecks(t.deps, admin, KAINUU), `required_topics:${agreement}`);
    expect(check.message.fi).toMatch(/^Yhteistoimintasopimus: 2\/20 aihetta on käsittelemättä: 19\. .+ ja 20\. .+\./);
    // A heading with nothing under it is no coverage either.
    const { coversTopic } = await import('./checks.ts');
    expect(coversTopic({ type: 'doc', content: [{ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Otsikko' }] }] })).toBe(false);
    expect(coversTopic({ type: 'doc', content: [{ type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Otsikko' }] }, { type: 'paragraph', content: [{ type: 'text', text: 'Sisältö.' }] }] })).toBe(true);
    expect(coversTopic({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '[Täydennetään] ja teksti' }] }] })).toBe(true);
  });

  it('the documents that go with the agreement: the service plan, and the 54 § agreement once the agreement refers to one', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    let check = byId(await listChecks(t.deps, admin, KAINUU), 'required_documents');
    expect(check).toMatchObject({ status: 'fail', message: { fi: 'Suunnitelma työvoimapalvelujen järjestämiseksi puuttuu: se toimitetaan ministeriölle yhteistoimintasopimuksen kanssa.' } });
    await createDocument(t.deps, admin, KAINUU, { kind: 'service_plan' });
    check = byId(await listChecks(t.deps, admin, KAINUU), 'required_documents');
    expect(check.status).toBe('pass');
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'personnel', ['Kuusamo hoitaa tehtävän kuntalain 54 §:n mukaisella sopimuksella.']));
    check = byId(await listChecks(t.deps, admin, KAINUU), 'required_documents');
    expect(check.status).toBe('fail');
    expect(check.message.sv).toBe('Samarbetsavtalet hänvisar till ett avtal enligt 54 §, men avtalet om skötsel av en myndighetsuppgift (54 § i kommunallagen) saknas.');
    await createDocument(t.deps, admin, KAINUU, { kind: 'authority_task_agreement', title: 'Kuusamon toimipiste' });
    expect(byId(await listChecks(t.deps, admin, KAINUU), 'required_documents').status).toBe('pass');
    const { refersTo54 } = await import('./checks.rules.ts');
    expect([refersTo54('54 §'), refersTo54('§ 54'), refersTo54('kuntalain 54 §:n'), refersTo54('154 §'), refersTo54('5.4 §'), refersTo54('§ 541')]).toEqual([true, true, true, false, false, false]);
  });

  it('a 54 § agreement and a service plan get their own checks, each linking into its own document', async () => {
    const plan = await createDocument(t.deps, admin, KAINUU, { kind: 'service_plan' });
    const task = await createDocument(t.deps, admin, KAINUU, { kind: 'authority_task_agreement', title: 'Kuusamon toimipiste' });
    const checks = await listChecks(t.deps, admin, KAINUU);
    expect(byId(checks, `required_topics:${plan.id}`)).toMatchObject({ status: 'fail', section: { documentId: plan.id }, message: { fi: expect.stringMatching(/^Suunnitelma työvoimapalvelujen järjestämiseksi: 6\/6 aihetta/) } });
    expect(byId(checks, `required_topics:${task.id}`).message.fi).toMatch(/^Sopimus viranomaistehtävän hoitamisesta \(kuntalain 54 §\) ”Kuusamon toimipiste”: 4\/4 aihetta/);
  });

  it('the pure rule: fewer than six open topics are all listed', () => {
    const topics = ['a', 'b', 'c'].map((key, i) => ({ key, title: { fi: key.toUpperCase(), sv: key, en: key }, covered: i === 1 }));
    expect(requiredTopicsCheck('cooperation_agreement', topics).message.fi).toBe('Yhteistoimintasopimus: 2/3 aihetta on käsittelemättä: 1. A ja 3. C. Kirjoita aiheesta teksti tai merkitse se tarpeettomaksi perusteluineen.');
  });
});

describe('listChecks', () => {
  it('every member may read the checks; another area and a missing one are the same not_found; nothing is written', async () => {
    const before = await tableCounts(t.db);
    const viewer = await actorFor(t.deps, 'viewer.kuhmo@sopu.example');
    expect((await listChecks(t.deps, viewer, KAINUU)).map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'fail', 'fail']);
    for (const slug of [SAARISTO, 'no-such-area']) {
      const error = await listChecks(t.deps, viewer, slug).catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe('not_found');
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('reads the document as stored without changing it', async () => {
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const updates = await t.db.selectFrom('doc_updates').select('seq').where('document_id', '=', agreement).execute();
    await listChecks(t.deps, admin, KAINUU);
    expect(await t.db.selectFrom('doc_updates').select('seq').where('document_id', '=', agreement).execute()).toEqual(updates);
  });
});

describe('listChecks keeps its verdicts while their inputs are unchanged (the document page reads them on every visit)', () => {
  /** The same database, with the stored texts' reads counted (loading a document reads its snapshot's state). */
  function counting() {
    const reads = { texts: 0 };
    const db = t.db.withPlugin({
      transformQuery: (args) => {
        const node = JSON.stringify(args.node);
        if (node.includes('"doc_snapshots"') && node.includes('"state"')) reads.texts++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    return { deps: { ...t.deps, db }, reads };
  }

  it('a second read with nothing changed reads no document text; a change to the text, the figures or the settings gives new verdicts', async () => {
    const { deps, reads } = counting();
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const first = await listChecks(deps, admin, KAINUU);
    expect(reads.texts).toBeGreaterThan(0);
    reads.texts = 0;
    expect(await listChecks(deps, admin, KAINUU)).toEqual(first);
    expect(reads.texts).toBe(0);
    // The text: every topic written.
    await changeDocument(t.db, agreement, (doc) => {
      for (const key of templateFor('cooperation_agreement').map((s) => s.key)) writeSection(doc, key, ['Teksti.']);
    });
    expect(byId(await listChecks(deps, admin, KAINUU), `required_topics:${agreement}`).status).toBe('pass');
    // The settings: a majority in the joint body.
    await updateJointBody(t.deps, admin, KAINUU, { municipalities: KAINUU_CODES.map((code) => ({ code, seats: code === '205' ? 100 : 1, votesPerSeat: 1 })), chairCode: '290' });
    expect(byId(await listChecks(deps, admin, KAINUU), 'joint_body_majority').status).toBe('fail');
    // The figures: another area's labour force below the threshold.
    await saaristoFigures(10_000, 6_000, 4_000);
    expect(byId(await listChecks(deps, rantala, SAARISTO), 'labour_force_threshold').message.fi).toContain('20\u00a0000');
    await saaristoFigures(10_000, 6_000, 3_000);
    expect(byId(await listChecks(deps, rantala, SAARISTO), 'labour_force_threshold').message.fi).toContain('19\u00a0000');
    // Still read only for what changed: the same verdicts again read no text.
    reads.texts = 0;
    await listChecks(deps, rantala, SAARISTO);
    expect(reads.texts).toBe(0);
  });

  it('every reader still needs access: another area is not_found from the cache too', async () => {
    await listChecks(t.deps, admin, KAINUU);
    const error = await listChecks(t.deps, rantala, KAINUU).catch((e: unknown) => e);
    expect(isDomainError(error) && error.code).toBe('not_found');
  });
});

describe('the tables Sopu inserted into the agreement, against the settings', () => {
  const KAINUU_SEATS = (own: Record<string, number>) => KAINUU_CODES.map((code) => ({ code, seats: own[code] ?? 1, votesPerSeat: 1 }));
  const tableChecks = (checks: AreaCheck[]) => checks.filter((c) => c.id.startsWith('agreement_table:'));

  it('none inserted: nothing compared', async () => {
    expect(tableChecks(await listChecks(t.deps, admin, KAINUU))).toEqual([]);
  });

  it('as inserted, both tables pass and link to their sections', async () => {
    await chairRotation(t.deps, admin, KAINUU, { startYear: 2027, years: 4, insert: true });
    await calculateCostShares(t.deps, admin, KAINUU, { year: 2027, netCosts: 4_035_000, key: 'labour_force', insert: true });
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    const checks = tableChecks(await listChecks(t.deps, admin, KAINUU));
    expect(checks.map((c) => [c.id, c.status, c.section])).toEqual([
      ['agreement_table:chair_rotation', 'pass', { documentId: agreement, key: 'body_composition' }],
      ['agreement_table:cost_shares', 'pass', { documentId: agreement, key: 'finance_administration' }],
    ]);
    expect(checks[0]!.message).toEqual({
      fi: 'Sopimuksen taulukko ”Puheenjohtajuuden vuorottelu 2027–2030” vastaa asetuksia.',
      sv: 'Avtalets tabell ”Rotation av ordförandeskapet 2027–2030” motsvarar inställningarna.',
      en: 'The agreement\'s table "Chair rotation 2027–2030" matches the settings.',
    });
  });

  it('the seats change: the rotation (default order follows the seats) and, with the labour force, the cost shares are flagged', async () => {
    await chairRotation(t.deps, admin, KAINUU, { startYear: 2027, years: 4, insert: true });
    await calculateCostShares(t.deps, admin, KAINUU, { year: 2027, netCosts: 4_035_000, key: 'labour_force', insert: true });
    // Hyrynsalmi (105) gives up its seat: it no longer takes a turn.
    await updateJointBody(t.deps, admin, KAINUU, { municipalities: KAINUU_SEATS({ '205': 3, '105': 0 }), chairCode: '205' });
    let checks = tableChecks(await listChecks(t.deps, admin, KAINUU));
    expect(checks.map((c) => [c.id, c.status])).toEqual([['agreement_table:chair_rotation', 'warning'], ['agreement_table:cost_shares', 'pass']]);
    expect(checks[0]!.message.fi).toBe('Sopimuksen taulukko ei enää vastaa asetuksia: päivitä se. Taulukon ”Puheenjohtajuuden vuorottelu 2027–2030” rivi 2 poikkeaa asetuksista. Asetussivulta uudelleen lisätty taulukko korvaa nykyisen.');
    expect(checks[0]!.message.sv).toBe('Avtalets tabell motsvarar inte längre inställningarna: uppdatera den. Rad 2 i tabellen ”Rotation av ordförandeskapet 2027–2030” avviker från inställningarna. En tabell som infogas på nytt från inställningssidan ersätter den nuvarande.');
    await updateLabourForce(t.deps, admin, KAINUU, { municipalities: [{ code: '290', labourForce: 4_000, ...SOURCE }] });
    checks = tableChecks(await listChecks(t.deps, admin, KAINUU));
    expect(checks.map((c) => c.status)).toEqual(['warning', 'warning']);
    expect(checks[1]!.message.en).toMatch(/^The agreement's table no longer matches the settings: update it\. Row \d+ of the table "Cost shares 2027" differs/);
    // Inserted again, both match (and each replaced its table).
    await chairRotation(t.deps, admin, KAINUU, { startYear: 2027, years: 4, insert: true });
    await calculateCostShares(t.deps, admin, KAINUU, { year: 2027, netCosts: 4_035_000, key: 'labour_force', insert: true });
    expect(tableChecks(await listChecks(t.deps, admin, KAINUU)).map((c) => c.status)).toEqual(['pass', 'pass']);
  });

  it('a hand edit to a cell shows; a figure the settings lost makes the table unavailable; a deleted table is no longer compared', async () => {
    await calculateCostShares(t.deps, rantala, SAARISTO, { year: 2027, netCosts: 1000, key: 'labour_force', insert: true });
    const agreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
    const at = (doc: Y.Doc) => sectionFragment(doc, 'finance_administration');
    await changeDocument(t.db, agreement, (doc) => {
      // The table's second row, its second cell (Strandvik's figure): a drafter types another number.
      const cell = (((at(doc).get(1) as Y.XmlElement).get(1) as Y.XmlElement).get(1) as Y.XmlElement).get(0) as Y.XmlElement;
      const text = cell.get(0) as Y.XmlText;
      text.insert(text.length, '0');
    });
    expect(byId(await listChecks(t.deps, rantala, SAARISTO), 'agreement_table:cost_shares')).toMatchObject({ status: 'warning', message: { fi: expect.stringContaining('rivi 2 poikkeaa') }, section: { documentId: agreement, key: 'finance_administration' } });
    await updateLabourForce(t.deps, rantala, SAARISTO, { municipalities: [{ code: '903', labourForce: null }] });
    expect(byId(await listChecks(t.deps, rantala, SAARISTO), 'agreement_table:cost_shares').message.sv).toContain('Inställningarna ger inte längre tabellen ”Kostnadsandelar 2027”');
    await changeDocument(t.db, agreement, (doc) => at(doc).delete(1, 1));
    expect(tableChecks(await listChecks(t.deps, rantala, SAARISTO))).toEqual([]);
  });
});
