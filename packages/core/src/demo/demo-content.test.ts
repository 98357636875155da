import { readSections, sectionPlainText } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalsOverview } from '../approvals/index.ts';
import { listThreads } from '../comments/index.ts';
import { getTranslations, loadDocumentState } from '../documents/index.ts';
import { getVersion } from '../versions/index.ts';
import { listNotifications } from '../comments/index.ts';
import { actorFor, createTestDeps, documentIdOf, type TestDeps } from '../testing.ts';
import { listPositions, listSuggestions } from '../negotiation/index.ts';
import { loadDemoAreasIfEmpty } from './demo.ts';
import { demoMilestoneDate } from './demo-dates.ts';
import { addDays } from '../shared/helsinki.ts';
import { getAreaSettings, listChecks } from '../areas/index.ts';
import demoData from '@sopu/migrations/seeds/demo-areas.json' with { type: 'json' };

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

  it("makes Saaristo's agreement bilingual: Swedish with Finnish beside it, approved in both, one Finnish translation stale", async () => {
    const admin = await actorFor(t.deps, 'admin.rantala@sopu.example');
    const agreement = await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement');
    const translations = await getTranslations(t.deps, admin, agreement);
    expect(translations.languages).toEqual({ main: 'sv', parallel: 'fi' });
    // Every section has its Finnish; the one completed in Swedish after the approvals shows its Finnish as stale.
    expect(translations.needsTranslation).toEqual(['development']);
    const development = translations.sections.find((s) => s.key === 'development')!;
    expect(development.states).toEqual({ sv: 'in_line', fi: 'stale' });
    expect(development.changed).toEqual(['sv']);
    const doc = await loadDocumentState(t.db, agreement);
    for (const key of translations.sections.map((s) => s.key)) expect(sectionPlainText(doc, key, 'fi').length, key).toBeGreaterThan(20);
    expect(sectionPlainText(doc, 'parties', 'fi')).toContain('Rantalan kaupunki');
    doc.destroy();
    // Version 1 was the Swedish first draft; version 2, which every council approved, has both languages.
    expect((await getVersion(t.deps, admin, agreement, 1)).languages).toBeUndefined();
    expect((await getVersion(t.deps, admin, agreement, 2)).languages).toEqual(['sv', 'fi']);
    const threads = await listThreads(t.deps, admin, agreement);
    expect(threads.find((th) => th.section === 'body_composition')).toMatchObject({ language: 'fi', anchorLost: false, quote: expect.stringContaining('Puheenjohtajuus kiertää') });
    // Kainuu-Koillismaa's agreement stays Finnish only.
    expect((await getTranslations(t.deps, await actorFor(t.deps, 'admin.kajaani@sopu.example'), await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement'))).languages).toBeNull();
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
    expect(o.summary.fi).toBe('Ei voimassa: 6/10 valtuustoa on hyväksynyt version 2; Puolanka, Ristijärvi ja Taivalkoski käsittelemättä; Kuhmo käsittelee 11.12.');
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

  it('the sections sent to the councils are agreed where the negotiation allows, the contested ones in drafting; the live text is still the version sent', async () => {
    const viewer = await actorFor(t.deps, 'viewer.kuhmo@sopu.example');
    const agreement = await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement');
    const o = await approvalsOverview(t.deps, viewer, 'kainuu-koillismaa');
    expect(o.requests[0]!.coversCurrentText).toBe(true);
    const sent = await getVersion(t.deps, viewer, agreement, o.requests[0]!.version);
    const status = new Map(sent.sections.map((s) => [s.key, s.status]));
    expect(status.get('parties')).toBe('agreed');
    expect(status.get('purpose')).toBe('agreed');
    // Premises: suggestions pending and Sotkamo objects (demo-negotiation.ts).
    expect(status.get('premises')).toBe('drafting');
    expect([...status.values()].filter((s) => s === 'agreed').length).toBeGreaterThan(sent.sections.length / 2);
    // Saaristo's text was revised after the approval (a translation goes stale): the host reopened that section.
    const saaristo = await approvalsOverview(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), 'saaristo-skargard');
    const approved = await getVersion(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement'), saaristo.requests[0]!.version);
    expect(approved.sections.filter((s) => s.status === 'agreed').length).toBeGreaterThan(approved.sections.length / 2);
    const live = await loadDocumentState(t.db, await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement'));
    try {
      const revised = readSections(live).filter((s) => approved.sections.find((a) => a.key === s.key)!.status === 'agreed' && s.status !== 'agreed');
      expect(revised.length).toBeLessThanOrEqual(1);
    } finally {
      live.destroy();
    }
  });

  it("no council of the demo meets after the agreement's entry into force, whatever day it is loaded; Taivalkoski's meeting has no warning", async () => {
    const meetings = (demoData.areas as Array<{ milestones?: Array<{ kind: string; days?: number; nextNewYear?: boolean }> }>).flatMap((a) => a.milestones ?? []).filter((m) => m.kind === 'council_meeting');
    expect(meetings.length).toBeGreaterThan(3);
    for (let day = 0; day < 2 * 366; day++) {
      const now = Date.parse(`${addDays('2026-01-01', day)}T10:00:00Z`);
      const inForce = demoMilestoneDate({ nextNewYear: true }, now);
      for (const m of meetings) expect(demoMilestoneDate(m, now) < inForce, `${addDays('2026-01-01', day)}: ${m.days} days`).toBe(true);
    }
    const admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
    const taivalkoski = (await getAreaSettings(t.deps, admin, 'kainuu-koillismaa')).milestones.find((m) => m.municipality?.code === '832')!;
    expect(taivalkoski.warnings).toEqual([]);
  });

  it("Saaristo has operated since 2025 under the Government's exception permit: recorded, cited in the agreement, no application pending", async () => {
    const admin = await actorFor(t.deps, 'admin.rantala@sopu.example');
    const settings = await getAreaSettings(t.deps, admin, 'saaristo-skargard');
    expect(settings.exception.permit).toEqual({ reference: 'VN/4321/2024', date: '2024-06-13' });
    expect(settings.milestones.map((m) => m.label.fi).join(' ')).not.toMatch(/hakemus/i);
    expect((await listChecks(t.deps, admin, 'saaristo-skargard')).find((c) => c.id === 'labour_force_threshold')).toMatchObject({ status: 'pass', message: { fi: expect.stringContaining('VN/4321/2024, 13.6.2024') } });
    const doc = await loadDocumentState(t.db, await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement'));
    try {
      const text = readSections(doc).map((s) => sectionPlainText(doc, s.key)).join(' ');
      expect(text).toContain('sedan 1.1.2025');
      expect(text).not.toMatch(/har sökts|kompletteras\]/);
    } finally {
      doc.destroy();
    }
  });
});
