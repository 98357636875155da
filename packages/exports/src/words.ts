import type { ExportLanguage } from './model.ts';

/**
 * The words inside the files, in the file's language (the document's, or the municipality's for its decision
 * proposal). The UI's words are in apps/web/app/locales; these travel inside the files, so they live with the builders.
 */
export const WORDS = {
  fi: {
    area: 'Työllisyysalue',
    document: 'Asiakirja',
    version: 'Versio',
    currentText: 'Nykyinen teksti (ei tallennettu versio)',
    exported: 'Tulostettu',
    hash: 'Tarkiste (SHA-256)',
    shortHash: 'Lyhyt tarkiste',
    approvalStatus: 'Hyväksyntätilanne tulostettaessa',
    page: 'Sivu {page} / {pages}',
    notApplicable: 'Ei sovellu',
    verifyHint: 'Tiedoston aitouden voi tarkistaa Sopu-palvelun tarkistussivulla.',
    proposal: 'Päätösehdotus',
    council: 'Valtuusto',
    municipality: 'Kunta',
    background: 'Valmistelija ja tausta',
    motion: 'Päätösehdotus',
    appendices: 'Liitteet',
    changesSince: (n: number) => `Muutokset valtuuston aiemmin käsittelemään versioon ${n} nähden`,
    changesIntro: (n: number, date: string | null) =>
      `Valtuusto on käsitellyt sopimuksen version ${n}${date ? ` ${date}` : ''}. Alla muutokset sen jälkeen: lisätty teksti alleviivattuna, poistettu teksti yliviivattuna.`,
    noChanges: 'Muutettuja kohtia ei ole.',
    sentForApproval: 'Lähetetty hyväksyttäväksi',
    status: 'Tila',
    notApplicableNow: 'Ei sovellu',
    summary: 'Yhteenveto lausunnoista',
    round: 'Kuuleminen',
    deadline: 'Määräaika',
    matrix: 'Valtuustojen hyväksynnät',
    languageVersion: 'Kieliversio',
    languageNames: { fi: 'suomi', sv: 'ruotsi' },
    bothLanguages: 'suomi ja ruotsi rinnakkain',
    hashCoversBoth: 'tarkiste kattaa molemmat kieliversiot',
    motionBothLanguages: 'suomen- ja ruotsinkielisenä',
  },
  sv: {
    area: 'Sysselsättningsområde',
    document: 'Dokument',
    version: 'Version',
    currentText: 'Aktuell text (ingen sparad version)',
    exported: 'Utskriven',
    hash: 'Kontrollsumma (SHA-256)',
    shortHash: 'Kort kontrollsumma',
    approvalStatus: 'Godkännande vid utskriften',
    page: 'Sida {page} / {pages}',
    notApplicable: 'Inte tillämplig',
    verifyHint: 'Filens äkthet kan kontrolleras på Sopus kontrollsida.',
    proposal: 'Beslutsförslag',
    council: 'Fullmäktige',
    municipality: 'Kommun',
    background: 'Beredning och bakgrund',
    motion: 'Beslutsförslag',
    appendices: 'Bilagor',
    changesSince: (n: number) => `Ändringar jämfört med version ${n} som fullmäktige tidigare behandlat`,
    changesIntro: (n: number, date: string | null) =>
      `Fullmäktige har behandlat version ${n} av avtalet${date ? ` ${date}` : ''}. Nedan ändringarna sedan dess: tillagd text understruken, struken text överstruken.`,
    noChanges: 'Inga ändrade avsnitt.',
    sentForApproval: 'Sänt för godkännande',
    status: 'Status',
    notApplicableNow: 'Inte tillämplig',
    summary: 'Sammanställning av utlåtandena',
    round: 'Hörande',
    deadline: 'Tidsfrist',
    matrix: 'Fullmäktiges godkännanden',
    languageVersion: 'Språkversion',
    languageNames: { fi: 'finska', sv: 'svenska' },
    bothLanguages: 'finska och svenska parallellt',
    hashCoversBoth: 'kontrollsumman omfattar båda språkversionerna',
    motionBothLanguages: 'på finska och svenska',
  },
  en: {
    area: 'Employment area',
    document: 'Document',
    version: 'Version',
    currentText: 'Current text (not a saved version)',
    exported: 'Exported',
    hash: 'Content hash (SHA-256)',
    shortHash: 'Short hash',
    approvalStatus: 'Approval status at export',
    page: 'Page {page} / {pages}',
    notApplicable: 'Not applicable',
    verifyHint: "The file can be checked on Sopu's verify page.",
    proposal: 'Decision proposal',
    council: 'Council',
    municipality: 'Municipality',
    background: 'Preparation and background',
    motion: 'Proposal',
    appendices: 'Appendices',
    changesSince: (n: number) => `Changes since version ${n}, which the council handled earlier`,
    changesIntro: (n: number, date: string | null) =>
      `The council handled version ${n}${date ? ` on ${date}` : ''}. Below, the changes since: inserted text underlined, deleted text struck through.`,
    noChanges: 'No sections changed.',
    sentForApproval: 'Sent for approval',
    status: 'Status',
    notApplicableNow: 'Not applicable',
    summary: 'Summary of the statements',
    round: 'Consultation round',
    deadline: 'Deadline',
    matrix: "Councils' approvals",
    languageVersion: 'Language version',
    languageNames: { fi: 'Finnish', sv: 'Swedish' },
    bothLanguages: 'Finnish and Swedish side by side',
    hashCoversBoth: 'the hash covers both language versions',
    motionBothLanguages: 'in Finnish and Swedish',
  },
} as const satisfies Record<ExportLanguage, unknown>;

