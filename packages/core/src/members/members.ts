import { generateToken, hashPassword, hashToken, passwordProblem } from '@sopu/auth';
import type { Database, Transaction } from '@sopu/db';
import { z } from 'zod';
import { requireAreaAccess } from '../shared/access.ts';
import { findMunicipalityByCode } from '../shared/tenancy.repository.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { recordSecurityEvent } from '../shared/security-log.ts';
import { identityProviderOfEmail, USE_IDENTITY_PROVIDER } from '../shared/identity-domains.ts';
import { secondFactorNeed } from '../shared/second-factor-policy.ts';
import { newId } from '../shared/ids.ts';
import { languageOfMunicipality } from '../shared/language.ts';
import { invitationMail } from '../shared/mail.ts';
import { ROLES, type Role } from '../shared/roles.ts';
import { nameKey } from '../shared/text.ts';
import { displayNameSchema, emailSchema, parseInput } from '../shared/validation.ts';

export const inviteMemberInput = z.object({
  email: emailSchema,
  displayName: displayNameSchema,
  municipalityCode: z.string().trim().min(1).max(10),
  role: z.enum(ROLES),
});
export type InviteMemberInput = z.input<typeof inviteMemberInput>;

/** The reason a display name is refused: another member of the area (or a pending invitee) already goes by it. */
export const NAME_TAKEN = 'name_taken';
const NAME_TAKEN_MESSAGE = 'another member of this area already has this name (letter case, spacing and look-alike characters aside): add something that tells them apart, e.g. the municipality or a middle name';

/**
 * Whether someone in the area other than `except` goes by `name` as nameKey compares names: a member, or (with
 * `invitations`) a pending invitee of another address. Two people with one name could not be told apart in a
 * thread, a presence list or the audit log, so a name is unique within an area (docs/decisions/015).
 */
async function nameTaken(
  trx: Transaction<Database>,
  areaId: string,
  name: string,
  except: { userId?: string; email?: string; invitations?: { now: number } },
): Promise<boolean> {
  const key = nameKey(name);
  let members = trx.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select('users.display_name as name').where('memberships.area_id', '=', areaId);
  if (except.userId) members = members.where('users.id', '!=', except.userId);
  if ((await members.execute()).some((m) => nameKey(m.name) === key)) return true;
  if (!except.invitations) return false;
  let pending = trx
    .selectFrom('invitations')
    .select('display_name as name')
    .where('area_id', '=', areaId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', except.invitations.now);
  if (except.email) pending = pending.where('email', '!=', except.email);
  return (await pending.execute()).some((i) => nameKey(i.name) === key);
}

const nameTakenError = (field = 'displayName') =>
  new DomainError('invalid_input', NAME_TAKEN_MESSAGE, { issues: [{ path: [field], code: NAME_TAKEN, message: NAME_TAKEN_MESSAGE }], reason: NAME_TAKEN });

export interface PendingInvitation {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  municipalityCode: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * Invites a person into a municipality of the area with a role. The link goes out by mail (the outbox) and nowhere
 * else: not to the inviting admin, who could otherwise accept it in the invitee's name.
 */
export async function inviteMember(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<{ invitationId: string }> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'members.manage');
  const input = parseInput(inviteMemberInput, raw);
  const municipality = await findMunicipalityByCode(deps.db, area.id, input.municipalityCode);
  if (!municipality) throw new DomainError('invalid_input', 'no such municipality in this area', { field: 'municipalityCode' });
  const id = await deps.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('memberships.id')
      .where('memberships.area_id', '=', area.id)
      .where('users.email', '=', input.email)
      .executeTakeFirst();
    if (existing) throw new DomainError('conflict', 'this person is already a member of the area', { field: 'email' });
    if (await nameTaken(trx, area.id, input.displayName, { email: input.email, invitations: { now: deps.now() } })) throw nameTakenError();
    const created = await insertInvitation(trx, deps, {
      area,
      municipality: { id: municipality.id, code: municipality.code, name: { fi: municipality.name_fi, sv: municipality.name_sv } },
      email: input.email,
      displayName: input.displayName,
      role: input.role,
      inviter: { userId: actor.userId, name: actor.displayName },
    });
    return created.id;
  });
  return { invitationId: id };
}

