import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  approvalsMatrix, approvalsOverview, approvalTokenInfo, issueApprovalToken, listApprovalTokens, readApprovalToken, recordCouncilDecision, recordCouncilDecisionWithToken, revokeApprovalToken, sendForApproval,
  DECISION_NOTE_MAX_LENGTH, DECISION_STATES, DomainError, MINUTES_URL_MAX_LENGTH, PROPOSAL_BACKGROUND_MAX_LENGTH, SIGNATORY_MAX_LENGTH,
  type ApprovalTokenView, type CoreDeps, type CouncilDecisionView,
} from '@sopu/core';
import type { MiddlewareHandler } from 'hono';
import { access } from './access.ts';
import { describedBody, errors, idParam, iso, isoOrNull, jsonOf, type Vars } from './openapi.ts';
import { FILE_HEADERS, fileContent, fileResponse } from './exports.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const date = () => z.string().nullable().openapi({ description: 'YYYY-MM-DD', example: '2026-11-12' });
const Names = z.object({ fi: z.string(), sv: z.string() });

const DecisionSchema = z
  .object({
    municipalityCode: z.string(),
    municipalityName: Names,
    state: z.enum(DECISION_STATES),
    meetingDate: date(),
    decisionDate: date(),
    minutesSection: z.string().nullable().openapi({ example: '45 §' }),
    minutesUrl: z.string().nullable(),
    note: z.string().nullable(),
    finalDate: date().openapi({ description: 'YYYY-MM-DD: the day an approval became final (lainvoimainen / laga kraft)', example: '2026-12-11' }),
    signedDate: date().openapi({ description: 'YYYY-MM-DD: the day the municipality signed the agreement', example: '2026-12-15' }),
    signatory: z.string().nullable().openapi({ description: 'Who signed for the municipality', example: 'Kaupunginjohtaja' }),
    coversCurrentText: z.boolean().openapi({ description: 'False when the document now differs from the version this decision is about' }),
    recordedAt: z.string().nullable(),
    recordedVia: z.enum(['member', 'on_behalf', 'token']).nullable().openapi({ description: "member: the council's secretary; on_behalf: the host admin; token: the municipality's system" }),
  })
  .openapi('CouncilDecision');
const RequestSchema = z
  .object({
    id: z.string(),
    version: z.number(),
    versionLabel: z.string(),
    hash: z.string(),
    status: z.enum(['open', 'closed', 'superseded']).openapi({ description: 'closed: every party council decided (finality and signatures are still recorded on it)' }),
    sentAt: z.string(),
    supersededAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    coversCurrentText: z.boolean(),
    decisions: z.array(DecisionSchema),
  })
  .openapi('ApprovalRequest');
const OverviewSchema = z
  .object({
    documentId: z.string(),
    documentKind: z.enum(['cooperation_agreement', 'authority_task_agreement']),
    currentHash: z.string(),
    inForce: z.boolean(),
    inForceHash: z.string().nullable(),
    inForceVersion: z.number().nullable(),
    inForceSince: date().openapi({ description: 'The day the text in force entered into force' }),
    approvedText: z
      .object({
        version: z.number(),
        hash: z.string(),
        parties: z.number(),
        approvedOn: z.string().openapi({ description: 'The day the last council approved it' }),
        finalOn: date().openapi({ description: 'The day the last decision became final, once every one is' }),
        notFinal: z.array(z.string()).openapi({ description: 'Municipality codes whose decision is not final yet' }),
        signedOn: date(),
        signedCount: z.number(),
        entryIntoForce: date().openapi({ description: 'The date the agreement states (the area setting)' }),
        inForceFrom: date().openapi({ description: 'Once every decision is final: the stated date, or the last finality if later' }),
        inForce: z.boolean(),
      })
      .nullable()
      .openapi({ description: 'The newest text every party council approved, and its steps towards being in force' }),
    entryIntoForce: date().openapi({ description: 'The date this agreement states for its entry into force; null when not set' }),
    currentMatchesInForce: z.boolean(),
    summary: z.object({ fi: z.string(), sv: z.string(), en: z.string() }),
    requests: z.array(RequestSchema),
  })
  .openapi('Approvals');
