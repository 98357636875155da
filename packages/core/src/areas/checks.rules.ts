import { joinList, type Lang } from '../shared/language.ts';
import { checkLabourForceThreshold, EXCEPTION_GROUNDS, LABOUR_FORCE_THRESHOLD, type ExceptionGround } from './threshold.rules.ts';
import type { VoteShares } from './vote-shares.rules.ts';

/**
 * The checks the law implies (DOMAIN.md rules 1, 2 and 6), as a status and a sentence in Finnish, Swedish and English.
 * Pure and browser-safe. The sentences say what the figures and the text show and what follows from the rule; they
 * never advise on the law. A check names the agreement's section where the matter is settled, by key; the use case
 * (checks.ts) adds the document.
 */

export type CheckStatus = 'pass' | 'fail' | 'warning';
export type { Lang };
export interface Localised {
  fi: string;
  sv: string;
  en: string;
}
export interface CheckVerdict {
  status: CheckStatus;
  message: Localised;
  /** The cooperation agreement's section where the matter is settled. */
  sectionKey?: string;
}

type Names = { fi: string; sv: string };
const LANGS: Lang[] = ['fi', 'sv', 'en'];
const each = (f: (lang: Lang) => string): Localised => ({ fi: f('fi'), sv: f('sv'), en: f('en') });
const nameIn = (name: Names, lang: Lang) => (lang === 'sv' ? name.sv : name.fi);

/** 40 350 in Finnish and Swedish (a no-break space between groups), 40,350 in English. */
export function formatInteger(n: number, lang: Lang): string {
  const digits = String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'en' ? ',' : '\u00a0');
  return n < 0 ? `−${digits}` : digits;
}

/** A decimal number as each language writes it (comma or point), with at most `places` decimals shown. */
export function formatDecimal(n: number, lang: Lang, places = 2): string {
  const fixed = n.toFixed(places).replace(/\.?0+$/, '');
  const [whole, fraction] = fixed.split('.');
  const sep = lang === 'en' ? '.' : ',';
  return `${formatInteger(Number(whole), lang)}${fraction ? sep + fraction : ''}`;
}

/** Hundredths of a per cent as "39,00 %" (fi, sv) or "39.00%" (en). */
export function formatPercent(hundredths: number, lang: Lang): string {
  const text = (hundredths / 100).toFixed(2);
  return lang === 'en' ? `${text}%` : `${text.replace('.', ',')}\u00a0%`;
}

/** Cents as "1 234 567,89 €" (fi, sv) or "€1,234,567.89" (en). */
export function formatEuros(cents: number, lang: Lang): string {
  const whole = formatInteger(Math.floor(cents / 100), lang);
  const fraction = String(cents % 100).padStart(2, '0');
  return lang === 'en' ? `€${whole}.${fraction}` : `${whole},${fraction}\u00a0€`;
}