/**
 * Stores an invitation and its mail (the outbox) in the caller's transaction, superseding older pending invitations
 * of the same address to the area, and audits it. Returns the link: only the operator's command shows it (it
 * invites an area's first host admin, with no user behind it); inviteMember never does. `inviter` null: the operator.
 */
export async function insertInvitation(
  trx: Transaction<Database>,
  deps: Pick<CoreDeps, 'audit' | 'now' | 'publicUrl' | 'invitationTtlMs'>,
  input: {
    area: { id: string; name: { fi: string; sv: string } };
    municipality: { id: string; code: string; name: { fi: string; sv: string } };
    email: string;
    displayName: string;
    role: Role;
    inviter: { userId: string; name: string } | null;
  },
): Promise<{ id: string; link: string; expiresAt: number }> {
  const token = generateToken();
  const link = `${deps.publicUrl.replace(/\/$/, '')}/invitations/${token}`;
  const now = deps.now();
  const id = newId();
  const expiresAt = now + deps.invitationTtlMs;
  // A newer invitation to the same address supersedes the older ones.
  await trx
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('area_id', '=', input.area.id)
    .where('email', '=', input.email)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
  await trx
    .insertInto('invitations')
    .values({
      id,
      area_id: input.area.id,
      municipality_id: input.municipality.id,
      email: input.email,
      display_name: input.displayName,
      role: input.role,
      token_hash: hashToken(token),
      invited_by: input.inviter?.userId ?? null,
      created_at: now,
      expires_at: expiresAt,
      accepted_at: null,
      accepted_by: null,
      revoked_at: null,
    })
    .execute();
  const mail = invitationMail({ areaName: input.area.name, inviterName: input.inviter?.name ?? 'Sopu', municipalityName: input.municipality.name, role: input.role, link, expiresAt });
  await trx.insertInto('outbox').values({ id: newId(), area_id: input.area.id, to_email: input.email, subject: mail.subject, body_text: mail.body, created_at: now, sent_at: null }).execute();
  await deps.audit.append(
    trx,
    {
      areaId: input.area.id,
      actorUserId: input.inviter?.userId ?? null,
      action: 'invitation.created',
      subjectType: 'invitation',
      subjectId: id,
      details: { email: input.email, role: input.role, municipalityCode: input.municipality.code, ...(input.inviter ? {} : { by: 'operator' }) },
    },
    now,
  );
  return { id, link, expiresAt };
}

export async function listPendingInvitations(deps: CoreDeps, actor: Actor, slug: string): Promise<PendingInvitation[]> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'members.manage');
  const rows = await deps.db
    .selectFrom('invitations')
    .innerJoin('municipalities', 'municipalities.id', 'invitations.municipality_id')
    .select(['invitations.id', 'invitations.email', 'invitations.display_name', 'invitations.role', 'invitations.created_at', 'invitations.expires_at', 'municipalities.code'])
    .where('invitations.area_id', '=', area.id)
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', deps.now())
    .orderBy('invitations.created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, displayName: r.display_name, role: r.role as Role, municipalityCode: r.code, createdAt: r.created_at, expiresAt: r.expires_at }));
}

export async function revokeInvitation(deps: CoreDeps, actor: Actor, slug: string, invitationId: string): Promise<void> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'members.manage');
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('invitations')
      .set({ revoked_at: now })
      .where('area_id', '=', area.id)
      .where('id', '=', invitationId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new DomainError('not_found', 'no pending invitation');
    await deps.audit.append(trx, { areaId: area.id, actorUserId: actor.userId, action: 'invitation.revoked', subjectType: 'invitation', subjectId: invitationId }, now);
  });
}

export interface InvitationView {
  email: string;
  displayName: string;
  role: Role;
  areaName: { fi: string; sv: string; en: string };
  municipalityName: { fi: string; sv: string };
  expiresAt: number;
  /** The address signs in through its municipality's identity provider: accepted there, never with a password. */
  signInThroughProvider: boolean;
}

