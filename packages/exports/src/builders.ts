import type { CanonicalSection, DiffBlock } from '@sopu/doc-model';
import { contentBlocks, redlineBlocks } from './content.ts';
import { heading, paragraph, simpleTable, text, type Block, type CoverRow, type ExportDocument, type ExportLanguage, type ExportSection } from './model.ts';
import { fileSlug, shortHashOf, WORDS } from './words.ts';

/*
 * The models of the files Sopu hands out, from facts core gathers: a version (or the current text) of a document, a
 * council's decision proposal, a consultation round's summary and the approval matrix. Pure: the same facts give
 * the same model.
 */

export interface DocumentFacts {
  lang: ExportLanguage;
  areaSlug: string;
  areaName: string;
  documentTitle: string;
  /** null: the current text, not a saved version. */
  version: { number: number; label: string } | null;
  hash: string;
  /** The export's time as shown (Helsinki), e.g. "7.12.2026 klo 8.34". */
  exportedAt: string;
  exportedAtMs: number;
  /** One sentence: where the councils stand on this text at export ("Hyväksytty: 4/10 …"). */
  approvalStatus: string | null;
  /** The version's sections in order (canonical JSON, accepted text only: what the hash covers). */
  sections: readonly CanonicalSection[];
  /** Each section's title in the document's language. */
  titles: Readonly<Record<string, string>>;
  author: string;
}

function versionText(facts: Pick<DocumentFacts, 'lang' | 'version'>): string {
  const w = WORDS[facts.lang];
  return facts.version ? `${facts.version.number} – ${facts.version.label}` : w.currentText;
}

/** The file name: `<area>-<document>-v<N>-<hash8>` (the current text: `…-current-<hash8>`). */
export function documentFileName(facts: Pick<DocumentFacts, 'areaSlug' | 'documentTitle' | 'version' | 'hash'>, format: string): string {
  const which = facts.version ? `v${facts.version.number}` : 'current';
  return `${fileSlug(facts.areaSlug)}-${fileSlug(facts.documentTitle)}-${which}-${shortHashOf(facts.hash)}.${format}`;
}

export function sectionsOf(sections: readonly CanonicalSection[], titles: Readonly<Record<string, string>>, lang: ExportLanguage): ExportSection[] {
  const w = WORDS[lang];
  return [...sections]
    .sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : 1))
    .map((s, i) => ({
      number: i + 1,
      key: s.key,
      title: titles[s.key] ?? s.key,
      blocks: contentBlocks(s.content),
      ...(s.status === 'not_applicable' ? { notApplicable: { label: w.notApplicable, reason: s.reason } } : {}),
    }));
}

export function documentModel(facts: DocumentFacts): ExportDocument {
  const w = WORDS[facts.lang];
  const cover: CoverRow[] = [
    { label: w.area, value: facts.areaName },
    { label: w.document, value: facts.documentTitle },
    { label: w.version, value: versionText(facts) },
    { label: w.exported, value: facts.exportedAt },
    { label: w.hash, value: facts.hash, mono: true },
    { label: w.shortHash, value: shortHashOf(facts.hash), mono: true },
    ...(facts.approvalStatus ? [{ label: w.approvalStatus, value: facts.approvalStatus }] : []),
  ];
  const versionLabel = facts.version ? `${w.version} ${facts.version.number} (${facts.version.label})` : w.currentText;
  return {
    lang: facts.lang,
    title: facts.documentTitle,
    runningHeader: `${facts.areaName} · ${facts.documentTitle} · ${versionLabel}`,
    pageLabel: w.page,
    cover,
    preamble: [],
    sections: sectionsOf(facts.sections, facts.titles, facts.lang),
    metadata: {
      title: `${facts.documentTitle} – ${facts.areaName}`,
      subject: `${versionLabel}, SHA-256 ${facts.hash}`,
      author: facts.author,
      contentHash: facts.hash,
      createdAt: facts.exportedAtMs,
      custom: { SopuArea: facts.areaSlug, SopuVersion: facts.version ? String(facts.version.number) : 'current' },
    },
  };
}

export interface ProposalFacts {
  /** The municipality's language: Swedish for a Swedish-speaking one, a bilingual one's first language. */
  lang: 'fi' | 'sv';
  areaSlug: string;
  areaName: string;
  municipalityCode: string;
  municipalityName: string;
  documentKind: 'cooperation_agreement' | 'authority_task_agreement';
  documentTitle: string;
  version: { number: number; label: string };
  hash: string;
  sentOn: string;
  exportedAt: string;
  exportedAtMs: number;
  /** The host's background text (plain text; paragraphs separated by blank lines). */
  background: string;
  /** The agreement's file name, the appendix. */
  appendix: string;
  /** The version this council decided on before, and the changes since it, section by section. */
  earlier: { number: number; decided: string | null; sections: Array<{ number: number | null; title: string; blocks: readonly DiffBlock[]; notApplicable?: string | null }> } | null;
  author: string;
}

/** "Kainuu-Koillismaan työllisyysalue" → "Kainuu-Koillismaan työllisyysalueen" (the genitive the motion needs). */
function finnishGenitive(name: string): string {
  if (/alue$/.test(name)) return `${name}en`;
  if (/kunta$/.test(name)) return `${name.slice(0, -2)}nan`;
  return `työllisyysalueen ${name}`;
}

