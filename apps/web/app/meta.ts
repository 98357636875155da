import type { MetaDescriptor } from '@remix-run/node';
import type { TFunction } from 'i18next';
import { areaName } from './format.ts';
import { DEFAULT_LANGUAGE, isLanguage, translator, type Language } from './i18n.ts';
import type { RootData } from './root-data.ts';

interface MatchLike {
  id: string;
  data: unknown;
}

interface TitleContext {
  lang: Language;
  /** The name of one of the signed-in person's areas, in the page's language. */
  areaName(slug: string | undefined): string | undefined;
}

/** `<title>` for a page: its own parts, then "Sopu", in the page's language (taken from the root loader). */
export function pageTitle(matches: readonly MatchLike[], parts: (t: TFunction, ctx: TitleContext) => Array<string | null | undefined>): MetaDescriptor[] {
  const root = matches.find((m) => m.id === 'root')?.data as RootData | undefined;
  const lang = isLanguage(root?.lang) ? root.lang : DEFAULT_LANGUAGE;
  const t = translator(lang);
  const ctx: TitleContext = {
    lang,
    areaName: (slug) => {
      const membership = root?.memberships.find((m) => m.slug === slug);
      return membership && areaName(membership.areaName, lang);
    },
  };
  const title = [...parts(t, ctx).filter(Boolean), t('app.name')].join(t('app.titleSeparator'));
  return [{ title }];
}