async function findUsableInvitation(deps: CoreDeps, token: string) {
  if (!/^[a-z2-7]{16,64}$/.test(token)) throw new DomainError('not_found', 'invitation not found');
  const row = await deps.db
    .selectFrom('invitations')
    .innerJoin('areas', 'areas.id', 'invitations.area_id')
    .innerJoin('municipalities', 'municipalities.id', 'invitations.municipality_id')
    .selectAll('invitations')
    .select(['areas.name_fi', 'areas.name_sv', 'areas.name_en', 'areas.slug', 'areas.status', 'municipalities.name_fi as m_fi', 'municipalities.name_sv as m_sv'])
    .where('invitations.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  // A suspended area's invitations wait: they work again if the area is resumed before they expire.
  if (!row || row.revoked_at !== null || row.status !== 'active') throw new DomainError('not_found', 'invitation not found');
  if (row.accepted_at !== null) throw new DomainError('invitation_used', 'this invitation has already been used');
  if (row.expires_at <= deps.now()) throw new DomainError('invitation_expired', 'this invitation has expired');
  return row;
}

export async function getInvitation(deps: CoreDeps, token: string): Promise<InvitationView> {
  const row = await findUsableInvitation(deps, token);
  // Deliberately silent on whether the address already has an account: the page offers both ways in.
  return {
    email: row.email,
    displayName: row.display_name,
    role: row.role as Role,
    areaName: { fi: row.name_fi, sv: row.name_sv, en: row.name_en },
    municipalityName: { fi: row.m_fi, sv: row.m_sv },
    expiresAt: row.expires_at,
    signInThroughProvider: (await identityProviderOfEmail(deps.db, row.email)) !== null,
  };
}

export const acceptInvitationInput = z.object({
  password: z.string().max(1024).optional(),
  displayName: displayNameSchema.optional(),
});

/** The invited address has an account, and the request does not come from it: sign in as it first. */
export const SIGN_IN_AS_INVITEE = 'sign_in_as_invitee';
const signInFirst = () =>
  new DomainError('forbidden', 'this address has an account: sign in as it to accept the invitation', { reason: SIGN_IN_AS_INVITEE });

/**
 * Accepts an invitation exactly once. A new person sets a password here. An address that already has an account is
 * accepted only by that account, signed in (`signedInUserId`): holding the link is not enough, or whoever saw a
 * link could add an area to an account they control, or an area's role to an account they do not.
 * Returns the user to sign in.
 */
export async function acceptInvitation(
  deps: CoreDeps,
  token: string,
  raw: unknown,
  signedInUserId: string | null,
): Promise<{ userId: string; areaSlug: string; createdUser: boolean }> {
  const input = parseInput(acceptInvitationInput, raw);
  const invitation = await findUsableInvitation(deps, token);
  const existing = await deps.db.selectFrom('users').select('id').where('email', '=', invitation.email).executeTakeFirst();
  if (existing && existing.id !== signedInUserId) throw signInFirst();
  let passwordHash: string | null = null;
  if (!existing) {
    // A password would never be asked for: the log-in sends this address to its identity provider.
    if (await identityProviderOfEmail(deps.db, invitation.email)) {
      throw new DomainError('forbidden', "this address signs in through its organisation's identity provider: accept the invitation there", { reason: USE_IDENTITY_PROVIDER });
    }
    const problem = input.password === undefined ? 'too_short' : passwordProblem(input.password);
    if (problem) throw new DomainError('invalid_input', `password ${problem}`, { field: 'password', problem });
    passwordHash = await hashPassword(input.password!);
  }
  const now = deps.now();
  const userId = existing?.id ?? newId();
  await deps.db.transaction().execute(async (trx) => {
    // The conditional update is the single-use guarantee: of two concurrent accepts only one changes a row.
    const claimed = await trx
      .updateTable('invitations')
      .set({ accepted_at: now, accepted_by: userId })
      .where('id', '=', invitation.id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) throw new DomainError('invitation_used', 'this invitation has already been used');
    // The name the person goes by here: the one they chose now, the invitation's, or their account's.
    const name = existing ? (await trx.selectFrom('users').select('display_name').where('id', '=', existing.id).executeTakeFirstOrThrow()).display_name : (input.displayName ?? invitation.display_name);
    if (await nameTaken(trx, invitation.area_id, name, existing ? { userId: existing.id } : {})) {
      // An account's name is its own across areas: the person cannot change it here, the area's admin can help.
      if (existing) throw new DomainError('conflict', `another member of this area already has the name ${name}; ask the area's host admin`, { reason: NAME_TAKEN, name });
      throw nameTakenError();
    }
    if (!existing) {
      // An account made for this address meanwhile (another area's invitation) is someone's: same rule as above.
      if (await trx.selectFrom('users').select('id').where('email', '=', invitation.email).executeTakeFirst()) throw signInFirst();
      // Mail starts in the municipality's language (Swedish for a Swedish-speaking one); the person can change it.
      const municipality = await trx.selectFrom('municipalities').select('language').where('id', '=', invitation.municipality_id).where('area_id', '=', invitation.area_id).executeTakeFirst();
      await trx
        .insertInto('users')
        .values({ id: userId, email: invitation.email, display_name: input.displayName ?? invitation.display_name, password_hash: passwordHash, locale: languageOfMunicipality(municipality?.language ?? 'fi'), created_at: now })
        .execute();
    }
    const member = await trx.selectFrom('memberships').select('id').where('area_id', '=', invitation.area_id).where('user_id', '=', userId).executeTakeFirst();
    if (member) throw new DomainError('conflict', 'already a member of this area');
    const membershipId = newId();
    await trx
      .insertInto('memberships')
      .values({ id: membershipId, area_id: invitation.area_id, user_id: userId, municipality_id: invitation.municipality_id, role: invitation.role, created_at: now })
      .execute();
    await deps.audit.append(trx, { areaId: invitation.area_id, actorUserId: userId, action: 'invitation.accepted', subjectType: 'membership', subjectId: membershipId, details: { invitationId: invitation.id, role: invitation.role, newUser: !existing } }, now);
  });
  return { userId, areaSlug: invitation.slug, createdUser: !existing };
}

/**
 * Accepts an invitation from a browser. The browser's session says who is signed in (an address with an account is
 * accepted only by that account). A person without an account is signed in as the new account: the session this
 * browser had (someone else's, perhaps) ends and a new one starts. An account holder stays in their session.
 */
export async function acceptInvitationAndSignIn(
  deps: CoreDeps,
  token: string,
  raw: unknown,
  browser: { currentSessionToken: string | null; ip: string | null; userAgent: string | null },
): Promise<{ userId: string; areaSlug: string; createdUser: boolean; sessionToken: string | null; secondFactorSetup: boolean }> {
  const current = browser.currentSessionToken ? await deps.sessions.validate(browser.currentSessionToken) : null;
  const accepted = await acceptInvitation(deps, token, raw, current?.user.id ?? null);
  if (!accepted.createdUser) return { ...accepted, sessionToken: null, secondFactorSetup: false };
  if (browser.currentSessionToken) await deps.sessions.invalidate(browser.currentSessionToken);
  // A new host admin (or a member of an area that requires it) sets up a second factor before any session: they log
  // in with the password they just chose, and the log-in takes them through the set-up (docs/decisions/024).
  if ((await secondFactorNeed(deps.db, accepted.userId)) === 'enrol') return { ...accepted, sessionToken: null, secondFactorSetup: true };
  const session = await deps.sessions.create(accepted.userId, { ip: browser.ip, userAgent: browser.userAgent });
  await recordSecurityEvent(deps.db, { kind: 'login', userId: accepted.userId, ip: browser.ip, userAgent: browser.userAgent, details: { via: 'invitation' } }, deps.now());
  return { ...accepted, sessionToken: session.token, secondFactorSetup: false };
}

async function countHostAdmins(trx: Transaction<Database>, areaId: string): Promise<number> {
  const row = await trx.selectFrom('memberships').select((eb) => eb.fn.countAll<number>().as('n')).where('area_id', '=', areaId).where('role', '=', 'host_admin').executeTakeFirstOrThrow();
  return Number(row.n);
}

export const changeRoleInput = z.object({ role: z.enum(ROLES) });

export async function changeMemberRole(deps: CoreDeps, actor: Actor, slug: string, membershipId: string, raw: unknown): Promise<void> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'members.manage');
  const { role } = parseInput(changeRoleInput, raw);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const member = await trx.selectFrom('memberships').selectAll().where('area_id', '=', area.id).where('id', '=', membershipId).executeTakeFirst();
    if (!member) throw new DomainError('not_found', 'member not found');
    if (member.role === role) return;
    if (member.role === 'host_admin' && (await countHostAdmins(trx, area.id)) <= 1) {
      throw new DomainError('last_host_admin', 'the area must keep at least one host admin');
    }
    await trx.updateTable('memberships').set({ role }).where('area_id', '=', area.id).where('id', '=', membershipId).execute();
    await deps.audit.append(trx, { areaId: area.id, actorUserId: actor.userId, action: 'member.role_changed', subjectType: 'membership', subjectId: membershipId, details: { userId: member.user_id, from: member.role, to: role } }, now);
  });
}

