import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireAreaAccess } from './shared/access.ts';
import { getArea, getAreaDashboard } from './areas/index.ts';
import { listAuditLog } from './shared/audit-log.ts';
import { authorizeDocumentConnection, createDocument, listDocuments, openDocument } from './documents/index.ts';
import { isDomainError } from './shared/errors.ts';
import { changeMemberRole, inviteMember, listPendingInvitations, removeMember, revokeInvitation } from './members/index.ts';
import { listOutbox } from './shared/outbox.ts';
import { actorFor, createTestDeps, tableCounts, type TestDeps } from './testing.ts';
import type { Actor } from './shared/deps.ts';
import { calculateCostShares, chairRotation } from './areas/index.ts';
import { listChecks } from './areas/index.ts';
import { getAreaSettings, updateEntryIntoForce, updateExceptionGround, updateJointBody, updateKeyFacts, updateLabourForce, updateMilestones } from './areas/index.ts';

const KAINUU = 'kainuu-koillismaa';
const SAARISTO = 'saaristo-skargard';

let t: TestDeps;
let kajaani: Actor;
let rantala: Actor;
let ids: Record<string, { membershipId: string; invitationId: string; documentId: string; municipalityCode: string; municipalityCodes: string[] }>;

beforeEach(async () => {
  t = await createTestDeps();
  kajaani = await actorFor(t.deps, 'admin.kajaani@sopu.example');
  rantala = await actorFor(t.deps, 'admin.rantala@sopu.example');
  ids = {};
  for (const [slug, actor, drafter, code] of [[KAINUU, kajaani, 'drafter.sotkamo@sopu.example', '578'], [SAARISTO, rantala, 'drafter.holmpy@sopu.example', '903']] as const) {
    const { invitationId } = await inviteMember(t.deps, actor, slug, { email: `new@${slug}.example`, displayName: 'New', municipalityCode: code, role: 'viewer' });
    const membership = await t.db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select('memberships.id').where('users.email', '=', drafter).executeTakeFirstOrThrow();
    const [document] = await listDocuments(t.db, actor, slug);
    const codes = await t.db.selectFrom('municipalities').innerJoin('areas', 'areas.id', 'municipalities.area_id').select('municipalities.code').where('areas.slug', '=', slug).execute();
    ids[slug] = { membershipId: membership.id, invitationId, documentId: document!.id, municipalityCode: code, municipalityCodes: codes.map((c) => c.code) };
  }
});
afterEach(async () => {
  await t.cleanup();
});

/** Every area-scoped use case, called by `actor` for `slug` with ids that belong to `idsOf`. */
function useCases(actor: Actor, slug: string, idsOf: (typeof ids)[string]): Array<[string, () => Promise<unknown>]> {
  return [
    ['requireAreaAccess', () => requireAreaAccess(t.db, actor.userId, slug)],
    ['getArea', () => getArea(t.db, actor, slug)],
    ['getAreaDashboard', () => getAreaDashboard(t.db, actor, slug)],
    ['listDocuments', () => listDocuments(t.db, actor, slug)],
    ['openDocument', () => openDocument(t.db, actor, slug, idsOf.documentId)],
    ['createDocument', () => createDocument(t.deps, actor, slug, { kind: 'service_plan' })],
    ['inviteMember', () => inviteMember(t.deps, actor, slug, { email: 'x@example.fi', displayName: 'X', municipalityCode: idsOf.municipalityCode, role: 'viewer' })],
    ['listPendingInvitations', () => listPendingInvitations(t.deps, actor, slug)],
    ['revokeInvitation', () => revokeInvitation(t.deps, actor, slug, idsOf.invitationId)],
    ['changeMemberRole', () => changeMemberRole(t.deps, actor, slug, idsOf.membershipId, { role: 'viewer' })],
    ['removeMember', () => removeMember(t.deps, actor, slug, idsOf.membershipId)],
    ['listOutbox', () => listOutbox(t.deps, actor, slug)],
    ['listAuditLog', () => listAuditLog(t.deps, actor, slug)],
    ['getAreaSettings', () => getAreaSettings(t.deps, actor, slug)],
    ['updateLabourForce', () => updateLabourForce(t.deps, actor, slug, { municipalities: [{ code: idsOf.municipalityCode, labourForce: 5000, source: 'Tilastokeskus', year: 2024 }] })],
    ['updateJointBody', () => updateJointBody(t.deps, actor, slug, { municipalities: idsOf.municipalityCodes.map((code) => ({ code, seats: 1, votesPerSeat: 1 })), chairCode: null })],
    ['updateExceptionGround', () => updateExceptionGround(t.deps, actor, slug, { grounds: ['language_rights'], permit: null })],
    ['updateMilestones', () => updateMilestones(t.deps, actor, slug, { milestones: [{ kind: 'in_force', label: { fi: 'Voimaan' }, date: '2027-01-01' }] })],
    ['updateKeyFacts', () => updateKeyFacts(t.deps, actor, slug, { facts: [{ fi: 'Fakta', sv: 'Faktum' }] })],
    ['updateEntryIntoForce', () => updateEntryIntoForce(t.deps, actor, slug, { date: '2027-01-01' })],
    ['chairRotation', () => chairRotation(t.deps, actor, slug, { startYear: 2027, years: 2, insert: true })],
    ['calculateCostShares', () => calculateCostShares(t.deps, actor, slug, { year: 2027, netCosts: 1000, key: 'labour_force', insert: true })],
    ['listChecks', () => listChecks(t.deps, actor, slug)],
  ];
}

