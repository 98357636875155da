import { jsonEqual } from './bilingual.ts';
import { canonicalJson, hashCanonicalSection, type CanonicalDocument, type CanonicalSection, type ProseMirrorJSON, type ProseMirrorMark } from './canonical.ts';
import { DELETE, editScript, INSERT, KEEP } from './edit-script.ts';
import type { SectionStatus } from './layout.ts';

/*
 * Word-by-word comparison of two versions of a document, section by section (decision 016).
 *
 * - Blocks first: the blocks of a section (paragraph, heading, list item, table cell, code block, rule) are aligned
 *   by exact equality (shortest edit script), then the blocks left between two equal ones are paired by word
 *   overlap, in order. Paired blocks get a word diff; unpaired ones are inserted or deleted whole. So a new paragraph
 *   leaves its neighbours equal, and a moved paragraph is deleted where it was and inserted where it is.
 * - Words: text is cut into words, runs of whitespace and single punctuation marks. A word carries its marks, so
 *   the same word with other formatting (bold added, a link's href changed) is a delete and an insert of that word.
 * - Bounded: an edit script needing too many edits, or too many block pairs to weigh, falls back to deleting and
 *   inserting whole blocks, so that two unrelated long texts cost little more than two similar ones.
 */

/** The bounded shortest edit script over number sequences (0 keep, 1 delete, 2 insert), for other comparisons. */
export { editScript } from './edit-script.ts';

/** `hashCanonicalSection`, the section hash stored with every version, under the name the comparison uses. */
export function sectionHash(section: CanonicalSection): string {
  return hashCanonicalSection(section);
}

export type RunOp = 'equal' | 'insert' | 'delete';

export interface DiffRun {
  op: RunOp;
  text: string;
  /** Sorted mark names: `bold`, `italic`, `link:<href>`, …; absent when the text has none. */
  marks?: string[];
}

export type BlockKind = 'paragraph' | 'heading' | 'listItem' | 'tableCell' | 'codeBlock' | 'horizontalRule';

/** Where a block sits. Positions (list index, table row and column) are not part of a block's identity. */
export interface BlockPlace {
  kind: BlockKind;
  /** Headings. */
  level?: number;
  /** List items: the list's type, its nesting depth (1 = top level) and the item's index in it. */
  list?: { type: 'bulletList' | 'orderedList'; depth: number; index: number };
  /** Table cells: the table's index in the section, the row, the cell's index in its row (spans not resolved). */
  table?: { index: number; row: number; column: number; header: boolean };
  /** Depth of enclosing blockquotes. */
  quote?: number;
  /** Code blocks. */
  language?: string;
  /**
   * The block's other attributes, null ones left out: a cell's spans and alignment, an ordered list's start, …
   * Part of the block's identity, so that a change only there still shows as a modified block.
   */
  attrs?: Record<string, unknown>;
}

export type BlockOp = 'equal' | 'modify' | 'insert' | 'delete';

/**
 * A block of the compared section, placed as in `to` (a deleted block as it was in `from`). `modify`: text, marks or
 * structure (e.g. paragraph → heading) changed, the runs say how. `from`: a kept block's place in `from`, when it
 * differs (a row inserted above a cell, a paragraph turned into a heading).
 */
export interface DiffBlock extends BlockPlace {
  op: BlockOp;
  from?: BlockPlace;
  runs: DiffRun[];
}

export interface Change<T> {
  from: T;
  to: T;
}

export interface SectionDiff {
  key: string;
  /** `added`: only in `to`; `removed`: only in `from`. */
  presence: 'both' | 'added' | 'removed';
  /** Exactly when the sections' `sectionHash`es differ (or the section is in one version only). */
  changed: boolean;
  contentChanged: boolean;
  /** Present when the values differ; null stands for the version without the section. */
  order?: Change<number | null>;
  status?: Change<SectionStatus | null>;
  reason?: Change<string | null>;
  /** Every block of the section, equal ones included; left out for unchanged sections. */
  blocks?: DiffBlock[];
  /**
   * A bilingual document's text in its other language (decision 026), compared the same way: present when either
   * side has one and the section changed. `contentChanged` covers both languages.
   */
  parallelBlocks?: DiffBlock[];
}

