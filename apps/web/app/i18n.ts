import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import en from './locales/en.json';
import fi from './locales/fi.json';
import sv from './locales/sv.json';

/** The UI languages, Finnish first: it is the default whenever nothing else is known. */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'fi';

export const resources = {
  fi: { translation: fi },
  sv: { translation: sv },
  en: { translation: en },
} as const;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** BCP 47 tag for Intl formatting: Finnish and Swedish as written in Finland. */
export function localeTag(lang: Language): string {
  return lang === 'fi' ? 'fi-FI' : lang === 'sv' ? 'sv-FI' : 'en-GB';
}

/**
 * A fresh, synchronously initialised instance. The server makes one per request (so concurrent requests never share
 * a language), the browser one per page load; both from the same statically imported resources.
 */
export function createI18n(lang: Language): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: lang,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    react: { useSuspense: false },
    // i18next otherwise prints an advertisement to the server log on every init.
    showSupportNotice: false,
  });
  return instance;
}

const fixed = new Map<Language, TFunction>();
/** For places outside React's tree (meta functions): a translator fixed to one language. */
export function translator(lang: Language): TFunction {
  let t = fixed.get(lang);
  if (!t) {
    t = createI18n(lang).t;
    fixed.set(lang, t);
  }
  return t;
}
