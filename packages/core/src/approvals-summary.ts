import { shortHash } from './approval-rules.ts';

/**
 * The one plain sentence above the approvals matrix, in Finnish, Swedish and English, built from structured data
 * (pure, browser-safe). "Voimassa: kaikki 10 valtuustoa hyväksyivät version 4 (3f2a…) 12.11." or "Ei voimassa:
 * 7/10 hyväksyi version 4; Kuhmo ja Puolanka käsittelemättä; Sotkamo hyväksyi version 3, joka eroaa versiosta 4
 * osioissa 4 ja 7".
 */

export interface InForce {
  /** The newest version sent with the approved text (a restored identical version has the same hash). */
  version: number;
  hash: string;
  /** The day the last council approved it, YYYY-MM-DD. */
  since: string;
}

/** Where the councils stand on the version of the open request; every party municipality is in exactly one list. */
export interface ApprovalProgress {
  version: number;
  hash: string;
  parties: number;
  /** Approved this text (in this request or in another one that sent the same hash). */
  approved: string[];
  /** Not handled yet, no meeting recorded. */
  pending: string[];
  scheduled: Array<{ code: string; meetingDate: string }>;
  rejected: string[];
  returned: string[];
  /** Not handled yet, but approved another text earlier: which version, and its 1-based sections that differ. */
  approvedOther: Array<{ code: string; version: number; hash: string; differingSections: number[] }>;
}

export interface ApprovalSentences {
  fi: string;
  sv: string;
  en: string;
}

type Lang = keyof ApprovalSentences;
type Names = ReadonlyMap<string, { fi: string; sv: string }>;

/** 2026-11-12 → 12.11. (day and month, as Finns and Finland-Swedes write a date in running text). */
export function dayMonth(date: string): string {
  const [, m, d] = date.split('-');
  return `${Number(d)}.${Number(m)}.`;
}

/** "A", "A ja B", "A, B ja C" (sv "och", en "and"). */
export function joinList(items: readonly string[], lang: Lang): string {
  const and = { fi: 'ja', sv: 'och', en: 'and' }[lang];
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}

function namesOf(codes: readonly string[], names: Names, lang: Lang): { text: string; one: boolean } {
  const key = lang === 'sv' ? 'sv' : 'fi';
  const list = codes.map((c) => names.get(c)?.[key] ?? c).sort((a, b) => a.localeCompare(b, lang === 'sv' ? 'sv' : 'fi'));
  return { text: joinList(list, lang), one: list.length === 1 };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function progressParts(p: ApprovalProgress, names: Names, lang: Lang): string[] {
  const v = p.version;
  const parts: string[] = [];
  const who = (codes: readonly string[]) => namesOf(codes, names, lang);
  parts.push({ fi: `${p.approved.length}/${p.parties} hyväksyi version ${v}`, sv: `${p.approved.length}/${p.parties} godkände version ${v}`, en: `${p.approved.length}/${p.parties} approved version ${v}` }[lang]);
  if (p.rejected.length > 0) {
    const w = who(p.rejected);
    parts.push({ fi: `${w.text} ${w.one ? 'hylkäsi' : 'hylkäsivät'} version ${v}`, sv: `${w.text} förkastade version ${v}`, en: `${w.text} rejected version ${v}` }[lang]);
  }
  if (p.returned.length > 0) {
    const w = who(p.returned);
    parts.push({ fi: `${w.text} ${w.one ? 'palautti' : 'palauttivat'} version ${v} uudelleen valmisteltavaksi`, sv: `${w.text} återremitterade version ${v}`, en: `${w.text} returned version ${v} for further preparation` }[lang]);
  }
  if (p.pending.length > 0) {
    const w = who(p.pending);
    parts.push({ fi: `${w.text} käsittelemättä`, sv: `${w.text} har inte behandlat ärendet`, en: `${w.text} ${w.one ? 'has' : 'have'} not yet considered it` }[lang]);
  }
  const byDate = [...groupBy(p.scheduled, (s) => s.meetingDate)].sort(([a], [b]) => a.localeCompare(b));
  for (const [date, items] of byDate) {
    const w = who(items.map((s) => s.code));
    parts.push({ fi: `${w.text} ${w.one ? 'käsittelee' : 'käsittelevät'} ${dayMonth(date)}`, sv: `${w.text} behandlar ärendet den ${dayMonth(date)}`, en: `${w.text} ${w.one ? 'considers' : 'consider'} it on ${dayMonth(date)}` }[lang]);
  }
  const byVersion = [...groupBy(p.approvedOther, (a) => a.version)].sort(([a], [b]) => b - a);
  for (const [version, items] of byVersion) {
    const w = who(items.map((a) => a.code));
    const sections = items[0]!.differingSections.map(String);
    const many = sections.length > 1;
    const where = sections.length === 0 ? '' : { fi: ` ${many ? 'osioissa' : 'osiossa'} ${joinList(sections, 'fi')}`, sv: ` i avsnitt ${joinList(sections, 'sv')}`, en: ` in ${many ? 'sections' : 'section'} ${joinList(sections, 'en')}` }[lang];
    parts.push(
      {
        fi: `${w.text} ${w.one ? 'hyväksyi' : 'hyväksyivät'} version ${version}, joka eroaa versiosta ${v}${where}`,
        sv: `${w.text} godkände version ${version}, som skiljer sig från version ${v}${where}`,
        en: `${w.text} approved version ${version}, which differs from version ${v}${where}`,
      }[lang],
    );
  }
  return parts;
}

function inForceSentence(inForce: InForce, parties: number, lang: Lang): string {
  const h = shortHash(inForce.hash);
  const d = dayMonth(inForce.since);
  return {
    fi: `Voimassa: kaikki ${parties} valtuustoa hyväksyivät version ${inForce.version} (${h}) ${d}`,
    sv: `I kraft: alla ${parties} fullmäktige godkände version ${inForce.version} (${h}) den ${d}`,
    en: `In force: all ${parties} councils approved version ${inForce.version} (${h}) on ${d}`,
  }[lang];
}

/**
 * The sentences. `progress` is the open request's (null when nothing has been sent); `names` maps municipality codes
 * to their Finnish and Swedish names. When the agreement is in force and a different text is out for approval, the
 * sentence says both.
 */
export function approvalSentences(input: { inForce: InForce | null; progress: ApprovalProgress | null; parties: number; names: Names }): ApprovalSentences {
  const { inForce, progress, parties, names } = input;
  const one = (lang: Lang): string => {
    if (inForce) {
      const head = inForceSentence(inForce, parties, lang);
      if (!progress || progress.hash === inForce.hash) return head;
      return `${head} ${{ fi: 'Käsittelyssä', sv: 'Under behandling', en: 'Under consideration' }[lang]}: ${progressParts(progress, names, lang).join('; ')}`;
    }
    if (!progress) {
      return {
        fi: 'Ei voimassa: sopimusta ei ole vielä lähetetty valtuustojen hyväksyttäväksi.',
        sv: 'Inte i kraft: avtalet har ännu inte sänts till fullmäktige för godkännande.',
        en: 'Not in force: the agreement has not yet been sent to the councils for approval.',
      }[lang];
    }
    return `${{ fi: 'Ei voimassa', sv: 'Inte i kraft', en: 'Not in force' }[lang]}: ${progressParts(progress, names, lang).join('; ')}`;
  };
  return { fi: one('fi'), sv: one('sv'), en: one('en') };
}
