import { canonicalSections, fillSection, promptsFor, templateFor, type ProseMirrorJSON } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calculateCostShares, chairRotation } from './agreement-tables.ts';
import { getAreaSettings, updateJointBody, updateLabourForce } from './settings.ts';
import type { Actor } from '../shared/deps.ts';
import { loadDocumentState } from '../documents/index.ts';
import { isDomainError } from '../shared/errors.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, tableCounts, type TestDeps } from '../testing.ts';

const KAINUU = 'kainuu-koillismaa';
const SAARISTO = 'saaristo-skargard';

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

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  return 'none';
}

async function section(slug: string, key: string): Promise<ProseMirrorJSON[]> {
  const doc = await loadDocumentState(t.db, await documentIdOf(t.db, slug, 'cooperation_agreement'));
  try {
    return canonicalSections(doc).find((s) => s.key === key)!.content.content ?? [];
  } finally {
    doc.destroy();
  }
}
const textOf = (node: ProseMirrorJSON): string => (node.type === 'text' ? (node.text ?? '') : (node.content ?? []).map(textOf).join(node.type === 'tableRow' ? ' | ' : node.type === 'table' ? '\n' : ''));

describe('chairRotation', () => {
  it('rotates the municipalities with a seat, the host first, then by Finnish name; nothing is written without insert', async () => {
    const before = await tableCounts(t.db);
    const r = await chairRotation(t.deps, admin, KAINUU, { startYear: 2027, years: 4 });
    expect(r.members.map((m) => m.name.fi)).toEqual(['Kajaani', 'Hyrynsalmi', 'Kuhmo', 'Kuusamo', 'Paltamo', 'Puolanka', 'Ristijärvi', 'Sotkamo', 'Suomussalmi', 'Taivalkoski']);
    expect(r.rows.map((row) => [row.year, row.chair.name.fi, row.viceChair.name.fi, row.secretary.name.fi])).toEqual([
      [2027, 'Kajaani', 'Kuusamo', 'Ristijärvi'],
      [2028, 'Hyrynsalmi', 'Paltamo', 'Sotkamo'],
      [2029, 'Kuhmo', 'Puolanka', 'Suomussalmi'],
      [2030, 'Kuusamo', 'Ristijärvi', 'Taivalkoski'],
    ]);
    expect(r.inserted).toBeNull();
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('inserts the table after the text of § 4 (the joint body’s composition, where the agreement provides for the chair), in Swedish where the host is Swedish-speaking; audited', async () => {
    const agreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
    // § 4 of the template is the joint body's composition, whose prompts ask who provides the chair.
    const template = templateFor('cooperation_agreement');
    expect(template.findIndex((s) => s.key === 'body_composition') + 1).toBe(4);
    expect(promptsFor(template.find((s) => s.key === 'body_composition')!, 'en').join(' ')).toMatch(/chair/);
    await changeDocument(t.db, agreement, (doc) => fillSection(doc, 'body_composition', { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Nämnden har sju ledamöter.' }] }] }));
    const r = await chairRotation(t.deps, rantala, SAARISTO, { startYear: 2027, years: 3, insert: true });
    expect(r.inserted).toEqual({ documentId: agreement, section: 'body_composition', replaced: false });
    expect(await section(SAARISTO, 'governance')).toEqual([]);
    const blocks = await section(SAARISTO, 'body_composition');
    expect(blocks.map(textOf)).toEqual([
      'Nämnden har sju ledamöter.',
      'Rotation av ordförandeskapet 2027–2029',
      'År | Ordförande | Vice ordförande | Sekreterare\n2027 | Strandvik | Holmby | Saarela\n2028 | Holmby | Saarela | Strandvik\n2029 | Saarela | Strandvik | Holmby',
    ]);
    const event = await t.db.selectFrom('audit_events').select(['action', 'subject_id', 'details', 'actor_user_id']).where('action', '=', 'agreement.table_inserted').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ subject_id: agreement, actor_user_id: rantala.userId });
    expect(JSON.parse(event.details)).toMatchObject({ section: 'body_composition', table: 'chair_rotation', startYear: 2027, years: 3, members: ['901', '902', '903'] });
  });

  it('members in the order given, the table in Finnish when asked', async () => {
    const r = await chairRotation(t.deps, rantala, SAARISTO, { startYear: 2030, years: 1, members: ['903', '902', '901'], insert: true, language: 'fi' });
    expect(r.rows).toEqual([{ year: 2030, chair: { code: '903', name: { fi: 'Saarela', sv: 'Saarela' } }, viceChair: { code: '902', name: { fi: 'Holmpy', sv: 'Holmby' } }, secretary: { code: '901', name: { fi: 'Rantala', sv: 'Strandvik' } } }]);
    expect((await section(SAARISTO, 'body_composition')).map(textOf)).toEqual(['Puheenjohtajuuden vuorottelu 2030', 'Vuosi | Puheenjohtaja | Varapuheenjohtaja | Sihteeri\n2030 | Saarela | Holmpy | Rantala']);
  });

  it('refuses fewer than three members, one twice, another area’s, more than ten years; a drafter is forbidden; nothing changes', async () => {
    const before = await tableCounts(t.db);
    await updateJointBody(t.deps, rantala, SAARISTO, { municipalities: [{ code: '901', seats: 3, votesPerSeat: 1 }, { code: '902', seats: 2, votesPerSeat: 1 }, { code: '903', seats: 0, votesPerSeat: 0 }], chairCode: '901' });
    const changed = await tableCounts(t.db);
    for (const input of [
      { startYear: 2027, years: 2, insert: true },
      { startYear: 2027, years: 2, members: ['901', '902'], insert: true },
      { startYear: 2027, years: 2, members: ['901', '902', '902'], insert: true },
      { startYear: 2027, years: 2, members: ['901', '902', '205'], insert: true },
      { startYear: 2027, years: 11, members: ['901', '902', '903'], insert: true },
      { startYear: 1999, years: 1, members: ['901', '902', '903'], insert: true },
      { startYear: 2027, years: 1, members: ['901', '902', '903'], insert: 'yes' },
    ]) {
      expect(await refusal(() => chairRotation(t.deps, rantala, SAARISTO, input)), JSON.stringify(input)).toBe('invalid_input');
    }
    const drafter = await actorFor(t.deps, 'drafter.holmpy@sopu.example');
    expect(await refusal(() => chairRotation(t.deps, drafter, SAARISTO, { startYear: 2027, years: 1, insert: true }))).toBe('forbidden');
    expect(await tableCounts(t.db)).toEqual(changed);
    expect(changed.audit_events).toBe(before.audit_events + 1);
    expect(await section(SAARISTO, 'body_composition')).toEqual([]);
  });
});

describe('calculateCostShares', () => {
  it('by labour force: euros to the cent, per cents to 100.00, stored as the year’s calculation', async () => {
    const r = await calculateCostShares(t.deps, admin, KAINUU, { year: 2027, netCosts: 4_035_000.01, key: 'labour_force' });
    expect(r.totalCents).toBe(403_500_001);
    expect(r.rows.reduce((a, row) => a + row.cents, 0)).toBe(403_500_001);
    expect(r.rows[0]).toMatchObject({ code: '205', value: 17_000, cents: 170_000_001, percentHundredths: 4213 });
    expect(r.rows.reduce((a, row) => a + row.percentHundredths, 0)).toBe(10_000);
    expect(r.inserted).toBeNull();
    const settings = await getAreaSettings(t.deps, admin, KAINUU);
    expect(settings.costShares).toEqual([{ year: 2027, netCostsCents: 403_500_001, key: 'labour_force', figures: r.rows.map((row) => ({ code: row.code, value: row.value })), computedAt: t.clock.now() }]);
  });

  it('by job seekers and by custom weights; a year’s later calculation replaces the earlier, other years stay', async () => {
    const jobSeekers = Object.fromEntries(['901', '902', '903'].map((c, i) => [c, [600, 250, 150][i]!]));
    const a = await calculateCostShares(t.deps, rantala, SAARISTO, { year: 2027, netCosts: '1 000 000,00', key: 'job_seekers', jobSeekers });
    expect(a.rows.map((r) => [r.code, r.cents, r.percentHundredths])).toEqual([['901', 60_000_000, 6000], ['902', 25_000_000, 2500], ['903', 15_000_000, 1500]]);
    const b = await calculateCostShares(t.deps, rantala, SAARISTO, { year: 2027, netCosts: 100, key: 'custom', weights: { '901': 1, '902': 1, '903': 1 } });
    expect(b.rows.map((r) => r.cents)).toEqual([3334, 3333, 3333]);
    await calculateCostShares(t.deps, rantala, SAARISTO, { year: 2028, netCosts: 1, key: 'custom', weights: { '901': 0.5, '902': 0.25, '903': 0.25 } });
    const stored = (await getAreaSettings(t.deps, rantala, SAARISTO)).costShares;
    expect(stored.map((c) => [c.year, c.key, c.netCostsCents])).toEqual([[2028, 'custom', 100], [2027, 'custom', 10_000]]);
  });

  it('inserts the table after the finance section’s text: the key, the figures, per cents and euros, and the totals', async () => {
    const r = await calculateCostShares(t.deps, rantala, SAARISTO, { year: 2027, netCosts: 1_234_567.89, key: 'labour_force', insert: true });
    expect(r.inserted).toEqual({ documentId: await documentIdOf(t.db, SAARISTO, 'cooperation_agreement'), section: 'finance_administration', replaced: false });
    const blocks = (await section(SAARISTO, 'finance_administration')).map(textOf);
    expect(blocks).toEqual([
      'Kostnadsandelar år 2027: nettokostnaderna 1\u00a0234\u00a0567,89 euro fördelas i förhållande till avtalskommunernas arbetskraft.',
      [
        'Kommun | Arbetskraft | Andel | Euro',
        'Strandvik | 6\u00a0200 | 62,00\u00a0% | 765\u00a0432,09',
        'Holmby | 2\u00a0100 | 21,00\u00a0% | 259\u00a0259,26',
        'Saarela | 1\u00a0700 | 17,00\u00a0% | 209\u00a0876,54',
        'Totalt | 10\u00a0000 | 100,00\u00a0% | 1\u00a0234\u00a0567,89',
      ].join('\n'),
    ]);
    expect(JSON.parse((await t.db.selectFrom('audit_events').select('details').where('action', '=', 'cost_shares.calculated').executeTakeFirstOrThrow()).details)).toMatchObject({ year: 2027, key: 'labour_force', inserted: true });
  });

  it('inserted again, the table replaces the one inserted before (one table, the new figures); the text around it stays', async () => {
    const agreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
    await changeDocument(t.db, agreement, (doc) => fillSection(doc, 'finance_administration', { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Kostnaderna delas årligen.' }] }] }));
    await calculateCostShares(t.deps, rantala, SAARISTO, { year: 2027, netCosts: 100, key: 'custom', weights: { '901': 1, '902': 1, '903': 1 }, insert: true });
    await calculateCostShares(t.deps, rantala, SAARISTO, { year: 2027, netCosts: 100, key: 'labour_force', insert: true });
    const again = await calculateCostShares(t.deps, rantala, SAARISTO, { year: 2028, netCosts: 200, key: 'custom', weights: { '901': 2, '902': 1, '903': 1 }, insert: true });
    expect(again.inserted).toEqual({ documentId: agreement, section: 'finance_administration', replaced: true });
    const blocks = await section(SAARISTO, 'finance_administration');
    expect(blocks.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'table']);
    expect(blocks.map(textOf).slice(0, 2)).toEqual(['Kostnaderna delas årligen.', 'Kostnadsandelar år 2028: nettokostnaderna 200,00 euro fördelas i förhållande till de avtalade vikterna.']);
    expect(textOf(blocks[2]!).split('\n')[1]).toBe('Strandvik | 2 | 50,00\u00a0% | 100,00');
    const events = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'agreement.table_inserted').orderBy('seq').execute();
    expect(events.map((e) => JSON.parse(e.details).replaced)).toEqual([false, true, true]);
  });

  it('refuses missing or extra figures, fractions of people, three decimals of euros, all zero; a missing labour-force figure; nothing changes', async () => {
    await updateLabourForce(t.deps, rantala, SAARISTO, { municipalities: [{ code: '903', labourForce: null }] });
    const before = await tableCounts(t.db);
    for (const input of [
      { year: 2027, netCosts: 100, key: 'labour_force', insert: true },
      { year: 2027, netCosts: 100, key: 'job_seekers', jobSeekers: { '901': 1, '902': 1 }, insert: true },
      { year: 2027, netCosts: 100, key: 'job_seekers', jobSeekers: { '901': 1, '902': 1, '903': 1.5 } },
      { year: 2027, netCosts: 100, key: 'job_seekers', jobSeekers: { '901': 1, '902': 1, '903': 1, '205': 1 } },
      { year: 2027, netCosts: 100, key: 'custom', weights: { '901': 0, '902': 0, '903': 0 } },
      { year: 2027, netCosts: 100, key: 'custom', jobSeekers: { '901': 1, '902': 1, '903': 1 } },
      { year: 2027, netCosts: 100.005, key: 'custom', weights: { '901': 1, '902': 1, '903': 1 } },
      { year: 2027, netCosts: -5, key: 'custom', weights: { '901': 1, '902': 1, '903': 1 } },
      { year: 2027, netCosts: 1e12, key: 'custom', weights: { '901': 1, '902': 1, '903': 1 } },
      { year: 2027, netCosts: 100, key: 'members', weights: { '901': 1, '902': 1, '903': 1 } },
      [],
    ]) {
      expect(await refusal(() => calculateCostShares(t.deps, rantala, SAARISTO, input)), JSON.stringify(input)).toBe('invalid_input');
    }
    const rep = await actorFor(t.deps, 'rep.saarela@sopu.example');
    expect(await refusal(() => calculateCostShares(t.deps, rep, SAARISTO, { year: 2027, netCosts: 1, key: 'custom', weights: { '901': 1, '902': 1, '903': 1 } }))).toBe('forbidden');
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await section(SAARISTO, 'finance_administration')).toEqual([]);
  });
});
