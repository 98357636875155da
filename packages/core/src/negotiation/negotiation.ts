import {
  canonicalSections, decideSuggestions, documentLanguages, hashSectionColumnText, hashSectionText, readSuggestions, reopenAgreedSections, sectionPlainText, sectionsMap, templateFor,
  type CanonicalSection, type DocumentLanguage, type DocumentLanguages, type PendingSuggestion, type SuggestionDecision,
} from '@sopu/doc-model';
import * as Y from 'yjs';
import { z } from 'zod';
import { openThreadCounts } from '../comments/index.ts';
import { loadDocumentState } from '../documents/index.ts';
import type { Actor, CoreDeps, DocumentAudit } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { can } from '../shared/roles.ts';
import { findAreaBySlug, findMunicipalityByCode, listMunicipalities } from '../shared/tenancy.repository.ts';
import { userText } from '../shared/text.ts';
import { parseInput } from '../shared/validation.ts';
import { documentAccessOf, type DocumentAccess } from '../versions/index.ts';
import { agreeProblems, DECISION_REASON_MAX, POSITION_TEXT_MAX, STANCES, UNOVERRIDABLE, type AgreeProblem, type Stance } from './negotiation.rules.ts';
import { decisionsOf, memberNames, positionsOf, upsertPosition } from './negotiation.repository.ts';

/*
 * The negotiation (docs/decisions/025): suggested changes (marks in the Yjs text, made in the editor), the host's
 * decisions on them (applied by the server as a change of the live document, through its room), each municipality's
 * position on each section, and marking sections agreed (locked for direct edits) or reopening them.
 */

export interface SuggestionView {
  id: string;
  section: string;
  kind: 'insert' | 'delete';
  text: string;
  /** `name` null: the mark names no member of the area. */
  author: { id: string; name: string | null };
  municipalityCode: string;
  createdAt: number;
  /** In a bilingual document (decision 026), the language column the suggestion is in. */
  language?: 'fi' | 'sv';
}

const SUGGESTION_ID = /^[A-Za-z0-9_-]{6,64}$/;

function sectionKeyOf(access: DocumentAccess, key: unknown): string {
  if (typeof key !== 'string' || !templateFor(access.kind).some((s) => s.key === key)) throw new DomainError('not_found', 'no such section');
  return key;
}

async function withDocument<T>(deps: Pick<CoreDeps, 'db'>, documentId: string, read: (doc: Y.Doc) => T): Promise<T> {
  const doc = await loadDocumentState(deps.db, documentId);
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}

async function viewsOf(deps: Pick<CoreDeps, 'db'>, access: DocumentAccess, pending: PendingSuggestion[]): Promise<SuggestionView[]> {
  const names = await memberNames(deps.db, access.areaId, [...new Set(pending.map((s) => s.author))]);
  return pending.map((s) => ({ id: s.id, section: s.section, kind: s.kind, text: s.text, author: { id: s.author, name: names.get(s.author) ?? null }, municipalityCode: s.municipalityCode, createdAt: s.createdAt, ...(s.language ? { language: s.language } : {}) }));
}

/** The document's pending suggestions, section by section in the document's order. Any member reads them. */
export async function listSuggestions(deps: CoreDeps, actor: Actor, documentId: string): Promise<SuggestionView[]> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  return viewsOf(deps, access, await withDocument(deps, access.id, readSuggestions));
}

export interface SuggestionDecisionView {
  suggestionId: string;
  section: string;
  kind: 'insert' | 'delete';
  text: string;
  author: { id: string | null; name: string | null };
  municipalityCode: string;
  suggestedAt: number;
  decision: 'accepted' | 'rejected';
  reason: string;
  decidedBy: { id: string; name: string } | null;
  decidedAt: number;
}

/** The host's latest decisions on suggestions (newest first, at most 50): what became of each, and why. */
export async function listSuggestionDecisions(deps: CoreDeps, actor: Actor, documentId: string): Promise<SuggestionDecisionView[]> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  const rows = await decisionsOf(deps.db, access.areaId, access.id, 50);
  const names = await memberNames(deps.db, access.areaId, [...new Set(rows.flatMap((r) => (r.authorId ? [r.authorId] : [])))]);
  return rows.map(({ authorId, ...r }) => ({ ...r, author: { id: authorId, name: authorId ? (names.get(authorId) ?? null) : null } }));
}

const reasonText = userText({ max: DECISION_REASON_MAX, multiline: true });

