import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getAreaDashboard } from './areas.ts';
import { approvalsOverview } from '../approvals/index.ts';
import { getAreaSettings, updateEntryIntoForce, updateExceptionGround, updateJointBody, updateKeyFacts, updateLabourForce, updateMilestones } from './settings.ts';
import type { Actor } from '../shared/deps.ts';
import { isDomainError } from '../shared/errors.ts';
import { actorFor, createTestDeps, tableCounts, type TestDeps } from '../testing.ts';

const KAINUU = 'kainuu-koillismaa';
const SAARISTO = 'saaristo-skargard';
const KAINUU_CODES = ['205', '290', '578', '620', '697', '765', '777', '105', '305', '832'];

let t: TestDeps;
let admin: Actor;
beforeEach(async () => {
  // 1 December 2026, 10:00 in Helsinki.
  t = await createTestDeps({ now: Date.UTC(2026, 11, 1, 8, 0, 0) });
  admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
});
afterEach(async () => {
  await t.cleanup();
});

async function refusal(run: () => Promise<unknown>): Promise<{ code: string; issues?: Array<{ path: string[]; code: string }> }> {
  try {
    await run();
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, issues: error.details.issues as Array<{ path: string[]; code: string }> | undefined };
    throw error;
  }
  return { code: 'none' };
}

const auditActions = async (slug: string) =>
  (await t.db.selectFrom('audit_events').innerJoin('areas', 'areas.id', 'audit_events.area_id').select(['action', 'details', 'actor_user_id']).where('areas.slug', '=', slug).orderBy('seq').execute()).map((e) => ({ ...e, details: JSON.parse(e.details) as Record<string, unknown> }));

describe('getAreaSettings', () => {
  it('shows the demo settings to any member: figures with source and year, the joint body, milestones with days left, key facts', async () => {
    const s = await getAreaSettings(t.deps, await actorFor(t.deps, 'viewer.kuhmo@sopu.example'), KAINUU);
    expect(s.canEdit).toBe(false);
    expect(s.status).toBe('active');
    expect(s.municipalities).toHaveLength(10);
    expect(s.municipalities.find((m) => m.code === '205')).toMatchObject({
      isHost: true,
      labourForce: { value: 17_000, source: 'Tilastokeskus, työssäkäyntitilasto', year: 2023, isDemo: true },
      jointBody: { seats: 3, votesPerSeat: 13, holdsChair: true },
    });
    expect(s.threshold).toMatchObject({ total: 40_350, belowThreshold: false });
    expect(s.jointBody.chair).toEqual({ code: '205', name: { fi: 'Kajaani', sv: 'Kajana' } });
    expect(s.jointBody.shares).toMatchObject({ verdict: 'pass', totalSeats: 13, totalVotes: 100, subject: '205' });
    expect(s.milestones.map((m) => [m.kind, m.date, m.daysLeft, m.municipality?.code ?? null])).toEqual([
      ['joint_body_meeting', '2026-12-07', 6, null],
      ['council_meeting', '2026-12-14', 13, '290'],
      ['council_meeting', '2026-12-21', 20, '620'],
      ['council_meeting', '2026-12-23', 22, '697'],
      ['in_force', '2027-01-01', 31, null],
      ['council_meeting', '2026-12-28', 27, '832'],
    ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))));
    expect(s.milestones.find((m) => m.kind === 'in_force')!.label).toEqual({ fi: 'Sopimus tulee voimaan', sv: 'Avtalet träder i kraft' });
    expect(s.keyFacts).toHaveLength(5);
    expect(s.keyFacts[3]!.sv).toContain('upptagningsrätt');
    expect(s.exception).toEqual({ grounds: [], permit: null });
    expect((await getAreaSettings(t.deps, admin, KAINUU)).canEdit).toBe(true);
  });

  it('the dashboard carries the milestones and key facts too, days counted from the given moment', async () => {
    const d = await getAreaDashboard(t.db, await actorFor(t.deps, 'drafter.holmpy@sopu.example'), SAARISTO, t.clock.now());
    expect(d.keyFacts.map((f) => f.sv)[3]).toBe('Ordförandeskapet roterar årligen i ordningen Strandvik, Holmby, Saarela med början 2027.');
    expect(d.milestones.map((m) => [m.label.sv, m.daysLeft])).toEqual([
      ['Strandviks stadsfullmäktige behandlar avtalet', 9],
      ['Saarela kommunfullmäktige behandlar avtalet', 16],
      ['Det godkända avtalet och serviceplanen till ministeriet för kännedom', 30],
      ['Avtalet träder i kraft', 31],
    ]);
  });
});

