// Words between words in Finnish, Swedish and English, pure: the UI may import this file as it is.

export type Lang = 'fi' | 'sv' | 'en';

/** "A", "A ja B", "A, B ja C" (sv "och", en "and"). */
export function joinList(items: readonly string[], lang: Lang): string {
  const and = { fi: 'ja', sv: 'och', en: 'and' }[lang];
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}

/**
 * The language a new account's mail starts in, from its municipality's (sv, sv-fi, fi, fi-sv): Swedish for a
 * Swedish-speaking or Swedish-first municipality, else Finnish. The person changes it on their settings page.
 */
export const languageOfMunicipality = (language: string): Lang => (language.startsWith('sv') ? 'sv' : 'fi');