export const decideSuggestionInput = z
  .object({
    decision: z.enum(['accept', 'reject']),
    reason: reasonText.optional(),
    /** The suggestion's text as the person saw it: when it has changed since, the decision is refused (stale). */
    text: z.string().max(100_000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'reject' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rejection says why' });
  });

export const decideAuthorSuggestionsInput = z
  .object({
    decision: z.enum(['accept', 'reject']),
    section: z.string().max(100),
    author: z.string().max(100),
    reason: reasonText.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'reject' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rejection says why' });
  });

export interface DecidedSuggestions {
  decision: 'accepted' | 'rejected';
  suggestions: SuggestionView[];
  /** Agreed sections whose accepted text the decision changed: they are open for discussion again. */
  reopened: string[];
}

/**
 * Applies the host's decision on suggestions to the live document, through its one writer (the collab room): one
 * change, stored with its audit events before anyone sees it; then records the decisions. `expectedText` (as the
 * decider saw it) guards against deciding on a suggestion that changed in between: then nothing is applied.
 */
async function decide(
  deps: CoreDeps,
  actor: Actor,
  access: DocumentAccess,
  pick: (s: PendingSuggestion) => boolean,
  decision: SuggestionDecision,
  reason: string,
  expectedText: string | undefined,
): Promise<DecidedSuggestions> {
  let decided: PendingSuggestion[] = [];
  let reopened: string[] = [];
  let current: string | null = null;
  const now = deps.now();
  await deps.documents.change(
    { id: access.id, areaId: access.areaId, kind: access.kind },
    (live): DocumentAudit => {
      const chosen = readSuggestions(live).filter(pick);
      if (chosen.length === 0) return [];
      const text = chosen.map((s) => s.text).join(' ');
      if (expectedText !== undefined && expectedText !== text) {
        current = text;
        return [];
      }
      decided = decideSuggestions(live, pick, decision);
      // Accepting changes the accepted text; a section agreed on the text before is open for discussion again.
      if (decision === 'accept') reopened = reopenAgreedSections(live, new Set(decided.map((s) => s.section)), null, now);
      return [
        ...decided.map((s) => ({
          actorUserId: actor.userId,
          action: decision === 'accept' ? 'suggestion.accepted' : 'suggestion.rejected',
          subjectType: 'document',
          subjectId: access.id,
          details: { suggestion: s.id, section: s.section, kind: s.kind, text: s.text.slice(0, 500), author: s.author, municipalityCode: s.municipalityCode, reason },
        })),
        ...reopened.map((section) => ({ actorUserId: actor.userId, action: 'section.reopened', subjectType: 'document', subjectId: access.id, details: { section, after: 'suggestion.accepted' } })),
      ];
    },
    actor.userId,
  );
  if (current !== null) throw new DomainError('conflict', 'the suggestion has changed since it was shown', { reason: 'stale', text: current });
  if (decided.length === 0) throw new DomainError('not_found', 'no such pending suggestion');
  const outcome = decision === 'accept' ? 'accepted' : 'rejected';
  await deps.db.transaction().execute(async (trx) => {
    for (const s of decided) {
      await trx
        .insertInto('suggestion_decisions')
        .values({ id: newId(), area_id: access.areaId, document_id: access.id, suggestion_id: s.id, section_key: s.section, kind: s.kind, text: s.text, author_id: (await trx.selectFrom('users').select('id').where('id', '=', s.author).executeTakeFirst())?.id ?? null, municipality_code: s.municipalityCode, suggested_at: s.createdAt, decision: outcome, reason, decided_by: actor.userId, decided_at: now })
        .execute();
    }
  });
  return { decision: outcome, suggestions: await viewsOf(deps, access, decided), reopened };
}

function requireDecider(access: DocumentAccess) {
  if (!can(access.membership, 'negotiation.decide')) throw new DomainError('forbidden', 'only the host decides on suggested changes');
}

/** The host accepts or rejects one suggestion (a rejection says why). */
export async function decideSuggestion(deps: CoreDeps, actor: Actor, documentId: string, suggestionId: string, raw: unknown): Promise<DecidedSuggestions> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  requireDecider(access);
  // Which suggestion before what to do with it: a missing one is "not found" whatever the body says.
  if (typeof suggestionId !== 'string' || !SUGGESTION_ID.test(suggestionId)) throw new DomainError('not_found', 'no such pending suggestion');
  if (!(await withDocument(deps, access.id, readSuggestions)).some((s) => s.id === suggestionId)) throw new DomainError('not_found', 'no such pending suggestion');
  const input = parseInput(decideSuggestionInput, raw);
  return decide(deps, actor, access, (s) => s.id === suggestionId, input.decision, input.reason ?? '', input.text);
}

/** The host accepts or rejects every pending suggestion of one author in one section. */
export async function decideAuthorSuggestions(deps: CoreDeps, actor: Actor, documentId: string, raw: unknown): Promise<DecidedSuggestions> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  requireDecider(access);
  const input = parseInput(decideAuthorSuggestionsInput, raw);
  const section = sectionKeyOf(access, input.section);
  return decide(deps, actor, access, (s) => s.section === section && s.author === input.author, input.decision, input.reason ?? '', undefined);
}

