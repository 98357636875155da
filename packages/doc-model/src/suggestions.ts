import * as Y from 'yjs';
import { canonicalJson } from './canonical.ts';
import { readSections, sectionFragment, sectionsMap } from './layout.ts';
import { SUGGESTION_DELETE, SUGGESTION_INSERT, suggestionAttrs, type SuggestionAttrs } from './suggestion-marks.ts';

export type SuggestionKind = 'insert' | 'delete';

/** A pending suggestion: the text its marks cover in one section, in document order. */
export interface PendingSuggestion {
  id: string;
  section: string;
  kind: SuggestionKind;
  text: string;
  author: string;
  municipalityCode: string;
  createdAt: number;
}

const markOf = (kind: SuggestionKind) => (kind === 'insert' ? SUGGESTION_INSERT : SUGGESTION_DELETE);

/** Calls `visit` for every Y.XmlText of a section, depth first (document order). */
function eachText(type: Y.XmlFragment | Y.XmlElement, visit: (text: Y.XmlText) => void) {
  for (const child of type.toArray()) {
    if (child instanceof Y.XmlText) visit(child);
    else if (child instanceof Y.XmlElement) eachText(child, visit);
  }
}

interface Run {
  text: Y.XmlText;
  index: number;
  length: number;
  insert: string;
  attributes: Record<string, unknown>;
}

function runsOf(text: Y.XmlText): Run[] {
  const runs: Run[] = [];
  let index = 0;
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    runs.push({ text, index, length, insert: typeof op.insert === 'string' ? op.insert : '', attributes: op.attributes ?? {} });
    index += length;
  }
  return runs;
}

/**
 * The pending suggestions of a document, section by section in the document's order; one entry per suggestion id
 * and kind (the runs of one suggestion joined, blocks apart by a space). Marks with broken attributes (which the
 * guard refuses and the repair removes) are skipped.
 */
export function readSuggestions(doc: Y.Doc): PendingSuggestion[] {
  const found: PendingSuggestion[] = [];
  for (const { key } of readSections(doc)) {
    const byId = new Map<string, PendingSuggestion>();
    let lastText: Y.XmlText | null = null;
    eachText(sectionFragment(doc, key), (text) => {
      for (const run of runsOf(text)) {
        for (const kind of ['insert', 'delete'] as const) {
          const attrs = suggestionAttrs(run.attributes[markOf(kind)]);
          if (!attrs) continue;
          const id = `${kind}:${attrs.id}`;
          const existing = byId.get(id);
          if (existing) existing.text += (lastText !== text ? ' ' : '') + run.insert;
          else {
            const suggestion = { id: attrs.id, section: key, kind, text: run.insert, author: attrs.author, municipalityCode: attrs.municipality, createdAt: attrs.at };
            byId.set(id, suggestion);
            found.push(suggestion);
          }
        }
        lastText = text;
      }
    });
  }
  return found;
}

export type SuggestionDecision = 'accept' | 'reject';

/**
 * Accepts or rejects suggestions in a live document (the server does it, in the document's room): an accepted
 * insertion becomes plain text and an accepted deletion disappears; a rejected insertion disappears and a rejected
 * deletion becomes plain text. `which` picks the suggestions (by id, or all of one author in a section). Returns
 * what it decided, as it was just before.
 */
export function decideSuggestions(doc: Y.Doc, which: (s: PendingSuggestion) => boolean, decision: SuggestionDecision, origin: unknown = null): PendingSuggestion[] {
  const chosen = readSuggestions(doc).filter(which);
  if (chosen.length === 0) return [];
  const picked = new Set(chosen.map((s) => `${s.section}\u0000${s.kind}:${s.id}`));
  doc.transact(() => {
    for (const section of new Set(chosen.map((s) => s.section))) {
      eachText(sectionFragment(doc, section), (text) => {
        // From the end, so the indexes of runs still to do do not move.
        for (const run of runsOf(text).reverse()) {
          for (const kind of ['insert', 'delete'] as const) {
            const attrs = suggestionAttrs(run.attributes[markOf(kind)]);
            if (!attrs || !picked.has(`${section}\u0000${kind}:${attrs.id}`)) continue;
            const removesText = (kind === 'insert') === (decision === 'reject');
            if (removesText) text.delete(run.index, run.length);
            else text.format(run.index, run.length, { [markOf(kind)]: null });
          }
        }
      });
    }
  }, origin);
  return chosen;
}

