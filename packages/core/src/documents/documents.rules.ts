/** Kinds the host admin may add; every area has exactly one agreement and one set of administrative rules. */
export const CREATABLE_KINDS = ['authority_task_agreement', 'service_plan'] as const;
export type CreatableKind = (typeof CREATABLE_KINDS)[number];

/** The documents that go to the councils. */
export const APPROVABLE_KINDS = ['cooperation_agreement', 'authority_task_agreement'] as const;
export type ApprovableKind = (typeof APPROVABLE_KINDS)[number];

/** A municipality's first language ('fi', 'sv', or bilingual 'fi-sv' / 'sv-fi', the majority's first). */
export function firstLanguage(municipalityLanguage: string): 'fi' | 'sv' {
  return municipalityLanguage.startsWith('sv') ? 'sv' : 'fi';
}

/**
 * Whether an area may make its documents bilingual (decision 026): when one of its municipalities is Swedish-speaking
 * or bilingual, its council may approve the agreement in both languages.
 */
export function mayBeBilingual(municipalityLanguages: readonly string[]): boolean {
  return municipalityLanguages.some((language) => language !== 'fi');
}
