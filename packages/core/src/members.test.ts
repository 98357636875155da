import { hashToken, verifyPassword } from '@sopu/auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getArea, getMe } from './area.ts';
import { DEMO_PASSWORD } from './demo.ts';
import { isDomainError, type DomainError } from './errors.ts';
import {
  acceptInvitation, acceptInvitationAndSignIn, changeMemberRole, getInvitation, inviteMember, listPendingInvitations, removeMember, revokeInvitation,
} from './members.ts';
import { listOutbox } from './outbox.ts';
import { login } from './session.ts';
import { actorFor, createTestDeps, sessionTokenFor, tableCounts, TEST_INVITATION_TTL_MS, type TestDeps } from './testing.ts';
import type { Actor } from './deps.ts';

const KAINUU = 'kainuu-koillismaa';
const SAARISTO = 'saaristo-skargard';
const NEW_PASSWORD = 'uusi-salasana-2026';

let t: TestDeps;
let admin: Actor;
beforeEach(async () => {
  t = await createTestDeps();
  admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
});
afterEach(async () => {
  await t.cleanup();
});

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const invite = (overrides: Record<string, unknown> = {}, actor: Actor = admin, slug = KAINUU) =>
  inviteMember(t.deps, actor, slug, { email: 'Uusi.Henkilo@Kuhmo.fi', displayName: 'Uusi Henkilö', municipalityCode: '290', role: 'drafter', ...overrides });
const tokenOf = (link: string) => link.split('/').at(-1)!;

async function auditOf(slug: string) {
  return t.db
    .selectFrom('audit_events')
    .innerJoin('areas', 'areas.id', 'audit_events.area_id')
    .selectAll('audit_events')
    .where('areas.slug', '=', slug)
    .orderBy('seq')
    .execute();
}
async function membershipOf(email: string, slug: string) {
  return t.db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('areas', 'areas.id', 'memberships.area_id')
    .innerJoin('municipalities', 'municipalities.id', 'memberships.municipality_id')
    .select(['memberships.id', 'memberships.role', 'municipalities.code', 'users.id as user_id'])
    .where('users.email', '=', email)
    .where('areas.slug', '=', slug)
    .executeTakeFirst();
}

