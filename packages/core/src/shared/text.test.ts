import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApprovalToken, listApprovalTokens } from '../approvals/index.ts';
import { getAreaSettings, updateExceptionGround, updateKeyFacts, updateLabourForce, updateMilestones } from '../areas/index.ts';
import { addComment, createThread, hideComment, listThreads } from '../comments/index.ts';
import { openConsultationRound } from '../consultation/index.ts';
import type { Actor } from './deps.ts';
import { createDocument } from '../documents/index.ts';
import { isDomainError } from './errors.ts';
import { acceptInvitation, inviteMember, NAME_TAKEN } from '../members/index.ts';
import { createArea } from '../areas/index.ts';
import { balanceBidi, cleanText, nameKey, REQUIRED_MESSAGE } from './text.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, invitationLink, tableCounts, writeSection, type TestDeps } from '../testing.ts';
import { listVersions, saveVersion } from '../versions/index.ts';

const KAINUU = 'kainuu-koillismaa';
const NULS = '\u0000'.repeat(10);
const RLO = '\u202e';
const PDF = '\u202c';
const RLI = '\u2067';
const PDI = '\u2069';

describe('cleaning user text', () => {
  it('drops control characters (C0 but tab and LF, DEL, C1) and lone surrogates, unifies line breaks', () => {
    expect(cleanText('a\u0000b\u0007c\u007fd\u0085e\u009ff', { multiline: true })).toBe('abcdef');
    expect(cleanText('one\r\ntwo\rthree\u2028four\u2029five\tsix', { multiline: true })).toBe('one\ntwo\nthree\nfour\nfive\tsix');
    expect(cleanText('x\ud800y\udc00z😀', { multiline: true })).toBe('xyz😀');
    expect(cleanText(NULS)).toBe('');
    expect(cleanText(`  ${NULS} \n\t `, { multiline: true })).toBe('');
  });

  it('makes one-line text one line, whitespace runs one space', () => {
    expect(cleanText('  Valtuusto-\r\n käsittelyyn\t 3.10. ')).toBe('Valtuusto- käsittelyyn 3.10.');
  });

  it('keeps matched bidi controls and drops unmatched ones, line by line', () => {
    // An override closed on its line, and an isolate: kept.
    expect(balanceBidi(`a ${RLO}xyz${PDF} b`)).toBe(`a ${RLO}xyz${PDF} b`);
    expect(balanceBidi(`${RLI}שלום${PDI} ok`)).toBe(`${RLI}שלום${PDI} ok`);
    // Left open: it would reverse everything after it (the next comment's author, the page): dropped.
    expect(balanceBidi(`a ${RLO}xyz`)).toBe('a xyz');
    expect(balanceBidi(`${RLO}line one\nline two${PDF}`)).toBe('line one\nline two');
    expect(balanceBidi(`${PDF}${PDI}text`)).toBe('text');
    // A PDI closes its isolate and cuts the override opened inside it short: that override goes.
    expect(balanceBidi(`${RLI}a${RLO}b${PDI}c`)).toBe(`${RLI}ab${PDI}c`);
    // A PDF does not close an isolate.
    expect(balanceBidi(`${RLI}a${PDF}`)).toBe('a');
  });

  it('compares names NFKC-normalised, case-folded, invisible characters dropped and whitespace collapsed', () => {
    const key = nameKey('Matti Meikäläinen');
    for (const same of ['matti  MEIKÄLÄINEN', 'Matti Meika\u0308la\u0308inen', 'Ｍａｔｔｉ Meikäläinen', 'Matti\u200b Meikäläinen', ' Matti\u00a0Meikäläinen ']) expect(nameKey(same), same).toBe(key);
    expect(nameKey('Straße')).toBe(nameKey('STRASSE'));
    expect(nameKey('Matti Meikäläinen 2')).not.toBe(key);
  });
});