/** YYYY-MM-DD as 12.6.2024 (fi, sv) or 12 June 2024 (en). */
export function formatDate(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  if (lang !== 'en') return `${d}.${m}.${y}`;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${d} ${months[m - 1]} ${y}`;
}

// --- labour force and the exception permit (rule 1) ------------------------------------------------------------

/** The grounds of the implementing act's 4 §, in the words of each language. */
export const EXCEPTION_GROUND_LABELS: Record<ExceptionGround, Localised> = {
  archipelago_or_distance: { fi: 'saaristoisuus tai pitkät etäisyydet', sv: 'skärgårdsförhållanden eller långa avstånd', en: 'archipelago conditions or long distances' },
  language_rights: {
    fi: 'suomen- tai ruotsinkielisten kielelliset oikeudet',
    sv: 'de finsk- eller svenskspråkigas språkliga rättigheter',
    en: 'the language rights of Finnish or Swedish speakers',
  },
  sami_rights: { fi: 'saamelaisten kieltä ja kulttuuria koskevat oikeudet', sv: 'samernas rättigheter i fråga om språk och kultur', en: 'the Sámi language and culture rights' },
  commuting_areas: {
    fi: 'alueen muodostaminen edellyttäisi useiden Tilastokeskuksen työssäkäyntialueiden yhdistämistä',
    sv: 'bildandet av området skulle kräva att flera av Statistikcentralens pendlingsregioner slås samman',
    en: "forming an area would mean merging several of Statistics Finland's commuting areas",
  },
  other_special_reason: { fi: 'muu erityinen syy', sv: 'annat särskilt skäl', en: 'another special reason' },
};

export interface LabourForceFacts {
  municipalities: ReadonlyArray<{ name: Names; labourForce: number | null; labourForceIsDemo: boolean; labourForceSource: string | null; labourForceYear: number | null }>;
  exceptionGrounds: readonly string[];
  permit: { reference: string; date: string | null } | null;
  /** Whether the area has a service plan in Sopu (ground 5 needs one). */
  hasServicePlan: boolean;
}

/**
 * The statistical sources Sopu knows by name in every language: a figure recorded with one, in whichever language
 * it was typed, is cited in the reader's ("Tilastokeskus, työssäkäyntitilasto" reads "Statistikcentralen,
 * sysselsättningsstatistik" in Swedish). Any other source is cited as written.
 */
const THRESHOLD_TEXT: Localised = each((lang) => formatInteger(LABOUR_FORCE_THRESHOLD, lang));

/**
 * A statistics source as the reader's language names it: Statistics Finland's own names for its statistics in
 * Finnish, Swedish and English (the settings store what the host admin typed, usually the Finnish name). A source not
 * known here is cited as typed.
 */
const KNOWN_SOURCES: ReadonlyArray<Localised> = [
  { fi: 'Tilastokeskus, työssäkäyntitilasto', sv: 'Statistikcentralen, sysselsättningsstatistik', en: 'Statistics Finland, employment statistics' },
  { fi: 'Tilastokeskus, työvoimatutkimus', sv: 'Statistikcentralen, arbetskraftsundersökningen', en: 'Statistics Finland, labour force survey' },
  { fi: 'Tilastokeskus', sv: 'Statistikcentralen', en: 'Statistics Finland' },
];
const squash = (text: string) => text.toLocaleLowerCase('fi').replace(/[\s,.;:–-]+/g, ' ').trim();

export function sourceIn(source: string, lang: Lang): string {
  const known = KNOWN_SOURCES.find((s) => [s.fi, s.sv, s.en].some((name) => squash(name) === squash(source)));
  return known ? known[lang] : source;
}

function sourceNote(facts: LabourForceFacts, lang: Lang): string {
  const sources = [...new Set(facts.municipalities.filter((m) => m.labourForce !== null && m.labourForceSource).map((m) => `${sourceIn(m.labourForceSource!, lang)}${m.labourForceYear ? ` ${m.labourForceYear}` : ''}`))];
  let note = '';
  if (sources.length === 1) note += { fi: ` Lähde: ${sources[0]}.`, sv: ` Källa: ${sources[0]}.`, en: ` Source: ${sources[0]}.` }[lang];
  else if (sources.length > 1) note += { fi: ' Lähteet vaihtelevat kunnittain.', sv: ' Källorna varierar mellan kommunerna.', en: ' The sources differ between municipalities.' }[lang];
  if (facts.municipalities.some((m) => m.labourForceIsDemo)) {
    note += { fi: ' Luvut ovat esimerkkilukuja, eivät virallisia tilastoja.', sv: ' Siffrorna är exempel, inte officiell statistik.', en: ' The figures are illustrative, not official statistics.' }[lang];
  }
  return note;
}

export function labourForceCheck(facts: LabourForceFacts): CheckVerdict {
  const check = checkLabourForceThreshold(facts.municipalities, facts.exceptionGrounds);
  const total = each((lang) => formatInteger(check.total, lang));
  const missing = facts.municipalities.filter((m) => m.labourForce === null);
  const missingNote = (lang: Lang) =>
    missing.length === 0
      ? ''
      : {
          fi: ` Luku puuttuu: ${joinList(missing.map((m) => nameIn(m.name, 'fi')), 'fi')}.`,
          sv: ` Siffran saknas för ${joinList(missing.map((m) => nameIn(m.name, 'sv')), 'sv')}.`,
          en: ` No figure for ${joinList(missing.map((m) => nameIn(m.name, 'en')), 'en')}.`,
        }[lang];
  const sectionKey = 'parties';

  if (!check.belowThreshold) {
    return {
      status: 'pass',
      sectionKey,
      message: each(
        (lang) =>
          ({
            fi: `Alueen kuntien työvoima on yhteensä ${missing.length > 0 ? 'vähintään ' : ''}${total.fi}, eli vähintään ${THRESHOLD_TEXT.fi}.`,
            sv: `Kommunernas arbetskraft är sammanlagt ${missing.length > 0 ? 'minst ' : ''}${total.sv}, alltså minst ${THRESHOLD_TEXT.sv}.`,
            en: `The municipalities' labour force totals ${missing.length > 0 ? 'at least ' : ''}${total.en}, at least ${THRESHOLD_TEXT.en}.`,
          })[lang] +
          missingNote(lang) +
          sourceNote(facts, lang),
      ),
    };
  }

  if (missing.length > 0) {
    return {
      status: 'warning',
      sectionKey,
      message: each(
        (lang) =>
          ({
            fi: `Työvoimaluku ei ole tiedossa kaikista kunnista. Tiedossa olevat luvut ovat yhteensä ${total.fi}, alle ${THRESHOLD_TEXT.fi}.`,
            sv: `Arbetskraften är inte känd för alla kommuner. De kända siffrorna är sammanlagt ${total.sv}, under ${THRESHOLD_TEXT.sv}.`,
            en: `The labour force is not known for every municipality. The known figures total ${total.en}, under ${THRESHOLD_TEXT.en}.`,
          })[lang] +
          missingNote(lang) +
          sourceNote(facts, lang),
      ),
    };
  }

  const grounds = check.exceptionGrounds;
  const groundText = (lang: Lang) => {
    if (grounds.length === 0) {
      return {
        fi: ' Poikkeusluvan perustetta ei ole kirjattu.',
        sv: ' Ingen grund för undantagstillstånd har registrerats.',
        en: ' No ground for the exception permit has been recorded.',
      }[lang];
    }
    const list = grounds.map((g) => EXCEPTION_GROUND_LABELS[g][lang]);
    return {
      fi: ` ${grounds.length === 1 ? 'Peruste, johon alue nojaa' : 'Perusteet, joihin alue nojaa'}: ${list.join('; ')}.`,
      sv: ` ${grounds.length === 1 ? 'Grund som området åberopar' : 'Grunder som området åberopar'}: ${list.join('; ')}.`,
      en: ` ${grounds.length === 1 ? 'The ground the area relies on' : 'The grounds the area relies on'}: ${list.join('; ')}.`,
    }[lang];
  };
  const conditions = (lang: Lang) => {
    let text = {
      fi: ' Luvan edellytyksenä on lisäksi, että alueella on riittävät taloudelliset voimavarat ja henkilöstövoimavarat eikä palvelujen taso heikkene merkittävästi alueella eikä muualla.',
      sv: ' För tillståndet krävs dessutom tillräckliga ekonomiska resurser och personalresurser och att servicenivån inte försämras avsevärt i området eller på annat håll.',
      en: ' A permit also requires sufficient financial and staff resources, and no significant drop in the service level in the area or elsewhere.',
    }[lang];
    if (grounds.includes('other_special_reason')) {
      text += {
        fi: ' Muu erityinen syy edellyttää myös sopimusta tai päätöstä sekä suunnitelmaa työvoimapalvelujen järjestämiseksi (järjestämislain 15 §:n 4 momentti), joilla riittävä palvelutaso turvataan.',
        sv: ' Ett annat särskilt skäl förutsätter också ett avtal eller beslut och en plan för ordnande av arbetskraftsservicen (15 § 4 mom. i lagen om ordnande av arbetskraftsservice) som tryggar en tillräcklig servicenivå.',
        en: ' Another special reason also needs an agreement or decision and a service plan (section 15(4) of the Act on organising employment services) that secure a sufficient service level.',
      }[lang];
      if (!facts.hasServicePlan) {
        text += { fi: ' Alueella ei ole vielä suunnitelmaa Sopussa.', sv: ' Området har ännu ingen plan i Sopu.', en: ' The area has no service plan in Sopu yet.' }[lang];
      }
    }
    return text;
  };
  const commuting = (lang: Lang) =>
    ({
      fi: ' Alueen tulee myös muodostaa toimiva ja työssäkäynnin kannalta yhtenäinen kokonaisuus.',
      sv: ' Området ska också utgöra en funktionell helhet med hänsyn till pendlingen.',
      en: ' The area should also form one working, commuting-wise coherent region.',
    })[lang];
  const permitText = (lang: Lang) =>
    facts.permit
      ? {
          fi: ` Poikkeuslupapäätös on kirjattu: ${facts.permit.reference}${facts.permit.date ? `, ${formatDate(facts.permit.date, 'fi')}` : ''}.`,
          sv: ` Beslutet om undantagstillstånd har registrerats: ${facts.permit.reference}${facts.permit.date ? `, ${formatDate(facts.permit.date, 'sv')}` : ''}.`,
          en: ` The permit decision is recorded: ${facts.permit.reference}${facts.permit.date ? `, ${formatDate(facts.permit.date, 'en')}` : ''}.`,
        }[lang]
      : { fi: ' Poikkeuslupapäätöstä ei ole kirjattu.', sv: ' Beslut om undantagstillstånd har inte registrerats.', en: ' No permit decision has been recorded.' }[lang];

  const status: CheckStatus = grounds.length === 0 ? 'fail' : facts.permit ? 'pass' : 'warning';
  return {
    status,
    sectionKey,
    message: each(
      (lang) =>
        ({
          fi: `Alueen kuntien työvoima on yhteensä ${total.fi}, alle ${THRESHOLD_TEXT.fi}. Alue voi tällöin toimia vain valtioneuvoston poikkeusluvalla (voimaanpanolain 4 §). Poikkeuslupa on valtioneuvoston päätös, ei sopimukseen kirjattava määräys.`,
          sv: `Kommunernas arbetskraft är sammanlagt ${total.sv}, under ${THRESHOLD_TEXT.sv}. Området kan då verka endast med statsrådets undantagstillstånd (4 § i införandelagen). Undantagstillståndet är ett beslut av statsrådet, inte en bestämmelse i avtalet.`,
          en: `The municipalities' labour force totals ${total.en}, under ${THRESHOLD_TEXT.en}. The area can then exist only by the Government's exception permit (section 4 of the implementing act). The permit is a decision of the Government, not a clause of the agreement.`,
        })[lang] +
        groundText(lang) +
        (grounds.length > 0 ? conditions(lang) : '') +
        commuting(lang) +
        (grounds.length > 0 ? permitText(lang) : '') +
        sourceNote(facts, lang),
    ),
  };
}