const SentSchema = z.object({ id: z.string(), documentId: z.string(), version: z.number(), hash: z.string(), sentAt: z.string(), supersededRequestId: z.string().nullable() }).openapi('SentApprovalRequest');
const RecordedSchema = z.object({ approvalRequestId: z.string(), recorded: z.boolean(), decision: DecisionSchema }).openapi('RecordedDecision');
const TokenSchema = z
  .object({ id: z.string(), municipalityCode: z.string(), label: z.string(), createdAt: z.string(), revokedAt: z.string().nullable(), lastUsedAt: z.string().nullable() })
  .openapi('ApprovalToken');
const IssuedTokenSchema = TokenSchema.extend({ token: z.string().openapi({ description: 'The secret, shown only in this answer: send it as `Authorization: Bearer <token>`' }) }).openapi('IssuedApprovalToken');
const TokenInfoSchema = z
  .object({
    areaSlug: z.string(),
    municipalityCode: z.string(),
    label: z.string(),
    openRequests: z.array(
      z.object({
        id: z.string(),
        documentId: z.string(),
        documentKind: z.enum(['cooperation_agreement', 'authority_task_agreement']),
        version: z.number(),
        hash: z.string(),
        sentAt: z.string(),
        decision: DecisionSchema.pick({ state: true, meetingDate: true, decisionDate: true, minutesSection: true, minutesUrl: true, note: true, finalDate: true, signedDate: true, signatory: true }),
      }),
    ),
    closedRequests: z.array(z.unknown()).openapi({ description: 'The same for requests every council has decided: finality and signatures are posted there' }),
  })
  .openapi('ApprovalTokenInfo');

const decision = (d: CouncilDecisionView) => ({
  municipalityCode: d.municipalityCode,
  municipalityName: d.municipalityName,
  state: d.state,
  meetingDate: d.meetingDate,
  decisionDate: d.decisionDate,
  minutesSection: d.minutesSection,
  minutesUrl: d.minutesUrl,
  note: d.note,
  finalDate: d.finalDate,
  signedDate: d.signedDate,
  signatory: d.signatory,
  coversCurrentText: d.coversCurrentText,
  recordedAt: isoOrNull(d.recordedAt),
  recordedVia: d.recordedVia,
});
const token = (t: ApprovalTokenView) => ({ id: t.id, municipalityCode: t.municipalityCode, label: t.label, createdAt: iso(t.createdAt), revokedAt: isoOrNull(t.revokedAt), lastUsedAt: isoOrNull(t.lastUsedAt) });

const DATE = { type: 'string', format: 'date', description: 'YYYY-MM-DD' };
const DecisionBody = {
  type: 'object',
  required: ['municipalityCode', 'state'],
  additionalProperties: false,
  properties: {
    municipalityCode: { type: 'string', description: "Statistics Finland's municipality code" },
    state: { type: 'string', enum: [...DECISION_STATES] },
    meetingDate: { ...DATE, description: 'Required for scheduled; for a decision it defaults to decisionDate' },
    decisionDate: { ...DATE, description: 'Required for approved, rejected and returned; not after today, nor before the request was sent. For final and signed it is the approval’s, left out' },
    minutesSection: { type: 'string', description: 'Required with decisionDate: "45 §", "§ 45" or "45" (stored as "45 §")' },
    minutesUrl: { type: 'string', maxLength: MINUTES_URL_MAX_LENGTH, description: 'https link to the published minutes' },
    note: { type: 'string', maxLength: DECISION_NOTE_MAX_LENGTH },
    finalDate: { ...DATE, description: 'Required for final (from approved): the day the decision became final, after the decision date, not after today' },
    signedDate: { ...DATE, description: 'Required for signed (from final): the day the agreement was signed, on or after the decision date' },
    signatory: { type: 'string', maxLength: SIGNATORY_MAX_LENGTH, description: 'Who signed, with signed (optional)' },
  },
};

