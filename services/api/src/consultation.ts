import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  addRoundAttachment, addStatementAttachment, ATTACHMENT_MAX_BYTES, closeRound, consultationSummaryFile, DomainError, getAttachment, removeAttachment, type AttachmentView, createConsultationRound, discardDraftRound, getConsultationSummary, getRound, isDomainError, listAdoptions, listRounds, openDraftRound, publishSummary,
  recordAdoption, remindInvitees, respondToStatements, ROUND_STATES, submitStatement, updateDraftRound, type AdoptionView, type ConsultationSummary, type CoreDeps, type InviteeView, type PersonRef, type RoundSummary, type RoundView,
  type StatementRevision, type TimelineEvent,
} from '@sopu/core';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { access } from './access.ts';
import { describedBody, errors, idParam, iso, isoOrNull, jsonOf, type Vars } from './openapi.ts';
import { FILE_HEADERS, fileContent, fileResponse } from './exports.ts';

// --- schemas (responses; request bodies are described as JSON Schema and parsed by the use cases) ------------------

const MunicipalitySchema = z.object({ code: z.string(), name: z.object({ fi: z.string(), sv: z.string() }) }).openapi('RoundMunicipality');
const PersonSchema = z.object({ id: z.string(), name: z.string() }).openapi('RoundPerson');
const INVITEE_STATUSES = ['invited', 'answered', 'no_answer'] as const;
const RESPONSE_STATUSES = ['taken_into_account', 'partly', 'not_taken_into_account'] as const;

const RoundSummarySchema = z
  .object({
    id: z.string(),
    documentId: z.string(),
    title: z.string(),
    version: z.object({ number: z.number(), label: z.string(), hash: z.string() }),
    state: z.enum(ROUND_STATES).openapi({ description: 'draft: seen by the host admin alone, who may edit, open or discard it' }),
    deadline: z.string().openapi({ description: 'RFC 3339 date-time in UTC', format: 'date-time', example: '2026-12-15T14:00:00.000Z' }),
    deadlineLocal: z.string().openapi({ description: 'The deadline as Helsinki reads it, with its offset', example: '2026-12-15T16:00+02:00' }),
    deadlinePassed: z.boolean(),
    daysLeft: z.number().openapi({ description: 'Helsinki calendar days to the deadline’s day: 0 on the day, negative after it' }),
    openedAt: z.string().nullable().openapi({ description: 'null while the round is a draft' }),
    closedAt: z.string().nullable(),
    publishedAt: z.string().nullable(),
    invited: z.number(),
    answered: z.number().nullable().openapi({ description: 'Known to the host admin, and to everyone once the round is closed' }),
    own: z.object({ municipality: MunicipalitySchema, status: z.enum(INVITEE_STATUSES), answeredAt: z.string().nullable() }).nullable(),
  })
  .openapi('RoundSummary');

const AttachmentSchema = z
  .object({
    id: z.string(),
    fileName: z.string().openapi({ description: 'The name given, with the extension of what the content is' }),
    mediaType: z.enum(['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.oasis.opendocument.text']).openapi({ description: 'Read from the content (file-type), never from the name' }),
    size: z.number(),
    sha256: z.string(),
    uploadedAt: z.string(),
    uploadedBy: PersonSchema.nullable(),
  })
  .openapi('ConsultationAttachment');

const DecisionSchema = z
  .object({
    body: z.string().openapi({ description: 'The executive board (kunnanhallitus) or the official with delegated power', example: 'Kunnanhallitus' }),
    date: z.string().openapi({ format: 'date', example: '2026-11-27' }),
    section: z.string().openapi({ description: 'The minute section, normalised', example: '45 §' }),
    url: z.string().nullable().openapi({ description: 'An https link to the published minutes' }),
  })
  .openapi('StatementDecision');

const RevisionSchema = z
  .object({
    number: z.number(),
    general: z.string(),
    answers: z.array(z.object({ question: z.number().openapi({ description: "1-based number of the round's question" }), text: z.string() })),
    decision: DecisionSchema.nullable().openapi({ description: 'Who decided the statement; null when not recorded' }),
    sections: z.array(z.object({ key: z.string(), text: z.string() })),
    noComments: z.boolean().openapi({ description: '"Ei lausuttavaa": no comments' }),
    submittedBy: PersonSchema.nullable(),
    onBehalf: z.boolean().openapi({ description: 'Submitted by the host admin on the municipality’s behalf' }),
    submittedAt: z.string(),
  })
  .openapi('StatementRevision');