describe('every user text input', () => {
  let t: TestDeps;
  let admin: Actor;
  let drafter: Actor;
  let agreement: string;
  let rules: string;
  beforeEach(async () => {
    t = await createTestDeps();
    admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
    drafter = await actorFor(t.deps, 'drafter.sotkamo@sopu.example');
    agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    rules = await documentIdOf(t.db, KAINUU, 'administrative_rules');
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Kajaani on vastuukunta.']));
    await changeDocument(t.db, rules, (doc) => writeSection(doc, 'scope', ['Lautakunta.']));
    await saveVersion(t.deps, admin, rules, { label: 'Lausunnolle' });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function refusal(run: () => Promise<unknown>): Promise<{ code: string; issues: Array<{ path: string[]; code: string; message: string }> }> {
    try {
      await run();
    } catch (error) {
      if (isDomainError(error)) return { code: error.code, issues: (error.details.issues as never) ?? [] };
      throw error;
    }
    throw new Error('expected a refusal');
  }

  it('refuses a text of ten NULs (or only spaces and controls) as "required", and changes nothing', async () => {
    const empty = `${NULS}  \u0007\r\n`;
    const cases: Array<[string, string, () => Promise<unknown>]> = [
      ['version label', 'label', () => saveVersion(t.deps, drafter, agreement, { label: NULS })],
      ['approval token label', 'label', () => issueApprovalToken(t.deps, admin, KAINUU, { municipalityCode: '290', label: empty })],
      ['labour-force source', 'municipalities.0.source', () => updateLabourForce(t.deps, admin, KAINUU, { municipalities: [{ code: '290', labourForce: 4000, source: NULS, year: 2024 }] })],
      ['permit reference', 'permit.reference', () => updateExceptionGround(t.deps, admin, KAINUU, { grounds: ['language_rights'], permit: { reference: NULS, date: null } })],
      ['invitation name', 'displayName', () => inviteMember(t.deps, admin, KAINUU, { email: 'uusi@example.fi', displayName: NULS, municipalityCode: '290', role: 'viewer' })],
      ['document title', 'title', () => createDocument(t.deps, admin, KAINUU, { kind: 'service_plan', title: empty })],
      ['comment', 'body', () => createThread(t.deps, drafter, agreement, { section: 'parties', body: empty })],
      ['round title', 'title', () => openConsultationRound(t.deps, admin, rules, { version: 1, title: NULS, questions: ['Kysymys?'], deadline: '2026-12-15T16:00' })],
      ['round question', 'questions.0', () => openConsultationRound(t.deps, admin, rules, { version: 1, title: 'Kierros', questions: [empty], deadline: '2026-12-15T16:00' })],
      ['area name', 'area.name.fi', () => createArea(t.deps, { area: { slug: 'uusi-alue', name: { fi: NULS, sv: 'Ny' }, hostCode: '091', municipalities: [{ code: '091', name: { fi: 'Helsinki', sv: 'Helsingfors' }, language: 'fi-sv' }, { code: '049', name: { fi: 'Espoo', sv: 'Esbo' }, language: 'fi-sv' }] }, admin: { email: 'a@example.fi' } })],
    ];
    const before = await tableCounts(t.db);
    for (const [name, path, run] of cases) {
      const error = await refusal(run);
      expect(error.code, name).toBe('invalid_input');
      expect(error.issues.map((i) => [i.path.join('.'), i.code, i.message]), name).toEqual([[path, 'too_small', REQUIRED_MESSAGE]]);
    }
    // Fields that are "this or that": a key fact and a milestone need Finnish or Swedish, and NULs are neither.
    expect((await refusal(() => updateKeyFacts(t.deps, admin, KAINUU, { facts: [{ fi: NULS, sv: NULS }] }))).code).toBe('invalid_input');
    expect((await refusal(() => updateMilestones(t.deps, admin, KAINUU, { milestones: [{ kind: 'in_force', label: { fi: NULS }, date: '2027-01-01' }] }))).code).toBe('invalid_input');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('stores what is left once cleaned: no control character reaches the database', async () => {
    await saveVersion(t.deps, drafter, agreement, { label: 'Valtuusto\u0000käsittelyyn\u0007 3.10.\r\n' });
    expect((await listVersions(t.deps, drafter, agreement))[0]!.label).toBe('Valtuustokäsittelyyn 3.10.');
    await issueApprovalToken(t.deps, admin, KAINUU, { municipalityCode: '290', label: '\u0000Kuhmon\u0008 asianhallinta\u009b' });
    expect((await listApprovalTokens(t.deps, admin, KAINUU))[0]!.label).toBe('Kuhmon asianhallinta');
    await updateKeyFacts(t.deps, admin, KAINUU, { facts: [{ fi: 'Päätös\u0000 tehty\u001b[31m', sv: '' }] });
    await updateMilestones(t.deps, admin, KAINUU, { milestones: [{ kind: 'in_force', label: { fi: `Voimaan${NULS}` }, date: '2027-01-01' }] });
    const settings = await getAreaSettings(t.deps, admin, KAINUU);
    expect(settings.keyFacts).toEqual([{ fi: 'Päätös tehty[31m', sv: '', en: '' }]);
    expect(settings.milestones.map((m) => m.label.fi)).toEqual(['Voimaan']);
  });

  it('keeps a comment’s matched bidi controls and drops an override left open (it would reverse what follows)', async () => {
    const thread = await createThread(t.deps, drafter, agreement, { section: 'parties', body: `Katso ${RLO}txet${PDF} ja ${RLI}שלום${PDI}` });
    await addComment(t.deps, drafter, thread.id, { body: `Vastaus ${RLO}gnol\u0000` });
    const comment = await addComment(t.deps, drafter, thread.id, { body: 'Piilotettava' });
    await hideComment(t.deps, admin, comment.id, { reason: `Syy${RLO}` });
    const [stored] = (await listThreads(t.deps, drafter, agreement)).filter((th) => th.id === thread.id);
    expect(stored!.comments.map((c) => c.body)).toEqual([`Katso ${RLO}txet${PDF} ja ${RLI}שלום${PDI}`, 'Vastaus gnol', '']);
    const hidden = await t.db.selectFrom('comments').select('hidden_reason').where('id', '=', comment.id).executeTakeFirstOrThrow();
    expect(hidden.hidden_reason).toBe('Syy');
  });
});

describe('names', () => {
  let t: TestDeps;
  let admin: Actor;
  beforeEach(async () => {
    t = await createTestDeps();
    admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (error) {
      if (isDomainError(error)) return { code: error.code, reason: error.details.reason, issues: (error.details.issues as Array<{ path: string[]; code: string }>) ?? [] };
      throw error;
    }
    throw new Error('expected a refusal');
  };
  const invite = (email: string, displayName: string) => inviteMember(t.deps, admin, KAINUU, { email, displayName, municipalityCode: '290', role: 'viewer' });

  it('refuses bidi controls in a name (invitation, acceptance, operator), and changes nothing', async () => {
    const before = await tableCounts(t.db);
    for (const name of [`Matti ${RLO}nenialäkieM`, `${RLI}Matti${PDI}`, `Matti\u202a`]) {
      expect(await failure(invite('uusi@example.fi', name)), name).toMatchObject({ code: 'invalid_input', issues: [{ path: ['displayName'], code: 'custom' }] });
    }
    const created = await failure(createArea(t.deps, { area: { slug: 'uusi', name: { fi: 'Uusi', sv: 'Ny' }, hostCode: '091', municipalities: [{ code: '091', name: { fi: `Hel${RLO}sinki`, sv: 'Helsingfors' }, language: 'fi-sv' }, { code: '049', name: { fi: 'Espoo', sv: 'Esbo' }, language: 'fi-sv' }] }, admin: { email: 'a@example.fi', displayName: `Admin${RLO}` } }));
    expect(created.issues.map((i) => i.path.join('.')).sort()).toEqual(['admin.displayName', 'area.municipalities.0.name.fi']);
    expect(await tableCounts(t.db)).toEqual(before);
    const { invitationId } = await invite('uusi@example.fi', 'Uusi Henkilö');
    const token = (await invitationLink(t.db, invitationId)).split('/').at(-1)!;
    expect(await failure(acceptInvitation(t.deps, token, { password: 'a-long-enough-password', displayName: `Uusi ${RLO}öliknéH` }, null))).toMatchObject({ code: 'invalid_input', issues: [{ path: ['displayName'] }] });
  });

  it("refuses an invitation under another member's name, however it is spelt (case, width, decomposed letters, spacing)", async () => {
    // "Valmistelija Sotkamo" is the demo drafter of Sotkamo in this area.
    const before = await tableCounts(t.db);
    for (const name of ['Valmistelija Sotkamo', 'VALMISTELIJA  sotkamo', 'Ｖａｌｍｉｓｔｅｌｉｊａ Sotkamo', 'Valmistelija\u200b Sotkamo']) {
      expect(await failure(invite('uusi@example.fi', name)), name).toMatchObject({ code: 'invalid_input', reason: NAME_TAKEN, issues: [{ path: ['displayName'], code: NAME_TAKEN }] });
    }
    expect(await tableCounts(t.db)).toEqual(before);
    // Another area's member may share it, and so may a name that differs.
    await expect(inviteMember(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), 'saaristo-skargard', { email: 'uusi@example.fi', displayName: 'Valmistelija Sotkamo', municipalityCode: '903', role: 'viewer' })).resolves.toBeDefined();
    await expect(invite('uusi@example.fi', 'Valmistelija Sotkamo 2')).resolves.toBeDefined();
    // A pending invitation's name is taken too (for another address; the same address's newer invitation replaces it).
    expect((await failure(invite('toinen@example.fi', 'valmistelija sotkamo 2'))).reason).toBe(NAME_TAKEN);
    await expect(invite('uusi@example.fi', 'Valmistelija Sotkamo 2')).resolves.toBeDefined();
  });

  it("refuses to accept under another member's name, new account or existing; the invitation stays usable", async () => {
    const first = await invite('eka@example.fi', 'Eka Henkilö');
    const second = await invite('toka@example.fi', 'Toka Henkilö');
    const tokenOf = async (id: string) => (await invitationLink(t.db, id)).split('/').at(-1)!;
    await acceptInvitation(t.deps, await tokenOf(first.invitationId), { password: 'a-long-enough-password', displayName: 'Eka Henkilö' }, null);
    const before = await tableCounts(t.db);
    const taken = await failure(acceptInvitation(t.deps, await tokenOf(second.invitationId), { password: 'a-long-enough-password', displayName: 'EKA henkilö' }, null));
    expect(taken).toMatchObject({ code: 'invalid_input', reason: NAME_TAKEN, issues: [{ path: ['displayName'], code: NAME_TAKEN }] });
    expect(await tableCounts(t.db)).toEqual(before);
    await expect(acceptInvitation(t.deps, await tokenOf(second.invitationId), { password: 'a-long-enough-password', displayName: 'Toka Henkilö' }, null)).resolves.toMatchObject({ createdUser: true });

    // An account of another area whose name a member here has: it cannot be renamed here, so a conflict.
    const rantala = await actorFor(t.deps, 'admin.rantala@sopu.example');
    const holmpy = await actorFor(t.deps, 'drafter.holmpy@sopu.example');
    await t.db.updateTable('users').set({ display_name: 'eka  HENKILÖ' }).where('id', '=', holmpy.userId).execute();
    const third = await inviteMember(t.deps, admin, KAINUU, { email: holmpy.email, displayName: 'Holmpyn valmistelija', municipalityCode: '290', role: 'viewer' });
    const beforeExisting = await tableCounts(t.db);
    expect(await failure(acceptInvitation(t.deps, await tokenOf(third.invitationId), {}, holmpy.userId))).toMatchObject({ code: 'conflict', reason: NAME_TAKEN });
    expect(await tableCounts(t.db)).toEqual(beforeExisting);
    expect(rantala).toBeDefined();
  });

  it('the demo areas hold no two members under one name', async () => {
    const rows = await t.db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select(['memberships.area_id', 'users.display_name']).execute();
    const keys = rows.map((r) => `${r.area_id} ${nameKey(r.display_name)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
