import {
  canonicalSections, documentLanguages, documentTranslations, hashTranslationTexts, makeBilingual, markTranslationInLine, needsTranslation, sectionTemplate,
  type DocumentKind, type DocumentLanguage, type DocumentLanguages, type SectionTranslation,
} from '@sopu/doc-model';
import type { Db } from '@sopu/db';
import type * as Y from 'yjs';
import { z } from 'zod';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { can } from '../shared/roles.ts';
import { findMembership, type Membership } from '../shared/tenancy.repository.ts';
import { parseInput } from '../shared/validation.ts';
import { loadDocumentState } from './document-state.ts';
import { canEditDocument } from './documents.ts';
import { mayBeBilingual } from './documents.rules.ts';

/*
 * Bilingual documents (decision 026): the host admin makes a document bilingual when the area has a Swedish-speaking
 * or bilingual municipality; each section then has a Finnish and a Swedish text, co-edited live, and a translation
 * mark per section. Who writes the text marks a translation updated once it is in line again (audited). The marks
 * and the languages live in the document (doc-model's `bilingual` map), written through the document's one writer,
 * so every open page sees them change at once.
 */

interface BilingualAccess {
  id: string;
  areaId: string;
  kind: DocumentKind;
  language: DocumentLanguage;
  membership: Membership;
}

/** The document and the caller's membership of its area; another area's document and a missing one look the same. */
async function accessOf(db: Db, actor: Actor, documentId: string): Promise<BilingualAccess> {
  const document =
    typeof documentId === 'string' && documentId.length <= 64
      ? await db.selectFrom('documents').select(['id', 'area_id', 'kind', 'language']).where('id', '=', documentId).executeTakeFirst()
      : undefined;
  const membership = document && (await findMembership(db, document.area_id, actor.userId));
  if (!document || !membership) throw new DomainError('not_found', 'document not found');
  return { id: document.id, areaId: document.area_id, kind: document.kind as DocumentKind, language: document.language === 'sv' ? 'sv' : 'fi', membership };
}

export interface DocumentTranslations {
  documentId: string;
  /** The document's languages, main first; null for a document in one language (`language`). */
  languages: DocumentLanguages | null;
  language: DocumentLanguage;
  /** Each section's translation state (empty for a document in one language). */
  sections: SectionTranslation[];
  /** The sections whose translation is stale or missing. */
  needsTranslation: string[];
  canMark: boolean;
  canMakeBilingual: boolean;
}

function viewOf(access: BilingualAccess, doc: Y.Doc, areaMayBeBilingual: boolean): DocumentTranslations {
  const languages = documentLanguages(doc);
  const sections = documentTranslations(doc) ?? [];
  return {
    documentId: access.id,
    languages,
    language: languages?.main ?? access.language,
    sections,
    needsTranslation: sections.filter(needsTranslation).map((s) => s.key),
    canMark: languages !== null && canEditDocument(access.membership, access.kind),
    canMakeBilingual: languages === null && areaMayBeBilingual && can(access.membership, 'documents.create'),
  };
}

async function areaMayBeBilingual(db: Db, areaId: string): Promise<boolean> {
  const rows = await db.selectFrom('municipalities').select('language').where('area_id', '=', areaId).execute();
  return mayBeBilingual(rows.map((r) => r.language));
}

/** A document's languages and each section's translation state, as stored now; any member of the area may read it. */
export async function getTranslations(deps: Pick<CoreDeps, 'db'>, actor: Actor, documentId: string): Promise<DocumentTranslations> {
  const access = await accessOf(deps.db, actor, documentId);
  const doc = await loadDocumentState(deps.db, access.id);
  try {
    return viewOf(access, doc, await areaMayBeBilingual(deps.db, access.areaId));
  } finally {
    doc.destroy();
  }
}

/** The sections of a document's state (a version's snapshot) whose translation is stale or missing; none in one language. */
export function translationGaps(doc: Y.Doc): string[] {
  return (documentTranslations(doc) ?? []).filter(needsTranslation).map((s) => s.key);
}

/**
 * Makes a document bilingual (host admin): its text so far is in the document's language, the other language's
 * columns start empty (shown as missing), every section is marked in line as it stands. Refused when the area has no
 * Swedish-speaking or bilingual municipality, and when the document is bilingual already.
 */