export type Words = (typeof WORDS)[ExportLanguage];

/** The first characters of a hash shown beside the full one (as on the approvals page). */
export const shortHashOf = (hash: string) => hash.slice(0, 8);

/** A file name part: lower-case ASCII letters, digits and dashes (å, ä, ö become a, a, o). */
export function fileSlug(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
}

/** Where the councils stood on the exported text, for the cover: sent or not, and who had approved exactly it. */
export function approvalStatusText(lang: ExportLanguage, status: { sentOn: string | null; approved: readonly string[]; parties: number }): string {
  const { sentOn, approved, parties } = status;
  const names = approved.join(', ');
  if (lang === 'sv') {
    if (sentOn === null) return approved.length > 0 ? `Godkänd av ${approved.length}/${parties} fullmäktige: ${names}.` : 'Inte sänd till fullmäktige för godkännande.';
    if (parties > 0 && approved.length === parties) return `Sänd till fullmäktige ${sentOn}; godkänd av alla ${parties} fullmäktige.`;
    return `Sänd till fullmäktige ${sentOn}; godkänd av ${approved.length}/${parties}${approved.length > 0 ? `: ${names}` : ''}.`;
  }
  if (lang === 'en') {
    if (sentOn === null) return approved.length > 0 ? `Approved by ${approved.length}/${parties} councils: ${names}.` : 'Not sent to the councils for approval.';
    if (parties > 0 && approved.length === parties) return `Sent to the councils on ${sentOn}; approved by all ${parties} councils.`;
    return `Sent to the councils on ${sentOn}; approved by ${approved.length}/${parties}${approved.length > 0 ? `: ${names}` : ''}.`;
  }
  if (sentOn === null) return approved.length > 0 ? `Hyväksynyt ${approved.length}/${parties} valtuustoa: ${names}.` : 'Ei lähetetty valtuustoille hyväksyttäväksi.';
  if (parties > 0 && approved.length === parties) return `Lähetetty valtuustoille ${sentOn}; kaikki ${parties} valtuustoa ovat hyväksyneet.`;
  return `Lähetetty valtuustoille ${sentOn}; hyväksynyt ${approved.length}/${parties}${approved.length > 0 ? `: ${names}` : ''}.`;
}