const SlugParam = z.object({ slug: z.string().min(1).max(100).openapi({ param: { name: 'slug', in: 'path' }, example: 'kainuu-koillismaa' }) });
const DocumentParam = z.object({ documentId: idParam('documentId') });
const RequestParam = z.object({ approvalRequestId: idParam('approvalRequestId') });
const TokenParam = z.object({ apiTokenId: idParam('apiTokenId') });
const DocumentQuery = z.object({ document: z.string().max(64).optional().openapi({ description: "A 54 § agreement's id; by default the area's cooperation agreement" }) });
const MatrixQuery = DocumentQuery.extend({
  format: z.string().max(10).optional().openapi({ param: { name: 'format', in: 'query' }, description: 'csv or pdf: the matrix as a file (one CSV row per council and version sent); without it, JSON. Anything else is 400', example: 'csv' }),
});

const BEARER = 'Also accepts `Authorization: Bearer sopu_at_…`, a token the host admin issued to the municipality (its case-management system), which may record only that municipality\'s decisions.';

/**
 * Council approvals: sending a version, the matrix of decisions, recording a council's decision (by a session or by
 * a municipality's approval token), and the host admin's tokens. Bodies are parsed by the use cases after the access
 * check. /documents/* and /areas/* are behind requireActor already (app.ts, comments.ts).
 */
