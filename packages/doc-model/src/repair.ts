import type { NodeType } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { attributeProblem, childElementType, markProblem, repairedMarkValue, SECTION_NODE, textAllowedIn } from './content-rules.ts';

const FRAGMENT_PREFIX = 'section:';

export interface ContentRepair {
  /** The section key. */
  section: string;
  /** What was removed or put right, and why (bounded, for the audit log). */
  problem: string;
}

/** Repairs found in one pass are listed up to this many; the rest are counted (audit details stay small). */
export const CONTENT_REPAIRS_LISTED = 50;

/**
 * Content the editor's schema does not allow where it is, in every section fragment of `doc`: elements of unknown
 * types or in the wrong place (with everything inside them), text where the node holds no text, things that are
 * neither (embeds, plain values, foreign types), attributes a node does not have or may not hold with that value
 * (they fall back to their default), attributes on text, and formatting that is no allowed mark or holds attributes
 * the mark does not accept (an unsafe link is unlinked, its text kept; a link's `target` is dropped).
 *
 * With `fix`, each is removed or put right in one transaction with `origin` (only what is wrong is touched, so a
 * well-formed document gets no update at all). Without it, only reported. Never throws.
 */
export function repairContent(doc: Y.Doc, origin: unknown, options: { fix: boolean } = { fix: true }): ContentRepair[] {
  const repairs: ContentRepair[] = [];
  const run = (transaction: Y.Transaction | null) => {
    for (const name of [...doc.share.keys()]) {
      if (!name.startsWith(FRAGMENT_PREFIX)) continue;
      let fragment: Y.XmlFragment;
      try {
        fragment = doc.getXmlFragment(name);
      } catch {
        // A top-level type of this name defined as another kind of type on this Y.Doc: nothing here reads it.
        continue;
      }
      new SectionRepair(name.slice(FRAGMENT_PREFIX.length), repairs, transaction).element(fragment, SECTION_NODE);
    }
  };
  if (!options.fix) run(null);
  else doc.transact((transaction) => run(transaction), origin);
  return repairs;
}

/** Only reports what `repairContent` would repair. */
export function contentProblems(doc: Y.Doc): ContentRepair[] {
  return repairContent(doc, null, { fix: false });
}

/** An item's children (for a type: its list), skipping deleted ones. */
function* liveItems(type: Y.AbstractType<any>): Generator<Y.Item> {
  for (let item = type._start; item !== null; item = item.right) if (!item.deleted) yield item;
}

/** A node type as the audit log names it. */
const nameOf = (node: NodeType) => (node === SECTION_NODE ? 'the section' : node.name);

class SectionRepair {
  constructor(
    private readonly section: string,
    private readonly repairs: ContentRepair[],
    /** null: report only. */
    private readonly transaction: Y.Transaction | null,
  ) {}

  #report(problem: string) {
    this.repairs.push({ section: this.section, problem });
  }

  #remove(item: Y.Item, problem: string) {
    this.#report(problem);
    if (this.transaction) item.delete(this.transaction);
  }

  /** A section fragment or an XmlElement of node type `node`: its attributes, then each child. */
  element(type: Y.XmlFragment | Y.XmlElement, node: NodeType) {
    for (const [key, item] of type._map) {
      if (item.deleted) continue;
      const content = item.content;
      const value: unknown = content instanceof Y.ContentAny && content.arr.length === 1 ? content.arr[0] : undefined;
      const problem = node === SECTION_NODE ? `an attribute "${key.slice(0, 40)}" on the section` : value === undefined ? `${node.name}.${key.slice(0, 40)} holds no plain value` : attributeProblem(node, key, value);
      if (problem) this.#remove(item, problem);
    }
    for (const item of liveItems(type)) {
      const content = item.content;
      const child = content instanceof Y.ContentType ? (content.type as Y.AbstractType<any>) : null;
      if (child instanceof Y.XmlElement) {
        const childType = childElementType(node, child.nodeName);
        if (childType) this.element(child, childType);
        else this.#remove(item, `a "${child.nodeName.slice(0, 40)}" element in ${nameOf(node)}`);
      } else if (child instanceof Y.XmlText) {
        if (textAllowedIn(node)) this.text(child, node);
        else this.#remove(item, `text in ${nameOf(node)}`);
      } else {
        this.#remove(item, `${child ? child.constructor.name : content.constructor.name} in ${nameOf(node)}`);
      }
    }
  }

  /** A run of text inside a node of type `parent`: nothing but characters and allowed formatting. */
  text(text: Y.XmlText, parent: NodeType) {
    for (const [key, item] of text._map) if (!item.deleted) this.#remove(item, `an attribute "${key.slice(0, 40)}" on text`);
    const formats: Array<{ key: string; value: unknown }> = [];
    for (const item of liveItems(text)) {
      const content = item.content;
      if (content instanceof Y.ContentString) continue;
      if (content instanceof Y.ContentFormat) {
        if (markProblem(parent, content.key, content.value)) formats.push({ key: content.key, value: content.value });
        continue;
      }
      this.#remove(item, `${content instanceof Y.ContentType ? content.type.constructor.name : content.constructor.name} inside text`);
    }
    if (formats.length === 0) return;
    // Formatting spans ranges: it is put right over each range it covers, through Y.Text's own formatting.
    let offset = 0;
    const fixes: Array<{ index: number; length: number; key: string; value: Record<string, unknown> | null }> = [];
    for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      for (const [key, value] of Object.entries(op.attributes ?? {})) {
        const problem = markProblem(parent, key, value);
        if (!problem) continue;
        this.#report(`${problem} (in ${parent.name})`);
        fixes.push({ index: offset, length, key, value: repairedMarkValue(parent, key, value) });
      }
      offset += length;
    }
    if (fixes.length === 0) this.#report(`formatting over no text (in ${parent.name})`);
    if (this.transaction) for (const fix of fixes) text.format(fix.index, fix.length, { [fix.key]: fix.value });
    // Formats that cover no text (or that the fixes above made redundant) are removed as they are.
    if (this.transaction) {
      for (const item of liveItems(text)) {
        if (item.content instanceof Y.ContentFormat && markProblem(parent, item.content.key, item.content.value)) item.delete(this.transaction);
      }
    }
  }
}

/** Repairs for the audit log: at most CONTENT_REPAIRS_LISTED listed, and how many there were. */
export function summariseContentRepairs(repairs: readonly ContentRepair[]): { count: number; repairs: ContentRepair[] } {
  return { count: repairs.length, repairs: repairs.slice(0, CONTENT_REPAIRS_LISTED) };
}