const ResponseSchema = z
  .object({ section: z.string().nullable(), question: z.number().nullable().openapi({ description: 'The question whose answer this responds to' }), status: z.enum(RESPONSE_STATUSES), reason: z.string(), respondedBy: PersonSchema.nullable(), respondedAt: z.string() })
  .openapi('StatementResponse');

const InviteeSchema = z
  .object({
    statementId: z.string().openapi({ description: 'The statement’s id: POST /statements/{statementId}/attachments' }),
    municipality: MunicipalitySchema,
    status: z.enum(INVITEE_STATUSES).nullable().openapi({ description: 'null: another municipality’s, before the round closes' }),
    answeredAt: z.string().nullable(),
    statement: RevisionSchema.nullable(),
    revisions: z.array(RevisionSchema),
    responses: z.array(ResponseSchema),
    attachments: z.array(AttachmentSchema).openapi({ description: 'Files attached to the statement, to whoever sees the statement' }),
  })
  .openapi('RoundInvitee');

const ActionSchema = z.object({ allowed: z.boolean(), reason: z.string().optional(), message: z.string().optional() });
const TimelineSchema = z
  .object({
    kind: z.enum(['opened', 'statement_submitted', 'statement_amended', 'reminded', 'deadline', 'closed', 'summary_published', 'adopted']),
    at: z.string(),
    by: PersonSchema.nullable().optional(),
    municipality: MunicipalitySchema.optional(),
    municipalities: z.array(MunicipalitySchema).optional(),
    revision: z.number().optional(),
    onBehalf: z.boolean().optional(),
    noComments: z.boolean().optional(),
    recipients: z.number().nullable().optional(),
    passed: z.boolean().optional(),
    noAnswer: z.array(MunicipalitySchema).optional(),
    adoptionId: z.string().optional(),
    decisionBody: z.string().optional(),
    decisionDate: z.string().optional(),
    minutesSection: z.string().optional(),
  })
  .openapi('RoundTimelineEvent');

const RoundSchema = RoundSummarySchema.extend({
  documentTitle: z.string(),
  questions: z.array(z.string()),
  coverLetter: z.string(),
  openedBy: PersonSchema.nullable(),
  closedBy: PersonSchema.nullable(),
  publishedBy: PersonSchema.nullable(),
  invitees: z.array(InviteeSchema),
  timeline: z.array(TimelineSchema),
  actions: z.object({ open: ActionSchema, edit: ActionSchema, discard: ActionSchema, submitFor: z.array(z.string()), close: ActionSchema, remind: ActionSchema, respond: ActionSchema, publish: ActionSchema }),
  missingResponses: z.array(z.object({ municipalityCode: z.string(), section: z.string().nullable() })),
  attachments: z.array(AttachmentSchema).openapi({ description: "The host's material attached to the round" }),
  shortPeriodReason: z.string().nullable().openapi({ description: "Why the round was opened with a shorter period than the agreement's minimum (confirmed by the host)" }),
  shortPeriod: z
    .object({ days: z.number(), minimum: z.number(), excludesJuly: z.boolean() })
    .nullable()
    .openapi({ description: "A draft that would give less than the agreement's minimum if opened now (the warning), or the shortfall an open round was opened with" }),
}).openapi('Round');

