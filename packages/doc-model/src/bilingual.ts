import * as Y from 'yjs';
import { LayoutError, sectionFragment, sectionsMap } from './layout.ts';
import type { ProseMirrorJSON } from './canonical.ts';

/*
 * Bilingual documents (decision 026). A document the area makes bilingual holds each section's text in Finnish and
 * in Swedish: its main language's text where every document keeps it (`section:<key>`), the other language's in a
 * parallel fragment `section:<key>:<lang>`. The top-level map `bilingual` says which language is which and, per
 * section, what both texts were when someone last marked them in line ("marked updated"): a language whose text
 * has changed since then leaves the other one stale until it is marked again. Only the server writes this map (the
 * layout guard refuses clients' writes to it); the texts themselves are co-edited live like any section's.
 */

export const DOCUMENT_LANGUAGES = ['fi', 'sv'] as const;
export type DocumentLanguage = (typeof DOCUMENT_LANGUAGES)[number];
export const BILINGUAL_MAP = 'bilingual';
const LANGUAGES_FIELD = 'languages';
const SYNC_PREFIX = 'sync:';

export function isDocumentLanguage(value: unknown): value is DocumentLanguage {
  return value === 'fi' || value === 'sv';
}

export const otherLanguage = (lang: DocumentLanguage): DocumentLanguage => (lang === 'fi' ? 'sv' : 'fi');

/** A bilingual document's languages: `main` is the language of its `section:<key>` texts. */
export interface DocumentLanguages {
  main: DocumentLanguage;
  parallel: DocumentLanguage;
}

/** The fragment name of a section's parallel text. */
export function parallelFragmentName(key: string, lang: DocumentLanguage): string {
  return `section:${key}:${lang}`;
}

/** The `bilingual` map, when the document has one (reading never creates it: a monolingual document stays as it is). */
function bilingualMap(doc: Y.Doc): Y.Map<unknown> | null {
  return doc.share.has(BILINGUAL_MAP) ? doc.getMap<unknown>(BILINGUAL_MAP) : null;
}

/** The document's languages, or null for a document in one language. */
export function documentLanguages(doc: Y.Doc): DocumentLanguages | null {
  const value = bilingualMap(doc)?.get(LANGUAGES_FIELD);
  if (!Array.isArray(value) || value.length !== 2 || !isDocumentLanguage(value[0]) || !isDocumentLanguage(value[1]) || value[0] === value[1]) return null;
  return { main: value[0], parallel: value[1] };
}

/**
 * The fragment holding a section's text in a language: the section's own for the main language (and for any language
 * of a document in one language), the parallel fragment for the other.
 */
export function languageFragmentName(key: string, lang: DocumentLanguage, languages: DocumentLanguages | null): string {
  return languages && lang === languages.parallel ? parallelFragmentName(key, lang) : `section:${key}`;
}

export function languageFragment(doc: Y.Doc, key: string, lang: DocumentLanguage): Y.XmlFragment {
  const languages = documentLanguages(doc);
  return languages && lang === languages.parallel ? doc.getXmlFragment(parallelFragmentName(key, lang)) : sectionFragment(doc, key);
}

/** What both texts of a section were when they were last marked in line, and by whom. */
export interface TranslationMark {
  texts: Partial<Record<DocumentLanguage, ProseMirrorJSON>>;
  by: string | null;
  at: number | null;
}

export function readTranslationMark(doc: Y.Doc, key: string): TranslationMark | null {
  const value = bilingualMap(doc)?.get(SYNC_PREFIX + key);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as { texts?: unknown; by?: unknown; at?: unknown };
  const texts: TranslationMark['texts'] = {};
  if (typeof v.texts === 'object' && v.texts !== null) {
    for (const lang of DOCUMENT_LANGUAGES) {
      const text = (v.texts as Record<string, unknown>)[lang];
      if (typeof text === 'object' && text !== null && !Array.isArray(text)) texts[lang] = text as ProseMirrorJSON;
    }
  }
  return { texts, by: typeof v.by === 'string' ? v.by : null, at: typeof v.at === 'number' && Number.isFinite(v.at) ? v.at : null };
}