// --- positions -------------------------------------------------------------------------------------------------------

export interface PositionView {
  municipalityCode: string;
  stance: Stance;
  /** The language column it concerns in a bilingual document (decision 026); null: the section in every language. */
  language: DocumentLanguage | null;
  /** The reservation or objection; absent when agreeing. */
  text?: string;
  /** Given on the section's current text (false: "given on an earlier text"). */
  current: boolean;
  setAt: number;
  setBy: { id: string; name: string } | null;
}

export interface PositionsOverview {
  municipalities: Array<{ code: string; name: { fi: string; sv: string }; isHost: boolean }>;
  sections: Array<{ key: string; hash: string; status: string; positions: PositionView[] }>;
}

/**
 * What a position is bound to: the section's text in every language, or, when it names a language column of a
 * bilingual document, that column's text alone (the other language's edits leave it current).
 */
function positionHash(section: Pick<CanonicalSection, 'content' | 'parallel'>, language: DocumentLanguage | null, languages: DocumentLanguages | null): string {
  return language && languages ? hashSectionColumnText(section, language, languages) : hashSectionText(section);
}

const sectionsAndLanguages = (doc: Y.Doc) => ({ sections: canonicalSections(doc), languages: documentLanguages(doc) });

/** Every municipality's position on every section (sections × municipalities), bound to the text they were given on. */
export async function listPositions(deps: CoreDeps, actor: Actor, documentId: string): Promise<PositionsOverview> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  const { sections, languages } = await withDocument(deps, access.id, sectionsAndLanguages);
  const rows = await positionsOf(deps.db, access.areaId, access.id);
  const area = await findAreaBySlug(deps.db, access.areaSlug);
  const municipalities = area ? await listMunicipalities(deps.db, area) : [];
  return {
    // The host first, then by Finnish name.
    municipalities: municipalities.map((m) => ({ code: m.code, name: m.name, isHost: m.id === area?.hostMunicipalityId })).sort((a, b) => Number(b.isHost) - Number(a.isHost)),
    sections: sections.map((section) => {
      const hash = hashSectionText(section);
      return {
        key: section.key,
        hash,
        status: section.status,
        positions: rows
          .filter((r) => r.sectionKey === section.key)
          .map((r) => ({ municipalityCode: r.municipalityCode, stance: r.stance, language: r.language, ...(r.text ? { text: r.text } : {}), current: r.sectionHash === positionHash(section, r.language, languages), setAt: r.setAt, setBy: r.setBy })),
      };
    }),
  };
}

export const positionInput = z
  .object({
    stance: z.enum(STANCES),
    text: userText({ max: POSITION_TEXT_MAX, multiline: true }).optional(),
    /** The language column it concerns, in a bilingual document only; absent or null: the section in every language. */
    language: z.enum(['fi', 'sv']).nullable().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.stance !== 'agree' && !v.text) ctx.addIssue({ code: 'custom', path: ['text'], message: 'a reservation or an objection says what it is' });
  });

/**
 * A municipality's position on a section, given by its own member rep or drafter (or the host admin for the host),
 * bound to the section's current text — of one language column when it names one (a bilingual document only).
 * Giving it again replaces it.
 */
export async function setPosition(deps: CoreDeps, actor: Actor, documentId: string, sectionKey: string, municipalityCode: string, raw: unknown): Promise<PositionView & { section: string; hash: string }> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  if (!can(access.membership, 'positions.record')) throw new DomainError('forbidden', "only a municipality's member rep or drafter gives its position");
  const key = sectionKeyOf(access, sectionKey);
  const municipality = typeof municipalityCode === 'string' && municipalityCode.length <= 10 ? await findMunicipalityByCode(deps.db, access.areaId, municipalityCode) : undefined;
  if (!municipality) throw new DomainError('not_found', 'no such municipality in the area');
  if (municipality.id !== access.membership.municipalityId) throw new DomainError('forbidden', 'a position is given for one’s own municipality only');
  const input = parseInput(positionInput, raw);
  const text = input.stance === 'agree' ? '' : (input.text ?? '');
  const { sections, languages } = await withDocument(deps, access.id, sectionsAndLanguages);
  const section = sections.find((s) => s.key === key);
  if (!section) throw new DomainError('not_found', 'no such section');
  const language = input.language ?? null;
  if (language && !languages) throw new DomainError('invalid_input', 'the document is in one language: a position names no language column', { field: 'language' });
  const hash = positionHash(section, language, languages);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await upsertPosition(trx, { id: newId(), areaId: access.areaId, documentId: access.id, sectionKey: key, municipalityId: access.membership.municipalityId, stance: input.stance, text, sectionHash: hash, language, setBy: actor.userId, setAt: now });
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: 'position.recorded', subjectType: 'document', subjectId: access.id, details: { section: key, municipalityCode, stance: input.stance, language, hash } }, now);
  });
  return { section: key, hash, municipalityCode, stance: input.stance, language, ...(text ? { text } : {}), current: true, setAt: now, setBy: { id: actor.userId, name: actor.displayName } };
}