describe('inviteMember', () => {
  it('a host admin invites: one invitation (token stored hashed), one outbox mail with the link, one audit event', async () => {
    const before = await tableCounts(t.db);
    const { invitationId, link } = await invite();
    expect(link).toMatch(/^http:\/\/localhost\/invitations\/[a-z2-7]{32}$/);

    const after = await tableCounts(t.db);
    expect(after.invitations - before.invitations).toBe(1);
    expect(after.outbox - before.outbox).toBe(1);
    expect(after.audit_events - before.audit_events).toBe(1);

    const row = await t.db.selectFrom('invitations').selectAll().where('id', '=', invitationId).executeTakeFirstOrThrow();
    expect(row.email).toBe('uusi.henkilo@kuhmo.fi');
    expect(row.token_hash).toBe(hashToken(tokenOf(link)));
    expect(JSON.stringify(row)).not.toContain(tokenOf(link));
    expect(row.expires_at).toBe(t.clock.now() + TEST_INVITATION_TTL_MS);

    const [mail] = await listOutbox(t.deps, admin, KAINUU);
    expect(mail?.to).toBe('uusi.henkilo@kuhmo.fi');
    expect(mail?.body).toContain(link);
    expect(mail?.body).toContain('Kuhmo');

    const event = (await auditOf(KAINUU)).at(-1)!;
    expect(event.action).toBe('invitation.created');
    expect(event.actor_user_id).toBe(admin.userId);
    expect(event.subject_id).toBe(invitationId);
    expect(JSON.parse(event.details)).toEqual({ email: 'uusi.henkilo@kuhmo.fi', role: 'drafter', municipalityCode: '290' });
  });

  it('a drafter is forbidden, and nothing is written', async () => {
    const before = await tableCounts(t.db);
    const error = await failure(invite({}, await actorFor(t.deps, 'drafter.sotkamo@sopu.example')));
    expect(error.code).toBe('forbidden');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a host admin of another area gets not_found', async () => {
    const before = await tableCounts(t.db);
    const error = await failure(invite({}, await actorFor(t.deps, 'admin.rantala@sopu.example')));
    expect(error.code).toBe('not_found');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it.each([
    [{ email: 'not-an-email' }, 'email'],
    [{ email: '' }, 'email'],
    [{ role: 'superuser' }, 'role'],
    [{ displayName: '   ' }, 'displayName'],
    [{ municipalityCode: undefined }, 'municipalityCode'],
  ])('invalid input %j → invalid_input naming %s, nothing written', async (overrides, field) => {
    const before = await tableCounts(t.db);
    const error = await failure(invite(overrides));
    expect(error.code).toBe('invalid_input');
    const issues = error.details.issues as Array<{ path: string[] }>;
    expect(issues.map((i) => i.path[0])).toContain(field);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a municipality of another area is invalid input', async () => {
    const before = await tableCounts(t.db);
    const error = await failure(invite({ municipalityCode: '901' }));
    expect(error.code).toBe('invalid_input');
    expect(error.details.field).toBe('municipalityCode');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('inviting an existing member is a conflict (whatever the case of the address)', async () => {
    const before = await tableCounts(t.db);
    expect((await failure(invite({ email: 'Drafter.Sotkamo@sopu.example' }))).code).toBe('conflict');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a newer invitation to the same address supersedes the older one', async () => {
    const first = await invite({ role: 'viewer' });
    const second = await invite({ role: 'member_rep' });
    expect((await failure(getInvitation(t.deps, tokenOf(first.link)))).code).toBe('not_found');
    expect((await failure(acceptInvitation(t.deps, tokenOf(first.link), { password: NEW_PASSWORD }))).code).toBe('not_found');
    expect((await getInvitation(t.deps, tokenOf(second.link))).role).toBe('member_rep');
    expect((await listPendingInvitations(t.deps, admin, KAINUU)).map((i) => i.id)).toEqual([second.invitationId]);
  });

  it('a revoked invitation no longer works', async () => {
    const { invitationId, link } = await invite();
    await revokeInvitation(t.deps, admin, KAINUU, invitationId);
    expect((await failure(getInvitation(t.deps, tokenOf(link)))).code).toBe('not_found');
    expect((await failure(revokeInvitation(t.deps, admin, KAINUU, invitationId))).code).toBe('not_found');
    expect((await auditOf(KAINUU)).at(-1)?.action).toBe('invitation.revoked');
  });
});

describe('getInvitation', () => {
  it('shows what the invitation is for', async () => {
    const { link } = await invite();
    const view = await getInvitation(t.deps, tokenOf(link));
    expect(view).toMatchObject({
      email: 'uusi.henkilo@kuhmo.fi',
      displayName: 'Uusi Henkilö',
      role: 'drafter',
      areaName: { fi: 'Kainuu-Koillismaan työllisyysalue' },
      municipalityName: { fi: 'Kuhmo' },
      existingUser: false,
      expiresAt: t.clock.now() + TEST_INVITATION_TTL_MS,
    });
  });

  it('an unknown or malformed token is not_found', async () => {
    await invite();
    expect((await failure(getInvitation(t.deps, 'a'.repeat(32)))).code).toBe('not_found');
    expect((await failure(getInvitation(t.deps, "'; drop table invitations; --"))).code).toBe('not_found');
    expect((await failure(getInvitation(t.deps, ''))).code).toBe('not_found');
  });
});

describe('acceptInvitation', () => {
  it('creates the user with a password and the membership with the invited role and municipality', async () => {
    const { link, invitationId } = await invite({ role: 'member_rep' });
    const result = await acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD, displayName: 'Uusi H.' });
    expect(result).toMatchObject({ areaSlug: KAINUU, createdUser: true });

    const user = await t.db.selectFrom('users').selectAll().where('id', '=', result.userId).executeTakeFirstOrThrow();
    expect(user.email).toBe('uusi.henkilo@kuhmo.fi');
    expect(user.display_name).toBe('Uusi H.');
    expect(user.password_hash?.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(user.password_hash!, NEW_PASSWORD)).toBe(true);

    expect(await membershipOf('uusi.henkilo@kuhmo.fi', KAINUU)).toMatchObject({ role: 'member_rep', code: '290' });
    const event = (await auditOf(KAINUU)).at(-1)!;
    expect(event.action).toBe('invitation.accepted');
    expect(JSON.parse(event.details)).toMatchObject({ invitationId, role: 'member_rep', newUser: true });
    expect(await listPendingInvitations(t.deps, admin, KAINUU)).toEqual([]);
  });

  it('works only once', async () => {
    const { link } = await invite();
    await acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD });
    const before = await tableCounts(t.db);
    expect((await failure(acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD }))).code).toBe('invitation_used');
    expect((await failure(getInvitation(t.deps, tokenOf(link)))).code).toBe('invitation_used');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('two accepts at once: exactly one wins', async () => {
    const { link } = await invite();
    const results = await Promise.allSettled([
      acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD }),
      acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(isDomainError(rejected?.reason) && rejected.reason.code).toBe('invitation_used');
    expect(await t.db.selectFrom('users').select('id').where('email', '=', 'uusi.henkilo@kuhmo.fi').execute()).toHaveLength(1);
  });

  it('is refused once expired', async () => {
    const { link } = await invite();
    t.clock.advance(TEST_INVITATION_TTL_MS - 1);
    await expect(getInvitation(t.deps, tokenOf(link))).resolves.toBeTruthy();
    t.clock.advance(1);
    expect((await failure(getInvitation(t.deps, tokenOf(link)))).code).toBe('invitation_expired');
    const before = await tableCounts(t.db);
    expect((await failure(acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD }))).code).toBe('invitation_expired');
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await listPendingInvitations(t.deps, admin, KAINUU)).toEqual([]);
  });

  it('a too-short or missing password is invalid input and leaves the invitation usable', async () => {
    const { link } = await invite();
    const before = await tableCounts(t.db);
    const short = await failure(acceptInvitation(t.deps, tokenOf(link), { password: 'short' }));
    expect(short.code).toBe('invalid_input');
    expect(short.details).toMatchObject({ field: 'password', problem: 'too_short' });
    expect((await failure(acceptInvitation(t.deps, tokenOf(link), {}))).code).toBe('invalid_input');
    expect((await failure(acceptInvitation(t.deps, tokenOf(link), { password: 12345678901234 }))).code).toBe('invalid_input');
    expect(await tableCounts(t.db)).toEqual(before);

    await expect(getInvitation(t.deps, tokenOf(link))).resolves.toMatchObject({ existingUser: false });
    await expect(acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD })).resolves.toMatchObject({ createdUser: true });
  });

  it('an existing user of the other area keeps their password and gains the membership', async () => {
    const email = 'drafter.holmpy@sopu.example';
    const hashBefore = (await t.db.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow()).password_hash;
    const { link } = await invite({ email, role: 'viewer', municipalityCode: '205' });
    expect((await getInvitation(t.deps, tokenOf(link))).existingUser).toBe(true);

    const result = await acceptInvitation(t.deps, tokenOf(link), { password: 'an-attempt-to-change-it' });
    expect(result.createdUser).toBe(false);
    const user = await t.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(user.id).toBe(result.userId);
    expect(user.password_hash).toBe(hashBefore);

    expect(await membershipOf(email, KAINUU)).toMatchObject({ role: 'viewer', code: '205' });
    expect(await membershipOf(email, SAARISTO)).toMatchObject({ role: 'drafter', code: '902' });
    const me = await getMe(t.db, await actorFor(t.deps, email));
    expect(me.memberships.map((m) => m.areaSlug).sort()).toEqual([KAINUU, SAARISTO]);
    await expect(login(t.deps, { email, password: DEMO_PASSWORD, ip: null, userAgent: null })).resolves.toBeTruthy();
  });
});

