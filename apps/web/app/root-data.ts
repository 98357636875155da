import { useRouteLoaderData } from '@remix-run/react';
import type { Role } from '@sopu/core';

// Types only from core here: this module reaches the browser, and core's runtime code must not.
import type { Language } from './i18n.ts';

/** What the root loader gives every page: the language and, when signed in, the person and their areas. */
export interface RootData {
  lang: Language;
  user: { displayName: string; email: string } | null;
  memberships: Array<{ slug: string; areaName: { fi: string; sv: string; en: string }; role: Role; municipalityCode: string; canManage: boolean }>;
  /** Unread notifications of the signed-in person (the bell). */
  unreadNotifications: number;
  /** The page language's translation chunk, preloaded (null in development). */
  translationChunk: string | null;
}

export function useRootData(): RootData | undefined {
  return useRouteLoaderData('root') as RootData | undefined;
}