const SummarySchema = z
  .object({
    round: RoundSummarySchema,
    documentTitle: z.string(),
    questions: z.array(z.string()),
    published: z.boolean(),
    publishedAt: z.string().nullable(),
    publishedBy: PersonSchema.nullable(),
    rows: z.array(
      z.object({
        municipality: MunicipalitySchema,
        kind: z.enum(['general', 'answer', 'section', 'no_comments', 'no_answer', 'awaiting']),
        section: z.object({ key: z.string(), title: z.object({ fi: z.string(), sv: z.string(), en: z.string() }) }).nullable(),
        question: z.number().nullable(),
        statement: z.string(),
        response: z.object({ status: z.enum(RESPONSE_STATUSES), reason: z.string() }).nullable(),
      }),
    ),
    byQuestion: z.array(
      z.object({
        number: z.number(),
        question: z.string(),
        answers: z.array(z.object({ municipality: MunicipalitySchema, text: z.string(), response: z.object({ status: z.enum(RESPONSE_STATUSES), reason: z.string() }).nullable() })),
      }),
    ).openapi({ description: "The answers grouped by question, each with the host's response" }),
    statements: z.array(z.object({ municipality: MunicipalitySchema, decision: DecisionSchema.nullable(), attachments: z.array(AttachmentSchema) })),
    attachments: z.array(AttachmentSchema),
    counts: z.record(z.string(), z.number()),
  })
  .openapi('ConsultationSummary');

const AdoptionSchema = z
  .object({
    id: z.string(),
    documentId: z.string(),
    version: z.object({ number: z.number(), label: z.string(), hash: z.string() }),
    round: z.object({ id: z.string(), title: z.string() }),
    decisionBody: z.string(),
    decisionDate: z.string(),
    minutesSection: z.string(),
    changedSinceConsultation: z.boolean().openapi({ description: 'The rules had changed since the consulted version when the adoption was recorded' }),
    changedSections: z.array(z.string()),
    currentHash: z.string(),
    recordedBy: PersonSchema.nullable(),
    recordedAt: z.string(),
  })
  .openapi('RuleAdoption');

const ReminderSchema = z.object({ municipalities: z.array(z.object({ municipality: MunicipalitySchema, recipients: z.number() })), recipients: z.number() }).openapi('RoundReminders');

/** A refusal by a rule of the round: 409 with a stable `reason` (and, for some, what it concerns). */
const ConflictSchema = z
  .object({
    error: z.object({
      code: z.literal('conflict'),
      message: z.string(),
      reason: z.string().openapi({ example: 'round_open' }),
      missing: z.array(z.object({ municipalityCode: z.string(), section: z.string().nullable() })).optional(),
      waitingFor: z.array(z.string()).optional(),
      days: z.number().optional().openapi({ description: 'short_period: the days the round would give' }),
      minimum: z.number().optional().openapi({ description: "short_period: the agreement's minimum" }),
      excludesJuly: z.boolean().optional(),
    }),
  })
  .openapi('Conflict');
const conflicts = { 409: { description: 'Refused by a rule of the round, with its reason', content: { 'application/json': { schema: ConflictSchema } } } };

// --- mapping -------------------------------------------------------------------------------------------------------

const summary = (r: RoundSummary) => ({
  ...r,
  deadline: iso(r.deadline),
  openedAt: isoOrNull(r.openedAt),
  closedAt: isoOrNull(r.closedAt),
  publishedAt: isoOrNull(r.publishedAt),
  own: r.own ? { ...r.own, answeredAt: isoOrNull(r.own.answeredAt) } : null,
});
const revision = (r: StatementRevision) => ({ ...r, submittedAt: iso(r.submittedAt) });
const attachment = (a: AttachmentView) => ({ ...a, mediaType: a.mediaType as z.infer<typeof AttachmentSchema>['mediaType'], uploadedAt: iso(a.uploadedAt) });
const invitee = (i: InviteeView) => ({
  ...i,
  attachments: i.attachments.map(attachment),
  answeredAt: isoOrNull(i.answeredAt),
  statement: i.statement ? revision(i.statement) : null,
  revisions: i.revisions.map(revision),
  responses: i.responses.map((r) => ({ ...r, respondedAt: iso(r.respondedAt) })),
});
const event = (e: TimelineEvent) => ({ ...e, at: iso(e.at) });
const round = (r: RoundView) => ({
  ...summary(r),
  documentTitle: r.documentTitle,
  questions: r.questions,
  coverLetter: r.coverLetter,
  openedBy: r.openedBy,
  closedBy: r.closedBy,
  publishedBy: r.publishedBy,
  invitees: r.invitees.map(invitee),
  timeline: r.timeline.map(event),
  actions: r.actions,
  missingResponses: r.missingResponses,
  attachments: r.attachments.map(attachment),
  shortPeriodReason: r.shortPeriodReason,
  shortPeriod: r.shortPeriod,
});
const summaryTable = (s: ConsultationSummary) => ({
  ...s,
  round: summary(s.round),
  publishedAt: isoOrNull(s.publishedAt),
  publishedBy: s.publishedBy satisfies PersonRef | null,
  statements: s.statements.map((st) => ({ ...st, attachments: st.attachments.map(attachment) })),
  attachments: s.attachments.map(attachment),
});
const adoption = (a: AdoptionView) => ({ ...a, recordedAt: iso(a.recordedAt) });

