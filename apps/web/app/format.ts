import { localeTag, type Language } from './i18n.ts';

const TIME_ZONE = 'Europe/Helsinki';

/** A moment as people in Finland read it, whatever the server's or browser's own zone. */
export function formatDateTime(ms: number, lang: Language): string {
  return new Intl.DateTimeFormat(localeTag(lang), { timeZone: TIME_ZONE, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

export function formatNumber(value: number, lang: Language): string {
  return new Intl.NumberFormat(localeTag(lang)).format(value);
}

/** Area names exist in all three languages. */
export function areaName(name: { fi: string; sv: string; en: string }, lang: Language): string {
  return name[lang] || name.fi;
}

/** Municipalities have official names only in Finnish and Swedish; English uses the Finnish one. */
export function municipalityName(name: { fi: string; sv: string }, lang: Language): string {
  return (lang === 'sv' ? name.sv : name.fi) || name.fi;
}
