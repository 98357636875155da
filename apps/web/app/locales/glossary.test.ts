import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { approvalSentences, labourForceCheck } from '@sopu/core/rules';
import { DOCUMENT_KINDS, documentTitle, promptsFor, templateFor } from '@sopu/doc-model';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import fi from './fi.json';
import sv from './sv.json';

/*
 * The glossary: wording that Finnish- and Swedish-speaking officials asked us not to use (issue 20), and what to use
 * instead. Every text a person reads is checked: the translation files, the sentences core builds (approvals, checks),
 * the template's headings and guidance, the demo areas and their agreements, and the visible labels in components.
 * A rule names the language it belongs to; text of no single language (a demo thread, a source file) is checked
 * against the rules that cannot misfire on the other language (`anyLanguage`).
 */

type Lang = 'fi' | 'sv' | 'en';
interface Text {
  lang: Lang | 'any';
  where: string;
  text: string;
}
interface Rule {
  lang: Lang;
  /** The banned form. */
  form: RegExp;
  /** What to write instead. */
  use: string;
  /** The old wording it catches (the rule is tested against it). */
  example: string;
  /** Only translation keys matching this (a word wrong in one context only: "tunnus" is right for a login). */
  keys?: RegExp;
  /** Also checked in text of no single language and in source files. */
  anyLanguage?: boolean;
}

const RULES: Rule[] = [
  { lang: 'fi', form: /sopimus yhdessä(?!\p{L})/iu, use: 'a verb: "… valmistellaan yhdessä"', example: 'Työllisyysalueen yhteistoimintasopimus yhdessä', anyLanguage: true },
  { lang: 'fi', form: /esittelylu(?:vu|ku)/i, use: 'esimerkkiluvut', example: 'Esittelyluvut', anyLanguage: true },
  { lang: 'fi', form: /(?<!\p{L})Hallituksen kokous/u, use: 'Kunnanhallituksen kokous', example: 'Hallituksen kokous', anyLanguage: true },
  { lang: 'fi', form: /(?<!\p{L})Toimielimen kokous/u, use: 'Yhteisen toimielimen kokous', example: 'Toimielimen kokous', anyLanguage: true },
  { lang: 'fi', form: /hyväksymät sopimukset/i, use: 'Valtuustojen hyväksyttävät sopimukset (they are not approved yet)', example: 'Valtuustojen hyväksymät sopimukset', anyLanguage: true },
  { lang: 'fi', form: /puolet ei käy/i, use: 'the rule in plain legal register: "… eikä tasan puolta, jos sillä on myös puheenjohtajuus"', example: 'tasan puolet ei käy, jos kunnalla on myös puheenjohtaja' },
  { lang: 'fi', form: /\btunnu(?:s|ksen|ksella|kset|sta)\b/i, keys: /^approvals\./, use: 'rajapinta-avain (for the API token)', example: 'Luo tunnus' },
  { lang: 'fi', form: /osion\s+\S+\s+kohtaan/, use: 'Kommentti osioon X', example: 'Kommentti osion {{section}} kohtaan' },
  { lang: 'fi', form: /\d+\/\d+ hyväksyi version/, use: '"6/10 valtuustoa on hyväksynyt version 2"', example: 'Ei voimassa: 6/10 hyväksyi version 2' },
  { lang: 'fi', form: /on pitänyt vastata/, use: '"on täytynyt vastata tai määräajan on täytynyt päättyä"', example: 'jokaisen kutsutun kunnan on pitänyt vastata tai määräajan päättyä', anyLanguage: true },
  { lang: 'fi', form: /isäntäkun/i, use: 'vastuukunta, throughout', example: 'Isäntäkunta', anyLanguage: true },
  { lang: 'fi', form: /kirjattava poikkeusperuste/i, use: 'the exception permit of the Government (voimaanpanolaki 4 §)', example: 'tai kirjattava poikkeusperuste', anyLanguage: true },
  { lang: 'sv', form: /Läget för godkännandena/i, use: 'Godkännandeläget', example: 'Läget för godkännandena', anyLanguage: true },
  { lang: 'sv', form: /Ordförandeturer/i, use: 'Turordning för ordförandeskapet', example: 'Ordförandeturer', anyLanguage: true },
  { lang: 'sv', form: /(?<!gemensamma )\b[Oo]rganets sammanträde/, use: 'Det gemensamma organets sammanträde', example: 'Organets sammanträde', anyLanguage: true },
  { lang: 'sv', form: /hänger ihop med tanke på pendlingen/i, use: '"utgöra en funktionell helhet med hänsyn till pendlingen"', example: 'bilda en fungerande helhet som hänger ihop med tanke på pendlingen', anyLanguage: true },
  { lang: 'sv', form: /Kajanaland-Koillismaa sysselsättningsområde/, use: 'sysselsättningsområdet Kajanaland-Koillismaa', example: 'Kajanaland-Koillismaa sysselsättningsområde', anyLanguage: true },
  { lang: 'sv', form: /värdkommun/i, use: 'ansvarskommun, throughout', example: 'Värdkommun', anyLanguage: true },
  { lang: 'sv', form: /Tilastokeskus|työssäkäyntitilasto/i, use: 'Statistikcentralen, sysselsättningsstatistik', example: 'Källa: Tilastokeskus, työssäkäyntitilasto 2023.' },
  { lang: 'sv', form: /\b\d{1,2} (?:jan|feb|mars|apr|maj|juni|juli|aug|sep|okt|nov|dec)\.? \d{4} \d{1,2}\.\d{2}\b/, use: 'dates as "7.12.2026 kl. 4.19"', example: '7 dec. 2026 4.19' },
  { lang: 'en', form: /Tilastokeskus|työssäkäyntitilasto/i, use: 'Statistics Finland, employment statistics', example: 'Source: Tilastokeskus, työssäkäyntitilasto 2023.' },
];