describe('changeMemberRole', () => {
  it('changes the role and records from/to in the audit log', async () => {
    const member = (await membershipOf('drafter.sotkamo@sopu.example', KAINUU))!;
    await changeMemberRole(t.deps, admin, KAINUU, member.id, { role: 'viewer' });
    expect((await membershipOf('drafter.sotkamo@sopu.example', KAINUU))?.role).toBe('viewer');
    const event = (await auditOf(KAINUU)).at(-1)!;
    expect(event).toMatchObject({ action: 'member.role_changed', subject_type: 'membership', subject_id: member.id, actor_user_id: admin.userId });
    expect(JSON.parse(event.details)).toEqual({ userId: member.user_id, from: 'drafter', to: 'viewer' });
  });

  it('the same role again changes and records nothing', async () => {
    const member = (await membershipOf('drafter.sotkamo@sopu.example', KAINUU))!;
    const before = await tableCounts(t.db);
    await changeMemberRole(t.deps, admin, KAINUU, member.id, { role: 'drafter' });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('cannot demote the last host admin; can once there is another', async () => {
    const self = (await membershipOf('admin.kajaani@sopu.example', KAINUU))!;
    expect((await failure(changeMemberRole(t.deps, admin, KAINUU, self.id, { role: 'drafter' }))).code).toBe('last_host_admin');
    expect((await membershipOf('admin.kajaani@sopu.example', KAINUU))?.role).toBe('host_admin');

    const other = (await membershipOf('drafter.kajaani@sopu.example', KAINUU))!;
    await changeMemberRole(t.deps, admin, KAINUU, other.id, { role: 'host_admin' });
    await changeMemberRole(t.deps, admin, KAINUU, self.id, { role: 'drafter' });
    expect((await membershipOf('admin.kajaani@sopu.example', KAINUU))?.role).toBe('drafter');
  });

  it('an unknown role is invalid input; a non-admin is forbidden', async () => {
    const member = (await membershipOf('drafter.sotkamo@sopu.example', KAINUU))!;
    expect((await failure(changeMemberRole(t.deps, admin, KAINUU, member.id, { role: 'owner' }))).code).toBe('invalid_input');
    const drafter = await actorFor(t.deps, 'drafter.kajaani@sopu.example');
    expect((await failure(changeMemberRole(t.deps, drafter, KAINUU, member.id, { role: 'host_admin' }))).code).toBe('forbidden');
    expect((await membershipOf('drafter.sotkamo@sopu.example', KAINUU))?.role).toBe('drafter');
  });
});

describe('removeMember', () => {
  it('removes the membership, ends the user\'s sessions and records it', async () => {
    const member = (await membershipOf('drafter.sotkamo@sopu.example', KAINUU))!;
    const session = await t.deps.sessions.create(member.user_id);
    const adminSession = await t.deps.sessions.create(admin.userId);

    await removeMember(t.deps, admin, KAINUU, member.id);
    expect(await membershipOf('drafter.sotkamo@sopu.example', KAINUU)).toBeUndefined();
    expect(await t.deps.sessions.validate(session.token)).toBeNull();
    expect(await t.db.selectFrom('sessions').select('id').where('user_id', '=', member.user_id).execute()).toEqual([]);
    expect(await t.deps.sessions.validate(adminSession.token)).not.toBeNull();

    const event = (await auditOf(KAINUU)).at(-1)!;
    expect(event).toMatchObject({ action: 'member.removed', subject_id: member.id });
    expect(JSON.parse(event.details)).toEqual({ userId: member.user_id, role: 'drafter' });
    // The former member no longer sees the area.
    expect((await failure(getArea(t.db, await actorFor(t.deps, 'drafter.sotkamo@sopu.example'), KAINUU))).code).toBe('not_found');
    // And a second removal finds nothing.
    expect((await failure(removeMember(t.deps, admin, KAINUU, member.id))).code).toBe('not_found');
  });

  it('cannot remove the last host admin', async () => {
    const self = (await membershipOf('admin.kajaani@sopu.example', KAINUU))!;
    const before = await tableCounts(t.db);
    expect((await failure(removeMember(t.deps, admin, KAINUU, self.id))).code).toBe('last_host_admin');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a non-admin is forbidden', async () => {
    const member = (await membershipOf('viewer.kuhmo@sopu.example', KAINUU))!;
    const drafter = await actorFor(t.deps, 'drafter.sotkamo@sopu.example');
    expect((await failure(removeMember(t.deps, drafter, KAINUU, member.id))).code).toBe('forbidden');
    expect(await membershipOf('viewer.kuhmo@sopu.example', KAINUU)).toBeDefined();
  });
});

describe('acceptInvitationAndSignIn', () => {
  it('signs a new person in, ending the session this browser had, and leaves existing accounts to their password', async () => {
    const t = await createTestDeps();
    try {
      const admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
      const previous = await sessionTokenFor(t.deps, 'drafter.sotkamo@sopu.example');
      const { link } = await inviteMember(t.deps, admin, 'kainuu-koillismaa', { email: 'uusi@sopu.example', displayName: 'Uusi Henkilö', municipalityCode: '765', role: 'drafter' });
      const token = link.split('/').at(-1)!;
      const result = await acceptInvitationAndSignIn(t.deps, token, { password: 'pitkä-ja-hyvä-salasana' }, { currentSessionToken: previous, ip: null, userAgent: null });
      expect(result.createdUser).toBe(true);
      expect((await t.deps.sessions.validate(result.sessionToken))?.user.email).toBe('uusi@sopu.example');
      expect(await t.deps.sessions.validate(previous)).toBeNull();

      const admin2 = await actorFor(t.deps, 'admin.rantala@sopu.example');
      const second = await inviteMember(t.deps, admin2, 'saaristo-skargard', { email: 'uusi@sopu.example', displayName: 'Uusi Henkilö', municipalityCode: '902', role: 'viewer' });
      const existing = await acceptInvitationAndSignIn(t.deps, second.link.split('/').at(-1)!, {}, { currentSessionToken: null, ip: null, userAgent: null });
      expect(existing).toMatchObject({ createdUser: false, sessionToken: null, areaSlug: 'saaristo-skargard' });
    } finally {
      await t.cleanup();
    }
  });
});