// --- the joint body (rule 2) -----------------------------------------------------------------------------------

function shareOf(shares: VoteShares, code: string) {
  return shares.shares.find((s) => s.code === code)!;
}

const votesText = (shares: VoteShares, code: string, lang: Lang) => {
  const s = shareOf(shares, code);
  const word = { fi: 'ääntä', sv: 'röster', en: 'votes' }[lang];
  return `${formatDecimal(s.votes, lang)}/${formatDecimal(shares.totalVotes, lang)} ${word} (${formatPercent(s.percentHundredths, lang)})`;
};

function missingVotesText(shares: VoteShares, names: ReadonlyMap<string, Names>, lang: Lang): string {
  if (shares.reason === 'no_votes') {
    return { fi: 'Yhdellekään kunnalle ei ole kirjattu ääniä yhteisessä toimielimessä.', sv: 'Inga röster i det gemensamma organet har registrerats för någon kommun.', en: 'No municipality has votes recorded in the joint body.' }[lang];
  }
  if (shares.missing.length === shares.shares.length) {
    return { fi: 'Yhteisen toimielimen paikkoja ja ääniä ei ole vielä kirjattu.', sv: 'Platserna och rösterna i det gemensamma organet har ännu inte registrerats.', en: "The joint body's seats and votes are not recorded yet." }[lang];
  }
  const list = joinList(shares.missing.map((c) => nameIn(names.get(c) ?? { fi: c, sv: c }, lang)), lang);
  return {
    fi: `Yhteisen toimielimen paikat ja äänet puuttuvat: ${list}.`,
    sv: `Platserna och rösterna i det gemensamma organet saknas för ${list}.`,
    en: `The joint body's seats and votes are missing for ${list}.`,
  }[lang];
}

