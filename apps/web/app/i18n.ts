import i18next, { type i18n as I18n, type TFunction } from 'i18next';

/** The UI languages, Finnish first: it is the default whenever nothing else is known. */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'fi';

/** A language's translation file (fi.json, sv.json and en.json have exactly the same keys: locales.test.ts). */
export type Translation = typeof import('./locales/fi.json');

/**
 * The translations this process has. The server registers all three at start (i18n.resources.server.ts); the
 * browser loads only the page's own language (each is ~14 KB gzip), before it hydrates (entry.client.tsx).
 */
const translations = new Map<Language, Translation>();

export function registerTranslation(lang: Language, translation: Translation): void {
  translations.set(lang, translation);
}

const LOADERS: Record<Language, () => Promise<{ default: Translation }>> = {
  fi: () => import('./locales/fi.json'),
  sv: () => import('./locales/sv.json'),
  en: () => import('./locales/en.json'),
};

/** Loads a language's translation (in the browser: its own small chunk) unless this process has it. */
export async function loadTranslation(lang: Language): Promise<void> {
  if (!translations.has(lang)) registerTranslation(lang, (await LOADERS[lang]()).default);
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** BCP 47 tag for Intl formatting: Finnish and Swedish as written in Finland. */
export function localeTag(lang: Language): string {
  return lang === 'fi' ? 'fi-FI' : lang === 'sv' ? 'sv-FI' : 'en-GB';
}

/**
 * A fresh, synchronously initialised instance. The server makes one per request (so concurrent requests never share
 * a language), the browser one per page load, each from the translations registered so far.
 */
export function createI18n(lang: Language): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: lang,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    resources: Object.fromEntries([...translations].map(([l, translation]) => [l, { translation }])),
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
