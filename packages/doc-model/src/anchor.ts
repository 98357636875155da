import { absolutePositionToRelativePosition, initProseMirrorDoc, prosemirrorJSONToYXmlFragment, relativePositionToAbsolutePosition } from '@tiptap/y-tiptap';
import * as buffer from 'lib0/buffer';
import * as Y from 'yjs';
import { documentLanguages, languageFragment, parallelFragmentName, type DocumentLanguage } from './bilingual.ts';
import { cleanSectionJSON } from './content-rules.ts';
import { sectionFragment } from './layout.ts';
import { readableCopy, type ProseMirrorJSON } from './canonical.ts';
import { restoreSection } from './restore.ts';
import { sopuSchema } from './schema.ts';

/**
 * Comment anchors: a range of a section's text held by two Yjs relative positions, which follow the text they point
 * at while others edit around it. Encoded with Y.encodeRelativePosition and sent as base64 (`{from, to}`); the server
 * stores the bytes. Positions are ProseMirror positions of the section's editor (as y-tiptap maps them), so the
 * browser and the server agree on what a range holds.
 */

export interface EncodedAnchor {
  from: string;
  to: string;
}

export interface ResolvedAnchor {
  /** ProseMirror positions in the section's document. */
  from: number;
  to: number;
  /** The text the range holds now (blocks separated by a space). */
  text: string;
  /** Everything the range held is deleted: the range has collapsed. */
  lost: boolean;
}

/** Encoded relative positions are small; anything longer is not one of ours. */
const MAX_ANCHOR_BYTES = 128;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function encodeAnchorPosition(position: Y.RelativePosition): string {
  return buffer.toBase64(Y.encodeRelativePosition(position));
}

/** The bytes of a base64 anchor position, or null when it is not one. */
export function anchorBytes(base64: unknown): Uint8Array | null {
  if (typeof base64 !== 'string' || base64.length === 0 || base64.length > Math.ceil(MAX_ANCHOR_BYTES / 3) * 4 || !BASE64.test(base64)) return null;
  try {
    const bytes = buffer.fromBase64(base64);
    Y.decodeRelativePosition(bytes);
    return bytes;
  } catch {
    return null;
  }
}

/**
 * A detached, repaired copy (canonical.ts `readableCopy`): y-tiptap's reader is not read-only, nor total. `lang`:
 * the text in that language of a bilingual document (its main language's otherwise).
 */
function readSection(doc: Y.Doc, key: string, lang?: DocumentLanguage) {
  const copy = readableCopy(doc);
  const fragment = lang ? languageFragment(copy, key, lang) : sectionFragment(copy, key);
  return { copy, fragment, ...initProseMirrorDoc(fragment, sopuSchema) };
}

/** The anchor of a range of a section's text (ProseMirror positions), as stored and sent. */
export function createAnchor(doc: Y.Doc, key: string, from: number, to: number, lang?: DocumentLanguage): EncodedAnchor {
  const { copy, fragment, mapping } = readSection(doc, key, lang);
  try {
    return {
      from: encodeAnchorPosition(absolutePositionToRelativePosition(from, fragment, mapping)),
      to: encodeAnchorPosition(absolutePositionToRelativePosition(to, fragment, mapping)),
    };
  } finally {
    copy.destroy();
  }
}

/**
 * Where an anchor is now in a section, and what it holds; null when the positions do not point into that section
 * (another section, another document, or bytes that are no position of this document).
 */
export function resolveAnchor(doc: Y.Doc, key: string, anchor: { from: Uint8Array; to: Uint8Array }, lang?: DocumentLanguage): ResolvedAnchor | null {
  return resolveAnchors(doc, [{ key, anchor, lang }])[0]!;
}

/**
 * Many anchors of one document at once (a document's threads), each as `resolveAnchor` would: one readable copy of
 * the document and one ProseMirror document per section and language, not one of each per anchor.
 */