/**
 * A conflict with a reason is answered 409 with it (the ConflictSchema every such route declares); every other error
 * goes to the API's one error handler. The cast: the handler's typed responses include that 409, which TypeScript
 * cannot see through the catch.
 */
async function withReason<R>(c: Context, run: () => Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (error) {
    if (isDomainError(error) && error.code === 'conflict' && typeof error.details.reason === 'string') {
      const { reason, missing, waitingFor, days, minimum, excludesJuly } = error.details;
      const period = typeof days === 'number' && typeof minimum === 'number' ? { days, minimum, excludesJuly: excludesJuly === true } : {};
      return c.json({ error: { code: 'conflict' as const, message: error.message, reason, ...(Array.isArray(missing) ? { missing } : {}), ...(Array.isArray(waitingFor) ? { waitingFor } : {}), ...period } }, 409) as unknown as R;
    }
    throw error;
  }
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const DocumentParam = z.object({ documentId: idParam('documentId') });
const RoundParam = z.object({ consultationRoundId: idParam('consultationRoundId') });

const TEXT = { type: 'string' };
const CODE = { type: 'string', description: 'A municipality code, e.g. "290"' };
const ROUND_FIELDS = {
  version: { type: 'integer', minimum: 1, description: 'The number of a saved version of the administrative rules' },
  title: { type: 'string', maxLength: 200 },
  questions: { type: 'array', items: { type: 'string', maxLength: 2000 }, maxItems: 30 },
  deadline: {
    type: 'string',
    description:
      'An RFC 3339 date-time ("2026-12-14T02:07:51.949Z", "2026-12-15T16:00:00+02:00": what toISOString writes will do), or a wall-clock time without an offset ("2026-12-15T16:00", seconds and their fraction optional), read in Europe/Helsinki; a Helsinki time skipped when summer time begins is refused (no_such_time). In the future, within a year',
    example: '2026-12-15T16:00',
  },
  invited: { type: 'array', items: CODE, description: 'Every member municipality but the host when left out' },
  coverLetter: { type: 'string', maxLength: 20000 },
  shortPeriodReason: {
    type: 'string',
    maxLength: 2000,
    description: "Why the round opens with a shorter period than the agreement's minimum (the area's setting): without it such a round is 409 short_period with `days` and `minimum`; with it the round opens and the reason is audited",
  },
};
const OPEN_BODY = {
  type: 'object',
  required: ['version', 'title', 'questions', 'deadline'],
  properties: {
    ...ROUND_FIELDS,
    draft: { type: 'boolean', description: 'true: save the round as a draft (seen by the host admin alone) to open later; else it opens at once' },
  },
};
const DRAFT_BODY = { type: 'object', minProperties: 1, description: 'The fields to change; invited replaces the list', properties: ROUND_FIELDS };
const STATEMENT_BODY = {
  type: 'object',
  required: ['municipalityCode'],
  description: 'A general statement, comments on sections, or noComments ("ei lausuttavaa") alone. Submitting again amends it (until the deadline).',
  properties: {
    municipalityCode: CODE,
    general: { type: 'string', maxLength: 20000 },
    sections: { type: 'array', maxItems: 50, items: { type: 'object', required: ['key', 'text'], properties: { key: { type: 'string', description: 'A section key of the consulted version' }, text: TEXT } } },
    noComments: { type: 'boolean' },
    answers: {
      type: 'array',
      maxItems: 30,
      description: "Answers to the round's questions, one per question",
      items: { type: 'object', required: ['question', 'text'], properties: { question: { type: 'integer', minimum: 1, description: "1-based number of the round's question" }, text: { type: 'string', maxLength: 10000 } } },
    },
    decision: {
      type: 'object',
      required: ['body', 'date', 'section'],
      description: 'Who decided the statement: the executive board or an official with delegated power',
      properties: {
        body: { type: 'string', maxLength: 200, example: 'Kunnanhallitus' },
        date: { type: 'string', format: 'date', description: 'Not after today (Helsinki)', example: '2026-11-27' },
        section: { type: 'string', maxLength: 20, description: '"45 §", "§ 45" or "45"', example: '§ 45' },
        url: { type: ['string', 'null'], maxLength: 2000, description: 'An https link to the published minutes' },
      },
    },
  },
};
const RESPONSES_BODY = {
  type: 'object',
  required: ['responses'],
  properties: {
    responses: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        required: ['municipalityCode', 'status', 'reason'],
        properties: {
          municipalityCode: CODE,
          section: { type: ['string', 'null'], description: 'null or left out: the general statement; else the commented section' },
          question: { type: 'integer', minimum: 1, description: 'The question whose answer this responds to (instead of section)' },
          status: { type: 'string', enum: [...RESPONSE_STATUSES] },
          reason: { type: 'string', maxLength: 5000, description: 'Required unless taken_into_account' },
        },
      },
    },
  },
};
const REMINDER_BODY = { type: 'object', properties: { municipalityCodes: { type: 'array', items: CODE, description: 'Every invitee that has not answered when left out' } } };
const ADOPTION_BODY = {
  type: 'object',
  required: ['version', 'body', 'date', 'minutesSection'],
  properties: {
    version: { type: 'integer', minimum: 1, description: 'The consulted version adopted' },
    body: { type: 'string', maxLength: 200, example: 'Kajaanin kaupunginvaltuusto' },
    date: { type: 'string', format: 'date', example: '2027-01-25' },
    minutesSection: { type: 'string', maxLength: 50, example: '§ 12' },
  },
};

