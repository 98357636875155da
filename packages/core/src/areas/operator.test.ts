import { canonicalDocument, templateFor } from '@sopu/doc-model';
import { sql } from '@sopu/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { requireAreaAccess } from '../shared/access.ts';
import { issueApprovalToken, authenticateApprovalToken } from '../approvals/index.ts';
import { getMe } from './areas.ts';
import { authorizeDocumentConnection, authorizeDocumentConnections, listDocuments } from '../documents/index.ts';
import { isDomainError } from '../shared/errors.ts';
import { acceptInvitation, getInvitation, inviteMember } from '../members/index.ts';
import { listNotifications } from '../comments/index.ts';
import { createArea, exportArea, EXPORT_EXCLUDED, EXPORTED_TABLES, listAreas, setAreaStatus } from './operator.ts';
import { actorFor, createTestDeps, documentIdOf, sessionTokenFor, tableCounts, type TestDeps } from '../testing.ts';

let t: TestDeps;
beforeEach(async () => {
  t = await createTestDeps();
});
afterEach(async () => {
  await t.cleanup();
});

const NEW_AREA = {
  slug: 'pohjanmaan-rannikko',
  name: { fi: 'Pohjanmaan rannikon työllisyysalue', sv: 'Österbottens kusts sysselsättningsområde' },
  hostCode: '499',
  municipalities: [
    { code: '499', name: { fi: 'Mustasaari', sv: 'Korsholm' }, language: 'sv-fi' },
    { code: '905', name: { fi: 'Vaasa', sv: 'Vasa' }, language: 'fi-sv' },
    { code: '475', name: { fi: '', sv: 'Malax' }, language: 'sv' },
    { code: '545', name: { fi: 'Närpiö', sv: 'Närpes' }, language: 'sv' },
  ],
};
const ADMIN = { email: 'Lakimies@Korsholm.example', displayName: 'Laura Lakimies' };

async function errorOf(run: () => Promise<unknown>): Promise<{ code: string; issues: Array<{ path: string[]; message: string }> }> {
  try {
    await run();
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, issues: (error.details.issues as Array<{ path: string[]; message: string }>) ?? [] };
    throw error;
  }
  return { code: 'none', issues: [] };
}

