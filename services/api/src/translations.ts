import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { getTranslations, isDomainError, makeDocumentBilingual, markTranslationUpdated, type CoreDeps, type DocumentTranslations } from '@sopu/core';
import type { SectionTranslation } from '@sopu/doc-model';
import type { Context } from 'hono';
import { access } from './access.ts';
import { describedBody, errors, idParam, isoOrNull, jsonOf, type Vars } from './openapi.ts';

const Language = z.enum(['fi', 'sv']);
const State = z.enum(['in_line', 'stale', 'missing']);
const SectionTranslationSchema = z
  .object({
    key: z.string(),
    states: z.object({ fi: State, sv: State }).openapi({ description: 'Per language: in line with the other, stale (the other changed since the two were marked in line) or missing' }),
    changed: z.array(Language).openapi({ description: 'The languages whose text changed since the two were last marked in line' }),
    markedBy: z.string().nullable().openapi({ description: 'Who last marked them in line (a user id)' }),
    markedAt: z.string().nullable(),
  })
  .openapi('SectionTranslation');
const TranslationsSchema = z
  .object({
    documentId: z.string(),
    language: Language.openapi({ description: "The document's language (of a bilingual one, its main language)" }),
    languages: z.object({ main: Language, parallel: Language }).nullable().openapi({ description: 'null: the document is in one language' }),
    sections: z.array(SectionTranslationSchema),
    needsTranslation: z.array(z.string()).openapi({ description: 'The sections whose translation is stale or missing' }),
  })
  .openapi('Translations');
const ConflictSchema = z
  .object({ error: z.object({ code: z.literal('conflict'), message: z.string(), reason: z.enum(['no_swedish_member', 'already_bilingual', 'not_bilingual', 'text_changed']) }) })
  .openapi('TranslationConflict');

const section = (s: SectionTranslation) => ({ key: s.key, states: s.states, changed: s.changed, markedBy: s.mark?.by ?? null, markedAt: isoOrNull(s.mark?.at ?? null) });
const view = (t: DocumentTranslations) => ({ documentId: t.documentId, language: t.language, languages: t.languages, sections: t.sections.map(section), needsTranslation: t.needsTranslation });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const conflicts = { 409: json(ConflictSchema, 'Refused, with the reason') };
const DocumentParam = z.object({ documentId: idParam('documentId') });

/** A refusal with a reason is answered 409 with it; anything else goes to the API's one error handler. */
async function withReason<R>(c: Context, run: () => Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (error) {
    if (isDomainError(error) && error.code === 'conflict' && typeof error.details.reason === 'string') {
      return c.json({ error: { code: 'conflict' as const, message: error.message, reason: error.details.reason } }, 409) as unknown as R;
    }
    throw error;
  }
}

/** Two languages (decision 026): a document's translation state, making it bilingual, marking a translation updated. */
export function translationRoutes(api: OpenAPIHono<Vars>, deps: CoreDeps) {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{documentId}/translations',
      ...access({ area: 'area.read' }),
      summary: "A document's languages and each section's translation state (stale, missing, in line)",
      request: { params: DocumentParam },
      responses: { 200: json(TranslationsSchema, 'The translation state'), ...errors(401, 404) },
    }),
    async (c) => c.json(view(await getTranslations(deps, c.get('actor'), c.req.valid('param').documentId)), 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/documents/{documentId}/bilingual',
      ...access({ area: 'documents.create' }),
      summary: 'Make the document bilingual (host admin; the area needs a Swedish-speaking or bilingual municipality): its text so far is in its language, the other language is added beside it',
      request: { params: DocumentParam },
      responses: { 201: json(TranslationsSchema, 'The translation state'), ...errors(401, 403, 404), ...conflicts },
    }),
    async (c) => withReason(c, async () => c.json(view(await makeDocumentBilingual(deps, c.get('actor'), c.req.valid('param').documentId)), 201)),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/documents/{documentId}/translations/mark',
      // Those who edit the text (drafters and the host admin; of the administrative rules, the host's).
      ...access({ area: 'agreement.edit', own: true }),
      summary: "Mark a section's two texts as in line again (the translation updated): the stale flag clears for everyone",
      request: { params: DocumentParam, ...describedBody({
          type: 'object',
          required: ['section'],
          properties: {
            section: { type: 'string', description: 'A section key of the document' },
            seen: {
              type: 'string',
              pattern: '^[0-9a-f]{64}$',
              description:
                "SHA-256 (lower-case hex) of the canonical JSON {fi, sv} of the section's two texts as you checked them (doc-model hashTranslationTexts). Given, exactly those texts are marked: the server waits up to 3 s for them to arrive and answers 409 text_changed if the stored texts differ. Absent: the texts as stored now.",
            },
          },
        }) },
      responses: { 200: json(SectionTranslationSchema, "The section's translation state"), ...errors(400, 401, 403, 404), ...conflicts },
    }),
    async (c) => withReason(c, async () => c.json(section(await markTranslationUpdated(deps, c.get('actor'), c.req.valid('param').documentId, await jsonOf(c))), 200)),
  );
}