/** The motion, in the council's language: what it approves, exactly which text (version and hash), as attached. */
export function motionText(facts: Pick<ProposalFacts, 'lang' | 'areaName' | 'documentKind' | 'version' | 'hash'>): string {
  const short = `${shortHashOf(facts.hash)}…`;
  if (facts.lang === 'sv') {
    const what = facts.documentKind === 'cooperation_agreement' ? `samarbetsavtalet för ${facts.areaName}` : `avtalet om skötseln av en myndighetsuppgift (kommunallagen 54 §) för ${facts.areaName}`;
    return `Fullmäktige godkänner ${what}, version ${facts.version.number}, kontrollsumma ${short}, enligt bilagan.`;
  }
  const what = facts.documentKind === 'cooperation_agreement' ? `${finnishGenitive(facts.areaName)} yhteistoimintasopimuksen` : `${finnishGenitive(facts.areaName)} sopimuksen viranomaistehtävän hoitamisesta (kuntalaki 54 §)`;
  return `Valtuusto hyväksyy ${what}, versio ${facts.version.number}, tarkiste ${short}, liitteen mukaisena.`;
}

export function proposalFileName(facts: Pick<ProposalFacts, 'lang' | 'areaSlug' | 'version' | 'hash' | 'municipalityName'>): string {
  const word = facts.lang === 'sv' ? 'beslutsforslag' : 'paatosehdotus';
  return `${fileSlug(facts.areaSlug)}-v${facts.version.number}-${shortHashOf(facts.hash)}-${word}-${fileSlug(facts.municipalityName)}.docx`;
}

const paragraphsOf = (value: string): Block[] =>
  value
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => paragraph(p));

export function proposalModel(facts: ProposalFacts): ExportDocument {
  const w = WORDS[facts.lang];
  const sections: ExportSection[] = [
    { number: null, key: 'background', title: w.background, blocks: paragraphsOf(facts.background) },
    { number: null, key: 'motion', title: w.motion, blocks: [paragraph([text(motionText(facts), { bold: true })])] },
    { number: null, key: 'appendices', title: w.appendices, blocks: [{ kind: 'list', ordered: true, start: 1, items: [{ blocks: [paragraph(`${facts.documentTitle}, ${w.version.toLowerCase()} ${facts.version.number} (${facts.version.label}), SHA-256 ${facts.hash} (${facts.appendix})`)] }] }] },
  ];
  if (facts.earlier) {
    const blocks: Block[] = [paragraph(w.changesIntro(facts.earlier.number, facts.earlier.decided))];
    if (facts.earlier.sections.length === 0) blocks.push(paragraph(w.noChanges));
    for (const s of facts.earlier.sections) {
      blocks.push(heading(s.number !== null ? `${s.number}. ${s.title}` : s.title, 2));
      if (s.notApplicable) blocks.push(paragraph([text(`${w.notApplicable}: `, { bold: true }), text(s.notApplicable, { italic: true })]));
      blocks.push(...redlineBlocks(s.blocks));
    }
    sections.push({ number: null, key: 'changes', title: w.changesSince(facts.earlier.number), blocks });
  }
  const title = `${w.proposal}: ${facts.documentTitle}`;
  return {
    lang: facts.lang,
    title,
    runningHeader: `${facts.municipalityName} · ${w.council} · ${w.proposal} · ${facts.areaName}`,
    pageLabel: w.page,
    cover: [
      { label: w.municipality, value: `${facts.municipalityName} (${facts.municipalityCode})` },
      { label: w.area, value: facts.areaName },
      { label: w.document, value: facts.documentTitle },
      { label: w.version, value: `${facts.version.number} – ${facts.version.label}` },
      { label: w.sentForApproval, value: facts.sentOn },
      { label: w.hash, value: facts.hash, mono: true },
      { label: w.exported, value: facts.exportedAt },
    ],
    preamble: [],
    sections,
    metadata: {
      title,
      subject: `${facts.municipalityName}: ${motionText(facts)}`,
      author: facts.author,
      contentHash: facts.hash,
      createdAt: facts.exportedAtMs,
      custom: { SopuArea: facts.areaSlug, SopuVersion: String(facts.version.number), SopuMunicipality: facts.municipalityCode },
    },
  };
}

/** A plain report (the consultation summary, the approval matrix): a title, cover rows, headed parts of blocks. */
export interface ReportFacts {
  lang: ExportLanguage;
  title: string;
  runningHeader: string;
  cover: CoverRow[];
  parts: Array<{ title: string; blocks: Block[] }>;
  author: string;
  exportedAtMs: number;
  landscape?: boolean;
  custom?: Record<string, string>;
}

export function reportModel(facts: ReportFacts): ExportDocument {
  return {
    lang: facts.lang,
    title: facts.title,
    runningHeader: facts.runningHeader,
    pageLabel: WORDS[facts.lang].page,
    cover: facts.cover,
    preamble: [],
    sections: facts.parts.map((p, i) => ({ number: null, key: `part${i + 1}`, title: p.title, blocks: p.blocks })),
    metadata: { title: facts.title, subject: facts.runningHeader, author: facts.author, contentHash: null, createdAt: facts.exportedAtMs, custom: facts.custom ?? {} },
    ...(facts.landscape ? { landscape: true } : {}),
  };
}

export { simpleTable, paragraph, heading, text };
