/*
 * The renderer-neutral model of a file Sopu hands out (docs/decisions/022-exports.md): what the DOCX and the PDF
 * renderer both draw, built from a version's canonical JSON (content.ts) or from the facts of a proposal, a summary
 * or a matrix. Plain data (structured-cloneable), so that it crosses to a worker thread as it is.
 *
 * Room for what comes next: a section may later carry a second language's blocks and pending suggestions beside
 * its accepted text; the renderers draw `blocks` and ignore what they do not know yet.
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