export function approvalRoutes(api: OpenAPIHono<Vars>, deps: CoreDeps, requireActor: MiddlewareHandler<Vars>) {
  api.use('/approval-tokens/*', requireActor);
  // A token's request never reaches the session check, and a session's never the token's: the prefix decides.
  api.use('/approval-requests/*', async (c, next) => (readApprovalToken(c.req.header('authorization')) ? next() : requireActor(c, next)));

  api.openapi(
    createRoute({
      method: 'post',
      path: '/documents/{documentId}/approval-requests',
      ...access({ area: 'approvals.send' }),
      summary: 'Send a saved version of the agreement to every party council (host admin); supersedes the open request',
      request: { params: DocumentParam, ...describedBody({
          type: 'object',
          required: ['version'],
          additionalProperties: false,
          properties: {
            version: { type: 'integer', minimum: 1 },
            background: { type: 'string', maxLength: PROPOSAL_BACKGROUND_MAX_LENGTH, description: "The background text of each council's decision proposal (plain text, paragraphs separated by blank lines); empty: a standard sentence" },
          },
        }) },
      responses: { 201: json(SentSchema, 'The request'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const sent = await sendForApproval(deps, c.get('actor'), c.req.valid('param').documentId, await jsonOf(c));
      return c.json({ ...sent, sentAt: iso(sent.sentAt) }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/areas/{slug}/approvals',
      ...access({ area: 'area.read' }),
      summary: 'The councils × versions sent, whether the agreement is in force, and the sentence that says where things stand',
      request: { params: SlugParam, query: MatrixQuery },
      responses: {
        200: { description: 'Approvals (JSON), or with ?format= the matrix as a file', headers: FILE_HEADERS, content: { 'application/json': { schema: OverviewSchema }, ...fileContent({ 'text/csv': 'UTF-8 with BOM, RFC 4180', 'application/pdf': 'PDF/A-2b, tagged' }) } },
        ...errors(400, 401, 404, 503),
      },
    }),
    async (c) => {
      const { document, format } = c.req.valid('query');
      if (format !== undefined) return fileResponse(c, await approvalsMatrix(deps, c.get('actor'), c.req.valid('param').slug, format, document));
      const o = await approvalsOverview(deps, c.get('actor'), c.req.valid('param').slug, document);
      return c.json(
        {
          documentId: o.documentId,
          documentKind: o.documentKind,
          currentHash: o.currentHash,
          inForce: o.inForce,
          inForceHash: o.inForceHash,
          inForceVersion: o.inForceDetail?.version ?? null,
          inForceSince: o.inForceDetail?.since ?? null,
          approvedText: o.approvedText,
          entryIntoForce: o.entryIntoForce,
          currentMatchesInForce: o.currentMatchesInForce,
          summary: o.summary,
          requests: o.requests.map((r) => ({
            id: r.id,
            version: r.version,
            versionLabel: r.versionLabel,
            hash: r.hash,
            status: r.status,
            sentAt: iso(r.sentAt),
            supersededAt: isoOrNull(r.supersededAt),
            closedAt: isoOrNull(r.closedAt),
            coversCurrentText: r.coversCurrentText,
            decisions: r.decisions.map(decision),
          })),
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/approval-requests/{approvalRequestId}/decisions',
      ...access({ area: 'approvals.record', own: true }),
      summary: "Record a step of a council's handling: the municipality's council secretary, or the host admin on its behalf",
      description: BEARER,
      request: { params: RequestParam, ...describedBody(DecisionBody) },
      responses: { 201: json(RecordedSchema, 'Recorded'), 200: json(RecordedSchema, 'Already recorded exactly so: nothing changed'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const id = c.req.valid('param').approvalRequestId;
      const body = await jsonOf(c);
      const bearer = readApprovalToken(c.req.header('authorization'));
      const r = bearer ? await recordCouncilDecisionWithToken(deps, bearer, id, body) : await recordCouncilDecision(deps, c.get('actor'), id, body);
      return c.json({ approvalRequestId: r.approvalRequestId, recorded: r.recorded, decision: decision(r.decision) }, r.recorded ? 201 : 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/approval-token',
      // Not a session route: it answers only to an approval token (401 to anyone else), checked by the use case.
      ...access('public'),
      summary: "An approval token's own view: its municipality, the open requests it may post decisions to, and the closed ones (for finality and signatures)",
      description: 'Send `Authorization: Bearer sopu_at_…`; a session is not accepted here.',
      responses: { 200: json(TokenInfoSchema, 'The token'), ...errors(401) },
    }),
    async (c) => {
      const bearer = readApprovalToken(c.req.header('authorization'));
      if (!bearer) throw new DomainError('unauthenticated', 'send an approval token');
      const info = await approvalTokenInfo(deps, bearer);
      const requests = (list: typeof info.openRequests) => list.map((r) => ({ ...r, sentAt: iso(r.sentAt) }));
      return c.json({ areaSlug: info.areaSlug, municipalityCode: info.municipalityCode, label: info.label, openRequests: requests(info.openRequests), closedRequests: requests(info.closedRequests) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/areas/{slug}/approval-tokens',
      ...access({ area: 'approvals.tokens' }),
      summary: "The area's approval tokens, revoked ones too (never their secrets)",
      request: { params: SlugParam },
      responses: { 200: json(z.array(TokenSchema), 'Tokens'), ...errors(401, 403, 404) },
    }),
    async (c) => c.json((await listApprovalTokens(deps, c.get('actor'), c.req.valid('param').slug)).map(token), 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/areas/{slug}/approval-tokens',
      ...access({ area: 'approvals.tokens' }),
      summary: "Issue a token to one municipality, for its case-management system to post its council's decisions (host admin); the secret is in this answer only",
      request: { params: SlugParam, ...describedBody({ type: 'object', required: ['municipalityCode', 'label'], additionalProperties: false, properties: { municipalityCode: { type: 'string' }, label: { type: 'string', maxLength: 100 } } }) },
      responses: { 201: json(IssuedTokenSchema, 'The token, shown once'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const issued = await issueApprovalToken(deps, c.get('actor'), c.req.valid('param').slug, await jsonOf(c));
      return c.json({ ...token(issued), token: issued.token }, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'delete',
      path: '/approval-tokens/{apiTokenId}',
      ...access({ area: 'approvals.tokens' }),
      summary: 'Revoke a token at once (host admin)',
      request: { params: TokenParam },
      responses: { 204: { description: 'Revoked' }, ...errors(401, 403, 404) },
    }),
    async (c) => {
      await revokeApprovalToken(deps, c.get('actor'), c.req.valid('param').apiTokenId);
      return c.body(null, 204);
    },
  );
}
