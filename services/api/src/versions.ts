import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { getVersion, listVersions, restoreVersion, saveVersion, type CoreDeps, type VersionSummary } from '@sopu/core';
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

const version = (v: VersionSummary) => ({ number: v.number, label: v.label, hash: v.hash, createdAt: iso(v.createdAt), createdBy: v.createdBy, restoredFrom: v.restoredFrom });
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
