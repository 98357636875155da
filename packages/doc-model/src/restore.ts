import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { ProseMirrorJSON } from './canonical.ts';
import { cleanSectionJSON } from './content-rules.ts';
import { DELETE, editScript, INSERT, KEEP } from './edit-script.ts';
import { sectionFragment } from './layout.ts';
import { sopuSchema } from './schema.ts';

/*
 * Restoring a version by the smallest change to the live document (issue 15, decision 016).
 *
 * A comment's anchor is a pair of Yjs relative positions: it points at characters (Items) of the live Y.XmlText. If a
 * restore deleted a section's content and inserted the version's afresh, every character would be a new Item and
 * every anchor would collapse ("Teksti poistettu"), even where the text did not change. So the version's content is
 * built in a scratch document exactly as the editor would write it, and the live fragment is brought to it by an edit
 * script: nodes that are equal stay untouched; between them, nodes of the same kind are paired in order by how alike
 * their texts are and changed in place (element attributes set, children synced the same way, text changed
 * character by character, formatting set on what stays); what is left over is deleted or inserted. An anchor
 * survives wherever its characters survive, and clients see the restore as the edit it is.
 */

/** Bounds on the edit scripts: beyond them a node list or text is treated as unrelated (kept prefix and suffix only). */
const MAX_NODE_EDITS = 2_000;
const MAX_TEXT_EDITS = 20_000;
/** Pairing the nodes left between two equal ones weighs every pair: beyond this many, pairs are made by kind only. */
const MAX_PAIRINGS = 10_000;

type Node = Y.XmlElement | Y.XmlText;
type Parent = Y.XmlFragment | Y.XmlElement;

