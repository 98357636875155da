import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './i18n.ts';

export const LANG_COOKIE = 'lang';
const ONE_YEAR_S = 365 * 24 * 3600;

// Longer than any language code: such a value is not one of ours, and is not worth decoding.
const MAX_VALUE_LENGTH = 16;

/** A cookie's value, or null when it is missing or not valid percent-encoding (the browser sends what it likes). */
function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (value.length > MAX_VALUE_LENGTH) return null;
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return null;
}

/** The best of fi/sv/en in an Accept-Language header by its q-values, or null when none is acceptable. */
export function languageFromAcceptLanguage(header: string | null): Language | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.q > 0 && !Number.isNaN(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => entry.base).find(isLanguage) ?? null;
}

/** The `lang` cookie (set by the language switcher) wins, then the browser's Accept-Language, then Finnish. */
export function resolveLanguage(request: Request): Language {
  const cookie = readCookie(request.headers.get('Cookie'), LANG_COOKIE);
  if (isLanguage(cookie)) return cookie;
  return languageFromAcceptLanguage(request.headers.get('Accept-Language')) ?? DEFAULT_LANGUAGE;
}

export function langCookie(lang: Language, secure: boolean): string {
  return `${LANG_COOKIE}=${lang}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export { LANGUAGES };