/** Whether a document has any pending suggestion (cheap: stops at the first). */
export function hasPendingSuggestions(doc: Y.Doc, section?: string): boolean {
  return readSuggestions(doc).some((s) => section === undefined || s.section === section);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* What a connection that may only suggest (or anyone, in an agreed section) may change: the rule the collab room */
/* holds a client's update to, after the layout guard has passed it.                                              */
/* ------------------------------------------------------------------------------------------------------------ */

export interface SuggestionWriter {
  userId: string;
  municipalityCode: string;
}

export type SuggestionProblem =
  /** Changes accepted text (inserts plain text, deletes or reformats text), or the structure, where only suggestions may be made. */
  | 'suggestion_only'
  /** The same, in a section marked agreed (locked for direct edits). */
  | 'locked_section'
  /** Writes a suggestion under someone else's name or municipality, or changes someone else's suggestion. */
  | 'forged_suggestion';

export type SuggestionVerdict = { ok: true } | { ok: false; problem: SuggestionProblem; detail: string };

interface CharState {
  attributes: Record<string, unknown>;
  signature: string;
}

interface SectionState {
  chars: Map<string, CharState>;
  elements: Map<string, string>;
  texts: Set<string>;
}

const idKey = (id: Y.ID, offset = 0) => `${id.client}:${id.clock + offset}`;

function sectionState(fragment: Y.XmlFragment): SectionState {
  const state: SectionState = { chars: new Map(), elements: new Map(), texts: new Set() };
  const walk = (type: Y.XmlFragment | Y.XmlElement) => {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlElement) {
        state.elements.set(idKey(child._item!.id), `${child.nodeName}${canonicalJson(child.getAttributes())}`);
        walk(child);
      } else if (child instanceof Y.XmlText) {
        state.texts.add(idKey(child._item!.id));
        const current: Record<string, unknown> = {};
        for (let item = child._start; item !== null; item = item.right) {
          if (item.deleted) continue;
          if (item.content instanceof Y.ContentFormat) {
            if (item.content.value === null) delete current[item.content.key];
            else current[item.content.key] = item.content.value;
          } else if (item.content instanceof Y.ContentString || item.content instanceof Y.ContentEmbed) {
            const attributes = { ...current };
            const signature = canonicalJson(attributes);
            for (let i = 0; i < item.length; i++) state.chars.set(idKey(item.id, i), { attributes, signature });
          }
        }
      }
    }
  };
  walk(fragment);
  return state;
}

function ownedBy(value: unknown, writer: SuggestionWriter): boolean {
  const attrs = suggestionAttrs(value);
  return attrs !== null && attrs.author === writer.userId && attrs.municipality === writer.municipalityCode;
}

function withoutKey(attributes: Record<string, unknown>, key: string): string {
  const { [key]: _dropped, ...rest } = attributes;
  return canonicalJson(rest);
}

class SuggestionRefusal extends Error {
  constructor(
    readonly problem: SuggestionProblem,
    detail: string,
  ) {
    super(detail);
  }
}

/** Compares a section before and after an update against the suggestion rule; throws SuggestionRefusal. */
function compareSection(key: string, before: SectionState, after: SectionState, writer: SuggestionWriter, direct: SuggestionProblem) {
  const refuse = (problem: SuggestionProblem, what: string): never => {
    throw new SuggestionRefusal(problem, `section ${key}: ${what}`);
  };
  // The structure stays: no block is added, removed or changed (suggestions are text within the blocks there are).
  // Only into an empty section may plain paragraphs come, holding the suggested text (the editor opens an empty
  // section with one paragraph; the canonical form drops it again when it is left empty).
  if (before.elements.size === 0) {
    for (const shape of after.elements.values()) if (shape !== 'paragraph{}') refuse(direct, 'adds a block other than a paragraph to an empty section');
  } else {
    if (before.elements.size !== after.elements.size) refuse(direct, 'adds or removes a block');
    for (const [id, shape] of before.elements) if (after.elements.get(id) !== shape) refuse(direct, 'changes a block');
  }
  for (const [id, was] of before.chars) {
    const now = after.chars.get(id);
    const ownInsert = ownedBy(was.attributes[SUGGESTION_INSERT], writer);
    if (!now) {
      // Deleting: only one's own suggested text goes away; everything else is suggested for deletion instead.
      if (!ownInsert) refuse(was.attributes[SUGGESTION_INSERT] ? 'forged_suggestion' : direct, 'deletes text');
      continue;
    }
    if (now.signature === was.signature) continue;
    if (ownInsert && ownedBy(now.attributes[SUGGESTION_INSERT], writer)) continue;
    if (was.attributes[SUGGESTION_INSERT] || now.attributes[SUGGESTION_INSERT]) refuse('forged_suggestion', "changes someone else's suggested text");
    // Accepted text: only a deletion mark of one's own may come or go.
    if (withoutKey(was.attributes, SUGGESTION_DELETE) !== withoutKey(now.attributes, SUGGESTION_DELETE)) refuse(direct, 'reformats text');
    const wasMark = was.attributes[SUGGESTION_DELETE];
    const nowMark = now.attributes[SUGGESTION_DELETE];
    if ((wasMark !== undefined && !ownedBy(wasMark, writer)) || (nowMark !== undefined && !ownedBy(nowMark, writer))) {
      refuse('forged_suggestion', "marks text for deletion in someone else's name, or removes someone else's mark");
    }
  }
  for (const [id, now] of after.chars) {
    if (before.chars.has(id)) continue;
    if (!ownedBy(now.attributes[SUGGESTION_INSERT], writer)) refuse(now.attributes[SUGGESTION_INSERT] ? 'forged_suggestion' : direct, 'inserts text that is not a suggestion of its own');
  }
}