/** Stable JSON: object keys sorted, so equal attributes compare equal whatever order they were set in. */
function stable(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  return `{${Object.keys(value as object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

/** What a node is, to the last character and mark: equal signatures are equal content. */
function signature(node: unknown, memo: Map<unknown, string>): string {
  const known = memo.get(node);
  if (known !== undefined) return known;
  let sig: string;
  if (node instanceof Y.XmlText) sig = `t${stable(node.toDelta())}`;
  else if (node instanceof Y.XmlElement) sig = `e${stable([node.nodeName, node.getAttributes(), node.toArray().map((c) => signature(c, memo))])}`;
  else sig = `?${String(node)}`;
  memo.set(node, sig);
  return sig;
}

const kindOf = (node: unknown) => (node instanceof Y.XmlText ? 'text' : node instanceof Y.XmlElement ? `element:${node.nodeName}` : 'other');

/** A text's characters, marks left out (Y.XmlText's toString writes marks as tags). */
const textOf = (text: Y.XmlText): string => (text.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');

function plainText(node: unknown): string {
  if (node instanceof Y.XmlText) return textOf(node);
  if (node instanceof Y.XmlElement) return node.toArray().map(plainText).join(' ');
  return '';
}

/** Character pairs of a text, lower-cased, whitespace runs as one space: what inflected words still share (jäsen, jäseniä). */
function bigrams(text: string): Map<string, number> {
  const chars = Array.from(text.toLowerCase().replace(/\s+/g, ' ').trim());
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const pair = chars[i]! + chars[i + 1]!;
    out.set(pair, (out.get(pair) ?? 0) + 1);
  }
  return out;
}

/** How alike two texts are, 0…1 (Dice coefficient over character pairs); two empty texts count as alike. */
function similarity(a: Map<string, number>, b: Map<string, number>): number {
  let sizeA = 0;
  let sizeB = 0;
  let common = 0;
  for (const n of a.values()) sizeA += n;
  for (const [pair, n] of b) {
    sizeB += n;
    common += Math.min(n, a.get(pair) ?? 0);
  }
  if (sizeA === 0 && sizeB === 0) return 1;
  return sizeA + sizeB === 0 ? 0 : (2 * common) / (sizeA + sizeB);
}

/** `editScript`, or when it gives up, the common prefix and suffix kept and the middle deleted and inserted. */
function scriptOf(a: ArrayLike<number>, b: ArrayLike<number>, maxEdits: number): Uint8Array {
  const exact = editScript(a, b, maxEdits);
  if (exact) return exact;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return Uint8Array.from([
    ...new Array<number>(start).fill(KEEP),
    ...new Array<number>(a.length - start - end).fill(DELETE),
    ...new Array<number>(b.length - start - end).fill(INSERT),
    ...new Array<number>(end).fill(KEEP),
  ]);
}

type GapStep = { op: 'pair'; from: Node; to: Node } | { op: 'delete'; from: Node } | { op: 'insert'; to: Node };

/**
 * The nodes deleted and inserted between two kept ones, paired: same kind only, in order (no crossing), the pairing
 * whose texts are most alike; a node with no partner alike at all is deleted or inserted whole.
 */
function pairGap(dels: Node[], ins: Node[]): GapStep[] {
  const n = dels.length;
  const m = ins.length;
  if (n === 0 || m === 0) return [...dels.map((from): GapStep => ({ op: 'delete', from })), ...ins.map((to): GapStep => ({ op: 'insert', to }))];
  const weight: number[][] = [];
  if (n * m <= MAX_PAIRINGS) {
    const textA = dels.map((node) => bigrams(plainText(node)));
    const textB = ins.map((node) => bigrams(plainText(node)));
    for (let i = 0; i < n; i++) weight.push(ins.map((to, j) => (kindOf(dels[i]) === kindOf(to) ? similarity(textA[i]!, textB[j]!) : 0)));
  } else {
    for (let i = 0; i < n; i++) weight.push(ins.map((to) => (kindOf(dels[i]) === kindOf(to) ? 1 : 0)));
  }
  // best[i][j]: the largest total weight pairing dels[i..] with ins[j..] in order.
  const best = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const w = weight[i]![j]!;
      best[i]![j] = Math.max(best[i + 1]![j]!, best[i]![j + 1]!, w > 0 ? w + best[i + 1]![j + 1]! : 0);
    }
  }
  const steps: GapStep[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const w = weight[i]![j]!;
    if (w > 0 && best[i]![j] === w + best[i + 1]![j + 1]!) steps.push({ op: 'pair', from: dels[i++]!, to: ins[j++]! });
    else if (best[i]![j] === best[i + 1]![j]) steps.push({ op: 'delete', from: dels[i++]! });
    else steps.push({ op: 'insert', to: ins[j++]! });
  }
  while (i < n) steps.push({ op: 'delete', from: dels[i++]! });
  while (j < m) steps.push({ op: 'insert', to: ins[j++]! });
  return steps;
}

/** Brings `live`'s children to `target`'s (a scratch copy): equal children stay, the rest is changed in place or replaced. */
function syncChildren(live: Parent, target: Parent, memo: Map<unknown, string>): void {
  const a = live.toArray() as Node[];
  const b = target.toArray() as Node[];
  const ids = new Map<string, number>();
  const idOf = (node: Node) => {
    const sig = signature(node, memo);
    let id = ids.get(sig);
    if (id === undefined) ids.set(sig, (id = ids.size));
    return id;
  };
  const script = scriptOf(a.map(idOf), b.map(idOf), MAX_NODE_EDITS);
  let at = 0; // index in `live` as it is being changed
  let x = 0;
  let y = 0;
  let k = 0;
  while (k < script.length) {
    if (script[k] === KEEP) {
      at++;
      x++;
      y++;
      k++;
      continue;
    }
    const dels: Node[] = [];
    const ins: Node[] = [];
    while (k < script.length && script[k] !== KEEP) {
      if (script[k] === DELETE) dels.push(a[x++]!);
      else ins.push(b[y++]!);
      k++;
    }
    for (const step of pairGap(dels, ins)) {
      if (step.op === 'delete') live.delete(at, 1);
      else if (step.op === 'insert') live.insert(at++, [step.to.clone() as Node]);
      else {
        syncNode(step.from, step.to, memo);
        at++;
      }
    }
  }
}

function syncNode(live: Node, target: Node, memo: Map<unknown, string>): void {
  if (live instanceof Y.XmlText && target instanceof Y.XmlText) return syncText(live, target);
  if (live instanceof Y.XmlElement && target instanceof Y.XmlElement) {
    const have = live.getAttributes() as Record<string, unknown>;
    const want = target.getAttributes() as Record<string, unknown>;
    for (const [key, value] of Object.entries(want)) if (stable(have[key]) !== stable(value)) live.setAttribute(key, value as string);
    for (const key of Object.keys(have)) if (!(key in want)) live.removeAttribute(key);
    syncChildren(live, target, memo);
  }
}

type Attributes = Record<string, unknown>;

/** Per UTF-16 unit of a text, the attributes (marks) it carries (the editor's schema puts only strings in a text). */
function unitAttributes(text: Y.XmlText): Attributes[] {
  const out: Attributes[] = [];
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Attributes }>) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    for (let i = 0; i < length; i++) out.push(op.attributes ?? {});
  }
  return out;
}

/** Words (letters, digits and their combining marks), whitespace runs, and every other character alone. */
const TOKEN = /\s+|[\p{L}\p{N}\p{M}]+|[^]/gu;

/**
 * The edit script from one text to another over their code points, made as a person edits: words first (so a word
 * that stays is kept whole and a comma typed after it goes after it), then character by character within the words
 * that changed (so "palveluista" → "palvelut" keeps "palvelu").
 */
function textScript(from: string, to: string): Uint8Array {
  const ta = from.match(TOKEN) ?? [];
  const tb = to.match(TOKEN) ?? [];
  const ids = new Map<string, number>();
  const idOf = (token: string) => {
    let id = ids.get(token);
    if (id === undefined) ids.set(token, (id = ids.size));
    return id;
  };
  const words = scriptOf(ta.map(idOf), tb.map(idOf), MAX_TEXT_EDITS);
  const out: number[] = [];
  let x = 0;
  let y = 0;
  for (let k = 0; k < words.length; ) {
    if (words[k] === KEEP) {
      for (let n = Array.from(ta[x++]!).length; n > 0; n--) out.push(KEEP);
      y++;
      k++;
      continue;
    }
    let removed = '';
    let added = '';
    while (k < words.length && words[k] !== KEEP) {
      if (words[k] === DELETE) removed += ta[x++]!;
      else added += tb[y++]!;
      k++;
    }
    const ca = Array.from(removed).map((c) => c.codePointAt(0)!);
    const cb = Array.from(added).map((c) => c.codePointAt(0)!);
    for (const op of scriptOf(ca, cb, MAX_TEXT_EDITS)) out.push(op);
  }
  return Uint8Array.from(out);
}

/** The text of `live` made `target`'s: the characters that stay are kept (anchors on them hold), then marks set. */
function syncText(live: Y.XmlText, target: Y.XmlText): void {
  const want = unitAttributes(target);
  const wantText = textOf(target);
  const haveText = textOf(live);
  if (haveText !== wantText) {
    // By code point, so that a surrogate pair is never cut in two.
    const a = Array.from(haveText);
    const b = Array.from(wantText);
    const script = textScript(haveText, wantText);
    let at = 0; // UTF-16 index in `live` as it is being changed
    let wantAt = 0; // UTF-16 index in `target`
    let x = 0;
    let y = 0;
    for (let k = 0; k < script.length; ) {
      const op = script[k]!;
      if (op === KEEP) {
        at += a[x++]!.length;
        wantAt += b[y++]!.length;
        k++;
      } else if (op === DELETE) {
        let length = 0;
        while (k < script.length && script[k] === DELETE) {
          length += a[x++]!.length;
          k++;
        }
        live.delete(at, length);
      } else {
        // Inserted text carries the target's marks, run by run (an explicit {} clears the neighbour's marks).
        while (k < script.length && script[k] === INSERT) {
          const attrs = want[wantAt] ?? {};
          let run = '';
          while (k < script.length && script[k] === INSERT && stable(want[wantAt] ?? {}) === stable(attrs)) {
            const c = b[y++]!;
            run += c;
            wantAt += c.length;
            k++;
          }
          live.insert(at, run, { ...attrs });
          at += run.length;
        }
      }
    }
  }
  // Marks on the characters that stayed: set where they differ (a key the target lacks is removed with null).
  const have = unitAttributes(live);
  for (let i = 0; i < want.length; ) {
    if (stable(have[i]) === stable(want[i])) {
      i++;
      continue;
    }
    const start = i;
    const wantKey = stable(want[i]);
    const haveKey = stable(have[i]);
    while (i < want.length && stable(want[i]) === wantKey && stable(have[i]) === haveKey) i++;
    const patch: Attributes = { ...want[start] };
    for (const key of Object.keys(have[start] ?? {})) if (!(key in patch)) patch[key] = null;
    live.format(start, i - start, patch);
  }
}

/**
 * Makes a section's live text equal to `content` (ProseMirror JSON of a `doc`, e.g. a saved version's) by the
 * smallest change found: see the top of this file. The result is what `fillSection` would have written into an empty
 * section, node for node; what stays the same keeps its identity. Runs inside the caller's transaction, if any.
 * `fragment`: another fragment of the section's (a bilingual document's parallel text).
 */
export function restoreSection(doc: Y.Doc, key: string, content: ProseMirrorJSON, fragment: Y.XmlFragment = sectionFragment(doc, key)): void {
  const scratch = new Y.Doc();
  try {
    const target = sectionFragment(scratch, key);
    // Frozen JSON from before the schema held links and attributes (decision 007) is cleaned as it comes back.
    if (content.content && content.content.length > 0) prosemirrorJSONToYXmlFragment(sopuSchema, cleanSectionJSON(content), target);
    doc.transact(() => syncChildren(fragment, target, new Map()));
  } finally {
    scratch.destroy();
  }
}