/** No municipality over half of the joint body's votes, nor exactly half with the chair (vote-shares.rules.ts). */
export function majorityCheck(shares: VoteShares, names: ReadonlyMap<string, Names>): CheckVerdict {
  const sectionKey = 'body_composition';
  const name = (lang: Lang) => nameIn(names.get(shares.subject ?? '') ?? { fi: shares.subject ?? '', sv: shares.subject ?? '' }, lang);
  switch (shares.reason) {
    case 'not_entered':
    case 'no_votes':
      return {
        status: 'warning',
        sectionKey,
        message: each(
          (lang) =>
            missingVotesText(shares, names, lang) +
            { fi: ' Ääniosuuksia ei voi arvioida ennen sitä.', sv: ' Röstandelarna kan inte bedömas förrän dess.', en: ' The vote shares cannot be assessed until then.' }[lang],
        ),
      };
    case 'no_majority':
      return {
        status: 'pass',
        sectionKey,
        message: each(
          (lang) =>
            ({
              fi: `Yhdelläkään kunnalla ei ole yli puolta yhteisen toimielimen äänistä. Suurin osuus: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}.`,
              sv: `Ingen kommun har över hälften av rösterna i det gemensamma organet. Störst andel: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}.`,
              en: `No municipality holds over half of the joint body's votes. Largest share: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}.`,
            })[lang],
        ),
      };
    case 'majority':
      return {
        status: 'fail',
        sectionKey,
        message: each(
          (lang) =>
            ({
              fi: `Yli puolet yhteisen toimielimen äänistä on yhdellä kunnalla: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}. Se voisi päättää asioista yksin.`,
              sv: `En kommun har över hälften av rösterna i det gemensamma organet: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}. Den kunde ensam fatta besluten.`,
              en: `One municipality holds over half of the joint body's votes: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}. It could decide alone.`,
            })[lang],
        ),
      };
    case 'half_with_chair':
      return {
        status: 'fail',
        sectionKey,
        message: each(
          (lang) =>
            ({
              fi: `Tasan puolet yhteisen toimielimen äänistä ja puheenjohtaja ovat samalla kunnalla: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}. Kun äänet menevät tasan, kuntalain mukaan puheenjohtajan ääni ratkaisee, joten kunta voisi päättää asioista yksin.`,
              sv: `Samma kommun har exakt hälften av rösterna i det gemensamma organet och ordföranden: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}. När rösterna faller lika avgör enligt kommunallagen ordförandens röst, så kommunen kunde ensam fatta besluten.`,
              en: `One municipality holds exactly half of the joint body's votes and the chair: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}. In a tie the chair's vote decides under the Local Government Act, so it could decide alone.`,
            })[lang],
        ),
      };
    case 'half_without_chair':
      return {
        status: 'warning',
        sectionKey,
        message: each(
          (lang) =>
            ({
              fi: `Tasan puolet yhteisen toimielimen äänistä on yhdellä kunnalla: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}. Se ei voi päättää yksin mutta voi estää päätökset, ja jos puheenjohtaja tulee siitä, sen kanta ratkaisee tasatilanteet.`,
              sv: `En kommun har exakt hälften av rösterna i det gemensamma organet: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}. Den kan inte ensam fatta besluten men kan hindra dem, och om ordföranden kommer från den avgör den när rösterna faller lika.`,
              en: `One municipality holds exactly half of the joint body's votes: ${name(lang)}, ${votesText(shares, shares.subject!, lang)}. It cannot decide alone but can block decisions, and if the chair comes from it, it decides every tie.`,
            })[lang],
        ),
      };
  }
}

