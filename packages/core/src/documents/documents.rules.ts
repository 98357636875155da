/** Kinds the host admin may add; every area has exactly one agreement and one set of administrative rules. */
export const CREATABLE_KINDS = ['authority_task_agreement', 'service_plan'] as const;
export type CreatableKind = (typeof CREATABLE_KINDS)[number];

/** The documents that go to the councils. */
export const APPROVABLE_KINDS = ['cooperation_agreement', 'authority_task_agreement'] as const;
export type ApprovableKind = (typeof APPROVABLE_KINDS)[number];

/**
 * How a member writes a document's text: directly, only by suggesting changes (docs/decisions/025), or not at all.
 * Agreements: the host municipality's drafters and admin edit directly, the other municipalities' drafters suggest,
 * unless the area lets every drafter edit directly. The administrative rules are the host's own text: its drafters
 * write them, the others comment.
 */
export type WriteMode = 'edit' | 'suggest' | 'read';

export function writeModeOf(member: { role: string; isHostMunicipality: boolean }, kind: string, directEditing: 'host' | 'everyone'): WriteMode {
  const writer = member.role === 'host_admin' || member.role === 'drafter';
  if (!writer) return 'read';
  if (kind === 'administrative_rules') return member.isHostMunicipality ? 'edit' : 'read';
  return member.isHostMunicipality || directEditing === 'everyone' ? 'edit' : 'suggest';
}