describe('createArea', () => {
  it('creates the area, its municipalities and the two empty documents from the template, and invites the host admin', async () => {
    const report = await createArea(t.deps, { area: NEW_AREA, admin: ADMIN });
    expect(report).toMatchObject({ area: { slug: 'pohjanmaan-rannikko', name: { en: 'Pohjanmaan rannikon työllisyysalue' } }, municipalities: 4, invitation: { email: 'lakimies@korsholm.example' }, mailDelivery: 'dev_mailbox' });
    expect(report.invitation.link).toMatch(/^http:\/\/localhost\/invitations\/[a-z2-7]+$/);

    const municipalities = await t.db.selectFrom('municipalities').select(['code', 'name_fi', 'name_sv', 'language', 'labour_force']).where('area_id', '=', report.area.id).orderBy('code').execute();
    expect(municipalities).toEqual([
      { code: '475', name_fi: 'Malax', name_sv: 'Malax', language: 'sv', labour_force: null },
      { code: '499', name_fi: 'Mustasaari', name_sv: 'Korsholm', language: 'sv-fi', labour_force: null },
      { code: '545', name_fi: 'Närpiö', name_sv: 'Närpes', language: 'sv', labour_force: null },
      { code: '905', name_fi: 'Vaasa', name_sv: 'Vasa', language: 'fi-sv', labour_force: null },
    ]);
    const area = await t.db.selectFrom('areas').innerJoin('municipalities', 'municipalities.id', 'areas.host_municipality_id').select(['areas.status', 'municipalities.code']).where('areas.id', '=', report.area.id).executeTakeFirstOrThrow();
    expect(area).toEqual({ status: 'active', code: '499' });

    for (const kind of ['cooperation_agreement', 'administrative_rules'] as const) {
      const documentId = report.documents[kind];
      const doc = new Y.Doc();
      for (const row of await t.db.selectFrom('doc_updates').select('update').where('document_id', '=', documentId).execute()) Y.applyUpdate(doc, row.update);
      const canonical = canonicalDocument(doc);
      expect(canonical.sections.map((s) => s.key)).toEqual(templateFor(kind).map((s) => s.key));
      expect(canonical.sections.every((s) => s.status === 'drafting' && s.content.content === undefined)).toBe(true);
    }

    const invitation = await getInvitation(t.deps, report.invitation.link.split('/').at(-1)!);
    expect(invitation).toMatchObject({ email: 'lakimies@korsholm.example', displayName: 'Laura Lakimies', role: 'host_admin', municipalityName: { fi: 'Mustasaari', sv: 'Korsholm' } });
    const mail = await t.db.selectFrom('outbox').select(['to_email', 'body_text']).where('area_id', '=', report.area.id).executeTakeFirstOrThrow();
    expect(mail.to_email).toBe('lakimies@korsholm.example');
    expect(mail.body_text).toContain(report.invitation.link);
    expect(mail.body_text).toMatch(/^Sopu kutsuu sinut/);

    const audit = await t.db.selectFrom('audit_events').select(['action', 'actor_user_id', 'details']).where('area_id', '=', report.area.id).orderBy('seq').execute();
    expect(audit.map((e) => [e.action, e.actor_user_id])).toEqual([['document.created', null], ['document.created', null], ['area.created', null], ['invitation.created', null]]);
    expect(JSON.parse(audit[3]!.details)).toMatchObject({ by: 'operator', role: 'host_admin', municipalityCode: '499' });
    expect(await t.deps.audit.verify(t.db, report.area.id)).toBeNull();
  });

  it('the invited admin accepts, becomes the host admin, and sees the area and its documents', async () => {
    const report = await createArea(t.deps, { area: NEW_AREA, admin: { email: ADMIN.email } });
    const { userId, areaSlug } = await acceptInvitation(t.deps, report.invitation.link.split('/').at(-1)!, { password: 'a long enough password 42' }, null);
    expect(areaSlug).toBe('pohjanmaan-rannikko');
    const actor = await actorFor(t.deps, 'lakimies@korsholm.example');
    expect(actor.userId).toBe(userId);
    expect(actor.displayName).toBe('Huvudanvändare Korsholm');
    const access = await requireAreaAccess(t.db, userId, 'pohjanmaan-rannikko', 'members.manage');
    expect(access.membership).toMatchObject({ role: 'host_admin', municipalityCode: '499', isHostMunicipality: true });
    expect((await listDocuments(t.db, actor, 'pohjanmaan-rannikko')).map((d) => d.kind).sort()).toEqual(['administrative_rules', 'cooperation_agreement']);
  });

  it('refuses bad input with the reason, and creates nothing', async () => {
    const before = await tableCounts(t.db);
    const m = NEW_AREA.municipalities;
    const cases: Array<[string, unknown, string]> = [
      ['a two-digit code', { ...NEW_AREA, municipalities: [...m.slice(0, 3), { ...m[3]!, code: '54' }] }, 'three-digit'],
      ['a code with letters', { ...NEW_AREA, municipalities: [...m.slice(0, 3), { ...m[3]!, code: '5a5' }] }, 'three-digit'],
      ['a code twice', { ...NEW_AREA, municipalities: [...m.slice(0, 3), { ...m[3]!, code: '905' }] }, 'listed twice'],
      ['a host not in the list', { ...NEW_AREA, hostCode: '205' }, 'not one of the municipalities'],
      ['a bilingual municipality without its Swedish name', { ...NEW_AREA, municipalities: [...m.slice(0, 3), { code: '545', name: { fi: 'Närpiö', sv: '' }, language: 'fi-sv' }] }, 'both languages'],
      ['a Swedish-speaking one without its Swedish name', { ...NEW_AREA, municipalities: [...m.slice(0, 3), { code: '545', name: { fi: 'Närpiö', sv: '' }, language: 'sv' }] }, 'the name in sv'],
      ['an unknown language', { ...NEW_AREA, municipalities: [...m.slice(0, 3), { ...m[3]!, language: 'se' }] }, ''],
      ['a single municipality', { ...NEW_AREA, municipalities: m.slice(1, 2), hostCode: '905' }, 'at least 2'],
      ['a bad slug', { ...NEW_AREA, slug: 'Pohjanmaa!' }, 'lower-case'],
      ['no Swedish name of the area', { ...NEW_AREA, name: { fi: 'X' } }, ''],
    ];
    for (const [what, area, message] of cases) {
      const error = await errorOf(() => createArea(t.deps, { area, admin: ADMIN }));
      expect(error.code, what).toBe('invalid_input');
      if (message) expect(error.issues.map((i) => i.message).join(' | '), what).toContain(message);
    }
    expect((await errorOf(() => createArea(t.deps, { area: NEW_AREA, admin: { email: 'not an address' } }))).code).toBe('invalid_input');
    expect((await errorOf(() => createArea(t.deps, { area: { ...NEW_AREA, slug: 'kainuu-koillismaa' }, admin: ADMIN }))).code).toBe('conflict');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('refuses a municipality that belongs to another area (active or suspended) at that municipality, and creates nothing', async () => {
    const m = NEW_AREA.municipalities;
    // Kuhmo (290) is in Kainuu-Koillismaa.
    const withKuhmo = { ...NEW_AREA, municipalities: [...m.slice(0, 2), { code: '290', name: { fi: 'Kuhmo', sv: 'Kuhmo' }, language: 'fi' }, m[3]!] };
    const before = await tableCounts(t.db);
    const error = await errorOf(() => createArea(t.deps, { area: withKuhmo, admin: ADMIN }));
    expect(error).toEqual({ code: 'invalid_input', issues: [{ path: ['area', 'municipalities', '2', 'code'], code: 'taken', message: expect.stringContaining('290 (Kuhmo) already belongs to the area kainuu-koillismaa') }] });
    await setAreaStatus(t.deps, 'kainuu-koillismaa', 'suspended');
    const counts = await tableCounts(t.db);
    expect((await errorOf(() => createArea(t.deps, { area: withKuhmo, admin: ADMIN }))).issues.map((i) => i.path.join('.'))).toEqual(['area.municipalities.2.code']);
    expect(await tableCounts(t.db)).toEqual(counts);
    expect(counts).toEqual({ ...before, audit_events: before.audit_events + 1 });
    // The host too, and an area created by the operator counts as any other.
    await createArea(t.deps, { area: NEW_AREA, admin: ADMIN });
    const again = await errorOf(() => createArea(t.deps, { area: { ...NEW_AREA, slug: 'toinen-alue' }, admin: ADMIN }));
    expect(again.issues.map((i) => i.path.join('.'))).toEqual(['area.municipalities.0.code', 'area.municipalities.1.code', 'area.municipalities.2.code', 'area.municipalities.3.code']);
  });

  it('a failure in a later step of the creation (a document, the invitation mail) leaves nothing behind, and a retry works', async () => {
    // A real failure inside the transaction: the database itself refuses the insert, as a full disk or a lost
    // connection would, after the area, its municipalities and (for the outbox) the documents and audit events were written.
    for (const table of ['documents', 'outbox'] as const) {
      await sql.raw(`CREATE TRIGGER fail_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'injected failure in ${table}'); END`).execute(t.db);
      const before = await tableCounts(t.db);
      const heads = await t.db.selectFrom('audit_heads').selectAll().orderBy('area_id').execute();
      await expect(createArea(t.deps, { area: NEW_AREA, admin: ADMIN }), table).rejects.toThrow(`injected failure in ${table}`);
      expect(await tableCounts(t.db), table).toEqual(before);
      expect(await t.db.selectFrom('audit_heads').selectAll().orderBy('area_id').execute(), table).toEqual(heads);
      expect(await t.db.selectFrom('areas').select('id').where('slug', '=', NEW_AREA.slug).executeTakeFirst(), table).toBeUndefined();
      expect(await t.db.selectFrom('municipalities').select('id').where('code', 'in', ['499', '905', '475', '545']).execute(), table).toEqual([]);
      await sql.raw(`DROP TRIGGER fail_${table}`).execute(t.db);
    }
    const report = await createArea(t.deps, { area: NEW_AREA, admin: ADMIN });
    expect(await t.deps.audit.verify(t.db, report.area.id)).toBeNull();
    expect((await listAreas(t.deps)).map((a) => a.slug)).toContain(NEW_AREA.slug);
  });
});

describe('listAreas', () => {
  it('every area with its status and counts', async () => {
    await createArea(t.deps, { area: NEW_AREA, admin: ADMIN });
    expect(await listAreas(t.deps)).toEqual([
      expect.objectContaining({ slug: 'kainuu-koillismaa', status: 'active', municipalities: 10, members: 25, documents: 2, pendingInvitations: 0 }),
      expect.objectContaining({ slug: 'pohjanmaan-rannikko', status: 'active', municipalities: 4, members: 0, documents: 2, pendingInvitations: 1 }),
      expect.objectContaining({ slug: 'saaristo-skargard', status: 'active', municipalities: 3, members: 8, documents: 2, pendingInvitations: 0 }),
    ]);
  });
});

describe('suspending an area', () => {
  it("closes it to its members everywhere, exactly as to outsiders; resuming opens it again; audited; nothing deleted", async () => {
    const kuhmo = await actorFor(t.deps, 'viewer.kuhmo@sopu.example');
    const admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
    const agreement = await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement');
    const token = await issueApprovalToken(t.deps, admin, 'kainuu-koillismaa', { municipalityCode: '290', label: 'Kuhmon asianhallinta' });
    await inviteMember(t.deps, admin, 'kainuu-koillismaa', { email: 'uusi@kuhmo.example', displayName: 'Uusi', municipalityCode: '290', role: 'viewer' });
    const mail = await t.db.selectFrom('outbox').select('body_text').where('to_email', '=', 'uusi@kuhmo.example').executeTakeFirstOrThrow();
    const invitationToken = /\/invitations\/([a-z2-7]+)/.exec(mail.body_text)![1]!;
    const before = await tableCounts(t.db);

    expect(await setAreaStatus(t.deps, 'kainuu-koillismaa', 'suspended', 'sopimus päättynyt')).toBe(true);
    expect(await setAreaStatus(t.deps, 'kainuu-koillismaa', 'suspended')).toBe(false);
    const missing = await errorOf(() => requireAreaAccess(t.db, kuhmo.userId, 'no-such-area'));
    for (const [what, run] of [
      ['requireAreaAccess', () => requireAreaAccess(t.db, kuhmo.userId, 'kainuu-koillismaa')],
      ['admin', () => requireAreaAccess(t.db, admin.userId, 'kainuu-koillismaa', 'members.manage')],
      ['authorizeDocumentConnection', () => authorizeDocumentConnection(t.db, kuhmo.userId, agreement)],
      ['getInvitation', () => getInvitation(t.deps, invitationToken)],
    ] as const) {
      expect((await errorOf(run)).code, what).toBe('not_found');
    }
    expect((await errorOf(() => requireAreaAccess(t.db, kuhmo.userId, 'kainuu-koillismaa'))).issues).toEqual(missing.issues);
    // The collab server's re-check of open sockets says not_found too.
    expect(await authorizeDocumentConnections(t.deps, agreement, [{ token: await sessionTokenFor(t.deps, 'viewer.kuhmo@sopu.example'), activity: false }])).toEqual([{ denied: 'not_found' }]);
    expect(await authenticateApprovalToken(t.db, token.token)).toBeNull();
    expect((await getMe(t.db, kuhmo)).memberships).toEqual([]);
    expect((await listNotifications(t.deps, kuhmo)).items).toEqual([]);
    // Saaristo is untouched.
    await expect(requireAreaAccess(t.db, (await actorFor(t.deps, 'admin.rantala@sopu.example')).userId, 'saaristo-skargard')).resolves.toBeDefined();
    expect((await listAreas(t.deps)).map((a) => [a.slug, a.status])).toEqual([['kainuu-koillismaa', 'suspended'], ['saaristo-skargard', 'active']]);

    expect(await setAreaStatus(t.deps, 'kainuu-koillismaa', 'active')).toBe(true);
    await expect(requireAreaAccess(t.db, kuhmo.userId, 'kainuu-koillismaa')).resolves.toBeDefined();
    expect(await authenticateApprovalToken(t.db, token.token)).not.toBeNull();
    await expect(getInvitation(t.deps, invitationToken)).resolves.toMatchObject({ email: 'uusi@kuhmo.example' });

    const after = await tableCounts(t.db);
    // Only the audit log grew (and the session the re-check above was asked about).
    expect({ ...after, audit_events: before.audit_events, sessions: before.sessions }).toEqual(before);
    expect(after.audit_events).toBe(before.audit_events + 2);
    const events = await t.db.selectFrom('audit_events').innerJoin('areas', 'areas.id', 'audit_events.area_id').select(['action', 'details']).where('areas.slug', '=', 'kainuu-koillismaa').orderBy('seq', 'desc').limit(2).execute();
    expect(events.map((e) => [e.action, JSON.parse(e.details)])).toEqual([['area.resumed', { by: 'operator', reason: null }], ['area.suspended', { by: 'operator', reason: 'sopimus päättynyt' }]]);
  });

  it('an unknown slug is not_found', async () => {
    expect((await errorOf(() => setAreaStatus(t.deps, 'no-such-area', 'suspended'))).code).toBe('not_found');
  });
});

describe('exportArea', () => {
  it('every table of the database is exported or excluded with a reason', async () => {
    const { rows } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'`.execute(t.db);
    const excludedTables = Object.keys(EXPORT_EXCLUDED).filter((k) => !k.includes('.'));
    expect(rows.map((r) => r.name).sort()).toEqual([...EXPORTED_TABLES, ...excludedTables].sort());
  });

  it("holds the area's rows and documents, none of another area, no secrets; audited", async () => {
    const admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
    const issued = await issueApprovalToken(t.deps, admin, 'kainuu-koillismaa', { municipalityCode: '290', label: 'Kuhmo' });
    await inviteMember(t.deps, admin, 'kainuu-koillismaa', { email: 'uusi@kuhmo.example', displayName: 'Uusi', municipalityCode: '290', role: 'viewer' });
    const invitationLink = /http\S+\/invitations\/[a-z2-7]+/.exec((await t.db.selectFrom('outbox').select('body_text').where('to_email', '=', 'uusi@kuhmo.example').executeTakeFirstOrThrow()).body_text)![0];
    await sessionTokenFor(t.deps, 'admin.kajaani@sopu.example');

    const exported = await exportArea(t.deps, 'kainuu-koillismaa');
    const text = JSON.stringify(exported);
    expect(exported).toMatchObject({ format: 'sopu-area-export', version: 1, area: { slug: 'kainuu-koillismaa', status: 'active' } });
    expect(exported.tables.areas).toHaveLength(1);
    expect(exported.tables.municipalities).toHaveLength(10);
    expect(exported.tables.memberships).toHaveLength(25);
    expect(exported.tables.milestones).toHaveLength(6);
    expect(exported.tables.users).toHaveLength(25);
    expect(exported.tables.users![0]).toEqual({ id: expect.any(String), email: expect.any(String), display_name: expect.any(String), locale: 'fi', created_at: expect.any(Number) });
    expect(exported.tables.doc_updates!.length).toBeGreaterThanOrEqual(2);
    expect(exported.base64Columns.doc_updates).toEqual(['update']);
    expect(Buffer.from(exported.tables.doc_updates![0]!.update as string, 'base64').byteLength).toBeGreaterThan(10);
    expect(exported.documents.map((d) => d.kind).sort()).toEqual(['administrative_rules', 'cooperation_agreement']);
    const agreement = exported.documents.find((d) => d.kind === 'cooperation_agreement')!;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(agreement.state, 'base64'));
    expect(canonicalDocument(doc)).toEqual(agreement.canonical);
    // Nothing of Saaristo, no secrets.
    for (const word of ['saaristo', 'Rantala', 'Holmby', '"901"']) expect(text).not.toContain(word);
    expect(text).not.toContain('$argon2id$');
    const rows = JSON.stringify(exported.tables);
    expect(rows).not.toContain('password_hash');
    expect(rows).not.toContain('token_hash');
    expect(text).not.toContain(issued.token);
    expect(text).not.toContain(invitationLink);
    expect(exported.tables.outbox![0]!.body_text).toContain('[');
    expect(exported.tables.sessions).toBeUndefined();
    expect(exported.tables.audit_events!.at(-1)).toMatchObject({ action: 'area.exported', details: '{"by":"operator"}' });
  });
});