describe('updateLabourForce', () => {
  it('sets the figures listed with their source and year, no longer demo figures; the rest stay; audited', async () => {
    const s = await updateLabourForce(t.deps, admin, KAINUU, { municipalities: [{ code: '290', labourForce: 3_412, source: 'Tilastokeskus, työssäkäyntitilasto', year: 2024 }, { code: '697', labourForce: null }] });
    expect(s.municipalities.find((m) => m.code === '290')!.labourForce).toEqual({ value: 3_412, source: 'Tilastokeskus, työssäkäyntitilasto', year: 2024, isDemo: false });
    expect(s.municipalities.find((m) => m.code === '697')!.labourForce).toEqual({ value: null, source: null, year: null, isDemo: false });
    expect(s.municipalities.find((m) => m.code === '205')!.labourForce.value).toBe(17_000);
    expect(s.threshold).toMatchObject({ total: 40_350 - 3_400 + 3_412 - 500, incomplete: true });
    const event = (await auditActions(KAINUU)).at(-1)!;
    expect(event).toMatchObject({ action: 'area.labour_force_updated', actor_user_id: admin.userId });
    expect(event.details.municipalities).toEqual([{ code: '290', from: 3_400, to: 3_412, source: 'Tilastokeskus, työssäkäyntitilasto', year: 2024 }, { code: '697', from: 500, to: null, source: null, year: null }]);
  });

  it('refuses a figure without source or year, a negative or fractional figure, a code twice, another area’s or a made-up code; nothing changes', async () => {
    const before = await tableCounts(t.db);
    const cases: Array<[unknown, string]> = [
      [{ municipalities: [{ code: '290', labourForce: 3_000 }] }, 'source'],
      [{ municipalities: [{ code: '290', labourForce: 3_000, source: 'x' }] }, 'source'],
      [{ municipalities: [{ code: '290', labourForce: -1, source: 'x', year: 2024 }] }, 'labourForce'],
      [{ municipalities: [{ code: '290', labourForce: 1.5, source: 'x', year: 2024 }] }, 'labourForce'],
      [{ municipalities: [{ code: '290', labourForce: 1, source: 'x', year: 1999 }] }, 'year'],
      [{ municipalities: [{ code: '290', labourForce: 1, source: 'x', year: 2024 }, { code: '290', labourForce: 2, source: 'x', year: 2024 }] }, 'code'],
      [{ municipalities: [{ code: '901', labourForce: 1, source: 'x', year: 2024 }] }, 'code'],
      [{ municipalities: [{ code: '12', labourForce: 1, source: 'x', year: 2024 }] }, 'code'],
      [{ municipalities: [] }, 'municipalities'],
      [{ municipalities: [{ code: '290', labourForce: 1, source: 'x', year: 2024, extra: 1 }] }, ''],
      [[], ''],
      ['not JSON', ''],
    ];
    for (const [input, field] of cases) {
      const r = await refusal(() => updateLabourForce(t.deps, admin, KAINUU, input));
      expect(r.code, JSON.stringify(input)).toBe('invalid_input');
      if (field) expect(r.issues!.some((i) => i.path.includes(field)), JSON.stringify(r.issues)).toBe(true);
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('reads figures typed with blanks; a point or a comma in a figure is refused as not whole (never read as thousands or a fraction); nothing changes', async () => {
    const s = await updateLabourForce(t.deps, admin, KAINUU, { municipalities: [{ code: '290', labourForce: '3 412', source: 'x', year: '2024' }] });
    expect(s.municipalities.find((m) => m.code === '290')!.labourForce).toMatchObject({ value: 3_412, year: 2024 });
    const before = await tableCounts(t.db);
    for (const typed of ['20.333', '20,333', '3412,0']) {
      const r = await refusal(() => updateLabourForce(t.deps, admin, KAINUU, { municipalities: [{ code: '290', labourForce: typed, source: 'x', year: 2024 }] }));
      expect(r, typed).toMatchObject({ code: 'invalid_input', issues: [{ path: ['municipalities', '0', 'labourForce'], code: 'not_whole' }] });
    }
    expect((await refusal(() => updateLabourForce(t.deps, admin, KAINUU, { municipalities: [{ code: '290', labourForce: 'kolme', source: 'x', year: 2024 }] }))).issues![0]!.code).toBe('not_a_number');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('only the host admin: a drafter, a rep and a viewer get forbidden whatever they send; another area’s admin not_found', async () => {
    const before = await tableCounts(t.db);
    for (const who of ['drafter.kajaani', 'rep.kuhmo', 'secretary.kuhmo', 'viewer.kuhmo']) {
      const actor = await actorFor(t.deps, `${who}@sopu.example`);
      for (const input of [{ municipalities: [{ code: '290', labourForce: 1, source: 'x', year: 2024 }] }, 'nonsense']) {
        expect((await refusal(() => updateLabourForce(t.deps, actor, KAINUU, input))).code, who).toBe('forbidden');
      }
    }
    const rantala = await actorFor(t.deps, 'admin.rantala@sopu.example');
    expect((await refusal(() => updateLabourForce(t.deps, rantala, KAINUU, { municipalities: [] }))).code).toBe('not_found');
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('updateJointBody', () => {
  const all = (seats: Record<string, [number, number]>) => KAINUU_CODES.map((code) => ({ code, seats: seats[code]?.[0] ?? 1, votesPerSeat: seats[code]?.[1] ?? 1 }));

  it('sets every municipality’s seats and votes and the chair; the shares follow; audited with the verdict', async () => {
    // Kajaani 9 × 1 of 18: exactly half, with the chair.
    const s = await updateJointBody(t.deps, admin, KAINUU, { municipalities: all({ '205': [9, 1] }), chairCode: '205' });
    expect(s.jointBody.shares).toMatchObject({ verdict: 'fail', reason: 'half_with_chair', totalVotes: 18 });
    const moved = await updateJointBody(t.deps, admin, KAINUU, { municipalities: all({ '205': [9, 1] }), chairCode: '290' });
    expect(moved.jointBody.shares).toMatchObject({ verdict: 'warning', reason: 'half_without_chair', subject: '205' });
    expect(moved.jointBody.chair?.code).toBe('290');
    const weighted = await updateJointBody(t.deps, admin, KAINUU, { municipalities: all({ '205': [3, 1.5], '305': [0, 0] }), chairCode: null });
    expect(weighted.municipalities.find((m) => m.code === '305')!.jointBody).toEqual({ seats: 0, votesPerSeat: 0, holdsChair: false });
    expect(weighted.jointBody.shares).toMatchObject({ verdict: 'pass', totalVotes: 12.5 });
    expect((await auditActions(KAINUU)).filter((e) => e.action === 'area.joint_body_updated').map((e) => e.details.verdict)).toEqual(['fail', 'warning', 'pass']);
  });

  it('reads votes per seat typed with a comma or a point; refuses a seat count with one and a third decimal, naming the row', async () => {
    const typed = KAINUU_CODES.map((code) => ({ code, seats: code === '205' ? '3' : '1', votesPerSeat: code === '205' ? '1,5' : code === '290' ? '2.25' : '1' }));
    const s = await updateJointBody(t.deps, admin, KAINUU, { municipalities: typed, chairCode: null });
    expect(s.municipalities.find((m) => m.code === '205')!.jointBody.votesPerSeat).toBe(1.5);
    expect(s.municipalities.find((m) => m.code === '290')!.jointBody.votesPerSeat).toBe(2.25);
    const before = await tableCounts(t.db);
    const bad = typed.map((m, i) => (i === 7 ? { ...m, seats: '2,5', votesPerSeat: '20.333' } : m));
    const r = await refusal(() => updateJointBody(t.deps, admin, KAINUU, { municipalities: bad, chairCode: null }));
    expect(r.issues).toEqual([
      expect.objectContaining({ path: ['municipalities', '7', 'seats'], code: 'not_whole' }),
      expect.objectContaining({ path: ['municipalities', '7', 'votesPerSeat'], code: 'too_many_decimals' }),
    ]);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('refuses a partial list, a chair without a seat or from elsewhere, no seats at all, three decimals; nothing changes', async () => {
    const before = await tableCounts(t.db);
    const area = await t.db.selectFrom('areas').selectAll().where('slug', '=', KAINUU).executeTakeFirstOrThrow();
    const cases: Array<[unknown, string]> = [
      [{ municipalities: all({}).slice(1), chairCode: null }, 'missing_municipalities'],
      [{ municipalities: all({ '290': [0, 1] }), chairCode: '290' }, 'no_seat'],
      [{ municipalities: all({}), chairCode: '901' }, 'unknown_municipality'],
      [{ municipalities: KAINUU_CODES.map((code) => ({ code, seats: 0, votesPerSeat: 1 })), chairCode: null }, 'no_seats'],
      [{ municipalities: all({ '205': [1, 1.005] }), chairCode: null }, 'too_many_decimals'],
      [{ municipalities: all({ '205': [101, 1] }), chairCode: null }, 'too_big'],
      [{ municipalities: all({}) }, 'invalid_type'],
    ];
    for (const [input, code] of cases) {
      const r = await refusal(() => updateJointBody(t.deps, admin, KAINUU, input));
      expect(r.code).toBe('invalid_input');
      expect(r.issues!.map((i) => i.code), code).toContain(code);
    }
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await t.db.selectFrom('areas').selectAll().where('slug', '=', KAINUU).executeTakeFirstOrThrow()).toEqual(area);
  });
});

describe('updateExceptionGround', () => {
  it('records the grounds in the order of the act and the permit decision; clears them again', async () => {
    const rantala = await actorFor(t.deps, 'admin.rantala@sopu.example');
    const s = await updateExceptionGround(t.deps, rantala, SAARISTO, { grounds: ['language_rights', 'archipelago_or_distance'], permit: { reference: 'VN/1234/2024', date: '2024-06-12' } });
    expect(s.exception).toEqual({ grounds: ['archipelago_or_distance', 'language_rights'], permit: { reference: 'VN/1234/2024', date: '2024-06-12' } });
    expect((await updateExceptionGround(t.deps, rantala, SAARISTO, { grounds: [], permit: null })).exception).toEqual({ grounds: [], permit: null });
    expect((await auditActions(SAARISTO)).filter((e) => e.action === 'area.exception_updated')).toHaveLength(2);
  });

  it('refuses an unknown ground, a ground twice, a permit dated after today or not a date', async () => {
    const before = await tableCounts(t.db);
    for (const input of [
      { grounds: ['because'], permit: null },
      { grounds: ['sami_rights', 'sami_rights'], permit: null },
      { grounds: [], permit: { reference: 'VN/1/2026', date: '2026-12-02' } },
      { grounds: [], permit: { reference: 'VN/1/2026', date: '2026-02-30' } },
      { grounds: [], permit: { reference: '', date: null } },
      { grounds: [] },
    ]) {
      expect((await refusal(() => updateExceptionGround(t.deps, admin, KAINUU, input))).code, JSON.stringify(input)).toBe('invalid_input');
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('updateMilestones', () => {
  it('replaces the list; an existing id keeps its milestone, another area’s id makes a new one', async () => {
    const saaristoId = (await getAreaSettings(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), SAARISTO)).milestones[0]!.id;
    const kept = (await getAreaSettings(t.deps, admin, KAINUU)).milestones[1]!;
    const s = await updateMilestones(t.deps, admin, KAINUU, {
      milestones: [
        { id: kept.id, kind: 'council_meeting', label: { fi: 'Kuhmon valtuusto', sv: 'Kuhmo fullmäktige' }, date: '2026-12-15', municipalityCode: '290' },
        { id: saaristoId, kind: 'deadline', label: { sv: 'Utlåtanden senast' }, date: '2026-11-30' },
      ],
    });
    expect(s.milestones.map((m) => [m.date, m.kind, m.label, m.daysLeft, m.municipality?.code ?? null])).toEqual([
      ['2026-11-30', 'deadline', { fi: '', sv: 'Utlåtanden senast' }, -1, null],
      ['2026-12-15', 'council_meeting', { fi: 'Kuhmon valtuusto', sv: 'Kuhmo fullmäktige' }, 14, '290'],
    ]);
    expect(s.milestones[1]!.id).toBe(kept.id);
    expect(s.milestones[0]!.id).not.toBe(saaristoId);
    // Saaristo's milestone is untouched.
    expect((await t.db.selectFrom('milestones').select('id').where('id', '=', saaristoId).execute())).toHaveLength(1);
    expect((await updateMilestones(t.deps, admin, KAINUU, { milestones: [] })).milestones).toEqual([]);
  });

  it('refuses a label in neither language, an impossible date, an unknown kind or municipality', async () => {
    const before = await tableCounts(t.db);
    for (const m of [
      { kind: 'other', label: {}, date: '2027-01-01' },
      { kind: 'other', label: { fi: ' ' }, date: '2027-01-01' },
      { kind: 'other', label: { fi: 'x' }, date: '2027-02-29' },
      { kind: 'other', label: { fi: 'x' }, date: '1.1.2027' },
      { kind: 'party', label: { fi: 'x' }, date: '2027-01-01' },
      { kind: 'council_meeting', label: { fi: 'x' }, date: '2027-01-01', municipalityCode: '901' },
    ]) {
      expect((await refusal(() => updateMilestones(t.deps, admin, KAINUU, { milestones: [m] }))).code, JSON.stringify(m)).toBe('invalid_input');
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('updateKeyFacts', () => {
  it('replaces the facts; a fact needs Finnish or Swedish', async () => {
    const s = await updateKeyFacts(t.deps, admin, KAINUU, { facts: [{ fi: 'Aiesopimus hyväksytty 2023.', sv: 'Avsiktsförklaringen godkänd 2023.' }, { sv: 'Bara svenska.' }] });
    expect(s.keyFacts).toEqual([{ fi: 'Aiesopimus hyväksytty 2023.', sv: 'Avsiktsförklaringen godkänd 2023.', en: '' }, { fi: '', sv: 'Bara svenska.', en: '' }]);
    expect((await refusal(() => updateKeyFacts(t.deps, admin, KAINUU, { facts: [{ en: 'Only English' }] }))).code).toBe('invalid_input');
    expect((await refusal(() => updateKeyFacts(t.deps, admin, KAINUU, { facts: Array.from({ length: 13 }, () => ({ fi: 'x' })) }))).code).toBe('invalid_input');
  });
});

describe('updateEntryIntoForce', () => {
  it('sets the date the cooperation agreement states (or a 54 § agreement named by id), clears it, audited; the approvals read it', async () => {
    const before = await getAreaSettings(t.deps, admin, KAINUU);
    const agreement = before.entryIntoForce[0]!;
    expect(agreement).toMatchObject({ kind: 'cooperation_agreement', date: null });
    const s = await updateEntryIntoForce(t.deps, admin, KAINUU, { date: '2027-01-01' });
    expect(s.entryIntoForce[0]).toMatchObject({ documentId: agreement.documentId, date: '2027-01-01' });
    expect((await approvalsOverview(t.deps, admin, KAINUU)).entryIntoForce).toBe('2027-01-01');
    expect((await updateEntryIntoForce(t.deps, admin, KAINUU, { date: null, documentId: agreement.documentId })).entryIntoForce[0]!.date).toBeNull();
    expect((await auditActions(KAINUU)).filter((e) => e.action === 'area.entry_into_force_updated').map((e) => e.details)).toEqual([
      { kind: 'cooperation_agreement', from: null, to: '2027-01-01' },
      { kind: 'cooperation_agreement', from: '2027-01-01', to: null },
    ]);
  });

  it('refuses an impossible date, a date-time, another document or another area’s agreement, and anyone but the host admin; nothing changes', async () => {
    const saaristo = (await getAreaSettings(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), SAARISTO)).entryIntoForce[0]!.documentId;
    const rules = await t.db.selectFrom('documents').innerJoin('areas', 'areas.id', 'documents.area_id').select('documents.id').where('areas.slug', '=', KAINUU).where('documents.kind', '=', 'administrative_rules').executeTakeFirstOrThrow();
    const counts = await tableCounts(t.db);
    for (const body of [{ date: '2027-02-30' }, { date: '2027-01-01T00:00:00Z' }, { date: '1.1.2027' }, {}, { date: '2027-01-01', extra: 1 }, { date: '2027-01-01', documentId: saaristo }, { date: '2027-01-01', documentId: rules.id }]) {
      expect((await refusal(() => updateEntryIntoForce(t.deps, admin, KAINUU, body))).code, JSON.stringify(body)).toBe('invalid_input');
    }
    for (const who of ['drafter.kajaani', 'secretary.kuhmo', 'viewer.kuhmo']) {
      expect((await refusal(async () => updateEntryIntoForce(t.deps, await actorFor(t.deps, `${who}@sopu.example`), KAINUU, { date: '2027-01-01' }))).code, who).toBe('forbidden');
    }
    expect((await refusal(async () => updateEntryIntoForce(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), KAINUU, { date: '2027-01-01' }))).code).toBe('not_found');
    expect(await tableCounts(t.db)).toEqual(counts);
    expect((await getAreaSettings(t.deps, admin, KAINUU)).entryIntoForce[0]!.date).toBeNull();
  });
});
