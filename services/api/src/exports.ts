import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  decisionProposal, decisionProposalWithToken, DomainError, exportCurrent, exportVersion, readApprovalToken, verifyExport, VERIFY_MAX_BYTES, type CoreDeps,
  type ExportedFile, type VerifyResult,
} from '@sopu/core';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { access } from './access.ts';
import { errors, idParam, iso, type Vars } from './openapi.ts';

/*
 * Files (docs/decisions/022-exports.md): a version or the current text as DOCX or PDF, a council's decision
 * proposal, and verify. The approval matrix (?format=csv|pdf on /areas/{slug}/approvals) and a round's summary
 * (?format=pdf on /rounds/{id}/summary) are their JSON routes with a format (approvals.ts, consultation.ts).
 */

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The OpenAPI description of a file answer in the given content types (typed, so that a handler may answer Response). */
export function fileContent<const T extends Record<string, string>>(types: T): { [K in keyof T]: { schema: z.ZodString } } {
  const content: Record<string, { schema: z.ZodString }> = {};
  for (const [type, description] of Object.entries(types)) content[type] = { schema: z.string().openapi({ type: 'string', format: 'binary', description }) };
  return content as { [K in keyof T]: { schema: z.ZodString } };
}

/** RFC 6266: an ASCII fallback filename and the exact name as UTF-8 (RFC 8187). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A file as the answer: its type, its name for saving, its length, and the hashes it carries. */
export function fileResponse(c: Context, file: ExportedFile): Response {
  const headers: Record<string, string> = {
    'Content-Type': file.contentType,
    'Content-Disposition': contentDisposition(file.fileName),
    'Content-Length': String(file.bytes.byteLength),
    'X-Sopu-File-Sha256': file.sha256,
    'X-Content-Type-Options': 'nosniff',
  };
  if (file.contentHash) headers['X-Sopu-Content-Hash'] = file.contentHash;
  return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, headers);
}

export const FILE_HEADERS = {
  'Content-Disposition': { description: 'attachment; filename="…"; filename*=UTF-8\'\'… (RFC 6266)', schema: { type: 'string' as const } },
  'X-Sopu-File-Sha256': { description: "SHA-256 of the file's bytes, as Sopu recorded it (verify knows the file by it)", schema: { type: 'string' as const } },
  'X-Sopu-Content-Hash': { description: 'SHA-256 of the canonical text the file shows (on its cover and in its metadata)', schema: { type: 'string' as const } },
};

const format = (formats: string[], fallback: string | null) =>
  z
    .string()
    .max(10)
    .optional()
    .openapi({ param: { name: 'format', in: 'query' }, description: `${formats.join(' or ')}${fallback ? ` (default ${fallback})` : ''}; anything else is 400`, example: formats[formats.length - 1] });

const VersionParam = z.object({ documentId: idParam('documentId'), number: z.string().max(10).openapi({ param: { name: 'number', in: 'path' }, example: '2' }) });
const DocumentParam = z.object({ documentId: idParam('documentId') });
const ProposalParam = z.object({
  approvalRequestId: idParam('approvalRequestId'),
  municipalityCode: z.string().min(1).max(10).openapi({ param: { name: 'municipalityCode', in: 'path' }, description: "Statistics Finland's municipality code", example: '290' }),
});

const VerifyResultSchema = z
  .object({
    area: z.string().openapi({ description: "The area's slug" }),
    areaName: z.object({ fi: z.string(), sv: z.string(), en: z.string() }),
    document: z.string().openapi({ description: "The document's id" }),
    documentKind: z.string(),
    documentTitle: z.string(),
    version: z.number().nullable().openapi({ description: 'The newest saved version with exactly this text; null: no version has it (a current text)' }),
    versions: z.array(z.number()),
    hash: z.string().openapi({ description: 'SHA-256 of the canonical text (the cover’s hash)' }),
    sentForApproval: z.boolean(),
    approvedBy: z.array(z.string()).openapi({ description: 'Municipality codes whose council approved exactly this text' }),
    approvedCouncils: z.array(z.object({ code: z.string(), name: z.object({ fi: z.string(), sv: z.string() }) })).openapi({ description: 'The same councils with their names' }),
    versionLabel: z.string().nullable(),
    matchesCurrent: z.boolean().openapi({ description: "Whether the document's text now is still exactly this text" }),
    file: z.object({ kind: z.enum(['version', 'current', 'proposal']), format: z.enum(['docx', 'pdf']), fileName: z.string(), sha256: z.string(), exportedAt: z.string() }).nullable(),
  })
  .openapi('VerifyResult');

const verifyAnswer = (r: VerifyResult) => ({ ...r, file: r.file ? { ...r.file, kind: r.file.kind as 'version' | 'current' | 'proposal', format: r.file.format as 'docx' | 'pdf', exportedAt: iso(r.file.exportedAt) } : null });

