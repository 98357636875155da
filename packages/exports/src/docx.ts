import {
  AlignmentType, BorderStyle, Document, ExternalHyperlink, Footer, Header, HeadingLevel, LevelFormat, Packer, PageNumber, PageOrientation, Paragraph,
  Table, TableCell, TableRow, TextRun, WidthType, type ILevelsOptions, type INumberingOptions, type ParagraphChild,
} from 'docx';
import { type Block, type ExportDocument, type Run } from './model.ts';

/*
 * The model as a Word document (`docx`, decision 022): Word's own heading styles (Heading 1 for a section, with real
 * list numbering "1." … so that Word's navigation pane and a table of contents find them), real numbered and
 * bulleted lists, tables with a repeated header row, a running header and "page x / y" from Word's own fields, and
 * the content hash in the core and custom properties.
 */

/** Word sizes are half-points; indents twentieths of a point. */
const FONT = 'Arial';
const MONO = 'Courier New';
const BODY_SIZE = 21;
const SMALL_SIZE = 17;
const INDENT = 567;
const INSERT_COLOR = '1F4E99';
const DELETE_COLOR = 'A4262C';

const LANG_TAG = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' } as const;

function level(levelIndex: number, ordered: boolean, start = 1): ILevelsOptions {
  return {
    level: levelIndex,
    format: ordered ? LevelFormat.DECIMAL : LevelFormat.BULLET,
    text: ordered ? `%${levelIndex + 1}.` : ['•', '◦', '▪'][levelIndex % 3]!,
    start,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: INDENT * (levelIndex + 1), hanging: INDENT / 1.5 } } },
  };
}

class Numbering {
  /** One numbering definition per list start (an ordered list may start at 3); instances restart each list. */
  readonly config: Array<INumberingOptions['config'][number]> = [
    { reference: 'sopu-sections', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', start: 1, alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: INDENT, hanging: INDENT } } } }] },
    { reference: 'sopu-bullets', levels: [0, 1, 2, 3].map((i) => level(i, false)) },
  ];
  private instance = 0;

  orderedReference(start: number): string {
    const reference = `sopu-ordered-${start}`;
    if (!this.config.some((c) => c.reference === reference)) this.config.push({ reference, levels: [0, 1, 2, 3].map((i) => level(i, true, i === 0 ? start : 1)) });
    return reference;
  }

  nextInstance(): number {
    this.instance += 1;
    return this.instance;
  }
}

function textRuns(runs: readonly Run[], size?: number): ParagraphChild[] {
  const children: ParagraphChild[] = [];
  for (const run of runs) {
    // Hard breaks: a break before every line after the first.
    const lines = run.text.split('\n');
    const pieces = lines.map(
      (line, i) =>
        new TextRun({
          text: line,
          break: i > 0 ? 1 : undefined,
          bold: run.bold,
          italics: run.italic,
          underline: run.underline ? {} : undefined,
          strike: run.strike,
          font: run.code ? MONO : undefined,
          size,
          color: run.change === 'insert' ? INSERT_COLOR : run.change === 'delete' ? DELETE_COLOR : run.link ? '1F4E99' : undefined,
        }),
    );
    if (run.link) children.push(new ExternalHyperlink({ link: run.link, children: pieces }));
    else children.push(...pieces);
  }
  return children;
}

function blockParagraphs(block: Block, numbering: Numbering, depth: number, list?: { reference: string; instance: number; level: number }): Array<Paragraph | Table> {
  switch (block.kind) {
    case 'heading':
      return [new Paragraph({ heading: block.level === 1 ? HeadingLevel.HEADING_1 : block.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3, children: textRuns(block.runs) })];
    case 'paragraph':
      return [
        new Paragraph({
          children: textRuns(block.runs, block.small ? SMALL_SIZE : undefined),
          ...(list ? { numbering: { reference: list.reference, level: list.level, instance: list.instance } } : {}),
          ...(!list && (block.indent ?? 0) + depth > 0 ? { indent: { left: INDENT * ((block.indent ?? 0) + depth) } } : {}),
        }),
      ];
    case 'code':
      return [new Paragraph({ children: textRuns([{ text: block.text, code: true }]), indent: { left: INDENT * (depth + 1) } })];
    case 'rule':
      return [new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '999999', space: 1 } }, children: [] })];
    case 'list': {
      const reference = block.ordered ? numbering.orderedReference(block.start) : 'sopu-bullets';
      const instance = list && list.reference === reference ? list.instance : numbering.nextInstance();
      const levelIndex = list ? Math.min(list.level + 1, 3) : 0;
      const out: Array<Paragraph | Table> = [];
      for (const item of block.items) {
        let first = true;
        for (const inner of item.blocks.length > 0 ? item.blocks : [{ kind: 'paragraph', runs: [] } as Block]) {
          if (inner.kind === 'list') {
            out.push(...blockParagraphs(inner, numbering, depth, { reference, instance, level: levelIndex }));
          } else if (first && inner.kind === 'paragraph') {
            out.push(...blockParagraphs(inner, numbering, depth, { reference, instance, level: levelIndex }));
          } else {
            out.push(...blockParagraphs(inner, numbering, depth + levelIndex + 1));
          }
          first = false;
        }
      }
      return out;
    }
    case 'table': {
      const rows = block.rows.map((row, i) => {
        const header = row.every((c) => c.header);
        return new TableRow({
          tableHeader: header && i === 0,
          cantSplit: true,
          children: row.map(
            (cell) =>
              new TableCell({
                columnSpan: cell.colspan,
                rowSpan: cell.rowspan,
                shading: cell.header ? { fill: 'EDEDED' } : undefined,
                children: cell.blocks.length > 0 ? cell.blocks.flatMap((b) => blockParagraphs(cell.header && b.kind === 'paragraph' ? { ...b, runs: b.runs.map((r) => ({ ...r, bold: true })) } : b, numbering, 0)) : [new Paragraph({ children: [] })],
              }),
          ),
        });
      });
      const out: Array<Paragraph | Table> = [];
      if (block.caption) out.push(new Paragraph({ children: textRuns([{ text: block.caption, bold: true }]) }));
      out.push(new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }));
      out.push(new Paragraph({ children: [] }));
      return out;
    }
  }
}

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