export interface DocumentDiff {
  /** Every section of either version: in `to`'s order, a removed one after the section it followed in `from`. */
  sections: SectionDiff[];
}

/** The keys of the changed sections, in the diff's order. (`changedSections` is the guard's: of a Yjs transaction.) */
export function changedSectionKeys(diff: DocumentDiff): string[] {
  return diff.sections.filter((s) => s.changed).map((s) => s.key);
}

export function diffDocuments(from: CanonicalDocument, to: CanonicalDocument): DocumentDiff {
  const context = new Context();
  const before = new Map(from.sections.map((s) => [s.key, s]));
  const after = new Map(to.sections.map((s) => [s.key, s]));
  return { sections: sectionOrder(from, to).map((key) => diffSection(key, before.get(key), after.get(key), context)) };
}

function sectionOrder(from: CanonicalDocument, to: CanonicalDocument): string[] {
  const kept = new Set(to.sections.map((s) => s.key));
  const removedAfter = new Map<string | null, string[]>();
  let previous: string | null = null;
  for (const { key } of from.sections) {
    if (kept.has(key)) previous = key;
    else removedAfter.set(previous, [...(removedAfter.get(previous) ?? []), key]);
  }
  const keys = [...(removedAfter.get(null) ?? [])];
  for (const { key } of to.sections) keys.push(key, ...(removedAfter.get(key) ?? []));
  return keys;
}

function change<T>(from: T, to: T): Change<T> | undefined {
  return from === to ? undefined : { from, to };
}

const EMPTY: ProseMirrorJSON = { type: 'doc' };

function diffSection(key: string, from: CanonicalSection | undefined, to: CanonicalSection | undefined, context: Context): SectionDiff {
  const bilingual = from?.parallel !== undefined || to?.parallel !== undefined;
  const parallelChanged = bilingual && (!from || !to || !jsonEqual(from.parallel ?? EMPTY, to.parallel ?? EMPTY));
  const contentChanged = !from || !to || !jsonEqual(from.content, to.content) || parallelChanged;
  const result: SectionDiff = {
    key,
    presence: !from ? 'added' : !to ? 'removed' : 'both',
    changed: contentChanged,
    contentChanged,
  };
  const order = change(from?.order ?? null, to?.order ?? null);
  const status = change(from?.status ?? null, to?.status ?? null);
  const reason = change(from?.reason ?? null, to?.reason ?? null);
  if (order) result.order = order;
  if (status) result.status = status;
  if (reason) result.reason = reason;
  result.changed = contentChanged || !!order || !!status || !!reason;
  if (!result.changed) return result;
  const before = from ? flatten(from.content) : [];
  const after = to ? flatten(to.content) : [];
  result.blocks = contentChanged ? diffBlocks(before, after, context) : after.map((b) => wholeBlock(b, 'equal'));
  if (bilingual) {
    const parallelBefore = from ? flatten(from.parallel ?? EMPTY) : [];
    const parallelAfter = to ? flatten(to.parallel ?? EMPTY) : [];
    result.parallelBlocks = parallelChanged ? diffBlocks(parallelBefore, parallelAfter, context) : parallelAfter.map((b) => wholeBlock(b, 'equal'));
  }
  return result;
}