/**
 * The largest body an attachment upload reads: the file (10 MB) and its multipart framing. Larger is 413 from the
 * declared length before anything is read, or as soon as a chunked upload passes it (the server entry lets these
 * paths through up to its upload limit: apps/web/server/app.ts, isUploadPath).
 */
export const ATTACHMENT_BODY_MAX_BYTES = ATTACHMENT_MAX_BYTES + 64 * 1024;
const attachmentLimit = bodyLimit({
  maxSize: ATTACHMENT_BODY_MAX_BYTES,
  onError: () => {
    throw new DomainError('too_large', `a file may be at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`);
  },
});

/** The multipart field `file` (and its name) for the use case; anything else is invalid input. */
async function uploadBody(c: Context): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('multipart/form-data')) throw new DomainError('invalid_input', 'send the file as multipart/form-data field `file`', { issues: [{ path: ['file'], code: 'not_multipart', message: 'multipart/form-data with the field `file`' }] });
  let form: FormData;
  try {
    form = await c.req.raw.formData();
  } catch {
    throw new DomainError('invalid_input', 'send the file as multipart/form-data field `file`', { issues: [{ path: ['file'], code: 'malformed_body', message: 'not readable as multipart/form-data' }] });
  }
  const file = form.get('file');
  if (!(file instanceof Blob)) throw new DomainError('invalid_input', 'send the file as the multipart field `file`', { issues: [{ path: ['file'], code: 'required', message: 'the field `file` with a file' }] });
  return { file: new Uint8Array(await file.arrayBuffer()), fileName: file instanceof File ? file.name : undefined };
}

const UPLOAD_BODY = {
  required: true,
  content: { 'multipart/form-data': { schema: { type: 'object' as const, required: ['file'], properties: { file: { type: 'string' as const, format: 'binary' } } } } },
};
const StatementParam = z.object({ statementId: idParam('statementId') });
const AttachmentParam = z.object({ attachmentId: idParam('attachmentId') });

/**
 * Consultation rounds on the host's administrative rules and the adoption that they guard. Who may do what is the
 * use cases' (packages/core/src/consultation*.ts); 409 answers carry the rule's `reason`.
 */
