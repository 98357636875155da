import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  agreeSection, decideSuggestion, isDomainError, listPositions, listSuggestions, reopenSection, setPosition, DECISION_REASON_MAX, POSITION_TEXT_MAX, STANCES,
  type CoreDeps, type DecidedSuggestions, type SuggestionView,
} from '@sopu/core';
import type { Context } from 'hono';
import { access } from './access.ts';
import { describedBody, errors, idParam, iso, jsonOf, type Vars } from './openapi.ts';

const SuggestionSchema = z
  .object({
    id: z.string(),
    section: z.string(),
    kind: z.enum(['insert', 'delete']),
    text: z.string().openapi({ description: 'The text suggested for insertion or deletion (runs of one suggestion in several blocks joined by a space)' }),
    author: z.object({ id: z.string(), name: z.string().nullable() }),
    municipalityCode: z.string(),
    createdAt: z.string(),
    language: z.enum(['fi', 'sv']).optional().openapi({ description: 'In a bilingual document, the language column the suggestion is in' }),
  })
  .openapi('Suggestion');
const DecidedSchema = z
  .object({ decision: z.enum(['accepted', 'rejected']), suggestions: z.array(SuggestionSchema), reopened: z.array(z.string()).openapi({ description: 'Agreed sections whose text the decision changed, open again' }) })
  .openapi('SuggestionDecision');
const PositionSchema = z
  .object({
    municipalityCode: z.string(),
    stance: z.enum(STANCES),
    language: z.enum(['fi', 'sv']).nullable().openapi({ description: 'The language column of a bilingual document the position concerns; null: the section in every language' }),
    text: z.string().optional().openapi({ description: 'The reservation or objection' }),
    current: z.boolean().openapi({ description: "Given on the section's current text (of its language column when it names one); false: given on an earlier text" }),
    setAt: z.string(),
    setBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  })
  .openapi('Position');
const PositionsSchema = z
  .object({
    municipalities: z.array(z.object({ code: z.string(), name: z.object({ fi: z.string(), sv: z.string() }), isHost: z.boolean() })),
    sections: z.array(z.object({ key: z.string(), hash: z.string().openapi({ description: "SHA-256 of the section's accepted text (its canonical content)" }), status: z.string(), positions: z.array(PositionSchema) })),
  })
  .openapi('Positions');
const ConflictSchema = z.object({ error: z.object({ code: z.literal('conflict'), message: z.string(), reason: z.string(), problems: z.array(z.string()).optional(), text: z.string().optional() }) }).openapi('NegotiationConflict');
const conflicts = { 409: { description: 'Refused by a rule of the negotiation, with its reason (stale, not_agreeable, not_agreed)', content: { 'application/json': { schema: ConflictSchema } } } };

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const DocumentParam = z.object({ documentId: idParam('documentId') });
const SuggestionParam = z.object({ documentId: idParam('documentId'), suggestionId: z.string().min(1).max(64).openapi({ param: { name: 'suggestionId', in: 'path' }, example: 'k3v9x2m1q8ab' }) });
const keyParam = z.string().min(1).max(100).openapi({ param: { name: 'key', in: 'path' }, example: 'parties' });
const SectionParam = z.object({ documentId: idParam('documentId'), key: keyParam });
const PositionParam = z.object({ documentId: idParam('documentId'), key: keyParam, code: z.string().min(1).max(10).openapi({ param: { name: 'code', in: 'path' }, example: '290' }) });

const suggestion = (s: SuggestionView) => ({ ...s, createdAt: iso(s.createdAt) });
const decided = (d: DecidedSuggestions) => ({ decision: d.decision, suggestions: d.suggestions.map(suggestion), reopened: d.reopened });
const REASON = { type: 'string', maxLength: DECISION_REASON_MAX };

/** A conflict with a reason is answered 409 with it; every other error goes to the API's one error handler. */
async function withReason<R>(c: Context, run: () => Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (error) {
    if (isDomainError(error) && error.code === 'conflict' && typeof error.details.reason === 'string') {
      const { reason, problems, text } = error.details;
      return c.json({ error: { code: 'conflict' as const, message: error.message, reason, ...(Array.isArray(problems) ? { problems } : {}), ...(typeof text === 'string' ? { text } : {}) } }, 409) as unknown as R;
    }
    throw error;
  }
}

