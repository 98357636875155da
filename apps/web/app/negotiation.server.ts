import { data } from '@remix-run/node';
import {
  agreeSection, can, decideAuthorSuggestions, decideSuggestion, isDomainError, listPositions, listSuggestionDecisions, reopenSection, setPosition,
  type Actor, type CoreDeps, type OpenDocument,
} from '@sopu/core';
import { formFailure } from './errors.server.ts';

/**
 * The document page's negotiation (docs/decisions/025): what its loader adds (the person's write mode, whether they
 * decide on suggestions or give their municipality's positions, the positions matrix, recent decisions), and its
 * forms, one use case each.
 */
export async function negotiationData(deps: CoreDeps, actor: Actor, opened: OpenDocument) {
  const [positions, decisions] = await Promise.all([listPositions(deps, actor, opened.document.id), listSuggestionDecisions(deps, actor, opened.document.id)]);
  const decides = can(opened.membership, 'negotiation.decide');
  return {
    writeMode: opened.writeMode,
    canDecide: decides,
    canOverride: decides && opened.membership.role === 'host_admin',
    canRecordPosition: can(opened.membership, 'positions.record'),
    positions,
    decisions: decisions.slice(0, 20),
  };
}

export const NEGOTIATION_INTENTS = ['accept-suggestion', 'reject-suggestion', 'decide-author', 'set-position', 'agree-section', 'reopen-section'] as const;
export type NegotiationIntent = (typeof NEGOTIATION_INTENTS)[number];
export const isNegotiationIntent = (intent: string | undefined): intent is NegotiationIntent => (NEGOTIATION_INTENTS as readonly string[]).includes(intent ?? '');

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : undefined;
};
/** An optional text field: empty means not given. */
const optional = (form: FormData, name: string) => field(form, name) || undefined;

async function run(deps: CoreDeps, actor: Actor, documentId: string, intent: NegotiationIntent, form: FormData) {
  const section = field(form, 'section') ?? '';
  switch (intent) {
    case 'accept-suggestion':
    case 'reject-suggestion':
      await decideSuggestion(deps, actor, documentId, field(form, 'suggestionId') ?? '', {
        decision: intent === 'accept-suggestion' ? 'accept' : 'reject',
        reason: optional(form, 'reason'),
        text: field(form, 'text'),
      });
      return;
    case 'decide-author':
      await decideAuthorSuggestions(deps, actor, documentId, { section, author: field(form, 'author'), decision: field(form, 'decision'), reason: optional(form, 'reason') });
      return;
    case 'set-position':
      await setPosition(deps, actor, documentId, section, field(form, 'municipalityCode') ?? '', { stance: field(form, 'stance'), text: optional(form, 'text'), language: optional(form, 'language') ?? null });
      return;
    case 'agree-section':
      await agreeSection(deps, actor, documentId, section, { override: optional(form, 'override') });
      return;
    case 'reopen-section':
      await reopenSection(deps, actor, documentId, section, { reason: optional(form, 'reason') });
      return;
  }
}

/** One negotiation form: done, or what went wrong in words (a rule's refusal names the rule and its problems). */
export async function negotiationAction(deps: CoreDeps, actor: Actor, documentId: string, intent: NegotiationIntent, form: FormData, request: Request) {
  try {
    await run(deps, actor, documentId, intent, form);
    return { ok: true as const, intent };
  } catch (error) {
    if (isDomainError(error) && error.code === 'conflict' && typeof error.details.reason === 'string') {
      const problems = Array.isArray(error.details.problems) ? (error.details.problems as string[]) : [];
      return data({ ok: false as const, intent, problems, errors: { fields: {}, form: { key: `negotiation.conflict.${error.details.reason}` } } }, { status: 409 });
    }
    return formFailure(error, request, { intent, problems: [] as string[] }, { forbidden: { key: 'negotiation.forbidden' }, not_found: { key: 'negotiation.notFound' }, invalid_input: { key: 'negotiation.invalid' } });
  }
}