/**
 * Removes a member from the area. That alone ends their access to it: every request checks membership
 * (requireAreaAccess) and the collab server re-checks open sockets. Their sessions stay, for their other areas.
 */
export async function removeMember(deps: CoreDeps, actor: Actor, slug: string, membershipId: string): Promise<void> {
  const { area } = await requireAreaAccess(deps.db, actor.userId, slug, 'members.manage');
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const member = await trx.selectFrom('memberships').selectAll().where('area_id', '=', area.id).where('id', '=', membershipId).executeTakeFirst();
    if (!member) throw new DomainError('not_found', 'member not found');
    if (member.role === 'host_admin' && (await countHostAdmins(trx, area.id)) <= 1) {
      throw new DomainError('last_host_admin', 'the area must keep at least one host admin');
    }
    await trx.deleteFrom('memberships').where('area_id', '=', area.id).where('id', '=', membershipId).execute();
    await deps.audit.append(trx, { areaId: area.id, actorUserId: actor.userId, action: 'member.removed', subjectType: 'membership', subjectId: membershipId, details: { userId: member.user_id, role: member.role } }, now);
  });
}

/** The usable invitation a link names (for a sign-in through an identity provider that starts from it). */
export async function usableInvitation(deps: CoreDeps, token: string): Promise<{ id: string; email: string }> {
  const row = await findUsableInvitation(deps, token);
  return { id: row.id, email: row.email };
}

