import { useRouteLoaderData } from '@remix-run/react';
import type { Role } from '@sopu/core';
import type { Language } from './i18n.ts';

/** What the root loader gives every page: the language and, when signed in, the person and their areas. */
export interface RootData {
  lang: Language;
  user: { displayName: string; email: string } | null;
  memberships: Array<{ slug: string; areaName: { fi: string; sv: string; en: string }; role: Role; municipalityCode: string }>;
}

export function useRootData(): RootData | undefined {
  return useRouteLoaderData('root') as RootData | undefined;
}
