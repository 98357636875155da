import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { ProseMirrorJSON } from './canonical.ts';
import { cleanSectionJSON } from './content-rules.ts';
import { sectionFragment } from './layout.ts';
import { sopuSchema } from './schema.ts';
import { SUGGESTION_INSERT } from './suggestion-marks.ts';

/**
 * Tables Sopu generates from an area's settings and puts into a document (the chair rotation, the cost shares, the
 * joint body's votes; core's agreement-tables). Each is marked so that it can be found again — to be replaced when it
 * is inserted anew, and read back by the checks to compare with the settings it came from — without touching the
 * text's schema: the `generated` map (a top-level map written by the server only, like `bilingual`; the layout guard
 * refuses clients' writes to it) holds, per kind of table, the section it went into, the Yjs ids of the blocks
 * inserted (caption and table) and what it was generated from. The blocks themselves are ordinary paragraphs and
 * tables, so the editor, the stock y-websocket clients and the content hash see nothing new. A Yjs id is the same on
 * every replica and stays with an element while people edit inside it (a hand edit to a cell is still that table);
 * when the drafters delete the table, its id points at nothing and the table is no longer Sopu's.
 */

export const GENERATED_MAP = 'generated';

export interface GeneratedEntry {
  section: string;
  /** The Yjs ids (`[client, clock]`) of the blocks inserted, in order. */
  blocks: Array<[number, number]>;
  /** Which of `blocks` is the table. */
  table: number;
  /** What the table was generated from (the use case's own record: language, years, members, …). */
  source: Record<string, unknown>;
}

function generatedMap(doc: Y.Doc): Y.Map<unknown> | null {
  return doc.share.has(GENERATED_MAP) ? doc.getMap<unknown>(GENERATED_MAP) : null;
}

function entryOf(value: unknown): GeneratedEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Partial<GeneratedEntry>;
  if (typeof e.section !== 'string' || !Array.isArray(e.blocks) || typeof e.table !== 'number' || typeof e.source !== 'object' || e.source === null) return null;
  if (!e.blocks.every((b) => Array.isArray(b) && b.length === 2 && Number.isInteger(b[0]) && Number.isInteger(b[1]))) return null;
  return e as GeneratedEntry;
}

const idOf = (node: Y.XmlElement | Y.XmlText): [number, number] | null => (node._item ? [node._item.id.client, node._item.id.clock] : null);
const sameId = (a: [number, number] | null, b: [number, number]) => a !== null && a[0] === b[0] && a[1] === b[1];

/** Where the entry's blocks are now in their section: the indexes of those still there (in the section's order). */
function locate(doc: Y.Doc, entry: GeneratedEntry): Map<number, number> {
  const found = new Map<number, number>();
  sectionFragment(doc, entry.section)
    .toArray()
    .forEach((node, index) => {
      if (!(node instanceof Y.XmlElement || node instanceof Y.XmlText)) return;
      const id = idOf(node);
      const which = entry.blocks.findIndex((b) => sameId(id, b));
      if (which >= 0) found.set(which, index);
    });
  return found;
}

/**
 * Puts a generated table (its blocks: a caption and the table, ProseMirror JSON) into a section as the server's own
 * change. When the same kind was generated before and its blocks are still in that section, the new blocks take their
 * place (what the drafters wrote around it stays; a hand edit inside the old caption or table goes with it: that is
 * what inserting again means); otherwise they are appended after the section's text. Returns whether an earlier
 * table was replaced.
 */
export function placeGeneratedTable(doc: Y.Doc, key: string, kind: string, blocks: readonly ProseMirrorJSON[], table: number, source: Record<string, unknown>): { replaced: boolean } {
  if (table < 0 || table >= blocks.length || blocks[table]!.type !== 'table') throw new RangeError('placeGeneratedTable: `table` must index a table block');
  const scratch = new Y.Doc();
  let replaced = false;
  try {
    const built = sectionFragment(scratch, key);
    prosemirrorJSONToYXmlFragment(sopuSchema, cleanSectionJSON({ type: 'doc', content: [...blocks] }), built);
    const copies = built.toArray().map((node) => node.clone()) as Array<Y.XmlElement | Y.XmlText>;
    doc.transact(() => {
      const map = doc.getMap<unknown>(GENERATED_MAP);
      const previous = entryOf(map.get(kind));
      const fragment = sectionFragment(doc, key);
      let at = fragment.length;
      if (previous) {
        const found = locate(doc, previous);
        if (found.size > 0) {
          const old = sectionFragment(doc, previous.section);
          const indexes = [...found.values()].sort((a, b) => b - a);
          if (previous.section === key) at = indexes[indexes.length - 1]!;
          for (const index of indexes) old.delete(index, 1);
          replaced = previous.section === key;
        }
      }
      fragment.insert(at, copies);
      map.set(kind, { section: key, blocks: copies.map((c) => idOf(c)!), table, source } satisfies GeneratedEntry);
    });
  } finally {
    scratch.destroy();
  }
  return { replaced };
}

export interface GeneratedTable {
  kind: string;
  section: string;
  source: Record<string, unknown>;
  /** The table's cells as they read now (accepted text: suggested insertions left out), row by row. */
  rows: string[][];
}

/** The accepted text of a Yjs text node or element (block children separated by a space). */
function textOf(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) {
    return (node.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>)
      .filter((op) => typeof op.insert === 'string' && !(op.attributes && SUGGESTION_INSERT in op.attributes))
      .map((op) => op.insert as string)
      .join('');
  }
  if (node instanceof Y.XmlElement) {
    const children = node.toArray() as Array<Y.XmlElement | Y.XmlText>;
    const blocky = children.some((c) => c instanceof Y.XmlElement && c.nodeName !== 'hardBreak');
    return children.map((c) => (c instanceof Y.XmlElement && c.nodeName === 'hardBreak' ? ' ' : textOf(c))).join(blocky ? ' ' : '');
  }
  return '';
}

const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The generated tables still in the document, read back from its text as it is now (a hand edit or a change of the
 * settings both show when compared); a table the drafters deleted is not listed.
 */
export function readGeneratedTables(doc: Y.Doc): GeneratedTable[] {
  const map = generatedMap(doc);
  if (!map) return [];
  const tables: GeneratedTable[] = [];
  for (const [kind, value] of [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const entry = entryOf(value);
    if (!entry) continue;
    const index = locate(doc, entry).get(entry.table);
    if (index === undefined) continue;
    const element = sectionFragment(doc, entry.section).get(index);
    if (!(element instanceof Y.XmlElement) || element.nodeName !== 'table') continue;
    const rows = (element.toArray() as Array<Y.XmlElement | Y.XmlText>)
      .filter((row): row is Y.XmlElement => row instanceof Y.XmlElement && row.nodeName === 'tableRow')
      .map((row) => (row.toArray() as Array<Y.XmlElement | Y.XmlText>).filter((c): c is Y.XmlElement => c instanceof Y.XmlElement).map((c) => clean(textOf(c))));
    tables.push({ kind, section: entry.section, source: entry.source, rows });
  }
  return tables;
}
