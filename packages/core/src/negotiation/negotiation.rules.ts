/**
 * The negotiation's pure rules (docs/decisions/025): positions, and when a section may be marked agreed. No
 * database, no Node: the UI imports them too.
 */

export const STANCES = ['agree', 'reservations', 'objects'] as const;
export type Stance = (typeof STANCES)[number];

/** A reservation or an objection is written out; agreeing needs no text. */
export const POSITION_TEXT_MAX = 5000;
/** Why the host accepted or rejected a suggestion, or overrode the agreement rule. */
export const DECISION_REASON_MAX = 2000;

/** Text the template and drafters leave to be filled in later: "[Täydennetään …]", "[Kompletteras …]". */
// The template's placeholders are read the same way by the negotiation and the checks (shared/placeholder.ts).
export { PLACEHOLDER } from '../shared/placeholder.ts';
import { PLACEHOLDER } from '../shared/placeholder.ts';

export type AgreeProblem =
  /** The section has no text: agreed means agreed on a text. */
  | 'empty'
  /** The text still has a placeholder to fill in. */
  | 'placeholder'
  /** A discussion on the section is still open. */
  | 'open_threads'
  /** Suggested changes wait for the host's decision. */
  | 'pending_suggestions'
  /** A municipality objects to the section's current text. */
  | 'objections';

export interface SectionFacts {
  /** The accepted text, as plain text. */
  text: string;
  openThreads: number;
  pendingSuggestions: number;
  /** Municipality codes objecting to the current text. */
  objections: string[];
}

/** Why a section may not be marked agreed now (empty: it may). The host may override all but `empty`, with a reason. */
export function agreeProblems(facts: SectionFacts): AgreeProblem[] {
  const problems: AgreeProblem[] = [];
  if (facts.text.trim() === '') problems.push('empty');
  if (PLACEHOLDER.test(facts.text)) problems.push('placeholder');
  if (facts.openThreads > 0) problems.push('open_threads');
  if (facts.pendingSuggestions > 0) problems.push('pending_suggestions');
  if (facts.objections.length > 0) problems.push('objections');
  return problems;
}

/** Problems the host's override cannot lift. */
export const UNOVERRIDABLE: readonly AgreeProblem[] = ['empty'];
