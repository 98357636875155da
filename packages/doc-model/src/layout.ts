import * as Y from 'yjs';
import { templateFor, type DocumentKind } from './templates.ts';

/** Bumped only with a migration of stored documents; it is part of every canonical document and so of its hash. */
export const LAYOUT_VERSION = 1;
export const SECTIONS_MAP = 'sections';
const FRAGMENT_PREFIX = 'section:';

export const SECTION_STATUSES = ['drafting', 'agreed', 'not_applicable'] as const;
export type SectionStatus = (typeof SECTION_STATUSES)[number];

export const REASON_MAX_LENGTH = 2000;

export interface SectionMeta {
  key: string;
  order: number;
  status: SectionStatus;
  reason: string;
  updatedBy?: string;
  updatedAt?: number;
}

export type LayoutErrorCode = 'reason_required' | 'reason_too_long' | 'unknown_section' | 'invalid_status' | 'already_bilingual' | 'not_bilingual';

export class LayoutError extends Error {
  readonly code: LayoutErrorCode;

  constructor(code: LayoutErrorCode, message: string) {
    super(message);
    this.name = 'LayoutError';
    this.code = code;
  }
}

export function isSectionStatus(value: unknown): value is SectionStatus {
  return typeof value === 'string' && (SECTION_STATUSES as readonly string[]).includes(value);
}

export function sectionFragmentName(key: string): string {
  return `${FRAGMENT_PREFIX}${key}`;
}

export function sectionFragment(doc: Y.Doc, key: string): Y.XmlFragment {
  return doc.getXmlFragment(sectionFragmentName(key));
}

/**
 * Each value is a nested Y.Map rather than a plain object: a plain object is replaced whole, so a status change
 * and a concurrent reorder of the same section would lose one of the two; a Y.Map merges them field by field.
 */
export function sectionsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(SECTIONS_MAP);
}

function toMeta(key: string, value: unknown): SectionMeta | null {
  if (!(value instanceof Y.Map)) return null;
  const order: unknown = value.get('order');
  const status: unknown = value.get('status');
  const reason: unknown = value.get('reason');
  if (typeof order !== 'number' || !Number.isFinite(order) || !isSectionStatus(status)) return null;
  const meta: SectionMeta = { key, order, status, reason: typeof reason === 'string' ? reason : '' };
  const updatedBy: unknown = value.get('updatedBy');
  const updatedAt: unknown = value.get('updatedAt');
  if (typeof updatedBy === 'string') meta.updatedBy = updatedBy;
  if (typeof updatedAt === 'number' && Number.isFinite(updatedAt)) meta.updatedAt = updatedAt;
  return meta;
}

// Plain code-unit comparison: the order must not depend on the locale of the machine that sorts.
function byOrderThenKey(a: SectionMeta, b: SectionMeta): number {
  if (a.order !== b.order) return a.order - b.order;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The well-formed sections, by order then key. Malformed entries (from an old or hostile client) are skipped. */
export function readSections(doc: Y.Doc): SectionMeta[] {
  const sections: SectionMeta[] = [];
  sectionsMap(doc).forEach((value, key) => {
    const meta = toMeta(key, value);
    if (meta) sections.push(meta);
  });
  return sections.sort(byOrderThenKey);
}

export function readSection(doc: Y.Doc, key: string): SectionMeta | undefined {
  return toMeta(key, sectionsMap(doc).get(key)) ?? undefined;
}

/**
 * Adds the template's missing sections; existing entries stay as they are. The order is the template index, so
 * two replicas initialised independently write identical values and converge to the same layout. Fragments are
 * left empty: content inserted by two replicas would be kept twice.
 */
export function initialiseDocument(doc: Y.Doc, kind: DocumentKind): void {
  const template = templateFor(kind);
  doc.transact(() => {
    const sections = sectionsMap(doc);
    template.forEach(({ key }, order) => {
      if (sections.has(key)) return;
      const meta = new Y.Map<unknown>();
      meta.set('order', order);
      meta.set('status', 'drafting');
      meta.set('reason', '');
      sections.set(key, meta);
    });
  });
}

/** The first stored update of a new document. */
export function createInitialState(kind: DocumentKind): Uint8Array {
  const doc = new Y.Doc();
  try {
    initialiseDocument(doc, kind);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Validates and records a section's status. Returns false when nothing changed. Status and reason are always
 * written together so that, of two concurrent changes, one whole change wins (Yjs resolves both keys in favour of
 * the same client) rather than one's status with the other's reason.
 */
/** What is wrong with a status and reason, or null: the one place the "not applicable needs a reason" rule lives. */
export function sectionStatusProblem(status: unknown, reason: unknown): LayoutErrorCode | null {
  if (!isSectionStatus(status)) return 'invalid_status';
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (status === 'not_applicable' && text === '') return 'reason_required';
  if (text.length > REASON_MAX_LENGTH) return 'reason_too_long';
  return null;
}

export function setSectionStatus(
  doc: Y.Doc,
  key: string,
  status: SectionStatus,
  reason: string,
  userId: string,
  now: number = Date.now(),
): boolean {
  const problem = sectionStatusProblem(status, status === 'not_applicable' ? reason : '');
  if (problem === 'invalid_status') throw new LayoutError('invalid_status', `Unknown section status: ${String(status)}`);
  const entry = sectionsMap(doc).get(key);
  const current = toMeta(key, entry);
  if (!current || !(entry instanceof Y.Map)) throw new LayoutError('unknown_section', `No section "${key}"`);
  const nextReason = status === 'not_applicable' ? (typeof reason === 'string' ? reason.trim() : '') : '';
  if (problem === 'reason_required') {
    throw new LayoutError('reason_required', 'A section may be marked not applicable only with a written reason');
  }
  if (problem === 'reason_too_long') {
    throw new LayoutError('reason_too_long', `The reason may be at most ${REASON_MAX_LENGTH} characters`);
  }
  if (current.status === status && current.reason === nextReason) return false;
  doc.transact(() => {
    entry.set('status', status);
    entry.set('reason', nextReason);
    entry.set('updatedBy', userId);
    entry.set('updatedAt', now);
  });
  return true;
}