/**
 * Makes a document bilingual, as the server's change: its present texts are in `main`, the other language's start
 * empty, and each section is marked in line as it stands (so what is flagged afterwards is what changes, and a
 * missing translation shows as missing). Throws when the document is bilingual already.
 */
export function makeBilingual(doc: Y.Doc, main: DocumentLanguage, texts: ReadonlyMap<string, ProseMirrorJSON>, userId: string | null, now: number): DocumentLanguages {
  if (documentLanguages(doc)) throw new LayoutError('already_bilingual', 'The document is bilingual already');
  const languages = { main, parallel: otherLanguage(main) };
  doc.transact(() => {
    const map = doc.getMap<unknown>(BILINGUAL_MAP);
    map.set(LANGUAGES_FIELD, [languages.main, languages.parallel]);
    for (const [key, text] of texts) {
      map.set(SYNC_PREFIX + key, { texts: { [languages.main]: text, [languages.parallel]: EMPTY_TEXT }, by: userId, at: now });
    }
  });
  return languages;
}

/** Records a section's two texts as in line now (someone checked the translation): the server's change. */
export function markTranslationInLine(doc: Y.Doc, key: string, texts: Record<DocumentLanguage, ProseMirrorJSON>, userId: string | null, now: number): void {
  if (!documentLanguages(doc)) throw new LayoutError('not_bilingual', 'The document is in one language');
  if (!(sectionsMap(doc).get(key) instanceof Y.Map)) throw new LayoutError('unknown_section', `No section "${key}"`);
  doc.getMap<unknown>(BILINGUAL_MAP).set(SYNC_PREFIX + key, { texts: { fi: texts.fi, sv: texts.sv }, by: userId, at: now });
}

/** A section's text with nothing in it, as the canonical form writes it. */
export const EMPTY_TEXT: ProseMirrorJSON = { type: 'doc' };

/** Whether a language's column is in line with the other, lags behind a change of the other, or has no text yet. */
export type TranslationState = 'in_line' | 'stale' | 'missing';

export interface SectionTranslation {
  key: string;
  states: Record<DocumentLanguage, TranslationState>;
  /** The languages whose text changed since the two were last marked in line. */
  changed: DocumentLanguage[];
  /** The texts as last marked in line (each language's change is shown from there), by whom and when. */
  mark: TranslationMark | null;
  /** The texts now. */
  texts: Record<DocumentLanguage, ProseMirrorJSON>;
}

const hasText = (json: ProseMirrorJSON | undefined) => !!json && Array.isArray(json.content) && json.content.length > 0;

/**
 * A section's translation state, from its texts now and as last marked in line (pure). A language is `missing`
 * when it has no text and the other has; `stale` when the other language's text changed since the mark (both, when
 * both changed: each may lack the other's change until someone checks and marks them); else `in_line`. Before any
 * mark, both texts count as having been empty.
 */
export function sectionTranslation(key: string, texts: Record<DocumentLanguage, ProseMirrorJSON>, mark: TranslationMark | null): SectionTranslation {
  const changed = DOCUMENT_LANGUAGES.filter((lang) => (mark ? !jsonEqual(texts[lang], mark.texts[lang] ?? EMPTY_TEXT) : hasText(texts[lang])));
  const state = (lang: DocumentLanguage): TranslationState => {
    const other = otherLanguage(lang);
    if (!hasText(texts[lang]) && hasText(texts[other])) return 'missing';
    if (changed.includes(other) && hasText(texts[other])) return 'stale';
    return 'in_line';
  };
  return { key, states: { fi: state('fi'), sv: state('sv') }, changed, mark, texts };
}

/** Whether a section's translation needs someone's attention (a column stale or missing). */
export function needsTranslation(section: SectionTranslation): boolean {
  return DOCUMENT_LANGUAGES.some((lang) => section.states[lang] !== 'in_line');
}

/** Equality as canonical JSON sees it: key order and undefined members do not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item ?? null, b[i] ?? null));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x).filter((k) => x[k] !== undefined);
  if (keys.length !== Object.keys(y).filter((k) => y[k] !== undefined).length) return false;
  return keys.every((k) => jsonEqual(x[k], y[k]));
}