/** The negotiation (docs/decisions/025): suggested changes and the host's decisions, positions, agreed sections. */
export function negotiationRoutes(api: OpenAPIHono<Vars>, deps: CoreDeps) {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{documentId}/suggestions',
      ...access({ area: 'area.read' }),
      summary: "The document's pending suggested changes, section by section in the document's order",
      request: { params: DocumentParam },
      responses: { 200: json(z.array(SuggestionSchema), 'Pending suggestions'), ...errors(401, 404) },
    }),
    async (c) => c.json((await listSuggestions(deps, c.get('actor'), c.req.valid('param').documentId)).map(suggestion), 200),
  );

  for (const decision of ['accept', 'reject'] as const) {
    api.openapi(
      createRoute({
        method: 'post',
        path: `/documents/{documentId}/suggestions/{suggestionId}/${decision}`,
        ...access({ area: 'negotiation.decide' }),
        summary:
          decision === 'accept'
            ? 'Accept a suggestion (the host): inserted text becomes plain, text suggested for deletion goes; applied by the server as a change of the live document'
            : 'Reject a suggestion (the host, saying why): inserted text goes, a deletion mark is lifted; applied by the server as a change of the live document',
        request: {
          params: SuggestionParam,
          ...describedBody(
            {
              type: 'object',
              ...(decision === 'reject' ? { required: ['reason'] } : {}),
              properties: { reason: REASON, text: { type: 'string', description: 'The suggestion’s text as you saw it: when it has changed since, the decision is refused (409 stale)' } },
            },
            decision === 'reject',
          ),
        },
        responses: { 200: json(DecidedSchema, 'What was decided'), ...errors(400, 401, 403, 404), ...conflicts },
      }),
      async (c) => {
        const { documentId, suggestionId } = c.req.valid('param');
        const body = await jsonOf(c);
        const input = body === undefined ? { decision } : typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, decision } : body;
        return withReason(c, async () => c.json(decided(await decideSuggestion(deps, c.get('actor'), documentId, suggestionId, input)), 200));
      },
    );
  }

  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{documentId}/positions',
      ...access({ area: 'area.read' }),
      summary: "Each municipality's position on each section, bound to the section's text (`current` false: given on an earlier text)",
      request: { params: DocumentParam },
      responses: { 200: json(PositionsSchema, 'Positions'), ...errors(401, 404) },
    }),
    async (c) => {
      const overview = await listPositions(deps, c.get('actor'), c.req.valid('param').documentId);
      return c.json({ ...overview, sections: overview.sections.map((s) => ({ ...s, positions: s.positions.map((p) => ({ ...p, setAt: iso(p.setAt) })) })) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/documents/{documentId}/sections/{key}/positions/{code}',
      // A municipality's member rep or drafter, for their own municipality only (the host admin for the host).
      ...access({ area: 'positions.record', own: true }),
      summary: "Record your municipality's position on a section: agree, agree with reservations (text), or object (text)",
      request: {
        params: PositionParam,
        ...describedBody({ type: 'object', required: ['stance'], properties: { stance: { type: 'string', enum: [...STANCES] }, text: { type: 'string', maxLength: POSITION_TEXT_MAX, description: 'Required with reservations and objects' }, language: { type: ['string', 'null'], enum: ['fi', 'sv', null], description: 'A bilingual document only: the language column the position concerns (its text alone binds it); absent or null: the section in every language' } } }),
      },
      responses: { 200: json(PositionSchema.extend({ section: z.string(), hash: z.string() }), 'The position'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const { documentId, key, code } = c.req.valid('param');
      const p = await setPosition(deps, c.get('actor'), documentId, key, code, await jsonOf(c));
      return c.json({ ...p, setAt: iso(p.setAt) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/documents/{documentId}/sections/{key}/agree',
      ...access({ area: 'negotiation.decide' }),
      summary: 'Mark a section agreed ("Sovittu"): refused while it has a placeholder, an open thread, a pending suggestion or an objection to its current text, unless the host admin overrides with a reason',
      request: { params: SectionParam, ...describedBody({ type: 'object', properties: { override: REASON } }, false) },
      responses: { 200: json(z.object({ section: z.string(), problems: z.array(z.string()), overridden: z.boolean() }), 'Marked agreed'), ...errors(400, 401, 403, 404), ...conflicts },
    }),
    async (c) => {
      const { documentId, key } = c.req.valid('param');
      const body = await jsonOf(c);
      return withReason(c, async () => c.json(await agreeSection(deps, c.get('actor'), documentId, key, body ?? {}), 200));
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/documents/{documentId}/sections/{key}/reopen',
      ...access({ area: 'negotiation.decide' }),
      summary: 'Reopen an agreed section for direct edits (the host; audited with the reason given)',
      request: { params: SectionParam, ...describedBody({ type: 'object', properties: { reason: REASON } }, false) },
      responses: { 200: json(z.object({ section: z.string() }), 'Reopened'), ...errors(400, 401, 403, 404), ...conflicts },
    }),
    async (c) => {
      const { documentId, key } = c.req.valid('param');
      const body = await jsonOf(c);
      return withReason(c, async () => c.json(await reopenSection(deps, c.get('actor'), documentId, key, body ?? {}), 200));
    },
  );
}
