import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { documentLanguages, parallelFragmentName, readTranslationMark, sectionTranslation, type DocumentLanguage, type DocumentLanguages, type SectionTranslation } from './bilingual.ts';
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
  /** The text (of a bilingual document: in its main language). */
  content: ProseMirrorJSON;
  /** A bilingual document's text in its other language; absent in a document of one language. */
  parallel?: ProseMirrorJSON;
}

export interface CanonicalDocument {
  layout: typeof LAYOUT_VERSION;
  /** A bilingual document's languages, main first (decision 026); absent in a document of one language, whose canonical form and hash are as they always were. */
  languages?: [DocumentLanguage, DocumentLanguage];
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

function sectionsOf(copy: Y.Doc, languages: DocumentLanguages | null): CanonicalSection[] {
  return readSections(copy).map(({ key, order, status, reason }) => {
    const section: CanonicalSection = { key, order, status, reason, content: sectionContent(sectionFragment(copy, key)) };
    if (languages) section.parallel = sectionContent(copy.getXmlFragment(parallelFragmentName(key, languages.parallel)));
    return section;
  });
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

/** The sections with their content as ProseMirror JSON (both languages' of a bilingual document), ordered by order then key. */
export function canonicalSections(doc: Y.Doc): CanonicalSection[] {
  const copy = readableCopy(doc);
  try {
    return sectionsOf(copy, documentLanguages(copy));
  } finally {
    copy.destroy();
  }
}

/**
 * What a version freezes: of a bilingual document both languages' texts, so that its hash (and every council's
 * approval of it) covers both. Who changed a status and when, and when a translation was marked in line, are
 * deliberately left out: they are not content.
 */
export function canonicalDocument(doc: Y.Doc): CanonicalDocument {
  const copy = readableCopy(doc);
  try {
    const languages = documentLanguages(copy);
    const sections = sectionsOf(copy, languages);
    return languages ? { layout: LAYOUT_VERSION, languages: [languages.main, languages.parallel], sections } : { layout: LAYOUT_VERSION, sections };
  } finally {
    copy.destroy();
  }
}

/** A section's text in each language of its document (`language`: the language of a document in one language). */
export function sectionTexts(canonical: Pick<CanonicalDocument, 'languages'>, section: Pick<CanonicalSection, 'content' | 'parallel'>, language: DocumentLanguage): Partial<Record<DocumentLanguage, ProseMirrorJSON>> {
  if (!canonical.languages) return { [language]: section.content };
  const [main, parallel] = canonical.languages;
  return { [main]: section.content, [parallel]: section.parallel ?? { type: 'doc' } };
}

/** The languages a canonical document is in, main first (`language`: the language of a document in one language). */
export function canonicalLanguages(canonical: Pick<CanonicalDocument, 'languages'>, language: DocumentLanguage): DocumentLanguage[] {
  return canonical.languages ? [...canonical.languages] : [language];
}

/**
 * Each section's translation state in a bilingual document (bilingual.ts `sectionTranslation`), read from the
 * document's texts now and their marks; null for a document in one language.
 */
export function documentTranslations(doc: Y.Doc): SectionTranslation[] | null {
  const copy = readableCopy(doc);
  try {
    const languages = documentLanguages(copy);
    if (!languages) return null;
    return sectionsOf(copy, languages).map((s) => sectionTranslation(s.key, { [languages.main]: s.content, [languages.parallel]: s.parallel! } as Record<DocumentLanguage, ProseMirrorJSON>, readTranslationMark(copy, s.key)));
  } finally {
    copy.destroy();
  }
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
export function hashSectionText(section: Pick<CanonicalSection, 'content' | 'parallel'>): string {
  // Of a bilingual document both languages' text (decision 026): a position is given on the section in both, and is
  // shown as given on an earlier text when either changes. A document of one language hashes as it always did.
  return sha256Hex(canonicalJson(section.parallel ? { content: section.content, parallel: section.parallel } : section.content));
}

/**
 * The hash of one language column's text of a bilingual section (the main language is `content`, the other
 * `parallel`): what a position that names its column is bound to, so the other language's edits leave it current.
 */
export function hashSectionColumnText(section: Pick<CanonicalSection, 'content' | 'parallel'>, language: DocumentLanguage, languages: DocumentLanguages): string {
  const content = language === languages.main ? section.content : (section.parallel ?? { type: 'doc' });
  return sha256Hex(canonicalJson({ language, content }));
}

/**
 * The hash of a bilingual section's two texts as a reader saw them (`SectionTranslation.texts`): sent with "mark the
 * translation updated" so that the server marks the texts the person checked, not whatever arrived meanwhile.
 */
export function hashTranslationTexts(texts: Record<DocumentLanguage, ProseMirrorJSON>): string {
  return sha256Hex(canonicalJson({ fi: texts.fi, sv: texts.sv }));
}

export function contentHash(doc: Y.Doc): string {
  return hashCanonicalDocument(canonicalDocument(doc));
}

/**
 * The section's text, one block per paragraph, blocks separated by a blank line; hard breaks become newlines. Of a
 * bilingual document, the main language's, or `language`'s when given.
 */
export function sectionPlainText(doc: Y.Doc, key: string, language?: DocumentLanguage): string {
  const copy = readableCopy(doc);
  try {
    const languages = documentLanguages(copy);
    const fragment = languages && language === languages.parallel ? copy.getXmlFragment(parallelFragmentName(key, language)) : sectionFragment(copy, key);
    // The accepted text: what a version would freeze, suggestions left out.
    const root = sopuSchema.nodeFromJSON(sectionContent(fragment));
    return root.textBetween(0, root.content.size, '\n\n', (leaf) => (leaf.type.name === 'hardBreak' ? '\n' : ''));
  } finally {
    copy.destroy();
  }
}
