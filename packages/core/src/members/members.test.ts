import { hashToken, verifyPassword } from '@sopu/auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getArea, getMe } from '../areas/index.ts';
import { DEMO_PASSWORD } from '../demo/index.ts';
import { isDomainError, type DomainError } from '../shared/errors.ts';
import {
  acceptInvitation, acceptInvitationAndSignIn, changeMemberRole, getInvitation, inviteMember, listPendingInvitations, removeMember, revokeInvitation, SIGN_IN_AS_INVITEE,
} from './members.ts';
import { deliverOutbox, listDevMailbox, listOutbox, REDACTED_LINK } from '../shared/outbox.ts';
import { login } from '../session/index.ts';
import { actorFor, createTestDeps, invitationLink, sessionTokenFor, tableCounts, TEST_INVITATION_TTL_MS, type TestDeps } from '../testing.ts';
import type { Actor } from '../shared/deps.ts';

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

/** Invites, and reads the link from the mail as the invitee would (the use case does not return it). */
async function invite(overrides: Record<string, unknown> = {}, actor: Actor = admin, slug = KAINUU) {
  const { invitationId } = await inviteMember(t.deps, actor, slug, { email: 'Uusi.Henkilo@Kuhmo.fi', displayName: 'Uusi Henkilö', municipalityCode: '290', role: 'drafter', ...overrides });
  return { invitationId, link: await invitationLink(t.db, invitationId) };
}
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
  it('a host admin invites: one invitation (token stored hashed), one mail with the link, one audit event; the admin gets no link', async () => {
    const before = await tableCounts(t.db);
    const returned = await inviteMember(t.deps, admin, KAINUU, { email: 'Uusi.Henkilo@Kuhmo.fi', displayName: 'Uusi Henkilö', municipalityCode: '290', role: 'drafter' });
    expect(Object.keys(returned)).toEqual(['invitationId']);
    const { invitationId } = returned;
    const link = await invitationLink(t.db, invitationId);
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

    // The admin's outbox shows the mail and where it stands, with the link replaced: the token is nowhere in it.
    const outbox = await listOutbox(t.deps, admin, KAINUU);
    const [mail] = outbox;
    expect(mail?.to).toBe('uusi.henkilo@kuhmo.fi');
    expect(mail?.body).toContain('Kuhmo');
    expect(mail?.body).toContain(REDACTED_LINK);
    expect(mail?.status).toBe('dev_mailbox');
    expect(JSON.stringify(outbox)).not.toContain(tokenOf(link));
    expect(JSON.stringify(outbox)).not.toContain('/invitations/');

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
    expect((await failure(acceptInvitation(t.deps, tokenOf(first.link), { password: NEW_PASSWORD }, null))).code).toBe('not_found');
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
      expiresAt: t.clock.now() + TEST_INVITATION_TTL_MS,
    });
  });

  it('does not tell whether the address has an account', async () => {
    const fresh = await getInvitation(t.deps, tokenOf((await invite()).link));
    const known = await getInvitation(t.deps, tokenOf((await invite({ email: 'drafter.holmpy@sopu.example', displayName: 'Holmpyn valmistelija', municipalityCode: '205' })).link));
    expect(Object.keys(known).sort()).toEqual(Object.keys(fresh).sort());
    expect(JSON.stringify(known)).not.toMatch(/existing|account|user/i);
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
    const result = await acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD, displayName: 'Uusi H.' }, null);
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

  it('a new account’s mail starts in its municipality’s language: Swedish for Holmpy (sv), Finnish for Kuhmo', async () => {
    const kuhmo = await invite({ role: 'member_rep' });
    const holmpy = await invite({ email: 'ny.person@holmby.fi', displayName: 'Ny Person', municipalityCode: '902', role: 'member_rep' }, await actorFor(t.deps, 'admin.rantala@sopu.example'), SAARISTO);
    const fi = await acceptInvitation(t.deps, tokenOf(kuhmo.link), { password: NEW_PASSWORD }, null);
    const sv = await acceptInvitation(t.deps, tokenOf(holmpy.link), { password: NEW_PASSWORD }, null);
    const locale = async (id: string) => (await t.db.selectFrom('users').select('locale').where('id', '=', id).executeTakeFirstOrThrow()).locale;
    expect([await locale(fi.userId), await locale(sv.userId)]).toEqual(['fi', 'sv']);
  });

  it('works only once', async () => {
    const { link } = await invite();
    await acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD }, null);
    const before = await tableCounts(t.db);
    expect((await failure(acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD }, null))).code).toBe('invitation_used');
    expect((await failure(getInvitation(t.deps, tokenOf(link)))).code).toBe('invitation_used');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('two accepts at once: exactly one wins', async () => {
    const { link } = await invite();
    const results = await Promise.allSettled([
      acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD }, null),
      acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD }, null),
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
    expect((await failure(acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD }, null))).code).toBe('invitation_expired');
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await listPendingInvitations(t.deps, admin, KAINUU)).toEqual([]);
  });

  it('a too-short or missing password is invalid input and leaves the invitation usable', async () => {
    const { link } = await invite();
    const before = await tableCounts(t.db);
    const short = await failure(acceptInvitation(t.deps, tokenOf(link), { password: 'short' }, null));
    expect(short.code).toBe('invalid_input');
    expect(short.details).toMatchObject({ field: 'password', problem: 'too_short' });
    expect((await failure(acceptInvitation(t.deps, tokenOf(link), {}, null))).code).toBe('invalid_input');
    expect((await failure(acceptInvitation(t.deps, tokenOf(link), { password: 12345678901234 }, null))).code).toBe('invalid_input');
    expect(await tableCounts(t.db)).toEqual(before);

    await expect(getInvitation(t.deps, tokenOf(link))).resolves.toMatchObject({ email: 'uusi.henkilo@kuhmo.fi' });
    await expect(acceptInvitation(t.deps, tokenOf(link), { password: NEW_PASSWORD }, null)).resolves.toMatchObject({ createdUser: true });
  });

  it('an existing user of the other area, signed in as themselves, keeps their password and gains the membership', async () => {
    const email = 'drafter.holmpy@sopu.example';
    const holmpy = await actorFor(t.deps, email);
    const hashBefore = (await t.db.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow()).password_hash;
    const { link } = await invite({ email, role: 'viewer', municipalityCode: '205' });

    const result = await acceptInvitation(t.deps, tokenOf(link), { password: 'an-attempt-to-change-it' }, holmpy.userId);
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

  it('an address with an account is refused to anyone not signed in as it, with or without a password, and the link stays usable', async () => {
    const email = 'drafter.holmpy@sopu.example';
    const { link } = await invite({ email, role: 'viewer', municipalityCode: '205' });
    const before = await tableCounts(t.db);
    for (const [signedIn, raw] of [
      [null, {}],
      [null, { password: NEW_PASSWORD }],
      [admin.userId, {}],
      [(await actorFor(t.deps, 'admin.rantala@sopu.example')).userId, { password: NEW_PASSWORD }],
    ] as const) {
      const error = await failure(acceptInvitation(t.deps, tokenOf(link), raw, signedIn));
      expect(error.code).toBe('forbidden');
      expect(error.details).toEqual({ reason: SIGN_IN_AS_INVITEE });
    }
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await membershipOf(email, KAINUU)).toBeUndefined();
    await expect(getInvitation(t.deps, tokenOf(link))).resolves.toMatchObject({ email });
  });
});