/**
 * Whether a text provides for a tie ("äänten mennessä tasan", "lika röstetal"): a plain search of the agreement's
 * governance and composition sections for how Finnish and Swedish agreements word it. It finds a provision, it
 * does not read one; the check says so.
 */
export function mentionsTieRule(text: string): boolean {
  const t = text.toLowerCase();
  return [
    /äänet\s+menevät\s+tasan/,
    /äänten\s+mennessä\s+tasan/,
    /äänestyksen\s+(?:päättyessä|päättyy)\s+tasan/,
    /tasatilan/,
    /tasaäänet/,
    /äänet\s+jakautuvat\s+tasan/,
    /lika\s+röst/,
    /rösterna\s+faller\s+lika/,
    /röstetalen?\s+(?:faller|är)\s+lika/,
    /\bin\s+a\s+tie\b|\btied\s+vote/,
  ].some((pattern) => pattern.test(t));
}

/** With a municipality at exactly half of the votes, the agreement needs a rule for a tie. */
export function tieRuleCheck(shares: VoteShares, names: ReadonlyMap<string, Names>, tieRule: { found: boolean; sectionTitle: Localised | null }): CheckVerdict {
  const sectionKey = 'body_composition';
  if (shares.verdict === 'incomplete') {
    return {
      status: 'warning',
      sectionKey,
      message: {
        fi: 'Tasatilannetta ei voi arvioida, ennen kuin yhteisen toimielimen paikat ja äänet on kirjattu.',
        sv: 'Lika röstetal kan inte bedömas förrän platserna och rösterna i det gemensamma organet har registrerats.',
        en: "Ties cannot be assessed until the joint body's seats and votes are recorded.",
      },
    };
  }
  const half = shares.shares.filter((s) => s.exactlyHalf);
  if (half.length === 0) {
    return {
      status: 'pass',
      sectionKey,
      message: {
        fi: 'Millään kunnalla ei ole tasan puolta yhteisen toimielimen äänistä, joten tasatilanne ei anna yhdellekään kunnalle yksin päätösvaltaa.',
        sv: 'Ingen kommun har exakt hälften av rösterna i det gemensamma organet, så lika röstetal ger ingen kommun ensam beslutanderätt.',
        en: "No municipality holds exactly half of the joint body's votes, so a tie gives no municipality the decision alone.",
      },
    };
  }
  const subject = half.find((s) => s.holdsChair) ?? half[0]!;
  const name = (lang: Lang) => nameIn(names.get(subject.code) ?? { fi: subject.code, sv: subject.code }, lang);
  if (tieRule.found) {
    const title = tieRule.sectionTitle;
    return {
      status: 'pass',
      sectionKey,
      message: each(
        (lang) =>
          ({
            fi: `Tasan puolet äänistä on yhdellä kunnalla (${name(lang)}), ja sopimuksen ${title ? `osiossa ”${title.fi}”` : 'tekstissä'} mainitaan tasatilanne. Sopu ei arvioi määräyksen sisältöä.`,
            sv: `En kommun (${name(lang)}) har exakt hälften av rösterna, och ${title ? `avsnittet ”${title.sv}” i avtalet` : 'avtalet'} nämner lika röstetal. Sopu bedömer inte bestämmelsens innehåll.`,
            en: `One municipality (${name(lang)}) holds exactly half of the votes, and ${title ? `the section “${title.en}” of the agreement` : 'the agreement'} mentions ties. Sopu does not assess what it says.`,
          })[lang],
      ),
    };
  }
  if (subject.holdsChair) {
    return {
      status: 'fail',
      sectionKey,
      message: each(
        (lang) =>
          ({
            fi: `Tasan puolet äänistä ja puheenjohtaja ovat samalla kunnalla (${name(lang)}), eikä sopimuksessa ole määräystä siitä, miten tasatilanne ratkaistaan.`,
            sv: `Samma kommun (${name(lang)}) har exakt hälften av rösterna och ordföranden, och avtalet innehåller ingen bestämmelse om hur lika röstetal avgörs.`,
            en: `One municipality (${name(lang)}) holds exactly half of the votes and the chair, and the agreement has no rule for deciding a tie.`,
          })[lang],
      ),
    };
  }
  return {
    status: 'warning',
    sectionKey,
    message: each(
      (lang) =>
        ({
          fi: `Tasan puolet äänistä on yhdellä kunnalla (${name(lang)}), eikä sopimuksessa ole määräystä siitä, miten tasatilanne ratkaistaan. Jos puheenjohtaja tulee tästä kunnasta, se voisi päättää asioista yksin.`,
          sv: `En kommun (${name(lang)}) har exakt hälften av rösterna, och avtalet innehåller ingen bestämmelse om hur lika röstetal avgörs. Om ordföranden kommer från denna kommun kunde den ensam fatta besluten.`,
          en: `One municipality (${name(lang)}) holds exactly half of the votes, and the agreement has no rule for deciding a tie. If the chair comes from it, it could decide alone.`,
        })[lang],
    ),
  };
}

