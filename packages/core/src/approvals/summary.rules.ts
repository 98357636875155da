import { shortHash } from './approvals.rules.ts';
import { joinList } from '../shared/language.ts';

/**
 * The one plain sentence above the approvals matrix, in Finnish, Swedish and English, built from structured data
 * (pure, browser-safe). Approved is not in force: "Ei vielä voimassa: kaikki 10 valtuustoa hyväksyivät version 4
 * (3f2a…) 12.11., päätökset lainvoimaisia 10.12.; tulee voimaan 1.1.2027", then "Voimassa 1.1.2027 alkaen: …"; or
 * "Ei voimassa: 7/10 valtuustoa on hyväksynyt version 4; Kuhmo ja Puolanka käsittelemättä; Sotkamo hyväksyi version 3, joka eroaa
 * versiosta 4 osioissa 4 ja 7".
 */

export interface InForce {
  /** The newest version sent with the text in force (a restored identical version has the same hash). */
  version: number;
  hash: string;
  /** The day it entered into force, YYYY-MM-DD. */
  since: string;
}

/** One council's approval of a text, as its steps stand. Dates YYYY-MM-DD. */
export interface CouncilApproval {
  code: string;
  decisionDate: string;
  finalDate: string | null;
  signedDate: string | null;
}

/** A text every party council approved, and how far it is from being in force. Dates YYYY-MM-DD. */
export interface ApprovedText {
  /** The newest version sent with this text. */
  version: number;
  hash: string;
  parties: number;
  /** The day the last council approved it. */
  approvedOn: string;
  /** The day the last decision became final, once every one is; else null. */
  finalOn: string | null;
  /** The municipalities (codes) whose decision is not final yet. */
  notFinal: string[];
  /** The day the last municipality signed, once every one has; else null. Signing is optional: it does not hold up the entry into force. */
  signedOn: string | null;
  signedCount: number;
  /** The date the agreement states for its entry into force (the area's setting); null when none is set. */
  entryIntoForce: string | null;
  /** Once every decision is final: the stated date, or the day the last decision became final if that is later (or no date is stated). */
  inForceFrom: string | null;
  /** In force today: every decision final and the day it enters into force reached. */
  inForce: boolean;
}

/**
 * Where a text every council approved stands (pure): approved on the last approval's day, final when every decision
 * is, in force from the date the agreement states once they all are — or from the last finality, if that comes later
 * or the agreement states no date (it then enters into force when the decisions are final).
 */