describe('the cross-tenant takeover through invitations', () => {
  const VICTIM = 'henna.virtanen@example.fi';

  it('an admin cannot read the link; a link that leaks anyway cannot tie another area\'s role to an account someone else controls', async () => {
    const rantala = await actorFor(t.deps, 'admin.rantala@sopu.example');
    // 1. Kainuu's admin invites a person. The admin sees the mail, not its link: neither in the outbox nor in
    //    what inviteMember returned.
    const first = await inviteMember(t.deps, admin, KAINUU, { email: VICTIM, displayName: 'Henna Virtanen', municipalityCode: '290', role: 'viewer' });
    const firstLink = await invitationLink(t.db, first.invitationId);
    expect(JSON.stringify([first, await listOutbox(t.deps, admin, KAINUU)])).not.toContain(tokenOf(firstLink));

    // 2. Suppose the first link leaked to the admin all the same (say it was forwarded), who used it to set a
    //    password of their own for the victim's address. (A new address needs only the link: that is why links
    //    are shown to no one but the invitee.)
    await acceptInvitationAndSignIn(t.deps, tokenOf(firstLink), { password: 'the-admins-own-password' }, { currentSessionToken: null, ip: null, userAgent: null });

    // 3. Later Saaristo's admin invites the same address. Neither outbox shows its link.
    const second = await inviteMember(t.deps, rantala, SAARISTO, { email: VICTIM, displayName: 'Henna Virtanen', municipalityCode: '902', role: 'drafter' });
    const secondLink = await invitationLink(t.db, second.invitationId);
    expect(JSON.stringify(await listOutbox(t.deps, rantala, SAARISTO))).not.toContain(tokenOf(secondLink));
    expect(JSON.stringify(await listOutbox(t.deps, admin, KAINUU))).not.toContain(tokenOf(secondLink));

    // 4. The real person opens the link from their mail, not signed in (they do not know the password someone
    //    else set): refused, with the reason to sign in first; Saaristo's role does not land on the account the
    //    Kainuu admin controls.
    const anonymous = await failure(acceptInvitationAndSignIn(t.deps, tokenOf(secondLink), { password: NEW_PASSWORD }, { currentSessionToken: null, ip: null, userAgent: null }));
    expect(anonymous).toMatchObject({ code: 'forbidden', details: { reason: SIGN_IN_AS_INVITEE } });
    // Nor when the Kainuu admin's own session tries it.
    const adminSession = await sessionTokenFor(t.deps, 'admin.kajaani@sopu.example');
    const asAdmin = await failure(acceptInvitationAndSignIn(t.deps, tokenOf(secondLink), {}, { currentSessionToken: adminSession, ip: null, userAgent: null }));
    expect(asAdmin.code).toBe('forbidden');
    expect(await membershipOf(VICTIM, SAARISTO)).toBeUndefined();
    expect(await t.deps.sessions.validate(adminSession)).not.toBeNull();

    // 5. Only a session of the account itself accepts it.
    const victimSession = await sessionTokenFor(t.deps, VICTIM);
    const accepted = await acceptInvitationAndSignIn(t.deps, tokenOf(secondLink), {}, { currentSessionToken: victimSession, ip: null, userAgent: null });
    expect(accepted).toMatchObject({ createdUser: false, sessionToken: null, areaSlug: SAARISTO });
    expect(await membershipOf(VICTIM, SAARISTO)).toMatchObject({ role: 'drafter', code: '902' });
  });
});

