import { readSections, sectionPlainText } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalsOverview } from '../approvals/index.ts';
import { listThreads } from '../comments/index.ts';
import { loadDocumentState } from '../documents/index.ts';
import { listNotifications } from '../comments/index.ts';
import { actorFor, createTestDeps, documentIdOf, type TestDeps } from '../testing.ts';
import { listPositions, listSuggestions } from '../negotiation/index.ts';
import { loadDemoAreasIfEmpty } from './demo.ts';

let t: TestDeps;
beforeEach(async () => {
  t = await createTestDeps({ demo: false });
  await loadDemoAreasIfEmpty(t.deps, t.clock.now(), { content: true });
});
afterEach(async () => {
  await t.cleanup();
});

describe('demo content', () => {
  it('has suggestions pending from two municipalities and a positions matrix in progress (docs/decisions/025)', async () => {
    const rep = await actorFor(t.deps, 'rep.kuhmo@sopu.example');
    const agreement = await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement');
    const suggestions = await listSuggestions(t.deps, rep, agreement);
    expect(new Set(suggestions.map((s) => s.municipalityCode))).toEqual(new Set(['765', '305']));
    expect(suggestions.map((s) => s.kind).sort()).toEqual(['delete', 'insert', 'insert']);
    expect(suggestions.every((s) => s.author.name !== null)).toBe(true);
    const positions = await listPositions(t.deps, rep, agreement);
    const all = positions.sections.flatMap((s) => s.positions);
    expect(new Set(all.map((p) => p.stance))).toEqual(new Set(['agree', 'reservations', 'objects']));
    expect(all.some((p) => !p.current)).toBe(true);
    expect(all.filter((p) => p.current).length).toBeGreaterThan(5);
    const saaristo = await listSuggestions(t.deps, await actorFor(t.deps, 'rep.rantala@sopu.example'), await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement'));
    expect(saaristo.map((s) => s.municipalityCode)).toEqual(['902']);
  });

  it('drafts every section of both demo agreements and administrative rules, in Finnish and in Swedish', async () => {
    for (const [area, word] of [['kainuu-koillismaa', 'sopimuksen'], ['saaristo-skargard', 'avtalet']] as const) {
      for (const kind of ['cooperation_agreement', 'administrative_rules']) {
        const doc = await loadDocumentState(t.db, await documentIdOf(t.db, area, kind));
        const sections = readSections(doc);
        expect(sections.length).toBeGreaterThan(0);
        for (const s of sections) expect(sectionPlainText(doc, s.key).length, `${area} ${kind} ${s.key}`).toBeGreaterThan(20);
        if (kind === 'cooperation_agreement') expect(sections.map((s) => sectionPlainText(doc, s.key)).join(' ')).toContain(word);
        doc.destroy();
      }
    }
  });

  it('anchors its threads to their quotes, between municipalities, some resolved, with mentions that notify', async () => {
    const admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
    const threads = await listThreads(t.deps, admin, await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement'));
    expect(threads.length).toBeGreaterThanOrEqual(8);
    expect(threads.filter((th) => th.anchor !== null).every((th) => !th.anchorLost && th.quote.length > 0)).toBe(true);
    expect(new Set(threads.flatMap((th) => th.comments.map((c) => c.author.municipalityCode))).size).toBeGreaterThanOrEqual(4);
    expect(threads.some((th) => th.status === 'resolved')).toBe(true);
    expect(threads.some((th) => th.comments.some((c) => c.mentions.length > 0))).toBe(true);
    const mentioned = threads.flatMap((th) => (th.status === 'open' ? th.comments.flatMap((c) => c.mentions.filter((m) => m.id !== c.author.id).map((m) => m.id)) : []));
    const someone = await t.db.selectFrom('users').select(['id', 'email', 'display_name']).where('id', '=', mentioned[0]!).executeTakeFirstOrThrow();
    expect((await listNotifications(t.deps, { userId: someone.id, email: someone.email, displayName: someone.display_name })).unread).toBeGreaterThan(0);
    const saaristo = await listThreads(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement'));
    expect(saaristo.length).toBeGreaterThanOrEqual(3);
  });

  it('sends each agreement to the councils: in Kainuu a matrix in progress with two decisions final, in Saaristo every step up to the entry into force', async () => {
    // The clock is 28.11.2026: Kainuu's version went out 19.10., Saaristo's 29.9.; both agreements enter into force 1.1.2027.
    const o = await approvalsOverview(t.deps, await actorFor(t.deps, 'viewer.kuhmo@sopu.example'), 'kainuu-koillismaa');
    expect(o.requests).toHaveLength(1);
    expect(o.requests[0]).toMatchObject({ version: 2, versionLabel: 'Valtuustokäsittelyyn 19.10.2026', status: 'open', coversCurrentText: true, sentAt: t.clock.now() - 40 * 86_400_000 });
    expect(o.summary.fi).toBe('Ei voimassa: 6/10 hyväksyi version 2; Puolanka, Ristijärvi ja Taivalkoski käsittelemättä; Kuhmo käsittelee 11.12.');
    expect(o.entryIntoForce).toBe('2027-01-01');
    expect(o.requests[0]!.decisions.map((d) => d.decisionDate).filter(Boolean).sort()).toEqual(['2026-10-26', '2026-10-26', '2026-10-29', '2026-11-16', '2026-11-16', '2026-11-18']);
    expect(o.requests[0]!.decisions.filter((d) => d.state === 'final').map((d) => [d.municipalityCode, d.finalDate])).toEqual([['205', '2026-11-23'], ['765', '2026-11-23']]);
    const vias = o.requests[0]!.decisions.map((d) => d.recordedVia);
    expect(new Set(vias)).toEqual(new Set(['member', 'on_behalf', 'token', null]));
    expect(o.requests[0]!.decisions.filter((d) => d.minutesUrl).map((d) => d.municipalityCode)).toEqual(['205']);
    expect(o.requests[0]!.decisions.find((d) => d.municipalityCode === '205')!.history.map((h) => h.state)).toEqual(['scheduled', 'approved', 'final']);
    for (const r of o.requests[0]!.decisions) if (r.recordedAt !== null) expect(r.recordedAt).toBeLessThan(t.clock.now());
    for (const r of o.requests[0]!.decisions) for (const h of r.history) expect(h.recordedAt).toBeLessThan(t.clock.now());
    const s = await approvalsOverview(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), 'saaristo-skargard');
    expect(s).toMatchObject({ inForce: false, entryIntoForce: '2027-01-01', requests: [{ status: 'closed' }], approvedText: { approvedOn: '2026-10-14', finalOn: null, notFinal: ['903'], signedCount: 2, inForceFrom: null } });
    const h = `${s.requests[0]!.hash.slice(0, 4)}…`;
    expect(s.summary.sv).toBe(`Ännu inte i kraft: alla 3 fullmäktige godkände version 2 (${h}) den 14.10.; laga kraft 2/3; Saarela väntar på laga kraft; träder i kraft den 1.1.2027 när alla beslut har vunnit laga kraft`);
    expect(s.requests[0]!.decisions.map((d) => d.state).sort()).toEqual(['approved', 'signed', 'signed']);
    for (const slug of ['kainuu-koillismaa', 'saaristo-skargard']) {
      const tokens = await t.db.selectFrom('api_tokens').innerJoin('areas', 'areas.id', 'api_tokens.area_id').select('api_tokens.id').where('areas.slug', '=', slug).execute();
      expect(tokens, slug).toHaveLength(1);
    }
  });
});
