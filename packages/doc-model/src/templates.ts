import template from './templates/agreement-template.json' with { type: 'json' };

export const DOCUMENT_KINDS = [
  'cooperation_agreement',
  'administrative_rules',
  'authority_task_agreement',
  'service_plan',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface LocalisedText {
  fi: string;
  sv: string;
  en: string;
}

export interface SectionTemplate {
  key: string;
  title: LocalisedText;
  prompts: string[];
  legal?: string;
  required: boolean;
}

export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(value);
}

// Keys become Y.Doc root names (`section:<key>`) and stored identifiers, so they are kept to a safe alphabet.
const SECTION_KEY = /^[a-z][a-z0-9_]*$/;

function fail(path: string, problem: string): never {
  throw new Error(`agreement-template.json: ${path} ${problem}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'must be a non-empty string');
  return value;
}

function localised(value: unknown, path: string): LocalisedText {
  if (!isRecord(value)) fail(path, 'must be an object with fi, sv and en');
  return { fi: text(value.fi, `${path}.fi`), sv: text(value.sv, `${path}.sv`), en: text(value.en, `${path}.en`) };
}

function section(value: unknown, path: string): SectionTemplate {
  if (!isRecord(value)) fail(path, 'must be an object');
  const key = text(value.key, `${path}.key`);
  if (!SECTION_KEY.test(key)) fail(`${path}.key`, `"${key}" must match ${SECTION_KEY}`);
  const prompts = value.prompts ?? [];
  if (!Array.isArray(prompts)) fail(`${path}.prompts`, 'must be an array');
  const required = value.required ?? true;
  if (typeof required !== 'boolean') fail(`${path}.required`, 'must be a boolean');
  const result: SectionTemplate = {
    key,
    title: localised(value.title, `${path}.title`),
    prompts: prompts.map((prompt, i) => text(prompt, `${path}.prompts[${i}]`)),
    required,
  };
  if (value.legal !== undefined) result.legal = text(value.legal, `${path}.legal`);
  return result;
}

function sectionList(value: unknown, path: string): readonly SectionTemplate[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, 'must be a non-empty array');
  const sections = value.map((item, i) => section(item, `${path}[${i}]`));
  const seen = new Set<string>();
  for (const { key } of sections) {
    if (seen.has(key)) fail(path, `repeats the key "${key}"`);
    seen.add(key);
  }
  // Shared by every caller, so frozen: a caller editing its copy must not change the next caller's template.
  const frozen = sections.map((s) =>
    Object.freeze({ ...s, title: Object.freeze(s.title), prompts: Object.freeze(s.prompts) as string[] }),
  );
  return Object.freeze(frozen);
}

function requiredSections(value: unknown, path: string): readonly SectionTemplate[] {
  if (!isRecord(value)) fail(path, 'must be an object');
  return sectionList(value.requiredSections, `${path}.requiredSections`);
}

/** Checks the shape of agreement-template.json; throws an Error naming the first bad path. */
export function parseAgreementTemplate(
  file: unknown,
): Record<Exclude<DocumentKind, 'administrative_rules'>, readonly SectionTemplate[]> {
  if (!isRecord(file)) fail('(root)', 'must be an object');
  if (file.documentKind !== 'cooperation_agreement') fail('documentKind', 'must be "cooperation_agreement"');
  return {
    cooperation_agreement: sectionList(file.sections, 'sections'),
    authority_task_agreement: requiredSections(file.authorityTaskAgreement, 'authorityTaskAgreement'),
    service_plan: requiredSections(file.servicePlan, 'servicePlan'),
  };
}

// The template file has no administrative rules: these are the provisions of the host's administrative rules
// (kuntalaki 90 §) that the joint body of an employment area needs, and on which the members are heard.
// (Built on first use, as allTemplates() below: a browser page that never asks for a template does not carry them.)
const administrativeRules = () =>
  sectionList(
  [
    {
      key: 'scope',
      title: {
        fi: 'Soveltamisala ja yhteisen toimielimen asema',
        sv: 'Tillämpningsområde och det gemensamma organets ställning',
        en: "Scope and the joint body's place in the organisation",
      },
      prompts: [
        "Which provisions of the host municipality's administrative rules apply to the joint body?",
        "Where is the joint body placed in the host municipality's organisation, and to whom does it report?",
      ],
      legal: 'Local Government Act (kuntalaki) 51 § and 90 §',
    },
    {
      key: 'meeting_procedure',
      title: { fi: 'Kokousmenettely', sv: 'Sammanträdesförfarande', en: 'Meeting procedure' },
      prompts: [
        'Who convenes the meetings, and how and when is the notice sent?',
        'May members take part in meetings electronically, and how is the quorum determined?',
        'How are the minutes drawn up, checked and published?',
      ],
    },
    {
      key: 'presentation_and_decisions',
      title: {
        fi: 'Esittely ja päätöksenteko',
        sv: 'Föredragning och beslutsfattande',
        en: 'Presentation of matters and decision-making',
      },
      prompts: [
        'Who presents matters to the joint body, and who acts as its secretary?',
        'How are votes counted, and do the members carry the votes of their municipalities?',
        'Which decisions are delegated to officeholders, and how are they reported to the joint body?',
      ],
    },
    {
      key: 'meeting_fees',
      title: { fi: 'Kokouspalkkiot', sv: 'Sammanträdesarvoden', en: 'Meeting fees' },
      prompts: [
        "Whose fee rules apply to the members: the host municipality's or each member municipality's own?",
        'Which municipality pays the fees and compensation for loss of earnings, and are they shared as joint costs?',
      ],
    },
  ],
  'administrative_rules',
  );

let templates: Record<DocumentKind, readonly SectionTemplate[]> | undefined;
/** Every kind's sections, read and checked from the template file (and the rules above) on first use. */
function allTemplates(): Record<DocumentKind, readonly SectionTemplate[]> {
  templates ??= { ...parseAgreementTemplate(template as unknown), administrative_rules: administrativeRules() };
  return templates;
}

const DOCUMENT_TITLES: Record<DocumentKind, LocalisedText> = {
  cooperation_agreement: { fi: 'Yhteistoimintasopimus', sv: 'Samarbetsavtal', en: 'Cooperation agreement' },
  administrative_rules: { fi: 'Hallintosääntö', sv: 'Förvaltningsstadga', en: 'Administrative rules' },
  authority_task_agreement: {
    fi: 'Sopimus viranomaistehtävän hoitamisesta (kuntalaki 54 §)',
    sv: 'Avtal om skötseln av en myndighetsuppgift (kommunallagen 54 §)',
    en: 'Authority-task agreement (Local Government Act, section 54)',
  },
  // The plan under the Act on Organising Employment Services; not a "palvelusuunnitelma", which is a client's plan.
  service_plan: {
    fi: 'Suunnitelma työvoimapalvelujen järjestämiseksi',
    sv: 'Plan för ordnande av arbetskraftsservicen',
    en: 'Plan for organising employment services',
  },
};

/** The sections of a document kind in their template order. The section objects are frozen and shared. */
export function templateFor(kind: DocumentKind): SectionTemplate[] {
  const sections = allTemplates()[kind];
  if (!sections) throw new Error(`Unknown document kind: ${String(kind)}`);
  return [...sections];
}

export function sectionTemplate(kind: DocumentKind, key: string): SectionTemplate | undefined {
  return templateFor(kind).find((s) => s.key === key);
}

export function documentTitle(kind: DocumentKind): LocalisedText {
  const title = DOCUMENT_TITLES[kind];
  if (!title) throw new Error(`Unknown document kind: ${String(kind)}`);
  return { ...title };
}