async function errorOf(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  return { code: 'no error', message: '' };
}

describe('tenant isolation', () => {
  it("a host admin of one area gets not_found for everything in the other area, exactly as for an area that doesn't exist", async () => {
    const before = await tableCounts(t.db);
    for (const [actor, otherSlug] of [[kajaani, SAARISTO], [rantala, KAINUU]] as const) {
      const other = ids[otherSlug]!;
      const real = useCases(actor, otherSlug, other);
      const missing = useCases(actor, 'no-such-area', other);
      for (const [i, [name, run]] of real.entries()) {
        const error = await errorOf(run);
        expect(error.code, `${name} on ${otherSlug}`).toBe('not_found');
        expect(await errorOf(missing[i]![1]), `${name} on a missing area`).toEqual(error);
      }
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("ids of the other area through one's own slug are not_found, and nothing changes", async () => {
    const before = await tableCounts(t.db);
    const roleBefore = await t.db.selectFrom('memberships').select('role').where('id', '=', ids[SAARISTO]!.membershipId).executeTakeFirstOrThrow();
    const other = ids[SAARISTO]!;
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['openDocument', () => openDocument(t.db, kajaani, KAINUU, other.documentId)],
      ['revokeInvitation', () => revokeInvitation(t.deps, kajaani, KAINUU, other.invitationId)],
      ['changeMemberRole', () => changeMemberRole(t.deps, kajaani, KAINUU, other.membershipId, { role: 'viewer' })],
      ['removeMember', () => removeMember(t.deps, kajaani, KAINUU, other.membershipId)],
      ['authorizeDocumentConnection', () => authorizeDocumentConnection(t.db, kajaani.userId, other.documentId)],
    ];
    for (const [name, run] of cases) expect((await errorOf(run)).code, name).toBe('not_found');
    // A municipality of the other area is not one of ours either.
    const invite = await errorOf(() => inviteMember(t.deps, kajaani, KAINUU, { email: 'x@example.fi', displayName: 'X', municipalityCode: other.municipalityCode, role: 'viewer' }));
    expect(invite.code).toBe('invalid_input');

    expect(await tableCounts(t.db)).toEqual(before);
    expect(await t.db.selectFrom('memberships').select('role').where('id', '=', other.membershipId).executeTakeFirstOrThrow()).toEqual(roleBefore);
    expect((await listPendingInvitations(t.deps, rantala, SAARISTO)).map((i) => i.id)).toEqual([other.invitationId]);
  });

  it('the same calls in one\'s own area succeed (the table above is not refusing everything)', async () => {
    const own = ids[KAINUU]!;
    for (const [name, run] of useCases(kajaani, KAINUU, own)) {
      expect((await errorOf(run)).code, name).toBe('no error');
    }
    await expect(authorizeDocumentConnection(t.db, kajaani.userId, own.documentId)).resolves.toMatchObject({ readOnly: false });
  });

  it('a member sees only their own areas in lists', async () => {
    const dashboard = await getAreaDashboard(t.db, kajaani, KAINUU);
    const saaristoMunicipalities = ['Rantala', 'Holmpy', 'Saarela'];
    const text = JSON.stringify(dashboard);
    for (const name of saaristoMunicipalities) expect(text).not.toContain(name);
    expect(dashboard.documents.map((d) => d.id)).not.toContain(ids[SAARISTO]!.documentId);
    expect(dashboard.members.every((m) => !m.email.includes('holmpy') && !m.email.includes('rantala'))).toBe(true);
  });
});