/**
 * Whether `update`, already passed by the layout guard, keeps to the suggestion rule for `writer`: everywhere when
 * the connection may only suggest, and in sections marked agreed for everyone. Allowed: inserting text that carries
 * the writer's own insertion mark (and editing or removing it again), and adding or removing the writer's own
 * deletion marks on accepted text. Refused: anything else in those sections, and, for a suggest-only connection,
 * any write to section metadata. Works on a copy (the document is not touched); sections the update does not
 * touch are not compared. Never throws.
 */
export function checkSuggestionUpdate(doc: Y.Doc, update: Uint8Array, writer: SuggestionWriter, suggestOnly: boolean): SuggestionVerdict {
  const agreed = new Set<string>();
  sectionsMap(doc).forEach((value, key) => {
    if (value instanceof Y.Map && value.get('status') === 'agreed') agreed.add(key);
  });
  if (!suggestOnly && agreed.size === 0) return { ok: true };
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const touched = new Set<string>();
    let metadata = false;
    copy.on('afterTransaction', (transaction: Y.Transaction) => {
      // `changed`, not `changedParentTypes`: the latter is only filled for types someone observes.
      for (const type of transaction.changed.keys()) {
        let root: Y.AbstractType<any> = type;
        while (root._item && root._item.parent instanceof Y.AbstractType) root = root._item.parent;
        for (const [name, shared] of copy.share) {
          if (shared !== root) continue;
          if (name.startsWith('section:')) touched.add(name.slice('section:'.length));
          else metadata = true;
        }
      }
    });
    Y.applyUpdate(copy, update);
    if (suggestOnly && metadata) return { ok: false, problem: 'suggestion_only', detail: 'writes section metadata' };
    for (const key of touched) {
      if (!suggestOnly && !agreed.has(key)) continue;
      compareSection(key, sectionState(sectionFragment(doc, key)), sectionState(sectionFragment(copy, key)), writer, agreed.has(key) ? 'locked_section' : 'suggestion_only');
    }
    return { ok: true };
  } catch (error) {
    if (error instanceof SuggestionRefusal) return { ok: false, problem: error.problem, detail: error.message };
    return { ok: false, problem: 'suggestion_only', detail: String(error) };
  } finally {
    copy.destroy();
  }
}

export type { SuggestionAttrs };

/**
 * The ids of the suggestions an update marks text with, and whose they say they are: read from the update itself
 * (its formatting items), without applying it, so that a room can tell cheaply whether an update made a suggestion.
 * Ends of marks (null values) and attributes that are not a suggestion's are skipped; an update that cannot be
 * decoded has none.
 */
export function suggestionMarksIn(update: Uint8Array): Array<{ id: string; author: string }> {
  let structs: ReturnType<typeof Y.decodeUpdate>['structs'];
  try {
    structs = Y.decodeUpdate(update).structs;
  } catch {
    return [];
  }
  const found = new Map<string, string>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentFormat)) continue;
    const { key, value } = struct.content;
    if (key !== SUGGESTION_INSERT && key !== SUGGESTION_DELETE) continue;
    const attrs = suggestionAttrs(value);
    if (attrs && !found.has(attrs.id)) found.set(attrs.id, attrs.author);
  }
  return [...found].map(([id, author]) => ({ id, author }));
}

/**
 * Who wrote the text of a section as it stands: the owners (by `ownerOf`, the room's client ids) of every client
 * whose items are in the section's fragment, deleted ones included (someone who rewrote the section drafted it).
 */
export function sectionWriters(doc: Y.Doc, section: string, ownerOf: (client: number) => string | undefined): string[] {
  const writers = new Set<string>();
  const visit = (type: Y.AbstractType<any>) => {
    for (let item = type._start; item !== null; item = item.right) {
      const owner = ownerOf(item.id.client);
      if (owner) writers.add(owner);
      if (item.content instanceof Y.ContentType) visit(item.content.type);
    }
  };
  visit(sectionFragment(doc, section));
  return [...writers];
}