// --- required topics (rule 6) ----------------------------------------------------------------------------------

export type CheckedKind = 'cooperation_agreement' | 'authority_task_agreement' | 'service_plan';
export const CHECKED_KINDS: readonly CheckedKind[] = ['cooperation_agreement', 'authority_task_agreement', 'service_plan'];

const KIND_NAMES: Record<CheckedKind, Localised> = {
  cooperation_agreement: { fi: 'Yhteistoimintasopimus', sv: 'Samarbetsavtalet', en: 'Cooperation agreement' },
  authority_task_agreement: { fi: 'Sopimus viranomaistehtävän hoitamisesta (kuntalain 54 §)', sv: 'Avtalet om skötsel av en myndighetsuppgift (54 § i kommunallagen)', en: 'Authority-task agreement (Local Government Act, section 54)' },
  service_plan: { fi: 'Suunnitelma työvoimapalvelujen järjestämiseksi', sv: 'Planen för ordnande av arbetskraftsservicen', en: 'Service plan' },
};

export interface TopicState {
  key: string;
  title: Localised;
  /** Written (has text), or not applicable with a reason. */
  covered: boolean;
}

const LISTED = 5;

/** Every topic of the template has text, or is marked not applicable with a reason. */
export function requiredTopicsCheck(kind: CheckedKind, topics: readonly TopicState[], documentTitle: string | null = null): CheckVerdict {
  const name = (lang: Lang) => `${KIND_NAMES[kind][lang]}${documentTitle ? ` ”${documentTitle}”` : ''}`;
  const open = topics.map((t, i) => ({ ...t, number: i + 1 })).filter((t) => !t.covered);
  const n = topics.length;
  if (open.length === 0) {
    return {
      status: 'pass',
      message: each(
        (lang) =>
          ({
            fi: `${name('fi')}: kaikki ${n} aihetta on käsitelty (teksti on kirjoitettu tai aihe on merkitty perustellusti tarpeettomaksi).`,
            sv: `${name('sv')}: alla ${n} ämnen har behandlats (texten är skriven eller ämnet är markerat som inte tillämpligt med motivering).`,
            en: `${name('en')}: all ${n} topics are covered (written, or marked not applicable with a reason).`,
          })[lang],
      ),
    };
  }
  const list = (lang: Lang) => {
    const shown = open.slice(0, LISTED).map((t) => `${t.number}. ${t.title[lang]}`);
    const more = open.length - shown.length;
    return more > 0 ? `${shown.join(', ')} ${{ fi: `ja ${more} muuta`, sv: `och ${more} till`, en: `and ${more} more` }[lang]}` : joinList(shown, lang);
  };
  return {
    status: 'fail',
    sectionKey: open[0]!.key,
    message: each(
      (lang) =>
        ({
          fi: `${name('fi')}: ${open.length}/${n} aihetta on käsittelemättä: ${list('fi')}. Kirjoita aiheesta teksti tai merkitse se tarpeettomaksi perusteluineen.`,
          sv: `${name('sv')}: ${open.length} av ${n} ämnen har inte behandlats: ${list('sv')}. Skriv en text om ämnet eller markera det som inte tillämpligt med motivering.`,
          en: `${name('en')}: ${open.length} of ${n} topics are not covered: ${list('en')}. Write the text, or mark the topic not applicable with a reason.`,
        })[lang],
    ),
  };
}

