export const ROLES = ['host_admin', 'drafter', 'member_rep', 'council_secretary', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Who changes agreement text directly, an area's setting (docs/decisions/025): `host`, the host municipality's
 * drafters (the other municipalities' drafters suggest changes), or `everyone`, every drafter.
 */
export const DIRECT_EDITING = ['host', 'everyone'] as const;
export type DirectEditing = (typeof DIRECT_EDITING)[number];

/** What a member does, seen from their membership; `isHostMunicipality` says whether they belong to the host. */
export interface Member {
  role: Role;
  isHostMunicipality: boolean;
}

export type Permission =
  | 'area.read'
  | 'area.settings'
  | 'members.manage'
  | 'audit.read'
  | 'outbox.read'
  | 'documents.create'
  | 'agreement.edit'
  | 'rules.edit'
  | 'comments.write'
  | 'comments.moderate'
  | 'approvals.send'
  | 'approvals.record'
  | 'approvals.tokens'
  | 'consultation.manage'
  | 'consultation.answer'
  | 'negotiation.decide'
  | 'positions.record';

/**
 * The roles table of DESIGN.md, once. A host_admin outside the host municipality would be odd but is not
 * forbidden; the host-only rule for administrative rules binds drafters and admins alike.
 */
export function can(member: Member, permission: Permission): boolean {
  switch (permission) {
    case 'area.read':
      return true;
    case 'area.settings':
      // Labour-force figures, the joint body's seats and votes, the exception permit, milestones, cost shares.
      return member.role === 'host_admin';
    case 'members.manage':
    case 'audit.read':
    case 'outbox.read':
    case 'documents.create':
      return member.role === 'host_admin';
    case 'agreement.edit':
      return member.role === 'host_admin' || member.role === 'drafter';
    case 'rules.edit':
      return (member.role === 'host_admin' || member.role === 'drafter') && member.isHostMunicipality;
    case 'comments.write':
      // Every member but viewers: reps and council secretaries comment though they do not edit the text.
      return member.role !== 'viewer';
    case 'comments.moderate':
      return member.role === 'host_admin';
    case 'approvals.send':
    case 'approvals.tokens':
      return member.role === 'host_admin';
    case 'approvals.record':
      // A secretary records only their own municipality's council (approvals/approvals.rules.ts); the host admin any, on its behalf.
      return member.role === 'host_admin' || member.role === 'council_secretary';
    case 'consultation.manage':
      // The hearing is on the host's own rules: its admin opens, reminds, closes, answers, publishes and records the
      // adoption.
      return member.role === 'host_admin' && member.isHostMunicipality;
    case 'consultation.answer':
      // A member rep answers for their own municipality (the use case checks which); the host admin on its behalf.
      return member.role === 'member_rep' || (member.role === 'host_admin' && member.isHostMunicipality);
    case 'negotiation.decide':
      // The host leads the negotiation: it accepts or rejects suggested changes, marks sections agreed and reopens
      // them (docs/decisions/025). The host's drafters and admin.
      return (member.role === 'host_admin' || member.role === 'drafter') && member.isHostMunicipality;
    case 'positions.record':
      // A municipality's position on a section: given by its member rep or drafter (the use case checks that it is
      // their own municipality), and by the host admin for the host.
      return member.role === 'member_rep' || member.role === 'drafter' || (member.role === 'host_admin' && member.isHostMunicipality);
  }
}
