/** Kinds the host admin may add; every area has exactly one agreement and one set of administrative rules. */
export const CREATABLE_KINDS = ['authority_task_agreement', 'service_plan'] as const;
export type CreatableKind = (typeof CREATABLE_KINDS)[number];