/** The message in one language; the reader's language from `?lang=` or Accept-Language, Finnish by default. */
export function pickLanguage(...candidates: Array<string | null | undefined>): Lang {
  for (const candidate of candidates) {
    if (!candidate) continue;
    for (const part of candidate.split(',')) {
      const tag = part.split(';')[0]!.trim().toLowerCase().slice(0, 2);
      if ((LANGS as string[]).includes(tag)) return tag as Lang;
    }
  }
  return 'fi';
}

/** A text entered in some of the languages, in the reader's: their own, else Finnish, else Swedish, else English. */
export function inLanguage(text: { fi?: string; sv?: string; en?: string }, lang: Lang): string {
  return text[lang] || text.fi || text.sv || text.en || '';
}

export { EXCEPTION_GROUNDS };

export interface RequiredDocumentsFacts {
  hasServicePlan: boolean;
  hasAuthorityAgreement: boolean;
  /** The cooperation agreement's text refers to an agreement under 54 § of the Local Government Act (a municipality's authority task). */
  agreementRefersTo54: boolean;
}

/**
 * The documents that go with the agreement: the service plan (suunnitelma työvoimapalvelujen järjestämiseksi), which
 * goes to the ministry with it, and the 54 § agreement when the agreement refers to one. A missing one fails.
 */