export function consultationRoutes(api: OpenAPIHono<Vars>, deps: CoreDeps, requireActor: MiddlewareHandler<Vars>) {
  // /documents/* is behind requireActor already (registered with the comment routes).
  api.use('/rounds/*', requireActor);

  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{documentId}/rounds',
      ...access({ area: 'area.read' }),
      summary: "A document's consultation rounds, newest first",
      request: { params: DocumentParam },
      responses: { 200: json(z.array(RoundSummarySchema), 'Rounds'), ...errors(401, 404) },
    }),
    async (c) => c.json((await listRounds(deps, c.get('actor'), c.req.valid('param').documentId)).map(summary), 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/documents/{documentId}/rounds',
      ...access({ area: 'consultation.manage' }),
      summary: 'Open a consultation round on a saved version of the administrative rules, or save it as a draft (draft: true) (the host admin)',
      request: { params: DocumentParam, ...describedBody(OPEN_BODY) },
      responses: { 201: json(RoundSummarySchema, 'The open round, or the draft'), ...errors(400, 401, 403, 404), ...conflicts },
    }),
    (c) => withReason(c, async () => c.json(summary(await createConsultationRound(deps, c.get('actor'), c.req.valid('param').documentId, await jsonOf(c))), 201)),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/rounds/{consultationRoundId}',
      ...access({ area: 'area.read' }),
      summary: 'A round with the statements the caller may see (before the close: their own municipality’s; the host admin: all), the timeline and the actions open to the caller',
      request: { params: RoundParam },
      responses: { 200: json(RoundSchema, 'The round'), ...errors(401, 404) },
    }),
    async (c) => c.json(round(await getRound(deps, c.get('actor'), c.req.valid('param').consultationRoundId)), 200),
  );

  api.openapi(
    createRoute({
      method: 'patch',
      path: '/rounds/{consultationRoundId}',
      ...access({ area: 'consultation.manage' }),
      summary: 'Edit a draft round (409 round_not_draft once opened)',
      request: { params: RoundParam, ...describedBody(DRAFT_BODY) },
      responses: { 200: json(RoundSchema, 'The draft'), ...errors(400, 401, 403, 404), ...conflicts },
    }),
    (c) => withReason(c, async () => c.json(round(await updateDraftRound(deps, c.get('actor'), c.req.valid('param').consultationRoundId, await jsonOf(c))), 200)),
  );

  api.openapi(
    createRoute({
      method: 'delete',
      path: '/rounds/{consultationRoundId}',
      ...access({ area: 'consultation.manage' }),
      summary: 'Discard a draft round (409 round_not_draft once opened)',
      request: { params: RoundParam },
      responses: { 204: { description: 'Discarded' }, ...errors(401, 403, 404), ...conflicts },
    }),
    (c) =>
      withReason(c, async () => {
        await discardDraftRound(deps, c.get('actor'), c.req.valid('param').consultationRoundId);
        return c.body(null, 204);
      }),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/rounds/{consultationRoundId}/open',
      ...access({ area: 'consultation.manage' }),
      summary: 'Open a draft round to the members (its deadline still ahead, no other round on the rules open)',
      request: { params: RoundParam, ...describedBody({ type: 'object', properties: { shortPeriodReason: ROUND_FIELDS.shortPeriodReason } }, false) },
      responses: { 200: json(RoundSchema, 'The open round'), ...errors(401, 403, 404), ...conflicts },
    }),
    (c) => withReason(c, async () => c.json(round(await openDraftRound(deps, c.get('actor'), c.req.valid('param').consultationRoundId, (await jsonOf(c)) ?? {})), 200)),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/rounds/{consultationRoundId}/summary',
      ...access({ area: 'area.read' }),
      summary: 'The summary of statements and the host’s answers (rows empty for members until published)',
      request: {
        params: RoundParam,
        query: z.object({ format: z.string().max(10).optional().openapi({ param: { name: 'format', in: 'query' }, description: 'pdf: the summary as a PDF/A-2b file; without it, JSON. Anything else is 400', example: 'pdf' }) }),
      },
      responses: {
        200: { description: 'The summary (JSON), or with ?format=pdf as a file', headers: FILE_HEADERS, content: { 'application/json': { schema: SummarySchema }, ...fileContent({ 'application/pdf': 'PDF/A-2b, tagged' }) } },
        ...errors(400, 401, 404, 503),
      },
    }),
    async (c) => {
      const id = c.req.valid('param').consultationRoundId;
      const format = c.req.valid('query').format;
      if (format !== undefined) return fileResponse(c, await consultationSummaryFile(deps, c.get('actor'), id, format));
      return c.json(summaryTable(await getConsultationSummary(deps, c.get('actor'), id)), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/rounds/{consultationRoundId}/statements',
      // A member rep for their own municipality; the host admin on a municipality's behalf.
      ...access({ area: 'consultation.answer', own: true }),
      summary: 'Submit or amend a municipality’s statement (until the deadline; every revision is kept)',
      request: { params: RoundParam, ...describedBody(STATEMENT_BODY) },
      responses: { 201: json(InviteeSchema, 'The municipality’s statement and its revisions'), ...errors(400, 401, 403, 404), ...conflicts },
    }),
    (c) => withReason(c, async () => c.json(invitee(await submitStatement(deps, c.get('actor'), c.req.valid('param').consultationRoundId, await jsonOf(c))), 201)),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/rounds/{consultationRoundId}/close',
      ...access({ area: 'consultation.manage' }),
      summary: 'Close the round: after the deadline, or once every invitee has answered',
      request: { params: RoundParam },
      responses: { 200: json(RoundSchema, 'The closed round'), ...errors(401, 403, 404), ...conflicts },
    }),
    (c) => withReason(c, async () => c.json(round(await closeRound(deps, c.get('actor'), c.req.valid('param').consultationRoundId)), 200)),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/rounds/{consultationRoundId}/reminders',
      ...access({ area: 'consultation.manage' }),
      summary: 'Remind the invitees that have not answered (in-app notifications to their member reps)',
      request: { params: RoundParam, ...describedBody(REMINDER_BODY, false) },
      responses: { 200: json(ReminderSchema, 'Who was reminded'), ...errors(400, 401, 403, 404), ...conflicts },
    }),
    (c) => withReason(c, async () => c.json(await remindInvitees(deps, c.get('actor'), c.req.valid('param').consultationRoundId, await jsonOf(c)), 200)),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/rounds/{consultationRoundId}/responses',
      ...access({ area: 'consultation.manage' }),
      summary: 'Answer statements and section comments ("otettu huomioon", "osittain", "ei otettu huomioon", with the reason); changeable until published',
      request: { params: RoundParam, ...describedBody(RESPONSES_BODY) },
      responses: { 200: json(RoundSchema, 'The round with the answers'), ...errors(400, 401, 403, 404), ...conflicts },
    }),
    (c) => withReason(c, async () => c.json(round(await respondToStatements(deps, c.get('actor'), c.req.valid('param').consultationRoundId, await jsonOf(c))), 200)),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/rounds/{consultationRoundId}/publish',
      ...access({ area: 'consultation.manage' }),
      summary: 'Publish the summary of statements and answers (every statement and section comment answered)',
      request: { params: RoundParam },
      responses: { 200: json(SummarySchema, 'The published summary'), ...errors(401, 403, 404), ...conflicts },
    }),
    (c) => withReason(c, async () => c.json(summaryTable(await publishSummary(deps, c.get('actor'), c.req.valid('param').consultationRoundId)), 200)),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/documents/{documentId}/adoptions',
      ...access({ area: 'area.read' }),
      summary: 'The recorded adoptions of the administrative rules, newest first',
      request: { params: DocumentParam },
      responses: { 200: json(z.array(AdoptionSchema), 'Adoptions'), ...errors(401, 404) },
    }),
    async (c) => c.json((await listAdoptions(deps, c.get('actor'), c.req.valid('param').documentId)).map(adoption), 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/documents/{documentId}/adoptions',
      ...access({ area: 'consultation.manage' }),
      summary: 'Record the adoption of a consulted version of the rules; 409 with the reason when its round does not allow it',
      request: { params: DocumentParam, ...describedBody(ADOPTION_BODY) },
      responses: { 201: json(AdoptionSchema, 'The recorded adoption'), ...errors(400, 401, 403, 404), ...conflicts },
    }),
    (c) => withReason(c, async () => c.json(adoption(await recordAdoption(deps, c.get('actor'), c.req.valid('param').documentId, await jsonOf(c))), 201)),
  );

  // Attachments (docs/decisions/027): PDF, DOCX or ODT by content, 10 MB each and 50 MB per round, kept in the database.
  api.use('/statements/*', requireActor);
  api.use('/attachments/*', requireActor);
  api.use('/rounds/:consultationRoundId/attachments', attachmentLimit);
  api.use('/statements/:statementId/attachments', attachmentLimit);

  api.openapi(
    createRoute({
      method: 'post',
      path: '/rounds/{consultationRoundId}/attachments',
      ...access({ area: 'consultation.manage' }),
      summary: "Attach a file to a round (the host's material; while it is a draft or open)",
      description: `multipart/form-data field \`file\`: a PDF, DOCX or ODT, known by its content (a renamed program is 400), at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB (413), and the round's files at most 50 MB in all (413); a DOCX or ODT that unpacks to far more than it takes (a zip bomb) is 400.`,
      request: { params: RoundParam, body: UPLOAD_BODY },
      responses: { 201: json(AttachmentSchema, 'The file as stored'), ...errors(400, 401, 403, 404, 413), ...conflicts },
    }),
    (c) => withReason(c, async () => c.json(attachment(await addRoundAttachment(deps, c.get('actor'), c.req.valid('param').consultationRoundId, () => uploadBody(c))), 201)),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/statements/{statementId}/attachments',
      // A member rep to their own municipality's statement; the host admin on its behalf.
      ...access({ area: 'consultation.answer', own: true }),
      summary: "Attach a file to a municipality's statement (its decision, an appendix) while statements are accepted",
      description: 'The statement is a round invitee (`statementId` in the round’s `invitees`). The same file rules as a round’s attachments.',
      request: { params: StatementParam, body: UPLOAD_BODY },
      responses: { 201: json(AttachmentSchema, 'The file as stored'), ...errors(400, 401, 403, 404, 413), ...conflicts },
    }),
    (c) => withReason(c, async () => c.json(attachment(await addStatementAttachment(deps, c.get('actor'), c.req.valid('param').statementId, () => uploadBody(c))), 201)),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/attachments/{attachmentId}',
      ...access({ area: 'area.read' }),
      summary: "An attachment's file, to whoever sees what it is attached to (a statement's: its municipality and the host admin until the close)",
      request: { params: AttachmentParam },
      responses: {
        200: { description: 'The file, as a download (Content-Disposition: attachment; X-Content-Type-Options: nosniff)', headers: FILE_HEADERS, content: fileContent({ 'application/pdf': 'PDF', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX', 'application/vnd.oasis.opendocument.text': 'ODT' }) },
        ...errors(401, 404),
      },
    }),
    async (c) => {
      const file = await getAttachment(deps, c.get('actor'), c.req.valid('param').attachmentId);
      return fileResponse(c, { fileName: file.fileName, contentType: file.mediaType, bytes: file.bytes, sha256: file.sha256, contentHash: null });
    },
  );

  api.openapi(
    createRoute({
      method: 'delete',
      path: '/attachments/{attachmentId}',
      // A statement's file by whoever uploaded it (its member rep, or the host admin on its behalf); a round's by the host admin.
      ...access({ area: 'consultation.answer', own: true }),
      summary: 'Remove a file attached by mistake, while the round is open (a statement’s: while statements are accepted)',
      description: 'A statement’s file is removed by whoever uploaded it, a round’s by the host admin; audited (`consultation.attachment_removed`). 409 `round_not_open` once the round is closed (`deadline_passed` for a statement’s file after the deadline).',
      request: { params: AttachmentParam },
      responses: { 204: { description: 'Removed' }, ...errors(401, 403, 404), ...conflicts },
    }),
    (c) =>
      withReason(c, async () => {
        await removeAttachment(deps, c.get('actor'), c.req.valid('param').attachmentId);
        return c.body(null, 204);
      }),
  );
}
