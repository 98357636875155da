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

/** A calendar day written YYYY-MM-DD, as people in Finland write it (1.12.2026); English d/m/yyyy. */
export function formatDay(day: string | null | undefined, lang: Language): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return '';
  const [y, m, d] = day.split('-').map(Number);
  return lang === 'en' ? `${d}/${m}/${y}` : `${d}.${m}.${y}`;
}

/** A moment's Helsinki day and time in words people use: "15.12.2026 klo 16.00" / "15.12.2026 kl. 16.00". */
export function formatDeadline(ms: number, lang: Language): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const [d, m] = [Number(parts.day), Number(parts.month)];
  const day = lang === 'en' ? `${d}/${m}/${parts.year}` : `${d}.${m}.${parts.year}`;
  const at = { fi: 'klo', sv: 'kl.', en: 'at' }[lang];
  const time = lang === 'en' ? `${parts.hour}:${parts.minute}` : `${parts.hour}.${parts.minute}`;
  return `${day} ${at} ${time}`;
}

/**
 * A person's name (or other user text) set into a sentence, bidirectionally isolated: FSI … PDI, the plain-text form
 * of `<bdi>`, so a right-to-left name or one holding a stray override cannot reorder the sentence around it. Where a
 * name is an element's whole content, render `<bdi>{name}</bdi>` instead (docs/decisions/015).
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