type Tree = { [key: string]: string | Tree };
function leaves(tree: Tree, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(([key, value]): Array<[string, string]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? [[path, value]] : leaves(value, path);
  });
}

const LANGS: Lang[] = ['fi', 'sv', 'en'];
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const names = new Map([
  ['205', { fi: 'Kajaani', sv: 'Kajana' }],
  ['290', { fi: 'Kuhmo', sv: 'Kuhmo' }],
]);

/** What core writes itself, for a few typical situations: the approvals sentence and the labour-force check. */
function coreSentences(): Text[] {
  const sentences = approvalSentences({
    approved: null,
    inForce: null,
    progress: { version: 2, hash: 'a'.repeat(64), parties: 10, approved: ['205', '290', '578', '620', '697', '765'], pending: ['777', '105', '305', '832'], scheduled: [], rejected: [], returned: [], approvedOther: [] },
    parties: 10,
    names,
  });
  const below = labourForceCheck({
    municipalities: [{ name: { fi: 'Rantala', sv: 'Strandvik' }, labourForce: 6200, labourForceIsDemo: false, labourForceSource: 'Tilastokeskus, työssäkäyntitilasto', labourForceYear: 2023 }],
    exceptionGrounds: [],
    permit: null,
    hasServicePlan: false,
  });
  return LANGS.flatMap((lang) => [
    { lang, where: `approvalSentences.${lang}`, text: sentences[lang] },
    { lang, where: `labourForceCheck.${lang}`, text: below.message[lang] },
  ]);
}

function templateTexts(): Text[] {
  return DOCUMENT_KINDS.flatMap((kind) => [
    ...LANGS.map((lang) => ({ lang, where: `documentTitle(${kind}).${lang}`, text: documentTitle(kind)[lang] })),
    ...templateFor(kind).flatMap((section) =>
      LANGS.flatMap((lang) => [
        { lang, where: `${kind}.${section.key}.title.${lang}`, text: section.title[lang] },
        ...promptsFor(section, lang).map((text, i) => ({ lang, where: `${kind}.${section.key}.prompts.${lang}[${i}]`, text })),
      ]),
    ),
  ]);
}

/** Every string in a JSON value, with its path; in `lang` when the path ends in a language code, else of any. */
function jsonTexts(value: unknown, where: string, lang: Lang | 'any'): Text[] {
  if (typeof value === 'string') return [{ lang, where, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => jsonTexts(item, `${where}[${i}]`, lang));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => jsonTexts(item, `${where}.${key}`, (LANGS as string[]).includes(key) ? (key as Lang) : lang));
  }
  return [];
}

