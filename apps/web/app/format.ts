import { localeTag, type Language } from './i18n.ts';

const TIME_ZONE = 'Europe/Helsinki';

/**
 * Intl's formatters, each built once per locale and options: building one costs about a millisecond in a browser (it
 * loads the locale's data), formatting with it a few microseconds, and a document page writes a date for every comment.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.Collator>();
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d ${locale} ${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, ...options })));
  return format;
}
function numberFormat(locale: string): Intl.NumberFormat {
  const key = `n ${locale}`;
  let format = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.NumberFormat(locale)));
  return format;
}

/** The word between a day and a time in running text: "7.12.2026 klo 4.19", "7.12.2026 kl. 4.19". */
const AT_TIME = { fi: 'klo', sv: 'kl.' } as const;

/**
 * A moment as people in Finland read it, whatever the server's or browser's own zone: the day and the time as the
 * locale writes them in Helsinki (Intl), "7.12.2026 klo 4.19" in Finnish and "7.12.2026 kl. 4.19" in Swedish (as
 * Finland-Swedish officials write it; Intl's own Swedish medium form is "7 dec. 2026 4.19"); English "7 Dec 2026, 04:19".
 */
export function formatDateTime(ms: number, lang: Language): string {
  const date = new Date(ms);
  if (lang === 'en') return dateFormat(localeTag(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  const day = dateFormat(localeTag(lang), { day: 'numeric', month: 'numeric', year: 'numeric' }).format(date);
  const time = dateFormat(localeTag(lang), { hour: 'numeric', minute: '2-digit' }).format(date);
  return `${day} ${AT_TIME[lang]} ${time}`;
}

/** Compares two names as the language sorts them (one Intl.Collator per language: `localeCompare` with a locale builds one per call). */
export function compareText(a: string, b: string, lang: Language): number {
  const key = `c ${lang}`;
  let collator = formatters.get(key) as Intl.Collator | undefined;
  if (!collator) formatters.set(key, (collator = new Intl.Collator(localeTag(lang))));
  return collator.compare(a, b);
}

export function formatNumber(value: number, lang: Language): string {
  return numberFormat(localeTag(lang)).format(value);
}

/** Area names exist in all three languages. */
export function areaName(name: { fi: string; sv: string; en: string }, lang: Language): string {
  return name[lang] || name.fi;
}

/** Municipalities have official names only in Finnish and Swedish; English uses the Finnish one. */
export function municipalityName(name: { fi: string; sv: string }, lang: Language): string {
  return (lang === 'sv' ? name.sv : name.fi) || name.fi;
}

/** A calendar day written YYYY-MM-DD, as people in Finland write it (1.12.2026); English d/m/yyyy. */
export function formatDay(day: string | null | undefined, lang: Language): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return '';
  const [y, m, d] = day.split('-').map(Number);
  return lang === 'en' ? `${d}/${m}/${y}` : `${d}.${m}.${y}`;
}

/** A deadline: its Helsinki day and time as formatDateTime writes them ("15.12.2026 klo 16.00"); English "15/12/2026 at 16:00". */
export function formatDeadline(ms: number, lang: Language): string {
  if (lang !== 'en') return formatDateTime(ms, lang);
  const date = new Date(ms);
  const day = dateFormat('en-GB', { day: 'numeric', month: 'numeric', year: 'numeric' }).format(date);
  const time = dateFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  return `${day} at ${time}`;
}

/**
 * A person's name (or other user text) set into a sentence, bidirectionally isolated: FSI … PDI, the plain-text form
 * of `<bdi>`, so a right-to-left name or one holding a stray override cannot reorder the sentence around it. Where a
 * name is an element's whole content, render `<bdi>{name}</bdi>` instead (docs/decisions/015).
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