/** Two texts of a section compared word by word (the change of one language's text since a translation was marked). */
export function diffContent(from: ProseMirrorJSON, to: ProseMirrorJSON): DiffBlock[] {
  return diffBlocks(flatten(from), flatten(to), new Context());
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks

interface Segment {
  text: string;
  marks: string[];
  /** `marks` joined: equal keys, equal formatting. */
  key: string;
}

interface Block {
  place: BlockPlace;
  /** What makes two blocks the same block apart from their text: kind, level, list type and depth, … */
  shape: string;
  segments: Segment[];
  /** shape + text + marks: equal signatures, equal blocks. */
  signature: string;
  tokens?: Tokens;
}

function markName(mark: ProseMirrorMark): string {
  // A link is its target; target/rel/class are set by the editor, not by the drafters.
  if (mark.type === 'link') return `link:${String(mark.attrs?.href ?? '')}`;
  const attrs = mark.attrs && Object.values(mark.attrs).some((v) => v !== null && v !== undefined) ? canonicalJson(mark.attrs) : '';
  return attrs ? `${mark.type}:${attrs}` : mark.type;
}

function pushSegment(segments: Segment[], text: string, marks: string[]): void {
  if (text === '') return;
  const key = marks.join('\u0001');
  const last = segments[segments.length - 1];
  if (last && last.key === key) last.text += text;
  else segments.push({ text, marks, key });
}

const TEXTBLOCKS = new Set(['paragraph', 'heading', 'codeBlock']);
const LISTS = new Set(['bulletList', 'orderedList']);

/** The text of a node and everything in it; textblocks are separated by a newline, as hard breaks are. */
function collectText(node: ProseMirrorJSON, segments: Segment[]): void {
  if (node.type === 'text') {
    pushSegment(segments, node.text ?? '', (node.marks ?? []).map(markName).sort());
    return;
  }
  if (node.type === 'hardBreak') return pushSegment(segments, '\n', []);
  if (TEXTBLOCKS.has(node.type) && segments.length > 0) pushSegment(segments, '\n', []);
  if (!node.content && !TEXTBLOCKS.has(node.type) && node.type !== 'horizontalRule') return pushSegment(segments, '\uFFFC', []);
  for (const child of node.content ?? []) collectText(child, segments);
}

function shapeOf(place: BlockPlace): string {
  const { kind, level, list, table, quote, language, attrs } = place;
  return `${kind}|${level ?? ''}|${list ? `${list.type}/${list.depth}` : ''}|${table?.header ?? ''}|${quote ?? ''}|${language ?? ''}|${attrs ? canonicalJson(attrs) : ''}`;
}

function otherAttrs(node: ProseMirrorJSON, shown: string[] = []): { attrs?: Record<string, unknown> } {
  const entries = Object.entries(node.attrs ?? {}).filter(([k, v]) => v !== null && v !== undefined && !shown.includes(k));
  return entries.length > 0 ? { attrs: Object.fromEntries(entries) } : {};
}

function makeBlock(place: BlockPlace, segments: Segment[]): Block {
  const shape = shapeOf(place);
  let signature = shape;
  for (const s of segments) signature += `\u0002${s.key}\u0003${s.text}`;
  return { place, shape, segments, signature };
}

/** The section's blocks in reading order: a list item or a table cell is one block, whatever paragraphs it holds. */
function flatten(doc: ProseMirrorJSON): Block[] {
  const blocks: Block[] = [];
  let tables = 0;
  const visit = (node: ProseMirrorJSON, quote: number, listDepth: number): void => {
    const inQuote = quote > 0 ? { quote } : {};
    if (TEXTBLOCKS.has(node.type)) {
      const place: BlockPlace = { kind: node.type as BlockKind, ...inQuote, ...otherAttrs(node, ['level', 'language']) };
      if (node.type === 'heading') place.level = Number(node.attrs?.level ?? 1);
      if (node.type === 'codeBlock' && typeof node.attrs?.language === 'string') place.language = node.attrs.language;
      const segments: Segment[] = [];
      for (const child of node.content ?? []) collectText(child, segments);
      blocks.push(makeBlock(place, segments));
    } else if (node.type === 'horizontalRule') {
      blocks.push(makeBlock({ kind: 'horizontalRule', ...inQuote, ...otherAttrs(node) }, []));
    } else if (node.type === 'blockquote') {
      for (const child of node.content ?? []) visit(child, quote + 1, listDepth);
    } else if (LISTS.has(node.type)) {
      const list = { type: node.type as 'bulletList' | 'orderedList', depth: listDepth + 1 };
      (node.content ?? []).forEach((item, index) => {
        const segments: Segment[] = [];
        const nested: ProseMirrorJSON[] = [];
        for (const child of item.content ?? []) {
          if (LISTS.has(child.type)) nested.push(child);
          else collectText(child, segments);
        }
        blocks.push(makeBlock({ kind: 'listItem', list: { ...list, index }, ...inQuote, ...otherAttrs(node) }, segments));
        for (const child of nested) visit(child, quote, listDepth + 1);
      });
    } else if (node.type === 'table') {
      const index = tables++;
      (node.content ?? []).forEach((row, r) => {
        (row.content ?? []).forEach((cell, column) => {
          const segments: Segment[] = [];
          for (const child of cell.content ?? []) collectText(child, segments);
          const table = { index, row: r, column, header: cell.type === 'tableHeader' };
          blocks.push(makeBlock({ kind: 'tableCell', table, ...inQuote, ...otherAttrs(cell) }, segments));
        });
      });
    } else {
      for (const child of node.content ?? []) visit(child, quote, listDepth);
    }
  };
  for (const child of doc.content ?? []) visit(child, 0, 0);
  return blocks;
}

function samePlace(a: BlockPlace, b: BlockPlace): boolean {
  return (
    a.kind === b.kind &&
    a.level === b.level &&
    a.quote === b.quote &&
    a.language === b.language &&
    a.list?.type === b.list?.type &&
    a.list?.depth === b.list?.depth &&
    a.list?.index === b.list?.index &&
    a.table?.index === b.table?.index &&
    a.table?.row === b.table?.row &&
    a.table?.column === b.table?.column &&
    a.table?.header === b.table?.header &&
    (a.attrs === b.attrs || (!!a.attrs && !!b.attrs && canonicalJson(a.attrs) === canonicalJson(b.attrs)))
  );
}

function wholeBlock(block: Block, op: 'equal' | 'insert' | 'delete'): DiffBlock {
  const runs: DiffRun[] = block.segments.map((s) => run(op, s.text, s.marks));
  return { op, ...block.place, runs };
}

function keptBlock(from: Block, to: Block, op: 'equal' | 'modify', runs: DiffRun[]): DiffBlock {
  const result: DiffBlock = { op, ...to.place, runs };
  if (!samePlace(from.place, to.place)) result.from = from.place;
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Limits: past them the diff gets coarser, never slower.

/** Most insertions + deletions an edit script may need (its memory grows with the square). */
const MAX_EDITS = 2000;
/** Rough steps an edit script may take: (N + M) · D. */
const EDIT_WORK = 4_000_000;
/** Word comparisons spent on pairing the unmatched blocks of one gap; beyond it they are deleted and inserted. */
const PAIRING_WORK = 2_000_000;
/** Share of words two blocks must have in common to be shown as one changed block. */
const SIMILAR = 0.5;

function editBound(n: number, m: number): number {
  return Math.max(1, Math.min(MAX_EDITS, Math.floor(EDIT_WORK / Math.max(1, n + m))));
}

function diffBlocks(before: Block[], after: Block[], context: Context): DiffBlock[] {
  const a = Int32Array.from(before, (b) => context.blockId(b.signature));
  const b = Int32Array.from(after, (b) => context.blockId(b.signature));
  const script = editScript(a, b, editBound(a.length, b.length));
  const out: DiffBlock[] = [];
  if (!script) {
    diffGap(before, after, context, out);
    return out;
  }
  let i = 0;
  let j = 0;
  let gapA = 0;
  let gapB = 0;
  for (const step of script) {
    if (step === KEEP) {
      diffGap(before.slice(gapA, i), after.slice(gapB, j), context, out);
      out.push(keptBlock(before[i]!, after[j]!, 'equal', wholeBlock(after[j]!, 'equal').runs));
      gapA = ++i;
      gapB = ++j;
    } else if (step === DELETE) i++;
    else j++;
  }
  diffGap(before.slice(gapA), after.slice(gapB), context, out);
  return out;
}

/**
 * Blocks between two equal ones: pair them, keeping their order, so that the pairs share as many words as possible;
 * pairs need half their words in common, except cells of the same column and a lone block replacing a lone block
 * of the same kind. Paired blocks get a word diff, the others are deleted or inserted whole.
 */
function diffGap(before: Block[], after: Block[], context: Context, out: DiffBlock[]): void {
  const pairs = pairBlocks(before, after, context);
  let i = 0;
  let j = 0;
  for (const [pi, pj] of pairs) {
    while (i < pi) out.push(wholeBlock(before[i++]!, 'delete'));
    while (j < pj) out.push(wholeBlock(after[j++]!, 'insert'));
    out.push(diffPair(before[i++]!, after[j++]!, context));
  }
  while (i < before.length) out.push(wholeBlock(before[i++]!, 'delete'));
  while (j < after.length) out.push(wholeBlock(after[j++]!, 'insert'));
}

function pairBlocks(before: Block[], after: Block[], context: Context): Array<[number, number]> {
  const n = before.length;
  const m = after.length;
  if (n === 0 || m === 0) return [];
  const x = before.map((b) => context.tokens(b));
  const y = after.map((b) => context.tokens(b));
  const words = (ts: Tokens[]) => ts.reduce((sum, t) => sum + t.bag.length + 1, 0);
  if (m * words(x) + n * words(y) > PAIRING_WORK) return [];
  const lone = n === 1 && m === 1;
  // best[(i + 1) * (m + 1) + (j + 1)]: the best total score pairing before[0..i] with after[0..j].
  const best = new Float64Array((n + 1) * (m + 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const s = pairScore(before[i]!, after[j]!, x[i]!, y[j]!, lone);
      const at = (i + 1) * (m + 1) + (j + 1);
      best[at] = Math.max(best[at - 1]!, best[at - m - 1]!, s > 0 ? best[at - m - 2]! + s : 0);
    }
  }
  const pairs: Array<[number, number]> = [];
  for (let i = n, j = m; i > 0 && j > 0; ) {
    const at = i * (m + 1) + j;
    if (best[at] === best[at - m - 1]) i--;
    else if (best[at] === best[at - 1]) j--;
    else {
      pairs.push([i - 1, j - 1]);
      i--;
      j--;
    }
  }
  return pairs.reverse();
}

function pairScore(a: Block, b: Block, x: Tokens, y: Tokens, lone: boolean): number {
  const similarity = dice(x.bag, y.bag);
  const sameShape = a.shape === b.shape;
  if (similarity >= SIMILAR) return similarity + (sameShape ? 0.1 : 0);
  const sameColumn = a.place.table && b.place.table && sameShape && a.place.table.column === b.place.table.column;
  if (sameColumn || (lone && a.place.kind === b.place.kind)) return 0.01 + similarity * 0.1;
  return 0;
}

/** Dice coefficient of two sorted multisets of word ids: 1 when they hold the same words, 0 when none in common. */
function dice(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let common = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return (2 * common) / (a.length + b.length);
}

// ---------------------------------------------------------------------------------------------------------------
// Words

interface Tokens {
  text: string[];
  segment: Segment[];
  /** Text and marks. */
  ids: Float64Array;
  kind: Uint8Array;
  /** Sorted ids of the words' text alone (marks left out): what block pairing compares. */
  bag: Int32Array;
}

/**
 * A number with spaces between thousands ("1 300", "40 000,50"); a word of letters, digits, § and combining marks
 * that may continue after a hyphen, dash, apostrophe, colon or slash ("Kainuu-Koillismaa", "EU:n", "§:ssä",
 * "410/2015", "2025–2027") or after a point or comma between digits ("42,13", "1.1.2027"); a run of whitespace;
 * any other single character.
 */
const TOKEN =
  /((?<!\d)\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?!\d)|[\p{L}\p{N}\p{M}§]+(?:(?:[-–'’:/]|(?<=\d)[.,](?=\d))[\p{L}\p{N}\p{M}§]+)*)|(\s+)|[^]/gu;
/** Token id = text id · 2²⁶ + marks id: exact in a double while both stay below 2²⁶, far beyond what fits in memory. */
const MARK_SETS = 2 ** 26;
const WORD = 1;
const SPACE = 2;
const OTHER = 3;

/** Ids shared by the blocks of one comparison, so that equal words and equal blocks compare as equal numbers. */
class Context {
  #blocks = new Map<string, number>();
  #texts = new Map<string, number>();
  #marks = new Map<string, number>();

  blockId(signature: string): number {
    return intern(this.#blocks, signature);
  }

  tokens(block: Block): Tokens {
    if (block.tokens) return block.tokens;
    const text: string[] = [];
    const segment: Segment[] = [];
    const ids: number[] = [];
    const kind: number[] = [];
    const bag: number[] = [];
    for (const s of block.segments) {
      // A token's id is its text's id and its marks' id in one number: no key strings to build and hash.
      const marks = intern(this.#marks, s.key);
      TOKEN.lastIndex = 0;
      for (let match = TOKEN.exec(s.text); match !== null; match = TOKEN.exec(s.text)) {
        const token = match[0];
        const tokenKind = match[1] !== undefined ? WORD : match[2] !== undefined ? SPACE : OTHER;
        const id = intern(this.#texts, token);
        text.push(token);
        segment.push(s);
        ids.push(id * MARK_SETS + marks);
        kind.push(tokenKind);
        if (tokenKind === WORD) bag.push(id);
      }
    }
    block.tokens = { text, segment, ids: Float64Array.from(ids), kind: Uint8Array.from(kind), bag: Int32Array.from(bag).sort() };
    return block.tokens;
  }
}

function intern(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) ids.set(key, (id = ids.size));
  return id;
}

function run(op: RunOp, text: string, marks: string[]): DiffRun {
  return marks.length > 0 ? { op, text, marks } : { op, text };
}

/** Adds a token to the runs, extending the last run when it has the same op and marks. */
function append(runs: DiffRun[], keys: string[], op: RunOp, text: string, segment: Segment): void {
  const last = runs.length - 1;
  if (last >= 0 && runs[last]!.op === op && keys[last] === segment.key) runs[last]!.text += text;
  else {
    runs.push(run(op, text, segment.marks));
    keys.push(segment.key);
  }
}

/** A stretch of the word script: equal tokens a[a0..a1) = b[b0..b1), or a[a0..a1) replaced by b[b0..b1). */
interface Hunk {
  equal: boolean;
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

function hunksOf(script: Uint8Array): Hunk[] {
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  for (const step of script) {
    const equal = step === KEEP;
    let last = hunks[hunks.length - 1];
    if (!last || last.equal !== equal) hunks.push((last = { equal, a0: i, a1: i, b0: j, b1: j }));
    if (step !== INSERT) last.a1 = ++i;
    if (step !== DELETE) last.b1 = ++j;
  }
  return hunks;
}

/**
 * Whitespace left equal between two changes is folded into them ("a b" → "c d" is one replacement, not two around
 * a kept space), as long as the result replaces something with something. Punctuation stays: it carries meaning.
 */
function foldSeparators(hunks: Hunk[], x: Tokens): Hunk[] {
  const out: Hunk[] = [];
  for (const hunk of hunks) {
    const separator = out[out.length - 1];
    const previous = out[out.length - 2];
    if (!hunk.equal && separator?.equal && previous && !previous.equal && x.kind.subarray(separator.a0, separator.a1).every((k) => k === SPACE)) {
      const deletes = previous.a1 > previous.a0 || hunk.a1 > hunk.a0;
      const inserts = previous.b1 > previous.b0 || hunk.b1 > hunk.b0;
      if (deletes && inserts) {
        out.length -= 2;
        out.push({ equal: false, a0: previous.a0, a1: hunk.a1, b0: previous.b0, b1: hunk.b1 });
        continue;
      }
    }
    out.push(hunk);
  }
  return out;
}

function diffPair(before: Block, after: Block, context: Context): DiffBlock {
  if (before.signature === after.signature) return keptBlock(before, after, 'equal', wholeBlock(after, 'equal').runs);
  const x = context.tokens(before);
  const y = context.tokens(after);
  const script = editScript(x.ids, y.ids, editBound(x.ids.length, y.ids.length));
  const hunks = script ? foldSeparators(hunksOf(script), x) : [{ equal: false, a0: 0, a1: x.ids.length, b0: 0, b1: y.ids.length }];
  const runs: DiffRun[] = [];
  const keys: string[] = [];
  for (const h of hunks) {
    if (h.equal) {
      for (let j = h.b0; j < h.b1; j++) append(runs, keys, 'equal', y.text[j]!, y.segment[j]!);
      continue;
    }
    for (let i = h.a0; i < h.a1; i++) append(runs, keys, 'delete', x.text[i]!, x.segment[i]!);
    for (let j = h.b0; j < h.b1; j++) append(runs, keys, 'insert', y.text[j]!, y.segment[j]!);
  }
  return keptBlock(before, after, 'modify', runs);
}