export function resolveAnchors(doc: Y.Doc, anchors: ReadonlyArray<{ key: string; anchor: { from: Uint8Array; to: Uint8Array }; lang?: DocumentLanguage }>): Array<ResolvedAnchor | null> {
  if (anchors.length === 0) return [];
  const copy = readableCopy(doc);
  try {
    const sections = new Map<string, { fragment: Y.XmlFragment } & ReturnType<typeof initProseMirrorDoc>>();
    return anchors.map(({ key, anchor, lang }) => {
      const id = `${key}\u0000${lang ?? ''}`;
      let section = sections.get(id);
      if (!section) {
        const fragment = lang ? languageFragment(copy, key, lang) : sectionFragment(copy, key);
        section = { fragment, ...initProseMirrorDoc(fragment, sopuSchema) };
        sections.set(id, section);
      }
      const { fragment, doc: pmDoc, mapping } = section;
      try {
        const from = relativePositionToAbsolutePosition(copy, fragment, Y.decodeRelativePosition(anchor.from), mapping);
        const to = relativePositionToAbsolutePosition(copy, fragment, Y.decodeRelativePosition(anchor.to), mapping);
        if (from === null || to === null) return null;
        const size = pmDoc.content.size;
        const a = Math.max(0, Math.min(from, size));
        const b = Math.max(a, Math.min(to, size));
        const text = b > a ? pmDoc.textBetween(a, b, ' ', ' ') : '';
        return { from: a, to: b, text, lost: text.trim() === '' };
      } catch {
        return null;
      }
    });
  } finally {
    copy.destroy();
  }
}

/** The first occurrence of `quote` in the section's text, as ProseMirror positions (seeding and tests). */
export function findInSection(doc: Y.Doc, key: string, quote: string, lang?: DocumentLanguage): { from: number; to: number } | null {
  const { copy, doc: pmDoc } = readSection(doc, key, lang);
  try {
    let found: { from: number; to: number } | null = null;
    pmDoc.descendants((node, pos) => {
      if (found || !node.isText) return !found;
      const at = node.text!.indexOf(quote);
      if (at >= 0) found = { from: pos + at, to: pos + at + quote.length };
      return false;
    });
    return found;
  } finally {
    copy.destroy();
  }
}

/** Writes ProseMirror JSON (a `doc` node) into an empty section, as the editor would (seeding and tests). */
export function fillSection(doc: Y.Doc, key: string, json: ProseMirrorJSON, lang?: DocumentLanguage): void {
  prosemirrorJSONToYXmlFragment(sopuSchema, cleanSectionJSON(json), lang ? languageFragment(doc, key, lang) : sectionFragment(doc, key));
}

/**
 * Puts a version's content back into a live document, as the server's own change (restoring a version): every
 * section's text becomes the version's by the smallest edit (restore.ts: what is unchanged keeps its identity, so
 * comment anchors on it hold), and its status and reason are set. The layout (which sections, their order) is the
 * template's and stays. Runs inside the caller's transaction when there is one.
 */
export function replaceContent(doc: Y.Doc, sections: ReadonlyArray<{ key: string; status: string; reason: string; content: ProseMirrorJSON; parallel?: ProseMirrorJSON }>, userId: string | null, now: number): void {
  const languages = documentLanguages(doc);
  doc.transact(() => {
    for (const section of sections) {
      restoreSection(doc, section.key, section.content);
      // A bilingual version's other language comes back too; a version from before the document became bilingual
      // has none, and the translation now is left as it is (the document stays bilingual).
      if (languages && section.parallel) restoreSection(doc, section.key, section.parallel, doc.getXmlFragment(parallelFragmentName(section.key, languages.parallel)));
      const meta = doc.getMap<unknown>('sections').get(section.key);
      if (meta instanceof Y.Map) {
        if (meta.get('status') !== section.status) meta.set('status', section.status);
        if (meta.get('reason') !== section.reason) meta.set('reason', section.reason);
        meta.set('updatedBy', userId ?? 'server');
        meta.set('updatedAt', now);
      }
    }
  });
}

/**
 * Appends blocks (ProseMirror JSON nodes: paragraphs, tables) after a section's existing content, as the server's
 * own change (a generated table inserted into the agreement): nothing already there is touched, so concurrent edits
 * of the text merge as usual. The blocks are built in a scratch document by the editor's own conversion and copied
 * over, so they are exactly what the editor would have written.
 */
export function appendToSection(doc: Y.Doc, key: string, blocks: readonly ProseMirrorJSON[]): void {
  if (blocks.length === 0) return;
  const scratch = new Y.Doc();
  try {
    const built = sectionFragment(scratch, key);
    prosemirrorJSONToYXmlFragment(sopuSchema, cleanSectionJSON({ type: 'doc', content: [...blocks] }), built);
    const copies = built.toArray().map((node) => node.clone());
    const fragment = sectionFragment(doc, key);
    doc.transact(() => fragment.insert(fragment.length, copies as Array<Y.XmlElement | Y.XmlText>));
  } finally {
    scratch.destroy();
  }
}
