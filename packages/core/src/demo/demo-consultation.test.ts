import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAdoption } from '../consultation/index.ts';
import { getConsultationSummary } from '../consultation/index.ts';
import { getRound, listRounds } from '../consultation/index.ts';
import { loadDemoConsultation } from './demo-consultation.ts';
import { loadDemoContent } from './demo-content.ts';
import { isDomainError } from '../shared/errors.ts';
import { listNotifications } from '../comments/index.ts';
import { actorFor, createTestDeps, documentIdOf, tableCounts, type TestDeps } from '../testing.ts';

let t: TestDeps;
// An evening in summer time: Kainuu's open round's deadline (3.11.) falls after the change to winter time.
const NOW = Date.parse('2026-10-20T17:30:00Z');

beforeEach(async () => {
  t = await createTestDeps({ now: NOW });
  await loadDemoContent(t.deps, NOW);
  await loadDemoConsultation(t.deps, NOW);
});
afterEach(async () => {
  await t.cleanup();
});

describe('demo consultation rounds', () => {
  it('Kainuu-Koillismaa: a published round on version 1 (statements, "ei lausuttavaa", one silent), and an open round on version 2', async () => {
    const rules = await documentIdOf(t.db, 'kainuu-koillismaa', 'administrative_rules');
    const admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
    const [open, done] = await listRounds(t.deps, admin, rules);
    expect(done).toMatchObject({ state: 'summary_published', version: { number: 1 }, invited: 9, answered: 8, deadlinePassed: true });
    expect(open).toMatchObject({ state: 'open', version: { number: 2 }, invited: 9, answered: 2, deadlinePassed: false });
    expect(open!.daysLeft).toBe(14);
    expect(open!.deadlineLocal).toBe('2026-11-03T16:00+02:00');

    const finished = await getRound(t.deps, admin, done!.id);
    expect(finished.missingResponses).toEqual([]);
    expect(finished.invitees.filter((i) => i.status === 'no_answer').map((i) => i.municipality.code)).toEqual(['832']);
    expect(finished.invitees.filter((i) => i.statement?.noComments).map((i) => i.municipality.code)).toEqual(['578']);
    expect(finished.invitees.find((i) => i.municipality.code === '290')!.revisions).toHaveLength(2);
    expect(finished.invitees.find((i) => i.municipality.code === '697')!.statement).toMatchObject({ onBehalf: true, submittedBy: { name: 'Pääkäyttäjä Kajaani' } });
    expect(finished.timeline.map((e) => e.kind)).toEqual([
      'opened', 'statement_submitted', 'statement_submitted', 'statement_amended', 'reminded', 'statement_submitted', 'statement_submitted', 'statement_submitted',
      'statement_submitted', 'statement_submitted', 'statement_submitted', 'deadline', 'closed', 'summary_published',
    ]);
    // The finished round runs after version 1 was saved (six days ago, by the demo text), its deadline at 16.00.
    const v1 = await t.db.selectFrom('versions').select('created_at').where('document_id', '=', rules).where('number', '=', 1).executeTakeFirstOrThrow();
    expect(finished.timeline.every((e) => e.at > v1.created_at && e.at < NOW)).toBe(true);
    expect(finished.deadlineLocal).toBe('2026-10-17T16:00+03:00');
    const summary = await getConsultationSummary(t.deps, await actorFor(t.deps, 'viewer.kuhmo@sopu.example'), done!.id);
    expect(summary).toMatchObject({ published: true, counts: { invited: 9, answered: 8, noComments: 1, noAnswer: 1, partly: 2, not_taken_into_account: 1 } });

    // Before its close, Kuhmo sees only its own statement in the open round.
    const kuhmo = await getRound(t.deps, await actorFor(t.deps, 'rep.kuhmo@sopu.example'), open!.id);
    expect(kuhmo.invitees.filter((i) => i.statement).map((i) => i.municipality.code)).toEqual(['290']);
    expect(kuhmo.actions.submitFor).toEqual(['290']);

    // The reminder reached the reps of those who had not answered yet, and has been read.
    const reminders = await listNotifications(t.deps, await actorFor(t.deps, 'rep.taivalkoski@sopu.example'));
    expect(reminders.items.filter((n) => n.kind === 'round_reminder')).toMatchObject([{ readAt: expect.any(Number), round: { id: done!.id, deadlineLocal: '2026-10-17T16:00+03:00' } }]);
    expect((await listNotifications(t.deps, await actorFor(t.deps, 'rep.kuhmo@sopu.example'))).items.filter((n) => n.kind === 'round_reminder')).toEqual([]);

    // Version 1 may be adopted (the rules changed since: the diff is named); version 2 not while its round is open.
    const adoption = await recordAdoption(t.deps, admin, rules, { version: 1, body: 'Kajaanin kaupunginvaltuusto', date: '2026-10-20', minutesSection: '§ 64' });
    expect(adoption).toMatchObject({ changedSinceConsultation: true, changedSections: ['meeting_procedure', 'presentation_and_decisions', 'meeting_fees'] });
    const refused = await recordAdoption(t.deps, admin, rules, { version: 2, body: 'Kajaanin kaupunginvaltuusto', date: '2026-10-20', minutesSection: '§ 65' }).catch((e: unknown) => e);
    expect(isDomainError(refused) && refused.details.reason).toBe('round_open');
  });

  it('works on rules without a version or text too: it saves the first version itself', async () => {
    const bare = await createTestDeps({ now: NOW });
    try {
      await loadDemoConsultation(bare.deps, NOW);
      const rules = await documentIdOf(bare.db, 'kainuu-koillismaa', 'administrative_rules');
      const rounds = await listRounds(bare.deps, await actorFor(bare.deps, 'admin.kajaani@sopu.example'), rules);
      expect(rounds.map((r) => [r.state, r.version.number])).toEqual([['open', 2], ['summary_published', 1]]);
      const view = await getRound(bare.deps, await actorFor(bare.deps, 'admin.kajaani@sopu.example'), rounds[1]!.id);
      expect(view.timeline.map((e) => e.at)).toEqual([...view.timeline.map((e) => e.at)].sort((a, b) => a - b));
      expect(view.openedAt).toBeGreaterThan(NOW - 31 * 86_400_000);
    } finally {
      await bare.cleanup();
    }
  });

  it('Saaristo: an open round with Holmby’s statement; every area’s audit chain still holds; a second load adds nothing', async () => {
    const rules = await documentIdOf(t.db, 'saaristo-skargard', 'administrative_rules');
    const admin = await actorFor(t.deps, 'admin.rantala@sopu.example');
    const [round] = await listRounds(t.deps, admin, rules);
    expect(round).toMatchObject({ state: 'open', invited: 2, answered: 1, title: 'Ändring av förvaltningsstadgan: sysselsättningsnämnden' });
    const view = await getRound(t.deps, admin, round!.id);
    expect(view.invitees.find((i) => i.municipality.code === '902')!.statement).toMatchObject({ general: 'Holmby kommun tillstyrker ändringarna.', submittedBy: { name: 'Representant Holmby' } });
    for (const area of await t.db.selectFrom('areas').select('id').execute()) expect(await t.deps.audit.verify(t.db, area.id)).toBeNull();
    const before = await tableCounts(t.db);
    await loadDemoConsultation(t.deps, NOW + 1000);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