/** What POST /verify was sent: a file (multipart `file`) or a hash (JSON `{hash}`), for the use case to check. */
async function verifyBody(c: Context): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await c.req.raw.formData();
    } catch {
      throw new DomainError('invalid_input', 'send the file as multipart/form-data field `file`', { issues: [{ path: ['file'], code: 'malformed_body', message: 'not readable as multipart/form-data' }] });
    }
    const file = form.get('file');
    if (!(file instanceof Blob)) throw new DomainError('invalid_input', 'send the file as the multipart field `file`', { issues: [{ path: ['file'], code: 'required', message: 'the field `file` with a file' }] });
    return { file: new Uint8Array(await file.arrayBuffer()) };
  }
  if (type.startsWith('application/json')) {
    try {
      return JSON.parse(await c.req.text()) as unknown;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The largest body POST /verify reads: the file and its multipart framing. Larger is 413 from the declared length
 * before anything is read, or as soon as a chunked upload passes it (the server entry's own limit lets this path
 * through up to here: VERIFY_BODY_MAX_BYTES).
 */
export const VERIFY_BODY_MAX_BYTES = VERIFY_MAX_BYTES + 64 * 1024;

const uploadLimit = bodyLimit({
  maxSize: VERIFY_BODY_MAX_BYTES,
  onError: () => {
    throw new DomainError('too_large', `the upload is over ${VERIFY_MAX_BYTES / 1024 / 1024} MB: no Sopu export is that large`);
  },
});

export function exportRoutes(api: OpenAPIHono<Vars>, deps: CoreDeps, requireActor: MiddlewareHandler<Vars>) {
  api.use('/verify', requireActor, uploadLimit);
  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{documentId}/versions/{number}/export',
      ...access({ area: 'area.read' }),
      summary: "A saved version as a file in the document's language: DOCX or PDF/A-2b, named <area>-<document>-v<N>-<hash8>",
      description: "Its cover states the area, document, version, export date (Helsinki), the full and short SHA-256 and the councils' approvals of exactly this text at export; the hash is also in the file's metadata. Every file handed out is recorded by its SHA-256 (see POST /verify).",
      request: { params: VersionParam, query: z.object({ format: format(['docx', 'pdf'], 'pdf') }) },
      responses: { 200: { description: 'The file', headers: FILE_HEADERS, content: fileContent({ 'application/pdf': 'PDF/A-2b, tagged', [DOCX]: 'Word document' }) }, ...errors(400, 401, 404, 503) },
    }),
    async (c) => {
      const { documentId, number } = c.req.valid('param');
      return fileResponse(c, await exportVersion(deps, c.get('actor'), documentId, number, c.req.valid('query').format ?? 'pdf'));
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{documentId}/export',
      ...access({ area: 'area.read' }),
      summary: "The document's current text as a file (DOCX or PDF), named <area>-<document>-current-<hash8>",
      request: { params: DocumentParam, query: z.object({ format: format(['docx', 'pdf'], 'pdf') }) },
      responses: { 200: { description: 'The file', headers: FILE_HEADERS, content: fileContent({ 'application/pdf': 'PDF/A-2b, tagged', [DOCX]: 'Word document' }) }, ...errors(400, 401, 404, 503) },
    }),
    async (c) => fileResponse(c, await exportCurrent(deps, c.get('actor'), c.req.valid('param').documentId, c.req.valid('query').format ?? 'pdf')),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/approval-requests/{approvalRequestId}/proposals/{municipalityCode}',
      ...access({ area: 'approvals.record', own: true }),
      summary: "A council's decision proposal (päätösehdotus / beslutsförslag) for the request, as DOCX in the council's language: its secretary's or the host admin's",
      description:
        "Background (the host's text from sending), the motion naming the version and its hash, the appendix, and when this council decided on an earlier version, the changes since as a redline (insertions underlined, deletions struck through). Also accepts `Authorization: Bearer sopu_at_…`, the municipality's own approval token, for its own council only.",
      request: { params: ProposalParam, query: z.object({ format: format(['docx'], 'docx') }) },
      responses: { 200: { description: 'The file', headers: FILE_HEADERS, content: fileContent({ [DOCX]: 'Word document' }) }, ...errors(400, 401, 403, 404, 503) },
    }),
    async (c) => {
      const { approvalRequestId, municipalityCode } = c.req.valid('param');
      const chosen = c.req.valid('query').format ?? 'docx';
      const bearer = readApprovalToken(c.req.header('authorization'));
      const file = bearer ? await decisionProposalWithToken(deps, bearer, approvalRequestId, municipalityCode, chosen) : await decisionProposal(deps, c.get('actor'), approvalRequestId, municipalityCode, chosen);
      return fileResponse(c, file);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/verify',
      ...access('signed-in'),
      summary: 'Which area, document and version a file Sopu exported (or a hash) is, in the areas the caller belongs to',
      description: `Send the file as multipart/form-data field \`file\` (PDF or DOCX, at most ${VERIFY_MAX_BYTES / 1024 / 1024} MB; larger is 413), or JSON \`{hash}\`: the cover's SHA-256 (or its first 8+ digits) or a file's. A file is known by the SHA-256 of its bytes as Sopu handed it out: a copy changed since is 404 with reason \`altered\` ("not a Sopu export of any version"), an unknown one \`not_an_export\`; a file neither PDF nor DOCX (by its content) is 400.`,
      request: {
        body: {
          required: true,
          content: {
            'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } },
            'application/json': { schema: { type: 'object', required: ['hash'], additionalProperties: false, properties: { hash: { type: 'string', example: '19ab34cd' } } } },
          },
        },
      },
      responses: {
        200: { description: 'The text the file or hash shows', content: { 'application/json': { schema: VerifyResultSchema } } },
        ...errors(400, 401, 404, 413),
      },
    }),
    async (c) => c.json(verifyAnswer(await verifyExport(deps, c.get('actor'), await verifyBody(c))), 200),
  );
}