function demoTexts(): Text[] {
  const demoAreas = JSON.parse(readFileSync(join(root, 'db/seeds/demo-areas.json'), 'utf8')) as { areas: unknown };
  const content = JSON.parse(readFileSync(join(root, 'db/seeds/demo-content.json'), 'utf8')) as { notice: unknown; areas: Record<string, Record<string, unknown>> };
  // Each demo area's agreements are in its own language (a bilingual one has a Finnish translation beside them).
  const areaLanguage: Record<string, Lang> = { 'kainuu-koillismaa': 'fi', 'saaristo-skargard': 'sv' };
  return [
    ...jsonTexts(demoAreas.areas, 'demo-areas', 'any'),
    ...jsonTexts(content.notice, 'demo-content.notice', 'any'),
    ...Object.entries(content.areas).flatMap(([slug, area]) =>
      Object.entries(area).flatMap(([part, value]) => jsonTexts(value, `demo-content.${slug}.${part}`, part === 'cooperation_agreement' || part === 'administrative_rules' ? (areaLanguage[slug] ?? 'any') : 'any')),
    ),
  ];
}

function sourceFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path, pattern);
    return pattern.test(name) && !name.includes('.test.') ? [path] : [];
  });
}

/** The source files of what people read (not the tests, which may quote old wording on purpose). */
function sourceTexts(): Text[] {
  return [
    ...sourceFiles(join(root, 'apps/web/app'), /\.tsx?$/),
    ...sourceFiles(join(root, 'packages/core/src'), /\.ts$/),
    ...sourceFiles(join(root, 'packages/doc-model/src'), /\.ts$/),
    // The words inside the files Sopu hands out (covers, proposals, reports).
    ...sourceFiles(join(root, 'packages/exports/src'), /\.ts$/),
  ].map((path) => ({ lang: 'any' as const, where: relative(root, path), text: readFileSync(path, 'utf8') }));
}

const LOCALES = { fi, sv, en } as Record<Lang, Tree>;
const localeTexts: Array<Text & { key: string }> = LANGS.flatMap((lang) => leaves(LOCALES[lang]).map(([key, text]) => ({ lang, key, where: `${lang}.json ${key}`, text })));
const otherTexts: Text[] = [...coreSentences(), ...templateTexts(), ...demoTexts(), ...sourceTexts()];

function offences(rule: Rule): string[] {
  const found: string[] = [];
  for (const t of localeTexts) if (t.lang === rule.lang && (!rule.keys || rule.keys.test(t.key)) && rule.form.test(t.text)) found.push(`${t.where}: ${t.text}`);
  if (rule.keys) return found;
  for (const t of otherTexts) {
    if (t.lang === rule.lang || (t.lang === 'any' && rule.anyLanguage)) {
      const match = rule.form.exec(t.text);
      if (match) found.push(`${t.where}: …${t.text.slice(Math.max(0, match.index - 40), match.index + match[0].length + 40)}…`);
    }
  }
  return found;
}

describe('the glossary', () => {
  it.each(RULES.map((rule) => [`${rule.lang} ${rule.form}`, rule] as const))('each rule catches the wording it bans: %s', (_name, rule) => {
    expect(rule.form.test(rule.example)).toBe(true);
  });

  it.each(RULES.map((rule) => [`${rule.lang} ${rule.form} → ${rule.use}`, rule] as const))('nothing a person reads uses %s', (_name, rule) => {
    expect(offences(rule)).toEqual([]);
  });

  it('checks text of every kind (the corpus is not empty where it should not be)', () => {
    for (const where of ['approvalSentences.fi', 'labourForceCheck.sv', 'cooperation_agreement.parties.prompts.sv[0]', 'demo-content.saaristo-skargard.threads', 'apps/web/app/components/editor/Toolbar.tsx']) {
      expect(otherTexts.some((t) => t.where.startsWith(where)), where).toBe(true);
    }
  });

  it('shows no heading-level codes ("H2", "H3") as button text: the buttons say "Väliotsikko" and "Alaotsikko"', () => {
    const visibleCodes = sourceFiles(join(root, 'apps/web/app/components'), /\.tsx$/).filter((path) => /['"`>]H[1-6]['"`<]/.test(readFileSync(path, 'utf8')));
    expect(visibleCodes.map((path) => relative(root, path))).toEqual([]);
  });
});