/**
 * Accepts invitations for a person whose address their municipality's identity provider vouched for (a verified
 * e-mail of an allowed domain: docs/decisions/024): the invitation the sign-in started from (`invitationId`), or
 * else every usable invitation to that address. Each gives exactly its own area, municipality and role, and only to
 * its own address. The account is made without a password when the address has none. One transaction; returns the
 * account (null when no invitation was usable and no account exists).
 */
export async function acceptInvitationsByVerifiedEmail(
  deps: CoreDeps,
  input: { email: string; invitationId: string | null },
): Promise<{ userId: string | null; createdUser: boolean; accepted: string[] }> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('invitations')
      .innerJoin('areas', (join) => join.onRef('areas.id', '=', 'invitations.area_id').on('areas.status', '=', 'active'))
      .selectAll('invitations')
      .select('areas.slug')
      .where('invitations.email', '=', input.email)
      .where('invitations.accepted_at', 'is', null)
      .where('invitations.revoked_at', 'is', null)
      .where('invitations.expires_at', '>', now);
    if (input.invitationId) query = query.where('invitations.id', '=', input.invitationId);
    const invitations = await query.orderBy('invitations.created_at').execute();
    const existing = await trx.selectFrom('users').select(['id', 'display_name']).where('email', '=', input.email).executeTakeFirst();
    if (invitations.length === 0) return { userId: existing?.id ?? null, createdUser: false, accepted: [] };
    const userId = existing?.id ?? newId();
    const name = existing?.display_name ?? invitations[0]!.display_name;
    if (!existing) await trx.insertInto('users').values({ id: userId, email: input.email, display_name: name, password_hash: null, locale: 'fi', created_at: now }).execute();
    const accepted: string[] = [];
    for (const invitation of invitations) {
      if (await trx.selectFrom('memberships').select('id').where('area_id', '=', invitation.area_id).where('user_id', '=', userId).executeTakeFirst()) continue;
      if (await nameTaken(trx, invitation.area_id, name, { userId })) continue;
      const claimed = await trx.updateTable('invitations').set({ accepted_at: now, accepted_by: userId }).where('id', '=', invitation.id).where('accepted_at', 'is', null).executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) continue;
      const membershipId = newId();
      await trx
        .insertInto('memberships')
        .values({ id: membershipId, area_id: invitation.area_id, user_id: userId, municipality_id: invitation.municipality_id, role: invitation.role, created_at: now })
        .execute();
      await deps.audit.append(trx, { areaId: invitation.area_id, actorUserId: userId, action: 'invitation.accepted', subjectType: 'membership', subjectId: membershipId, details: { invitationId: invitation.id, role: invitation.role, newUser: !existing, via: 'identity_provider' } }, now);
      accepted.push(invitation.slug);
    }
    if (!existing && accepted.length === 0) throw new DomainError('conflict', 'no invitation could be accepted', { reason: 'no_account' });
    return { userId, createdUser: !existing, accepted };
  });
}