export function approvedTextStatus(input: { version: number; hash: string; approvals: readonly CouncilApproval[]; entryIntoForce: string | null; today: string }): ApprovedText {
  const { approvals } = input;
  const latest = (dates: Array<string | null>) => (dates.some((d) => d === null) || dates.length === 0 ? null : ([...dates].sort().at(-1) as string));
  const finalOn = latest(approvals.map((a) => a.finalDate));
  const signedOn = latest(approvals.map((a) => a.signedDate));
  const inForceFrom = finalOn === null ? null : input.entryIntoForce !== null && input.entryIntoForce > finalOn ? input.entryIntoForce : finalOn;
  return {
    version: input.version,
    hash: input.hash,
    parties: approvals.length,
    approvedOn: latest(approvals.map((a) => a.decisionDate)) ?? '',
    finalOn,
    notFinal: approvals.filter((a) => a.finalDate === null).map((a) => a.code),
    signedOn,
    signedCount: approvals.filter((a) => a.signedDate !== null).length,
    entryIntoForce: input.entryIntoForce,
    inForceFrom,
    inForce: inForceFrom !== null && inForceFrom <= input.today,
  };
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

/** 2027-01-01 → 1.1.2027: a date the agreement states, with its year. */
export function fullDate(date: string): string {
  return `${dayMonth(date)}${date.slice(0, 4)}`;
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
  const n = `${p.approved.length}/${p.parties}`;
  parts.push({ fi: `${n} valtuustoa on hyväksynyt version ${v}`, sv: `${n} fullmäktige har godkänt version ${v}`, en: `${n} councils have approved version ${v}` }[lang]);
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

/** ", allekirjoitettu 15.12." when every municipality signed, ", allekirjoitettu 3/10" when some did, else nothing. */
function signedPart(t: ApprovedText, lang: Lang): string {
  if (t.signedOn !== null) return { fi: `, allekirjoitettu ${dayMonth(t.signedOn)}`, sv: `, undertecknat den ${dayMonth(t.signedOn)}`, en: `, signed on ${dayMonth(t.signedOn)}` }[lang];
  if (t.signedCount > 0) return { fi: `, allekirjoitettu ${t.signedCount}/${t.parties}`, sv: `, undertecknat ${t.signedCount}/${t.parties}`, en: `, signed ${t.signedCount}/${t.parties}` }[lang];
  return '';
}

/** "kaikki 10 valtuustoa hyväksyivät version 4 (3f2a…) 12.11." */
function approvedPart(t: ApprovedText, lang: Lang): string {
  const h = shortHash(t.hash);
  const d = dayMonth(t.approvedOn);
  return {
    fi: `kaikki ${t.parties} valtuustoa hyväksyivät version ${t.version} (${h}) ${d}`,
    sv: `alla ${t.parties} fullmäktige godkände version ${t.version} (${h}) den ${d}`,
    en: `all ${t.parties} councils approved version ${t.version} (${h}) on ${d}`,
  }[lang];
}

/** The steps after the approval: the decisions final (when, or how many and who not yet), and when it enters into force. */
function stepsPart(t: ApprovedText, names: Names, lang: Lang): string {
  if (t.finalOn !== null) {
    const f = dayMonth(t.finalOn);
    const final = { fi: `, päätökset lainvoimaisia ${f}`, sv: `, besluten vann laga kraft den ${f}`, en: `, decisions final on ${f}` }[lang] + signedPart(t, lang);
    if (t.inForce || t.inForceFrom === null) return final;
    const from = fullDate(t.inForceFrom);
    return `${final}; ${{ fi: `tulee voimaan ${from}`, sv: `träder i kraft den ${from}`, en: `in force from ${from}` }[lang]}`;
  }
  const w = namesOf(t.notFinal, names, lang);
  const k = t.parties - t.notFinal.length;
  const entry = t.entryIntoForce === null ? null : fullDate(t.entryIntoForce);
  return {
    fi: `; lainvoimaisia ${k}/${t.parties}; ${w.text} ${w.one ? 'odottaa' : 'odottavat'} lainvoimaa; tulee voimaan${entry ? ` ${entry}` : ''}, kun kaikki päätökset ovat lainvoimaisia`,
    sv: `; laga kraft ${k}/${t.parties}; ${w.text} väntar på laga kraft; träder i kraft ${entry ? `den ${entry} ` : ''}när alla beslut har vunnit laga kraft`,
    en: `; final ${k}/${t.parties}; ${w.text} not yet final; in force ${entry ? `from ${entry} ` : ''}once every decision is final`,
  }[lang];
}

/**
 * The sentences. `approved` is the newest text every council approved (null when there is none), `inForce` the text
 * in force today (it may be an older one); `progress` is the current request's (null when nothing has been sent);
 * `names` maps municipality codes to their Finnish and Swedish names. When another text is out for approval, the
 * sentence says that too.
 */
export function approvalSentences(input: { approved: ApprovedText | null; inForce: ApprovedText | null; progress: ApprovalProgress | null; parties: number; names: Names }): ApprovalSentences {
  const { approved, inForce, progress, names } = input;
  const one = (lang: Lang): string => {
    let head: string | null = null;
    if (approved) {
      if (approved.inForce) {
        head = `${{ fi: `Voimassa ${fullDate(approved.inForceFrom!)} alkaen`, sv: `I kraft från ${fullDate(approved.inForceFrom!)}`, en: `In force from ${fullDate(approved.inForceFrom!)}` }[lang]}: ${approvedPart(approved, lang)}${stepsPart(approved, names, lang)}`;
      } else if (inForce) {
        const older = { fi: `Voimassa ${fullDate(inForce.inForceFrom!)} alkaen: versio ${inForce.version} (${shortHash(inForce.hash)})`, sv: `I kraft från ${fullDate(inForce.inForceFrom!)}: version ${inForce.version} (${shortHash(inForce.hash)})`, en: `In force from ${fullDate(inForce.inForceFrom!)}: version ${inForce.version} (${shortHash(inForce.hash)})` }[lang];
        head = `${older}. ${{ fi: 'Seuraavaksi', sv: 'Härnäst', en: 'Next' }[lang]}: ${approvedPart(approved, lang)}${stepsPart(approved, names, lang)}`;
      } else {
        head = `${{ fi: 'Ei vielä voimassa', sv: 'Ännu inte i kraft', en: 'Not yet in force' }[lang]}: ${approvedPart(approved, lang)}${stepsPart(approved, names, lang)}`;
      }
      if (!progress || progress.hash === approved.hash) return head;
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