export function requiredDocumentsCheck(facts: RequiredDocumentsFacts): CheckVerdict {
  const missing: Array<'service_plan' | 'authority_task_agreement'> = [];
  if (!facts.hasServicePlan) missing.push('service_plan');
  if (facts.agreementRefersTo54 && !facts.hasAuthorityAgreement) missing.push('authority_task_agreement');
  if (missing.length === 0) {
    return {
      status: 'pass',
      message: each(
        (lang) =>
          ({
            fi: `Sopimukseen liittyvät asiakirjat ovat Sopussa: ${joinList((['service_plan', ...(facts.agreementRefersTo54 ? ['authority_task_agreement'] : [])] as CheckedKind[]).map((k) => KIND_NAMES[k].fi), 'fi')}.`,
            sv: `Handlingarna som hör till avtalet finns i Sopu: ${joinList((['service_plan', ...(facts.agreementRefersTo54 ? ['authority_task_agreement'] : [])] as CheckedKind[]).map((k) => KIND_NAMES[k].sv), 'sv')}.`,
            en: `The documents that go with the agreement are in Sopu: ${joinList((['service_plan', ...(facts.agreementRefersTo54 ? ['authority_task_agreement'] : [])] as CheckedKind[]).map((k) => KIND_NAMES[k].en), 'en')}.`,
          })[lang],
      ),
    };
  }
  const why = (k: 'service_plan' | 'authority_task_agreement', lang: Lang) =>
    k === 'service_plan'
      ? { fi: `${KIND_NAMES.service_plan.fi} puuttuu: se toimitetaan ministeriölle yhteistoimintasopimuksen kanssa.`, sv: `${KIND_NAMES.service_plan.sv} saknas: den lämnas till ministeriet tillsammans med samarbetsavtalet.`, en: `The ${KIND_NAMES.service_plan.en.toLowerCase()} is missing: it goes to the ministry with the cooperation agreement.` }[lang]
      : { fi: `Yhteistoimintasopimus viittaa 54 §:n mukaiseen sopimukseen, mutta ${KIND_NAMES.authority_task_agreement.fi.toLowerCase()} puuttuu.`, sv: `Samarbetsavtalet hänvisar till ett avtal enligt 54 §, men ${KIND_NAMES.authority_task_agreement.sv.toLowerCase()} saknas.`, en: `The cooperation agreement refers to an agreement under section 54, but the ${KIND_NAMES.authority_task_agreement.en.toLowerCase()} is missing.` }[lang];
  return { status: 'fail', message: each((lang) => missing.map((k) => why(k, lang)).join(' ')) };
}

/** Whether a text refers to 54 § ("54 §", "§ 54", "54 §:n"). */
export const refersTo54 = (text: string): boolean => /(?<![\d.])54\s*§|§\s*54(?!\d)/u.test(text);

/**
 * A table Sopu inserted into the agreement (the chair rotation, the cost shares), read back from the document and
 * compared with the table the settings give now (agreement-tables.ts). `differs`: the first row (1 = the header)
 * that is not the same, or `'unavailable'` when the settings no longer give such a table (a member it named is gone,
 * a labour-force figure is missing); null when every row is the same. A difference is a warning: the drafters may
 * have changed the table on purpose, and inserting it again from the settings page replaces it.
 */
export function generatedTableCheck(title: Localised, differs: number | 'unavailable' | null, sectionKey: string): CheckVerdict {
  if (differs === null) {
    return {
      status: 'pass',
      sectionKey,
      message: { fi: `Sopimuksen taulukko ”${title.fi}” vastaa asetuksia.`, sv: `Avtalets tabell ”${title.sv}” motsvarar inställningarna.`, en: `The agreement's table "${title.en}" matches the settings.` },
    };
  }
  const where: Localised =
    differs === 'unavailable'
      ? { fi: `Asetuksista ei enää saada taulukkoa ”${title.fi}” (esimerkiksi jonkin kunnan luku puuttuu).`, sv: `Inställningarna ger inte längre tabellen ”${title.sv}” (till exempel saknas en kommuns uppgift).`, en: `The settings no longer give the table "${title.en}" (a municipality's figure is missing, for example).` }
      : { fi: `Taulukon ”${title.fi}” rivi ${differs} poikkeaa asetuksista.`, sv: `Rad ${differs} i tabellen ”${title.sv}” avviker från inställningarna.`, en: `Row ${differs} of the table "${title.en}" differs from the settings.` };
  return {
    status: 'warning',
    sectionKey,
    message: {
      fi: `Sopimuksen taulukko ei enää vastaa asetuksia: päivitä se. ${where.fi} Asetussivulta uudelleen lisätty taulukko korvaa nykyisen.`,
      sv: `Avtalets tabell motsvarar inte längre inställningarna: uppdatera den. ${where.sv} En tabell som infogas på nytt från inställningssidan ersätter den nuvarande.`,
      en: `The agreement's table no longer matches the settings: update it. ${where.en} Inserted again from the settings page, the table replaces the current one.`,
    },
  };
}
