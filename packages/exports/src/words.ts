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