describe('mail delivery in the outbox', () => {
  it('once sent, the stored mail keeps no token and the outbox says sent', async () => {
    const { link } = await invite();
    const received: string[] = [];
    expect(await deliverOutbox(t.deps, async (mail) => void received.push(mail.text))).toEqual({ sent: 1, failed: 0 });
    expect(received.join()).toContain(link);
    const rows = await t.db.selectFrom('outbox').select(['body_text', 'sent_at']).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body_text).not.toContain(tokenOf(link));
    expect(rows[0]!.sent_at).toBe(t.clock.now());
    const smtp = { ...t.deps, mailDelivery: 'smtp' as const };
    expect((await listOutbox(smtp, admin, KAINUU))[0]?.status).toBe('sent');
    // A sent mail is not sent again.
    expect(await deliverOutbox(t.deps, async () => void received.push('again'))).toEqual({ sent: 0, failed: 0 });
  });

  it('the development mailbox shows working links, on a local address and to this machine only', async () => {
    const { link } = await invite();
    const [mail] = await listDevMailbox(t.deps, { clientIp: '127.0.0.1' });
    expect(mail).toMatchObject({ to: 'uusi.henkilo@kuhmo.fi', areaSlug: KAINUU });
    expect(mail?.body).toContain(link);
    expect((await listDevMailbox(t.deps, { clientIp: '::ffff:127.0.0.1' })).length).toBe(1);
    expect((await failure(listDevMailbox(t.deps, { clientIp: '192.0.2.1' }))).code).toBe('not_found');
    expect((await failure(listDevMailbox(t.deps, { clientIp: null }))).code).toBe('not_found');
    expect((await failure(listDevMailbox({ ...t.deps, publicUrl: 'https://sopu.example.fi', mailDelivery: undefined }, { clientIp: '127.0.0.1' }))).code).toBe('not_found');
    expect((await failure(listDevMailbox({ ...t.deps, mailDelivery: 'smtp' }, { clientIp: '127.0.0.1' }))).code).toBe('not_found');
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
  it('removes the membership and records it; the person loses this area and keeps their session for others', async () => {
    // drafter.holmpy of Saaristo also joins Kainuu, then is removed from Kainuu.
    const holmpy = await actorFor(t.deps, 'drafter.holmpy@sopu.example');
    const { link } = await invite({ email: holmpy.email, municipalityCode: '205' });
    await acceptInvitation(t.deps, tokenOf(link), {}, holmpy.userId);
    const session = await t.deps.sessions.create(holmpy.userId);
    const member = (await membershipOf(holmpy.email, KAINUU))!;

    await removeMember(t.deps, admin, KAINUU, member.id);
    expect(await membershipOf(holmpy.email, KAINUU)).toBeUndefined();
    // The same session: Kainuu is gone (as if it did not exist), Saaristo is still there.
    const user = await t.deps.sessions.validate(session.token);
    expect(user?.user.id).toBe(holmpy.userId);
    expect((await failure(getArea(t.db, holmpy, KAINUU))).code).toBe('not_found');
    expect((await getArea(t.db, holmpy, SAARISTO)).area.slug).toBe(SAARISTO);
    expect((await getMe(t.db, holmpy)).memberships.map((m) => m.areaSlug)).toEqual([SAARISTO]);

    const event = (await auditOf(KAINUU)).at(-1)!;
    expect(event).toMatchObject({ action: 'member.removed', subject_id: member.id });
    expect(JSON.parse(event.details)).toEqual({ userId: member.user_id, role: 'drafter' });
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
  it('signs a new person in, ending the session this browser had; an account holder accepts in their own session', async () => {
    const previous = await sessionTokenFor(t.deps, 'drafter.sotkamo@sopu.example');
    const { link } = await invite({ email: 'uusi@sopu.example', municipalityCode: '765' });
    const result = await acceptInvitationAndSignIn(t.deps, tokenOf(link), { password: 'pitkä-ja-hyvä-salasana' }, { currentSessionToken: previous, ip: null, userAgent: null });
    expect(result.createdUser).toBe(true);
    expect((await t.deps.sessions.validate(result.sessionToken))?.user.email).toBe('uusi@sopu.example');
    expect(await t.deps.sessions.validate(previous)).toBeNull();

    const rantala = await actorFor(t.deps, 'admin.rantala@sopu.example');
    const second = await invite({ email: 'uusi@sopu.example', municipalityCode: '902', role: 'viewer' }, rantala, SAARISTO);
    const existing = await acceptInvitationAndSignIn(t.deps, tokenOf(second.link), {}, { currentSessionToken: result.sessionToken, ip: null, userAgent: null });
    expect(existing).toMatchObject({ createdUser: false, sessionToken: null, areaSlug: SAARISTO });
    expect(await t.deps.sessions.validate(result.sessionToken)).not.toBeNull();
  });

  it('an ended or unknown session counts as not signed in', async () => {
    const holmpy = 'drafter.holmpy@sopu.example';
    const { link } = await invite({ email: holmpy, municipalityCode: '205' });
    const token = await sessionTokenFor(t.deps, holmpy);
    await t.deps.sessions.invalidate(token);
    const error = await failure(acceptInvitationAndSignIn(t.deps, tokenOf(link), {}, { currentSessionToken: token, ip: null, userAgent: null }));
    expect(error.details).toEqual({ reason: SIGN_IN_AS_INVITEE });
  });
});
