/** Kinds the host admin may add; every area has exactly one agreement and one set of administrative rules. */
export const CREATABLE_KINDS = ['authority_task_agreement', 'service_plan'] as const;
export type CreatableKind = (typeof CREATABLE_KINDS)[number];

/** The documents that go to the councils. */
export const APPROVABLE_KINDS = ['cooperation_agreement', 'authority_task_agreement'] as const;
export type ApprovableKind = (typeof APPROVABLE_KINDS)[number];
