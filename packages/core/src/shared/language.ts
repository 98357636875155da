// Words between words in Finnish, Swedish and English, pure: the UI may import this file as it is.

export type Lang = 'fi' | 'sv' | 'en';

/** "A", "A ja B", "A, B ja C" (sv "och", en "and"). */
export function joinList(items: readonly string[], lang: Lang): string {
  const and = { fi: 'ja', sv: 'och', en: 'and' }[lang];
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}
