import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { compareVersions, getVersion, listVersions, restoreVersion, saveVersion, type ComparisonSide, type CoreDeps, type VersionSummary } from '@sopu/core';
import { access } from './access.ts';
import { describedBody, errors, idParam, iso, jsonOf, type Vars } from './openapi.ts';

const VersionSchema = z
  .object({
    number: z.number(),
    label: z.string(),
    hash: z.string().openapi({ description: 'SHA-256 of the canonical document (hex)' }),
    createdAt: z.string(),
    createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    restoredFrom: z.number().nullable(),
    pendingSuggestions: z
      .array(z.object({ id: z.string(), section: z.string(), kind: z.enum(['insert', 'delete']), text: z.string(), author: z.string(), municipalityCode: z.string(), createdAt: z.string() }))
      .openapi({ description: 'Suggested changes pending when the version was saved, apart from its text (its text and hash are the accepted text only); a version with any is not sent for approval' }),
  })
  .openapi('Version');
const SectionSchema = z
  .object({
    key: z.string(),
    order: z.number(),
    status: z.enum(['drafting', 'agreed', 'not_applicable']),
    reason: z.string(),
    content: z.record(z.string(), z.unknown()).openapi({ description: 'Normalised ProseMirror JSON of the section' }),
    hash: z.string(),
  })
  .openapi('VersionSection');

const PlaceSchema = z.object({
  kind: z.enum(['paragraph', 'heading', 'listItem', 'tableCell', 'codeBlock', 'horizontalRule']),
  level: z.number().optional(),
  list: z.object({ type: z.enum(['bulletList', 'orderedList']), depth: z.number(), index: z.number() }).optional(),
  table: z.object({ index: z.number(), row: z.number(), column: z.number(), header: z.boolean() }).optional(),
  quote: z.number().optional(),
  language: z.string().optional(),
  attrs: z.record(z.string(), z.unknown()).optional(),
});
const RunSchema = z.object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string(), marks: z.array(z.string()).optional() }).openapi('DiffRun');
const BlockSchema = PlaceSchema.extend({ op: z.enum(['equal', 'modify', 'insert', 'delete']), from: PlaceSchema.optional(), runs: z.array(RunSchema) }).openapi('DiffBlock');
const changeOf = <T extends z.ZodType>(t: T) => z.object({ from: t.nullable(), to: t.nullable() }).optional();
const SectionDiffSchema = z
  .object({
    key: z.string(),
    presence: z.enum(['both', 'added', 'removed']),
    changed: z.boolean().openapi({ description: "True exactly when the section's hashes differ" }),
    contentChanged: z.boolean(),
    order: changeOf(z.number()),
    status: changeOf(z.enum(['drafting', 'agreed', 'not_applicable'])),
    reason: changeOf(z.string()),
    blocks: z.array(BlockSchema).optional().openapi({ description: 'Every block of a changed section, equal ones included; absent for unchanged sections' }),
  })
  .openapi('SectionDiff');
const SideSchema = z
  .object({ version: z.number().nullable().openapi({ description: 'null: the current text' }), label: z.string().nullable(), hash: z.string(), createdAt: z.string().nullable(), createdBy: z.object({ id: z.string(), name: z.string() }).nullable() })
  .openapi('ComparisonSide');
const DiffSchema = z
  .object({ documentId: z.string(), from: SideSchema, to: SideSchema, identical: z.boolean(), changedSections: z.array(z.string()), sections: z.array(SectionDiffSchema) })
  .openapi('Diff');
const target = (name: string, description: string) => z.string().max(10).optional().openapi({ param: { name, in: 'query' }, description, example: name === 'to' ? 'current' : '3' });
const side = (s: ComparisonSide) => ({ version: s.number, label: s.label, hash: s.hash, createdAt: s.createdAt === null ? null : iso(s.createdAt), createdBy: s.createdBy });

const version = (v: VersionSummary) => ({
  number: v.number,
  label: v.label,
  hash: v.hash,
  createdAt: iso(v.createdAt),
  createdBy: v.createdBy,
  restoredFrom: v.restoredFrom,
  pendingSuggestions: v.pendingSuggestions.map((s) => ({ ...s, createdAt: iso(s.createdAt) })),
});
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const DocumentParam = z.object({ documentId: idParam('documentId') });
const VersionParam = z.object({ documentId: idParam('documentId'), number: z.string().max(10).openapi({ param: { name: 'number', in: 'path' }, example: '4' }) });

/** Versions of a document: save a named version, list, read one, restore one (routes under /documents/*). */
export function versionRoutes(api: OpenAPIHono<Vars>, deps: CoreDeps) {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{documentId}/versions',
      ...access({ area: 'area.read' }),
      summary: "A document's versions, newest first",
      request: { params: DocumentParam },
      responses: { 200: json(z.array(VersionSchema), 'Versions'), ...errors(401, 404) },
    }),
    async (c) => c.json((await listVersions(deps, c.get('actor'), c.req.valid('param').documentId)).map(version), 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/documents/{documentId}/versions',
      // Drafters and the host admin; of the administrative rules, only the host municipality's drafters.
      ...access({ area: 'agreement.edit', own: true }),
      summary: 'Save the document as it is now as a named version',
      request: { params: DocumentParam, ...describedBody({ type: 'object', required: ['label'], properties: { label: { type: 'string', maxLength: 200 } } }) },
      responses: { 201: json(VersionSchema, 'The new version'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => c.json(version(await saveVersion(deps, c.get('actor'), c.req.valid('param').documentId, await jsonOf(c))), 201),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{documentId}/versions/{number}',
      ...access({ area: 'area.read' }),
      summary: 'One version: its sections with their canonical content and hashes',
      request: { params: VersionParam },
      responses: { 200: json(VersionSchema.extend({ sections: z.array(SectionSchema) }), 'The version'), ...errors(401, 404) },
    }),
    async (c) => {
      const { documentId, number } = c.req.valid('param');
      const v = await getVersion(deps, c.get('actor'), documentId, number);
      return c.json({ ...version(v), sections: v.sections.map((s) => ({ key: s.key, order: s.order, status: s.status, reason: s.reason, content: s.content as unknown as Record<string, unknown>, hash: s.hash })) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{documentId}/diff',
      ...access({ area: 'area.read' }),
      summary: 'Compare two versions, or a version and the current text, word by word per section',
      request: { params: DocumentParam, query: z.object({ from: target('from', 'A version number or `current`; default: the latest version'), to: target('to', 'A version number or `current` (the default)') }) },
      responses: { 200: json(DiffSchema, 'The comparison'), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const { from, to } = c.req.valid('query');
      const result = await compareVersions(deps, c.get('actor'), c.req.valid('param').documentId, { from, to: to ?? 'current' });
      return c.json({ documentId: result.documentId, from: side(result.from), to: side(result.to), identical: result.identical, changedSections: result.changedSections, sections: result.diff.sections }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/documents/{documentId}/versions/{number}/restore',
      ...access({ area: 'agreement.edit', own: true }),
      summary: "Restore a version: its text becomes the document's again, as a new change on top (saved as a new version)",
      request: { params: VersionParam },
      responses: { 200: json(VersionSchema, 'The version saved from the restored text'), ...errors(401, 403, 404, 409) },
    }),
    async (c) => {
      const { documentId, number } = c.req.valid('param');
      return c.json(version(await restoreVersion(deps, c.get('actor'), documentId, number)), 200);
    },
  );
}