/** The words of the approval matrix and the consultation summary. */
export const REPORT_WORDS = {
  fi: {
    state: { pending: 'Odottaa', scheduled: 'Kokous sovittu', approved: 'Hyväksytty', rejected: 'Hylätty', returned: 'Palautettu uudelleen valmisteltavaksi', final: 'Lainvoimainen', signed: 'Allekirjoitettu' },
    requestStatus: { open: 'avoin', closed: 'kaikki päättäneet', superseded: 'korvattu uudemmalla' },
    columns: ['Versio', 'Tarkiste', 'Lähetetty', 'Pyynnön tila', 'Kuntanumero', 'Kunta', 'Vaihe', 'Kokous', 'Päätöspäivä', 'Pykälä', 'Pöytäkirja', 'Lainvoimainen', 'Allekirjoitettu', 'Allekirjoittaja', 'Koskee nykyistä tekstiä'],
    yes: 'kyllä',
    no: 'ei',
    host: 'vastuukunta',
    municipality: 'Kunta',
    versionColumn: (n: number, date: string) => `Versio ${n} (${date})`,
    decided: (date: string, section: string | null) => `${date}${section ? `, ${section}` : ''}`,
    meeting: (date: string) => `kokous ${date}`,
    finalOn: (date: string) => `lainvoimainen ${date}`,
    signedOn: (date: string) => `allekirjoitettu ${date}`,
    summaryColumns: ['Kunta', 'Kohta', 'Lausunto', 'Vastine'],
    general: 'Yleinen lausunto',
    noComments: 'Ei lausuttavaa',
    noAnswer: 'Ei lausuntoa määräaikaan mennessä',
    awaiting: 'Ei vielä lausuntoa',
    response: { taken_into_account: 'Otettu huomioon', partly: 'Otettu osittain huomioon', not_taken_into_account: 'Ei otettu huomioon' },
    questions: 'Kysymykset',
    question: (n: number, text: string) => `Kysymys ${n}: ${text}`,
    answerColumns: ['Kunta', 'Vastaus', 'Vastine'],
    noAnswers: 'Kysymykseen ei vastattu.',
    decisions: 'Lausuntojen päätökset ja liitteet',
    noDecision: 'päättäjää ei ole kirjattu.',
    attachmentsLabel: 'liitteet',
    roundAttachments: 'Lausuntopyynnön liitteet',
    statements: 'Lausunnot ja vastineet',
    notPublished: 'Yhteenvetoa ei ole vielä julkaistu.',
    published: 'Julkaistu',
    consultedVersion: 'Lausunnolla ollut versio',
    invited: 'Lausuntopyyntö',
    answered: (n: number, of: number) => `${n}/${of} kuntaa antoi lausunnon`,
  },
  sv: {
    state: { pending: 'Väntar', scheduled: 'Sammanträde utsatt', approved: 'Godkänt', rejected: 'Förkastat', returned: 'Återremitterat', final: 'Laga kraft', signed: 'Undertecknat' },
    requestStatus: { open: 'öppen', closed: 'alla har beslutat', superseded: 'ersatt av en nyare' },
    columns: ['Version', 'Kontrollsumma', 'Sänd', 'Begärans status', 'Kommunnummer', 'Kommun', 'Skede', 'Sammanträde', 'Beslutsdatum', 'Paragraf', 'Protokoll', 'Laga kraft', 'Undertecknat', 'Undertecknare', 'Gäller den aktuella texten'],
    yes: 'ja',
    no: 'nej',
    host: 'ansvarskommun',
    municipality: 'Kommun',
    versionColumn: (n: number, date: string) => `Version ${n} (${date})`,
    decided: (date: string, section: string | null) => `${date}${section ? `, ${section}` : ''}`,
    meeting: (date: string) => `sammanträde ${date}`,
    finalOn: (date: string) => `laga kraft ${date}`,
    signedOn: (date: string) => `undertecknat ${date}`,
    summaryColumns: ['Kommun', 'Punkt', 'Utlåtande', 'Bemötande'],
    general: 'Allmänt utlåtande',
    noComments: 'Inget att yttra',
    noAnswer: 'Inget utlåtande inom tidsfristen',
    awaiting: 'Inget utlåtande ännu',
    response: { taken_into_account: 'Beaktat', partly: 'Delvis beaktat', not_taken_into_account: 'Inte beaktat' },
    questions: 'Frågor',
    question: (n: number, text: string) => `Fråga ${n}: ${text}`,
    answerColumns: ['Kommun', 'Svar', 'Bemötande'],
    noAnswers: 'Ingen svarade på frågan.',
    decisions: 'Beslut om utlåtandena och bilagor',
    noDecision: 'beslutsfattaren har inte registrerats.',
    attachmentsLabel: 'bilagor',
    roundAttachments: 'Remissens bilagor',
    statements: 'Utlåtanden och bemötanden',
    notPublished: 'Sammanställningen har inte publicerats ännu.',
    published: 'Publicerad',
    consultedVersion: 'Version på remiss',
    invited: 'Remiss',
    answered: (n: number, of: number) => `${n}/${of} kommuner gav utlåtande`,
  },
  en: {
    state: { pending: 'Pending', scheduled: 'Meeting scheduled', approved: 'Approved', rejected: 'Rejected', returned: 'Returned for further preparation', final: 'Final', signed: 'Signed' },
    requestStatus: { open: 'open', closed: 'all decided', superseded: 'superseded' },
    columns: ['Version', 'Hash', 'Sent', 'Request status', 'Municipality code', 'Municipality', 'State', 'Meeting', 'Decision date', 'Minutes section', 'Minutes', 'Final', 'Signed', 'Signatory', 'Covers the current text'],
    yes: 'yes',
    no: 'no',
    host: 'host',
    municipality: 'Municipality',
    versionColumn: (n: number, date: string) => `Version ${n} (${date})`,
    decided: (date: string, section: string | null) => `${date}${section ? `, ${section}` : ''}`,
    meeting: (date: string) => `meeting ${date}`,
    finalOn: (date: string) => `final ${date}`,
    signedOn: (date: string) => `signed ${date}`,
    summaryColumns: ['Municipality', 'Item', 'Statement', 'Response'],
    general: 'General statement',
    noComments: 'No comments',
    noAnswer: 'No statement by the deadline',
    awaiting: 'No statement yet',
    response: { taken_into_account: 'Taken into account', partly: 'Partly taken into account', not_taken_into_account: 'Not taken into account' },
    questions: 'Questions',
    question: (n: number, text: string) => `Question ${n}: ${text}`,
    answerColumns: ['Municipality', 'Answer', 'Response'],
    noAnswers: 'Nobody answered this question.',
    decisions: "The statements' decisions and attachments",
    noDecision: 'who decided is not recorded.',
    attachmentsLabel: 'attachments',
    roundAttachments: "The round's attachments",
    statements: 'Statements and responses',
    notPublished: 'The summary has not been published yet.',
    published: 'Published',
    consultedVersion: 'Version consulted on',
    invited: 'Consultation',
    answered: (n: number, of: number) => `${n}/${of} municipalities gave a statement`,
  },
} as const;

/** The background of a decision proposal when the host wrote none. */
export function defaultBackground(lang: 'fi' | 'sv', facts: { version: number; label: string; sentOn: string }): string {
  return lang === 'sv'
    ? `Sysselsättningsområdets kommuner har berett avtalet tillsammans. Version ${facts.version} (${facts.label}) av avtalet sändes till kommunernas fullmäktige för godkännande ${facts.sentOn}. Avtalet binder när varje kommuns fullmäktige har godkänt samma text.`
    : `Työllisyysalueen kunnat ovat valmistelleet sopimuksen yhdessä. Sopimuksen versio ${facts.version} (${facts.label}) lähetettiin kuntien valtuustojen hyväksyttäväksi ${facts.sentOn}. Sopimus sitoo, kun jokaisen kunnan valtuusto on hyväksynyt saman tekstin.`;
}