// --- agreeing on a section -------------------------------------------------------------------------------------------

export const agreeSectionInput = z.object({ override: reasonText.optional() });
export const reopenSectionInput = z.object({ reason: reasonText.optional() });

/** Why the section may not be marked agreed now (empty: it may). */
export async function sectionAgreeProblems(deps: Pick<CoreDeps, 'db'>, access: DocumentAccess, key: string, doc: Y.Doc): Promise<AgreeProblem[]> {
  const threads = await openThreadCounts(deps.db, access.areaId, access.id);
  const section = canonicalSections(doc).find((s) => s.key === key);
  const languages = documentLanguages(doc);
  // An objection counts while it stands on the text it was given on (of its language column, when it names one).
  const objections = (await positionsOf(deps.db, access.areaId, access.id))
    .filter((p) => p.sectionKey === key && p.stance === 'objects' && section !== undefined && p.sectionHash === positionHash(section, p.language, languages))
    .map((p) => p.municipalityCode);
  return agreeProblems({ text: sectionPlainText(doc, key), openThreads: threads.get(key) ?? 0, pendingSuggestions: readSuggestions(doc).filter((s) => s.section === key).length, objections });
}

/**
 * Marks a section agreed ("Sovittu"): only when its text has no placeholder, no open thread, no pending suggestion
 * and no municipality objects to its current text. The host admin may override that with a reason (audited). An
 * agreed section is locked: the collab server refuses direct edits in it; suggestions reopen it.
 */
export async function agreeSection(deps: CoreDeps, actor: Actor, documentId: string, sectionKey: string, raw: unknown): Promise<{ section: string; problems: AgreeProblem[]; overridden: boolean }> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  requireDecider(access);
  const key = sectionKeyOf(access, sectionKey);
  const { override } = parseInput(agreeSectionInput, raw);
  if (override && access.membership.role !== 'host_admin') throw new DomainError('forbidden', 'only the host admin overrides the agreement rule');
  const problems = await withDocument(deps, access.id, (doc) => sectionAgreeProblems(deps, access, key, doc));
  const blocking = override ? problems.filter((p) => UNOVERRIDABLE.includes(p)) : problems;
  if (blocking.length > 0) throw new DomainError('conflict', 'the section cannot be marked agreed yet', { reason: 'not_agreeable', problems: blocking });
  const now = deps.now();
  let already = false;
  await deps.documents.change(
    { id: access.id, areaId: access.areaId, kind: access.kind },
    (live): DocumentAudit => {
      const meta = sectionsMap(live).get(key);
      if (!(meta instanceof Y.Map)) throw new DomainError('not_found', 'no such section');
      if (meta.get('status') === 'agreed') {
        already = true;
        return [];
      }
      // What was checked above from the stored text still holds in the live one (the room is the one writer).
      if (!override && readSuggestions(live).some((s) => s.section === key)) throw new DomainError('conflict', 'the section cannot be marked agreed yet', { reason: 'not_agreeable', problems: ['pending_suggestions'] });
      meta.set('status', 'agreed');
      meta.set('reason', '');
      meta.set('updatedBy', actor.userId);
      meta.set('updatedAt', now);
      return [{ actorUserId: actor.userId, action: 'section.agreed', subjectType: 'document', subjectId: access.id, details: { section: key, override: override ?? null, problems } }];
    },
    actor.userId,
  );
  return { section: key, problems: already ? [] : problems, overridden: Boolean(override) && problems.length > 0 };
}

/** The host reopens an agreed section for direct edits and discussion (audited, with an optional reason). */
export async function reopenSection(deps: CoreDeps, actor: Actor, documentId: string, sectionKey: string, raw: unknown): Promise<{ section: string }> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  requireDecider(access);
  const key = sectionKeyOf(access, sectionKey);
  const { reason } = parseInput(reopenSectionInput, raw);
  const now = deps.now();
  await deps.documents.change(
    { id: access.id, areaId: access.areaId, kind: access.kind },
    (live): DocumentAudit => {
      const meta = sectionsMap(live).get(key);
      if (!(meta instanceof Y.Map) || meta.get('status') !== 'agreed') throw new DomainError('conflict', 'the section is not marked agreed', { reason: 'not_agreed' });
      meta.set('status', 'drafting');
      meta.set('reason', '');
      meta.set('updatedBy', actor.userId);
      meta.set('updatedAt', now);
      return [{ actorUserId: actor.userId, action: 'section.reopened', subjectType: 'document', subjectId: access.id, details: { section: key, reason: reason ?? '' } }];
    },
    actor.userId,
  );
  return { section: key };
}
