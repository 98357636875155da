/*
 * The renderer-neutral model of a file Sopu hands out (docs/decisions/022-exports.md): what the DOCX and the PDF
 * renderer both draw, built from a version's canonical JSON (content.ts) or from the facts of a proposal, a summary
 * or a matrix. Plain data (structured-cloneable), so that it crosses to a worker thread as it is.
 *
 * A section of a bilingual document exported in both languages carries `columns` (decision 026): its text in each
 * language side by side, drawn block by block so that a paragraph sits beside its translation.
 */

export type ExportLanguage = 'fi' | 'sv' | 'en';

/** A piece of text with one set of marks. `change` is a redline's: inserted (underlined) or deleted (struck). */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  code?: boolean;
  /** An http, https or mailto address (checked when the model is built). */
  link?: string;
  change?: 'insert' | 'delete';
  /** The run's language where it is not the file's (a column of a bilingual file). */
  lang?: 'fi' | 'sv';
}

export interface ListItem {
  blocks: Block[];
}

export interface TableCell {
  blocks: Block[];
  header: boolean;
  colspan?: number;
  rowspan?: number;
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; runs: Run[] }
  | { kind: 'paragraph'; runs: Run[]; indent?: number; small?: boolean }
  | { kind: 'list'; ordered: boolean; start: number; items: ListItem[] }
  | { kind: 'table'; rows: TableCell[][]; caption?: string }
  | { kind: 'code'; text: string }
  | { kind: 'rule' };

/** One section of the body: a heading (numbered or not) and its blocks. */
export interface ExportSection {
  /** The section's number in the document (1-based), drawn before its title with real numbering; null: unnumbered. */
  number: number | null;
  key: string;
  title: string;
  blocks: Block[];
  /** A section marked not applicable: the words for it and the reason given. */
  notApplicable?: { label: string; reason: string };
  /**
   * Both languages of a bilingual document side by side (decision 026), main language first: drawn instead of
   * `blocks` (which then hold the main language's, for readers of the model that know no columns).
   */
  columns?: [SectionColumn, SectionColumn];
}

/** One language's text of a section in a parallel (two-column) file. */
export interface SectionColumn {
  lang: 'fi' | 'sv';
  title: string;
  blocks: Block[];
}

/** A label and its value on the cover (area, document, version, date, hash …). */
export interface CoverRow {
  label: string;
  value: string;
  /** Drawn in a fixed-width font (the hash). */
  mono?: boolean;
}

export interface ExportMetadata {
  title: string;
  subject: string;
  author: string;
  /** The SHA-256 of the version's canonical content, when the file is of a version or of the text. */
  contentHash: string | null;
  /** When the file was made (ms since the epoch): the PDF's creation date. */
  createdAt: number;
  /** Further named values for the file's custom properties (DOCX) and Info dictionary (PDF). */
  custom: Record<string, string>;
}

export interface ExportDocument {
  lang: ExportLanguage;
  /** The heading on the first page. */
  title: string;
  /** The running header of every page: area, document, version label. */
  runningHeader: string;
  /** Page x of y, in the document's language: `{page}` and `{pages}` are replaced. */
  pageLabel: string;
  cover: CoverRow[];
  /** Blocks before the sections (a proposal's heading lines, a summary's introduction). */
  preamble: Block[];
  sections: ExportSection[];
  metadata: ExportMetadata;
  /** Landscape pages (the approval matrix). */
  landscape?: boolean;
}

export type ExportFormat = 'docx' | 'pdf';

/** Plain text of runs, as a reader would see it. */
export function runsText(runs: readonly Run[]): string {
  return runs.map((r) => r.text).join('');
}

export const text = (value: string, marks: Omit<Run, 'text'> = {}): Run => ({ text: value, ...marks });
export const paragraph = (value: string | Run[], options: { small?: boolean } = {}): Block => ({
  kind: 'paragraph',
  runs: typeof value === 'string' ? [text(value)] : value,
  ...(options.small ? { small: true } : {}),
});
export const heading = (value: string, level: 1 | 2 | 3 = 2): Block => ({ kind: 'heading', level, runs: [text(value)] });
const cellOf = (value: string, header: boolean): TableCell => ({ header, blocks: value ? [paragraph(value)] : [] });
/** A table from plain strings: the first row a header row when `header` is given. */
export function simpleTable(header: readonly string[] | null, rows: readonly (readonly string[])[]): Block {
  return { kind: 'table', rows: [...(header ? [header.map((h) => cellOf(h, true))] : []), ...rows.map((row) => row.map((c) => cellOf(c, false)))] };
}

/** A block with every run in it marked as in `lang` (a column of a bilingual file, decision 026). */
export function inLanguage(block: Block, lang: 'fi' | 'sv'): Block {
  const runs = (list: readonly Run[]) => list.map((r) => ({ ...r, lang }));
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
      return { ...block, runs: runs(block.runs) };
    case 'list':
      return { ...block, items: block.items.map((item) => ({ blocks: item.blocks.map((b) => inLanguage(b, lang)) })) };
    case 'table':
      return { ...block, rows: block.rows.map((row) => row.map((cell) => ({ ...cell, blocks: cell.blocks.map((b) => inLanguage(b, lang)) }))) };
    default:
      return block;
  }
}
