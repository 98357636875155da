import PDFDocument from 'pdfkit';
import { fonts as loadFonts, type FontFace } from './fonts.ts';
import type { Block, ExportDocument, ExportSection, Run, TableCell } from './model.ts';

/*
 * The model as a PDF (PDFKit, decision 022): PDF/A-2b (sRGB output intent, XMP with pdfaid part 2 conformance B),
 * tagged (a structure tree of Document, Sect, H1–H3, P, L/LI/Lbl/LBody and Table/TR/TH/TD in reading order, the
 * running header and page numbers marked as pagination artifacts) with the document's language, every glyph from
 * embedded DejaVu subsets, and the content hash in the Info dictionary and in the XMP (dc:identifier, pdf:Keywords).
 */

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

const LANG_TAG = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' } as const;
const BODY = 10;
const SMALL = 8.5;
const INDENT = 18;
const INSERT_COLOR = '#1F4E99';
const DELETE_COLOR = '#A4262C';

function faceOf(run: Pick<Run, 'bold' | 'italic' | 'code'>): FontFace {
  if (run.code) return 'mono';
  if (run.bold && run.italic) return 'boldItalic';
  if (run.bold) return 'bold';
  return run.italic ? 'italic' : 'regular';
}

/** Metadata text goes into the XMP packet as it is (PDFKit does not escape it): keep markup characters out. */
const metaText = (value: string) => value.replace(/[<>&"]/g, ' ').replace(/\s+/g, ' ').trim();

const xmlEscape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

class Writer {
  readonly left: number;
  readonly width: number;

  constructor(readonly doc: Doc) {
    this.left = doc.page.margins.left;
    this.width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  }

  /** Starts a new page when less than `lines` lines are left (a heading is kept with what follows it). */
  keep(lines: number, size = BODY): void {
    if (this.doc.y + lines * size * 1.5 > this.doc.page.height - this.doc.page.margins.bottom) this.doc.addPage();
  }

  runs(runs: readonly Run[], options: { size?: number; indent?: number; x?: number; width?: number; y?: number } = {}): void {
    const doc = this.doc;
    const size = options.size ?? BODY;
    const x = options.x ?? this.left + (options.indent ?? 0) * INDENT;
    const width = options.width ?? this.width - (x - this.left);
    const visible = runs.filter((r) => r.text !== '');
    if (visible.length === 0) {
      doc.font('regular').fontSize(size).text(' ', x, options.y ?? doc.y, { width });
      return;
    }
    visible.forEach((run, i) => {
      doc
        .font(faceOf(run))
        .fontSize(size)
        .fillColor(run.change === 'insert' ? INSERT_COLOR : run.change === 'delete' ? DELETE_COLOR : run.link ? INSERT_COLOR : '#000000');
      const textOptions: PDFKit.Mixins.TextOptions = {
        continued: i < visible.length - 1,
        underline: Boolean(run.underline || run.link),
        strike: Boolean(run.strike),
        lineGap: 2,
        ...(run.link ? { link: run.link } : { link: null }),
      };
      if (i === 0) doc.text(run.text, x, options.y ?? doc.y, { ...textOptions, width });
      else doc.text(run.text, textOptions);
    });
    doc.fillColor('#000000');
  }

  block(parent: Struct, block: Block, depth = 0): void {
    const doc = this.doc;
    switch (block.kind) {
      case 'heading': {
        this.keep(3);
        const size = block.level === 1 ? 13 : block.level === 2 ? 11.5 : 10.5;
        parent.add(doc.struct(`H${Math.min(block.level + 1, 6)}`, {}, () => this.runs(block.runs.map((r) => ({ ...r, bold: true })), { size })));
        doc.moveDown(0.3);
        break;
      }
      case 'paragraph':
        parent.add(doc.struct('P', {}, () => this.runs(block.runs, { size: block.small ? SMALL : BODY, indent: (block.indent ?? 0) + depth })));
        doc.moveDown(0.45);
        break;
      case 'code':
        parent.add(doc.struct('P', {}, () => this.runs([{ text: block.text, code: true }], { size: 9, indent: depth + 1 })));
        doc.moveDown(0.45);
        break;
      case 'rule': {
        const y = doc.y + 2;
        doc.markContent('Artifact', { type: 'Layout' });
        doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.5).strokeColor('#999999').stroke();
        doc.endMarkedContent();
        doc.y = y + 8;
        break;
      }
      case 'list': {
        const list = doc.struct('L');
        parent.add(list);
        block.items.forEach((item, i) => {
          const li = doc.struct('LI');
          list.add(li);
          this.keep(1);
          const label = block.ordered ? `${block.start + i}.` : depth % 2 === 0 ? '•' : '◦';
          const x = this.left + depth * INDENT;
          const y = doc.y;
          li.add(doc.struct('Lbl', {}, () => doc.font('regular').fontSize(BODY).fillColor('#000000').text(label, x, y, { width: INDENT, lineBreak: false })));
          const body = doc.struct('LBody');
          li.add(body);
          const [first, ...rest] = item.blocks;
          if (first && first.kind === 'paragraph') {
            body.add(doc.struct('P', {}, () => this.runs(first.runs, { x: x + INDENT, y })));
            doc.moveDown(0.3);
          } else {
            doc.y = y + BODY * 1.4;
            if (first) this.block(body, first, depth + 1);
          }
          for (const inner of rest) this.block(body, inner, depth + 1);
          body.end();
          li.end();
        });
        list.end();
        doc.x = this.left;
        doc.moveDown(0.2);
        break;
      }
      case 'table':
        this.table(parent, block.rows, block.caption, depth);
        break;
    }
  }

  table(parent: Struct, rows: readonly TableCell[][], caption: string | undefined, depth: number): void {
    const doc = this.doc;
    if (caption) {
      parent.add(doc.struct('Caption', {}, () => this.runs([{ text: caption, bold: true }])));
      doc.moveDown(0.2);
    }
    const columns = Math.max(1, ...rows.map((r) => r.reduce((n, c) => n + (c.colspan ?? 1), 0)));
    const cellText = (cell: TableCell) =>
      cell.blocks
        .map((b) => (b.kind === 'paragraph' || b.kind === 'heading' ? b.runs.map((r) => r.text).join('') : b.kind === 'code' ? b.text : b.kind === 'list' ? b.items.map((it) => it.blocks.map((x) => (x.kind === 'paragraph' ? x.runs.map((r) => r.text).join('') : '')).join(' ')).join('\n') : ''))
        .join('\n');
    this.keep(3);
    doc.x = this.left + depth * INDENT;
    doc.table({
      structParent: parent,
      width: this.width - depth * INDENT,
      columnStyles: Array.from({ length: columns }, () => '*'),
      defaultStyle: { border: 0.5, borderColor: '#808080', padding: 4, font: { src: 'regular', size: 9 } },
      data: rows.map((row) =>
        row.map((cell) => ({
          text: cellText(cell),
          type: cell.header ? 'TH' : 'TD',
          ...(cell.header ? { font: { src: 'bold', size: 9 }, backgroundColor: '#EDEDED', scope: 'column' } : {}),
          ...(cell.colspan ? { colSpan: cell.colspan } : {}),
          ...(cell.rowspan ? { rowSpan: cell.rowspan } : {}),
        })),
      ),
    } as unknown as PDFKit.Mixins.TableOptionsWithData);
    doc.x = this.left;
    doc.moveDown(0.6);
  }

  section(root: Struct, section: ExportSection): void {
    const doc = this.doc;
    const sect = doc.struct('Sect');
    root.add(sect);
    this.keep(4);
    doc.moveDown(0.4);
    const title = section.number !== null ? `${section.number}. ${section.title}` : section.title;
    sect.add(doc.struct('H1', {}, () => this.runs([{ text: title, bold: true }], { size: 13 })));
    doc.moveDown(0.35);
    if (section.notApplicable) {
      const na = section.notApplicable;
      sect.add(doc.struct('P', {}, () => this.runs([{ text: `${na.label}: `, bold: true }, { text: na.reason, italic: true }])));
      doc.moveDown(0.45);
    }
    for (const block of section.blocks) this.block(sect, block);
    sect.end();
  }
}

/** The PDF of the model (a .pdf file's bytes). */
export async function renderPdf(model: ExportDocument): Promise<Uint8Array> {
  const fonts = loadFonts();
  const hash = model.metadata.contentHash;
  const created = new Date(model.metadata.createdAt);
  const doc = new PDFDocument({
    size: 'A4',
    layout: model.landscape ? 'landscape' : 'portrait',
    margins: { top: 64, bottom: 64, left: 62, right: 62 },
    bufferPages: true,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    tagged: true,
    displayTitle: true,
    lang: LANG_TAG[model.lang],
    // No default font: PDFKit's would be Helvetica, which a PDF/A may not use unembedded; every text names its face.
    font: null as unknown as string,
    info: {
      Title: metaText(model.metadata.title),
      Author: metaText(model.metadata.author),
      Subject: metaText(model.metadata.subject),
      Keywords: hash ? `sha256:${hash}` : '',
      Creator: 'Sopu',
      Producer: 'Sopu (PDFKit)',
      CreationDate: created,
      ModDate: created,
      ...(hash ? { SopuContentHash: hash } : {}),
      ...Object.fromEntries(Object.entries(model.metadata.custom).map(([k, v]) => [k, metaText(v)])),
    } as PDFKit.DocumentInfo,
  } as PDFKit.PDFDocumentOptions);
  for (const [face, bytes] of Object.entries(fonts)) doc.registerFont(face, bytes as unknown as string);
  if (hash) {
    doc.appendXML(`
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:identifier>sha256:${xmlEscape(hash)}</dc:identifier>
        </rdf:Description>
        `);
  }
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const w = new Writer(doc);
  const root = doc.struct('Document');
  doc.addStructure(root);
  root.add(doc.struct('H1', {}, () => w.runs([{ text: model.title, bold: true }], { size: 17 })));
  doc.moveDown(0.5);
  if (model.cover.length > 0) {
    const cover = doc.struct('Table');
    root.add(cover);
    const labelWidth = 150;
    for (const row of model.cover) {
      const tr = doc.struct('TR');
      cover.add(tr);
      w.keep(1);
      const y = doc.y;
      tr.add(doc.struct('TH', {}, () => w.runs([{ text: row.label, bold: true }], { size: 9, x: w.left, width: labelWidth - 8, y })));
      const afterLabel = doc.y;
      tr.add(doc.struct('TD', {}, () => w.runs([{ text: row.value, code: row.mono }], { size: row.mono ? 8 : 9, x: w.left + labelWidth, width: w.width - labelWidth, y })));
      doc.y = Math.max(doc.y, afterLabel) + 3;
      tr.end();
    }
    cover.end();
    doc.x = w.left;
    doc.moveDown(0.8);
  }
  for (const block of model.preamble) w.block(root, block);
  for (const section of model.sections) w.section(root, section);
  root.end();

  // The running header and "page x / y" on every page, once the number of pages is known: pagination artifacts,
  // outside the structure tree, so a screen reader does not read them between paragraphs.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const page = doc.page;
    const bottom = page.margins.bottom;
    page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font('regular').fontSize(7.5).fillColor('#444444');
    doc.text(model.runningHeader, w.left, 34, { width: w.width, lineBreak: false, ellipsis: true });
    const label = model.pageLabel.replace('{page}', String(i + 1)).replace('{pages}', String(range.count));
    doc.text(label, w.left, page.height - 40, { width: w.width, align: 'right', lineBreak: false });
    doc.endMarkedContent();
    page.margins.bottom = bottom;
  }
  doc.fillColor('#000000');
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