function coverTable(model: ExportDocument): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER, insideHorizontal: NO_BORDER, insideVertical: NO_BORDER },
    columnWidths: [2600, 6400],
    rows: model.cover.map(
      (row) =>
        new TableRow({
          cantSplit: true,
          children: [
            new TableCell({ width: { size: 28, type: WidthType.PERCENTAGE }, children: [new Paragraph({ children: textRuns([{ text: row.label, bold: true }], SMALL_SIZE + 2) })] }),
            new TableCell({ width: { size: 72, type: WidthType.PERCENTAGE }, children: [new Paragraph({ children: textRuns([{ text: row.value, code: row.mono }], SMALL_SIZE + 2) })] }),
          ],
        }),
    ),
  });
}

/** The Word document of the model (a .docx file's bytes). */
export async function renderDocx(model: ExportDocument): Promise<Uint8Array> {
  const numbering = new Numbering();
  const body: Array<Paragraph | Table> = [new Paragraph({ heading: HeadingLevel.TITLE, children: textRuns([{ text: model.title }]) }), coverTable(model), new Paragraph({ children: [] })];
  for (const block of model.preamble) body.push(...blockParagraphs(block, numbering, 0));
  for (const section of model.sections) {
    body.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        children: textRuns([{ text: section.title }]),
        ...(section.number !== null ? { numbering: { reference: 'sopu-sections', level: 0 } } : {}),
      }),
    );
    if (section.notApplicable) {
      body.push(new Paragraph({ children: textRuns([{ text: `${section.notApplicable.label}: `, bold: true }, { text: section.notApplicable.reason, italic: true }]) }));
    }
    for (const block of section.blocks) body.push(...blockParagraphs(block, numbering, 0));
  }
  const [before, after] = model.pageLabel.split('{page}') as [string, string];
  const [middle, end] = (after ?? '').split('{pages}') as [string, string];
  const hash = model.metadata.contentHash;
  const document = new Document({
    title: model.metadata.title,
    subject: model.metadata.subject,
    creator: model.metadata.author,
    lastModifiedBy: model.metadata.author,
    description: hash ? `SHA-256 ${hash}` : model.metadata.subject,
    keywords: hash ? `sha256:${hash}` : '',
    customProperties: [...(hash ? [{ name: 'SopuContentHash', value: hash }] : []), ...Object.entries(model.metadata.custom).map(([name, value]) => ({ name, value }))],
    numbering: { config: numbering.config },
    styles: {
      default: {
        document: { run: { font: FONT, size: BODY_SIZE, language: { value: LANG_TAG[model.lang] } }, paragraph: { spacing: { after: 120, line: 276 } } },
        title: { run: { font: FONT, size: 36, bold: true, color: '000000' }, paragraph: { spacing: { after: 240 } } },
        heading1: { run: { font: FONT, size: 28, bold: true, color: '000000' }, paragraph: { spacing: { before: 360, after: 120 }, keepNext: true } },
        heading2: { run: { font: FONT, size: 24, bold: true, color: '000000' }, paragraph: { spacing: { before: 240, after: 100 }, keepNext: true } },
        heading3: { run: { font: FONT, size: 22, bold: true, italics: true, color: '000000' }, paragraph: { spacing: { before: 200, after: 80 }, keepNext: true } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { orientation: model.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT, width: 11906, height: 16838 },
            margin: { top: 1300, bottom: 1200, left: 1300, right: 1300, header: 600, footer: 600 },
          },
        },
        headers: { default: new Header({ children: [new Paragraph({ children: textRuns([{ text: model.runningHeader }], SMALL_SIZE) })] }) },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ size: SMALL_SIZE, children: [before, PageNumber.CURRENT, middle ?? '', PageNumber.TOTAL_PAGES, end ?? ''] })] })],
          }),
        },
        children: body,
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
