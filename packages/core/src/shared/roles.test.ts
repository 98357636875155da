import { describe, expect, it } from 'vitest';
import { can, isRole, ROLES, type Permission, type Role } from './roles.ts';

// The roles table of DESIGN.md, written out independently of roles.ts: [permission, roles allowed in the host
// municipality, roles allowed in any other member municipality].
const TABLE: Array<[Permission, Role[], Role[]]> = [
  ['area.read', [...ROLES], [...ROLES]],
  // The area's settings (labour force, joint body, exception permit, milestones, cost shares): the host admin.
  ['area.settings', ['host_admin'], ['host_admin']],
  ['members.manage', ['host_admin'], ['host_admin']],
  ['audit.read', ['host_admin'], ['host_admin']],
  ['outbox.read', ['host_admin'], ['host_admin']],
  ['documents.create', ['host_admin'], ['host_admin']],
  ['agreement.edit', ['host_admin', 'drafter'], ['host_admin', 'drafter']],
  // Administrative rules are the host's: only its own drafters (and admins) edit them.
  ['rules.edit', ['host_admin', 'drafter'], []],
  ['comments.write', ['host_admin', 'drafter', 'member_rep', 'council_secretary'], ['host_admin', 'drafter', 'member_rep', 'council_secretary']],
  ['comments.moderate', ['host_admin'], ['host_admin']],
  // Sending a version to the councils and issuing the councils' system tokens are the host admin's.
  ['approvals.send', ['host_admin'], ['host_admin']],
  ['approvals.tokens', ['host_admin'], ['host_admin']],
  // Recording a council's decision: its secretary (own municipality only, checked per decision) or the host admin.
  ['approvals.record', ['host_admin', 'council_secretary'], ['host_admin', 'council_secretary']],
  // Consultation rounds are on the host's rules: run by the host's admin, answered by every municipality's member rep.
  ['consultation.manage', ['host_admin'], []],
  ['consultation.answer', ['host_admin', 'member_rep'], ['member_rep']],
];

const cases = TABLE.flatMap(([permission, hostRoles, otherRoles]) =>
  ROLES.flatMap((role) => [
    { permission, role, isHostMunicipality: true, expected: hostRoles.includes(role) },
    { permission, role, isHostMunicipality: false, expected: otherRoles.includes(role) },
  ]),
);

describe('can()', () => {
  it('covers every role × permission × host/non-host', () => {
    expect(cases).toHaveLength(ROLES.length * TABLE.length * 2);
  });

  it.each(cases)('$role (host: $isHostMunicipality) $permission → $expected', ({ permission, role, isHostMunicipality, expected }) => {
    expect(can({ role, isHostMunicipality }, permission)).toBe(expected);
  });
});

describe('isRole', () => {
  it('accepts exactly the five roles', () => {
    for (const role of ROLES) expect(isRole(role)).toBe(true);
    for (const value of ['admin', 'HOST_ADMIN', '', null, undefined, 1, {}]) expect(isRole(value)).toBe(false);
  });
});
