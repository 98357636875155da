import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { LAYOUT_VERSION, readSections, sectionFragment, type SectionStatus } from './layout.ts';
import { repairContent } from './repair.ts';
import { sopuSchema } from './schema.ts';
import { SUGGESTION_DELETE, SUGGESTION_INSERT } from './suggestion-marks.ts';

export interface ProseMirrorMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface ProseMirrorJSON {
  type: string;
  attrs?: Record<string, unknown>;
  content?: ProseMirrorJSON[];
  marks?: ProseMirrorMark[];
  text?: string;
}

export interface CanonicalSection {
  key: string;
  order: number;
  status: SectionStatus;
  reason: string;
  content: ProseMirrorJSON;
}

export interface CanonicalDocument {
  layout: typeof LAYOUT_VERSION;
  sections: CanonicalSection[];
}

/**
 * y-tiptap's reader is not read-only: it deletes Yjs nodes the schema rejects and merges adjacent texts written
 * by the local client, and it throws on some shapes no editor writes (text straight in a section). Reading from a
 * copy keeps canonicalisation free of side effects on a live document (no stray updates to broadcast or store) and
 * independent of which replica's client id does the reading; the copy is first put right as `repairContent` puts
 * stored documents right, so a document reads the same before and after its repair, whatever a past guard let in.
 */
export function readableCopy(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  repairContent(copy, null);
  return copy;
}

/**
 * The section as a ProseMirror node. Content put right by `repairContent` always reads; should y-tiptap still throw
 * on something no rule foresaw, the section reads as empty rather than making every page that shows a hash fail.
 */
function readRoot(fragment: Y.XmlFragment): ProseMirrorNode {
  try {
    return yXmlFragmentToProseMirrorRootNode(fragment, sopuSchema);
  } catch {
    return sopuSchema.topNodeType.create();
  }
}

/**
 * Trailing empty paragraphs are invisible, and the editor adds them by itself (an empty section gets one, a section
 * ending in a table gets one after it). Dropping them keeps the hash from changing when someone merely opens a
 * section, which would otherwise make every council's approval look stale.
 */
function sectionContent(fragment: Y.XmlFragment): ProseMirrorJSON {
  const root = readRoot(fragment);
  const children: ProseMirrorJSON[] = [];
  root.forEach((child) => children.push(acceptedJSON(child.toJSON() as ProseMirrorJSON)));
  while (children.length > 0 && isEmptyParagraphJSON(children[children.length - 1]!)) children.pop();
  const json: ProseMirrorJSON = { type: root.type.name };
  if (children.length > 0) json.content = children;
  return json;
}

function isEmptyParagraphJSON(node: ProseMirrorJSON): boolean {
  return node.type === 'paragraph' && (node.content === undefined || node.content.length === 0);
}

/**
 * The accepted text of ProseMirror JSON: text suggested for insertion left out, deletion marks dropped, and the
 * text nodes that then touch with the same marks joined (as ProseMirror would hold them). Content without
 * suggestions comes back equal, so the hash of a document that never had one does not move.
 */
export function acceptedJSON(node: ProseMirrorJSON): ProseMirrorJSON {
  if (!node.content) return node;
  const content: ProseMirrorJSON[] = [];
  for (const child of node.content) {
    if (child.type === 'text') {
      if (child.marks?.some((m) => m.type === SUGGESTION_INSERT)) continue;
      const marks = child.marks?.filter((m) => m.type !== SUGGESTION_DELETE);
      const clean: ProseMirrorJSON = { ...child };
      if (marks && marks.length > 0) clean.marks = marks;
      else delete clean.marks;
      const previous = content[content.length - 1];
      if (previous?.type === 'text' && canonicalJson(previous.marks ?? []) === canonicalJson(clean.marks ?? [])) {
        content[content.length - 1] = { ...previous, text: (previous.text ?? '') + (clean.text ?? '') };
        continue;
      }
      content.push(clean);
    } else content.push(acceptedJSON(child));
  }
  const result: ProseMirrorJSON = { ...node };
  if (content.length > 0) result.content = content;
  else delete result.content;
  return result;
}



/** The sections with their content as ProseMirror JSON, ordered by order then key. */
export function canonicalSections(doc: Y.Doc): CanonicalSection[] {
  const copy = readableCopy(doc);
  try {
    return readSections(copy).map(({ key, order, status, reason }) => ({
      key,
      order,
      status,
      reason,
      content: sectionContent(sectionFragment(copy, key)),
    }));
  } finally {
    copy.destroy();
  }
}

/** What a version freezes. Who changed a status and when is deliberately left out: it is not content. */
export function canonicalDocument(doc: Y.Doc): CanonicalDocument {
  return { layout: LAYOUT_VERSION, sections: canonicalSections(doc) };
}

function canonicalValue(value: unknown, path: string): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is not a finite number`);
      return JSON.stringify(value);
    case 'undefined':
      return undefined;
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => canonicalValue(item, `${path}[${i}]`) ?? 'null').join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const member = canonicalValue(record[key], `${path}.${key}`);
        if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot hold`);
  }
}

/**
 * JSON with object keys sorted by code unit and no whitespace, so equal values always give equal bytes.
 * Undefined members are left out as JSON.stringify does; values JSON cannot round-trip (NaN, bigint) throw.
 */
export function canonicalJson(value: unknown): string {
  const json = canonicalValue(value, '$');
  if (json === undefined) throw new TypeError('canonicalJson: the value is undefined');
  return json;
}

export function sha256Hex(text: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}

/** The hash of a canonical document as stored with a version; equal to `contentHash` of the doc it came from. */
export function hashCanonicalDocument(canonical: CanonicalDocument): string {
  return sha256Hex(canonicalJson(canonical));
}

/** The hash of one section (its key, order, status, reason and content): equal content, equal hash. */
export function hashCanonicalSection(section: CanonicalSection): string {
  return sha256Hex(canonicalJson(section));
}

/**
 * The hash of a section's text alone (its accepted content, not its status): what a municipality's position on the
 * section is bound to, so marking the section agreed does not make the positions given on it look old.
 */
export function hashSectionText(section: Pick<CanonicalSection, 'content'>): string {
  return sha256Hex(canonicalJson(section.content));
}

export function contentHash(doc: Y.Doc): string {
  return hashCanonicalDocument(canonicalDocument(doc));
}

/** The section's text, one block per paragraph, blocks separated by a blank line; hard breaks become newlines. */
export function sectionPlainText(doc: Y.Doc, key: string): string {
  const copy = readableCopy(doc);
  try {
    // The accepted text: what a version would freeze, suggestions left out.
    const root = sopuSchema.nodeFromJSON(sectionContent(sectionFragment(copy, key)));
    return root.textBetween(0, root.content.size, '\n\n', (leaf) => (leaf.type.name === 'hardBreak' ? '\n' : ''));
  } finally {
    copy.destroy();
  }
}