export async function makeDocumentBilingual(deps: CoreDeps, actor: Actor, documentId: string): Promise<DocumentTranslations> {
  const access = await accessOf(deps.db, actor, documentId);
  if (!can(access.membership, 'documents.create')) throw new DomainError('forbidden', 'requires documents.create');
  if (!(await areaMayBeBilingual(deps.db, access.areaId))) throw new DomainError('conflict', 'the area has no Swedish-speaking or bilingual municipality', { reason: 'no_swedish_member' });
  let already = false;
  await deps.documents.change(
    access,
    (doc) => {
      if (documentLanguages(doc)) {
        already = true;
        return [];
      }
      const texts = new Map(canonicalSections(doc).map((s) => [s.key, s.content]));
      const languages = makeBilingual(doc, access.language, texts, actor.userId, deps.now());
      return [{ actorUserId: actor.userId, action: 'document.made_bilingual', subjectType: 'document', subjectId: access.id, details: { languages: [languages.main, languages.parallel] } }];
    },
    actor.userId,
  );
  if (already) throw new DomainError('conflict', 'the document is bilingual already', { reason: 'already_bilingual' });
  return getTranslations(deps, actor, documentId);
}

export const markTranslationInput = z.object({
  section: z.string().min(1).max(64),
  /**
   * The hash of the two texts the person checked (`hashTranslationTexts` of the section's texts as their page showed
   * them). With it the server marks exactly those texts: keystrokes still on their way are waited for, and a text
   * that changed otherwise is refused (`text_changed`) rather than marked unseen. Without it, the texts as stored now.
   */
  seen: z.string().regex(/^[0-9a-f]{64}$/u, 'a SHA-256 in lower-case hex').optional(),
});

/** How long marking waits for the texts the person saw to arrive (their own last keystrokes), and how often it looks. */
export const MARK_WAIT_MS = 3000;
const MARK_POLL_MS = 100;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The section's translation as stored now, or undefined in a document of one language. */
async function storedTranslation(db: Db, documentId: string, section: string): Promise<SectionTranslation | undefined> {
  const doc = await loadDocumentState(db, documentId);
  try {
    return documentTranslations(doc)?.find((s) => s.key === section);
  } finally {
    doc.destroy();
  }
}

/**
 * Marks a section's two texts as in line again (whoever edits the text: drafters, the host admin): the stale flag
 * clears for everyone at once. Audited with what was stale. Refused on a document in one language. Given `seen`, it
 * marks the texts the person checked: it waits up to MARK_WAIT_MS for them (their own keystrokes still in transit)
 * and refuses with `text_changed` when the stored texts are not those (someone else changed them meanwhile).
 */
export async function markTranslationUpdated(deps: CoreDeps, actor: Actor, documentId: string, raw: unknown): Promise<SectionTranslation> {
  const access = await accessOf(deps.db, actor, documentId);
  if (!canEditDocument(access.membership, access.kind)) throw new DomainError('forbidden', 'only those who edit the text mark its translation');
  const { section, seen } = parseInput(markTranslationInput, raw);
  if (!sectionTemplate(access.kind, section)) throw new DomainError('invalid_input', 'no such section in this document', { field: 'section' });
  const deadline = Date.now() + MARK_WAIT_MS;
  for (;;) {
    const stored = await storedTranslation(deps.db, access.id, section);
    if (!stored) throw new DomainError('conflict', 'the document is in one language', { reason: 'not_bilingual' });
    if (!seen || hashTranslationTexts(stored.texts) === seen) {
      // The stored texts are those seen: mark them in the document's one writer, checking again there (a keystroke
      // may have landed between the read and the change).
      let outcome = 'marked' as 'marked' | 'not_bilingual' | 'changed';
      await deps.documents.change(
        access,
        (doc) => {
          const before = documentTranslations(doc)?.find((s) => s.key === section);
          if (!before) {
            outcome = 'not_bilingual';
            return [];
          }
          if (seen && hashTranslationTexts(before.texts) !== seen) {
            outcome = 'changed';
            return [];
          }
          markTranslationInLine(doc, section, before.texts, actor.userId, deps.now());
          return [{ actorUserId: actor.userId, action: 'translation.marked_updated', subjectType: 'document', subjectId: access.id, details: { section, before: before.states, changed: before.changed } }];
        },
        actor.userId,
      );
      if (outcome === 'not_bilingual') throw new DomainError('conflict', 'the document is in one language', { reason: 'not_bilingual' });
      if (outcome === 'marked') return (await storedTranslation(deps.db, access.id, section))!;
    }
    if (Date.now() >= deadline) throw new DomainError('conflict', 'the texts changed since they were checked: look at them again', { reason: 'text_changed' });
    await pause(MARK_POLL_MS);
  }
}
