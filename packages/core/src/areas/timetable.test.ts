import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getAreaSettings, updateEntryIntoForce, updateMilestones } from './settings.ts';
import { recordCouncilDecision, sendForApproval } from '../approvals/index.ts';
import { openConsultationRound } from '../consultation/index.ts';
import type { Actor } from '../shared/deps.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, writeSection, type TestDeps } from '../testing.ts';
import { saveVersion } from '../versions/index.ts';

/*
 * The timetable knows the process (issue 21): a council meeting is tied to that council's handling of the agreement,
 * drops from "upcoming" once the council decided, and warns when it comes after the agreement's entry into force or
 * before the deadline of a round whose outcome the host's council needs.
 */

let t: TestDeps;
let admin: Actor;
const AREA = 'kainuu-koillismaa';
beforeEach(async () => {
  t = await createTestDeps();
  admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
});
afterEach(async () => {
  await t.cleanup();
});

const meetings = async () => (await getAreaSettings(t.deps, admin, AREA)).milestones;

describe('the timetable', () => {
  it("ties a council meeting to that council's approval, and drops it from upcoming once the council decided", async () => {
    const agreement = await documentIdOf(t.db, AREA, 'cooperation_agreement');
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'purpose', ['Tarkoitus.']));
    const version = await saveVersion(t.deps, admin, agreement, { label: 'Valtuustoille' });
    await updateMilestones(t.deps, admin, AREA, { milestones: [{ kind: 'council_meeting', label: { fi: 'Kuhmon valtuusto' }, date: '2026-12-14', municipalityCode: '290' }, { kind: 'other', label: { fi: 'Muu' }, date: '2026-12-20' }] });
    let [kuhmo, other] = await meetings();
    expect(kuhmo).toMatchObject({ approval: null, upcoming: true, warnings: [] });
    expect(other).toMatchObject({ approval: null, upcoming: true });

    const request = await sendForApproval(t.deps, admin, agreement, { version: version.number });
    [kuhmo] = await meetings();
    expect(kuhmo).toMatchObject({ approval: { requestId: request.id, version: version.number, state: 'pending', decided: false }, upcoming: true });
    await recordCouncilDecision(t.deps, await actorFor(t.deps, 'secretary.kuhmo@sopu.example'), request.id, { municipalityCode: '290', state: 'approved', decisionDate: '2026-11-28', minutesSection: '45' });
    [kuhmo] = await meetings();
    expect(kuhmo).toMatchObject({ approval: { state: 'approved', decided: true }, upcoming: false, daysLeft: 16 });
  });

  it('warns when a council meets after the entry into force, and when an open round ends after the host council meets', async () => {
    await updateEntryIntoForce(t.deps, admin, AREA, { date: '2027-01-01' });
    await updateMilestones(t.deps, admin, AREA, {
      milestones: [
        { kind: 'council_meeting', label: { fi: 'Taivalkosken valtuusto' }, date: '2027-01-02', municipalityCode: '832' },
        { kind: 'council_meeting', label: { fi: 'Kuhmon valtuusto' }, date: '2027-01-01', municipalityCode: '290' },
        { kind: 'council_meeting', label: { fi: 'Kajaanin valtuusto' }, date: '2026-12-10', municipalityCode: '205' },
      ],
    });
    let list = await meetings();
    const byLabel = (label: string) => list.find((m) => m.label.fi === label)!;
    // The boundary: on the day of entry into force is in time; the day after is not.
    expect(byLabel('Kuhmon valtuusto').warnings).toEqual([]);
    expect(byLabel('Taivalkosken valtuusto').warnings).toEqual([{ kind: 'after_entry_into_force', date: '2027-01-01' }]);
    expect(byLabel('Kajaanin valtuusto').warnings).toEqual([]);

    const rules = await documentIdOf(t.db, AREA, 'administrative_rules');
    await saveVersion(t.deps, admin, rules, { label: 'Lausunnolle' });
    const round = await openConsultationRound(t.deps, admin, rules, { version: 1, title: 'Hallintosääntö', questions: [], deadline: '2026-12-10T16:00' });
    list = await meetings();
    expect(byLabel('Kajaanin valtuusto').warnings).toEqual([{ kind: 'round_deadline_after', roundId: round.id, title: 'Hallintosääntö', deadline: round.deadline }]);
    // A member's council does not adopt the host's rules: no such warning there.
    expect(byLabel('Kuhmon valtuusto').warnings).toEqual([]);
  });
});
