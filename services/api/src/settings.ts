import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  calculateCostShares, chairRotation, COST_SHARE_KEYS, EXCEPTION_GROUNDS, getAreaSettings, listChecks, MILESTONE_KINDS, pickLanguage, updateExceptionGround, updateJointBody,
  updateConsultationPeriod, updateDirectEditing, updateEntryIntoForce, updateKeyFacts, updateSecondFactorRequirement, updateLabourForce, updateMilestones, type AreaSettings, type CoreDeps,
} from '@sopu/core';
import type { Context } from 'hono';
import { access } from './access.ts';
import { describedBody, errors, iso, jsonOf, type Vars } from './openapi.ts';

// --- schemas (responses; request bodies are described as JSON Schema and parsed by the use cases) ------------------

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const Names = z.object({ fi: z.string(), sv: z.string() });
const Localised = z.object({ fi: z.string(), sv: z.string(), en: z.string() });
const Ref = z.object({ code: z.string(), name: Names }).openapi('MunicipalityRef');
const SlugParam = z.object({ slug: z.string().min(1).max(100).openapi({ param: { name: 'slug', in: 'path' }, example: 'kainuu-koillismaa' }) });

const CheckSchema = z
  .object({
    id: z.string().openapi({ description: 'labour_force_threshold, joint_body_majority, joint_body_tie_rule, required_documents, required_topics:<documentId>, or agreement_table:<chair_rotation|cost_shares>' }),
    status: z.enum(['pass', 'fail', 'warning']),
    message: z.string().openapi({ description: 'In the language of ?lang= or Accept-Language (fi, sv, en; Finnish by default)' }),
    messages: Localised,
    section: z.object({ documentId: z.string(), key: z.string() }).optional().openapi({ description: 'The section of the agreement where the matter is settled' }),
  })
  .openapi('Check');

const VoteShareSchema = z.object({
  code: z.string(),
  seats: z.number(),
  votesPerSeat: z.number(),
  votes: z.number(),
  percentHundredths: z.number().openapi({ description: 'Hundredths of a per cent; the column sums to exactly 10000' }),
  overHalf: z.boolean(),
  exactlyHalf: z.boolean(),
  holdsChair: z.boolean(),
});

const SettingsSchema = z
  .object({
    slug: z.string(),
    name: Localised,
    status: z.enum(['active', 'suspended']),
    canEdit: z.boolean(),
    municipalities: z.array(
      Ref.extend({
        language: z.string(),
        isHost: z.boolean(),
        labourForce: z.object({ value: z.number().nullable(), source: z.string().nullable(), year: z.number().nullable(), isDemo: z.boolean() }),
        jointBody: z.object({ seats: z.number().nullable(), votesPerSeat: z.number().nullable(), holdsChair: z.boolean() }),
      }),
    ),
    threshold: z.object({ total: z.number(), threshold: z.number(), incomplete: z.boolean(), belowThreshold: z.boolean(), exceptionGrounds: z.array(z.string()), needsExceptionGround: z.boolean(), usesDemoFigures: z.boolean() }),
    exception: z.object({ grounds: z.array(z.enum(EXCEPTION_GROUNDS)), permit: z.object({ reference: z.string(), date: z.string().nullable() }).nullable() }),
    jointBody: z.object({
      chair: Ref.nullable(),
      shares: z.object({
        shares: z.array(VoteShareSchema),
        totalSeats: z.number(),
        totalVotes: z.number(),
        missing: z.array(z.string()),
        verdict: z.enum(['pass', 'fail', 'warning', 'incomplete']),
        reason: z.enum(['no_majority', 'majority', 'half_with_chair', 'half_without_chair', 'not_entered', 'no_votes']),
        subject: z.string().nullable(),
        chairCode: z.string().nullable(),
      }),
    }),
    milestones: z.array(z.object({ id: z.string(), kind: z.enum(MILESTONE_KINDS), label: Names, date: z.string(), municipality: Ref.nullable(), daysLeft: z.number() })),
    keyFacts: z.array(Localised),
    costShares: z.array(z.object({ year: z.number(), netCostsCents: z.number(), key: z.enum(COST_SHARE_KEYS), figures: z.array(z.object({ code: z.string(), value: z.number() })), computedAt: z.string() })),
    entryIntoForce: z
      .array(z.object({ documentId: z.string(), kind: z.enum(['cooperation_agreement', 'authority_task_agreement']), title: z.string(), date: z.string().nullable().openapi({ description: 'YYYY-MM-DD; null when not set' }) }))
      .openapi({ description: 'The date each agreement the councils approve states for its entry into force (in force only once every council’s decision is final), the cooperation agreement first' }),
    requireSecondFactor: z.boolean().openapi({ description: 'Whether every member who logs in with a password needs two-step verification (host admins always do)' }),
    directEditing: z.enum(['host', 'everyone']).openapi({ description: "Who changes agreement text directly: `host` (the host municipality's drafters; the others suggest changes) or `everyone` (every drafter)" }),
    consultationPeriod: z
      .object({ days: z.number(), excludesJuly: z.boolean() })
      .nullable()
      .openapi({ description: "The agreement's minimum consultation period (null: none stated); a shorter round asks the host admin for a reason" }),
  })
  .openapi('AreaSettings');

const InsertedSchema = z.object({ documentId: z.string(), section: z.string(), replaced: z.boolean().openapi({ description: 'The table Sopu inserted there before was replaced (false: appended after the section\'s text)' }) }).nullable().openapi({ description: 'Where the table was inserted, when `insert` was true' });
const RotationSchema = z
  .object({
    startYear: z.number(),
    years: z.number(),
    members: z.array(Ref),
    rows: z.array(z.object({ year: z.number(), chair: Ref, viceChair: Ref, secretary: Ref })),
    inserted: InsertedSchema,
  })
  .openapi('ChairRotation');
const CostSharesSchema = z
  .object({
    year: z.number(),
    netCostsCents: z.number(),
    key: z.enum(COST_SHARE_KEYS),
    rows: z.array(Ref.extend({ value: z.number(), cents: z.number(), percentHundredths: z.number() })),
    totalValue: z.number(),
    totalCents: z.number(),
    inserted: InsertedSchema,
  })
  .openapi('CostShares');

// --- request bodies (JSON Schema, for the document; core's zod schemas decide) -------------------------------------

const CODE = { type: 'string', pattern: '^\\d{3}$', description: "Statistics Finland's municipality code" };
const DATE = { type: 'string', format: 'date', description: 'YYYY-MM-DD' };
const YEAR = { type: 'integer', minimum: 2000, maximum: 2100 };
const body = (properties: Record<string, unknown>, required: string[]) => describedBody({ type: 'object', required, additionalProperties: false, properties });

const LabourForceBody = body(
  {
    municipalities: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['code', 'labourForce'],
        additionalProperties: false,
        properties: { code: CODE, labourForce: { type: ['integer', 'string', 'null'], minimum: 0, description: 'A whole number, or a string as typed ("20 333"; a decimal point or comma is refused: `not_whole`); null clears the figure' }, source: { type: 'string', maxLength: 200, description: 'Required with a figure' }, year: { ...YEAR, description: 'Required with a figure' } },
      },
    },
  },
  ['municipalities'],
);
const JointBodyBody = body(
  {
    municipalities: {
      type: 'array',
      description: 'Every municipality of the area, once',
      items: { type: 'object', required: ['code', 'seats', 'votesPerSeat'], additionalProperties: false, properties: { code: CODE, seats: { type: ['integer', 'string'], minimum: 0, maximum: 100, description: 'A whole number, or a string as typed (a point or comma: `not_whole`)' }, votesPerSeat: { type: ['number', 'string'], minimum: 0, maximum: 1000, description: 'At most two decimals (`too_many_decimals`); a string may use a decimal comma ("1,5")' } } },
    },
    chairCode: { ...CODE, type: ['string', 'null'], description: 'The municipality whose member chairs the joint body' },
  },
  ['municipalities', 'chairCode'],
);
const ExceptionBody = body(
  {
    grounds: { type: 'array', items: { type: 'string', enum: [...EXCEPTION_GROUNDS] }, description: 'Grounds of the implementing act 4 § the area relies on' },
    permit: { type: ['object', 'null'], required: ['reference'], additionalProperties: false, properties: { reference: { type: 'string', maxLength: 200 }, date: { ...DATE, type: ['string', 'null'] } }, description: "The Government's permit decision, once it exists" },
  },
  ['grounds', 'permit'],
);
const EntryIntoForceBody = body(
  {
    date: { ...DATE, type: ['string', 'null'], description: 'The date the agreement states ("tulee voimaan 1.1.2027"); null when it states none (then it enters into force when the decisions are final)' },
    documentId: { type: 'string', description: "A 54 § agreement's id; by default the area's cooperation agreement" },
  },
  ['date'],
);
const ConsultationPeriodBody = body({ days: { type: ['integer', 'null'], minimum: 1, maximum: 365, description: 'null: the agreement states no minimum' }, excludesJuly: { type: 'boolean', description: 'July is not counted' } }, ['days']);
const DirectEditingBody = body({ directEditing: { type: 'string', enum: ['host', 'everyone'] } }, ['directEditing']);
const MilestonesBody = body(
  {
    milestones: {
      type: 'array',
      maxItems: 50,
      description: 'The whole list (it replaces the one stored); an existing id keeps its milestone',
      items: {
        type: 'object',
        required: ['kind', 'label', 'date'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          kind: { type: 'string', enum: [...MILESTONE_KINDS] },
          label: { type: 'object', additionalProperties: false, properties: { fi: { type: 'string', maxLength: 200 }, sv: { type: 'string', maxLength: 200 } }, description: 'Finnish, Swedish or both' },
          date: DATE,
          municipalityCode: { ...CODE, type: ['string', 'null'] },
        },
      },
    },
  },
  ['milestones'],
);
const SecondFactorBody = body({ required: { type: 'boolean', description: 'true: every member who logs in with a password sets up two-step verification at their next log-in' } }, ['required']);
const KeyFactsBody = body(
  { facts: { type: 'array', maxItems: 12, items: { type: 'object', additionalProperties: false, properties: { fi: { type: 'string', maxLength: 300 }, sv: { type: 'string', maxLength: 300 }, en: { type: 'string', maxLength: 300 } } } } },
  ['facts'],
);
const RotationBody = body(
  {
    startYear: YEAR,
    years: { type: 'integer', minimum: 1, maximum: 10 },
    members: { type: 'array', items: CODE, minItems: 3, maxItems: 12, description: 'Who takes turns, in turn order; default: those with a seat, the host first' },
    insert: { type: 'boolean', description: "Also insert the table into the agreement's governance section" },
    language: { type: 'string', enum: ['fi', 'sv'], description: "The table's language; default: the host municipality's" },
  },
  ['startYear', 'years'],
);
const CostSharesBody = body(
  {
    year: YEAR,
    netCosts: { type: ['number', 'string'], description: 'Euros with at most two decimals: 1234567.89 or "1 234 567,89"' },
    key: { type: 'string', enum: [...COST_SHARE_KEYS] },
    jobSeekers: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'With key job_seekers: municipality code → job seekers' },
    weights: { type: 'object', additionalProperties: { type: 'number', minimum: 0 }, description: 'With key custom: municipality code → weight (at most four decimals)' },
    insert: { type: 'boolean', description: "Also insert the table into the agreement's finance section" },
    language: { type: 'string', enum: ['fi', 'sv'] },
  },
  ['year', 'netCosts', 'key'],
);

const settingsJson = (s: AreaSettings) => ({ ...s, costShares: s.costShares.map((c) => ({ ...c, computedAt: iso(c.computedAt) })) });

/**
 * The area's checks and settings (docs/decisions/019): reading them is every member's; changing them, generating the
 * chair rotation and the cost shares (and inserting their tables into the agreement) the host admin's. /areas/* is
 * behind requireActor already (app.ts). Bodies are parsed by the use cases after the access check.
 */
export function settingsRoutes(api: OpenAPIHono<Vars>, deps: CoreDeps) {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/areas/{slug}/checks',
      ...access({ area: 'area.read' }),
      summary: 'What the law implies for the area: labour force against 20,000, required topics, the joint body’s majority and tie rule',
      description: 'Plain Finnish, Swedish and English; never legal advice. `message` is in the language of `?lang=` or Accept-Language.',
      request: { params: SlugParam, query: z.object({ lang: z.string().max(35).optional().openapi({ example: 'sv' }) }) },
      responses: { 200: json(z.array(CheckSchema), 'Checks'), ...errors(401, 404) },
    }),
    async (c) => {
      const lang = pickLanguage(c.req.valid('query').lang, c.req.header('accept-language'));
      const checks = await listChecks(deps, c.get('actor'), c.req.valid('param').slug);
      return c.json(checks.map((check) => ({ id: check.id, status: check.status, message: check.message[lang], messages: check.message, ...(check.section ? { section: check.section } : {}) })), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/areas/{slug}/settings',
      ...access({ area: 'area.read' }),
      summary: "The area's settings: labour force, the joint body and its vote shares, the exception permit, milestones, key facts, cost-share calculations",
      request: { params: SlugParam },
      responses: { 200: json(SettingsSchema, 'Settings'), ...errors(401, 404) },
    }),
    async (c) => c.json(settingsJson(await getAreaSettings(deps, c.get('actor'), c.req.valid('param').slug)), 200),
  );

  const put = (path: string, summary: string, request: ReturnType<typeof body>, run: typeof updateLabourForce) =>
    api.openapi(
      createRoute({
        method: 'put',
        path: `/areas/{slug}/settings/${path}`,
        ...access({ area: 'area.settings' }),
        summary: `${summary} (host admin); answers the settings`,
        request: { params: SlugParam, ...request },
        responses: { 200: json(SettingsSchema, 'Settings'), ...errors(400, 401, 403, 404) },
      }),
      async (c: Context<Vars>) => c.json(settingsJson(await run(deps, c.get('actor'), c.req.param('slug') ?? '', await jsonOf(c))), 200),
    );
  put('labour-force', "Set the municipalities' labour-force figures with their source and year", LabourForceBody, updateLabourForce);
  put('joint-body', "Set the joint body's seats and votes per seat of every municipality, and who chairs it", JointBodyBody, updateJointBody);
  put('exception-ground', 'Record the exception grounds the area relies on and the permit decision', ExceptionBody, updateExceptionGround);
  put('milestones', "Replace the area's milestones", MilestonesBody, updateMilestones);
  put('key-facts', "Replace the area's key facts", KeyFactsBody, updateKeyFacts);
  put('consultation-period', "Set the agreement's minimum consultation period (days; July not counted when it says so)", ConsultationPeriodBody, updateConsultationPeriod);
  put('second-factor', 'Require two-step verification of every member who logs in with a password, or stop requiring it (host admins always need it)', SecondFactorBody, updateSecondFactorRequirement);
  put('direct-editing', 'Set who changes agreement text directly: the host’s drafters (the others suggest changes) or every drafter', DirectEditingBody, updateDirectEditing);
  put('entry-into-force', 'Set the date an agreement states for its entry into force, once every council’s decision is final', EntryIntoForceBody, updateEntryIntoForce);

  api.openapi(
    createRoute({
      method: 'post',
      path: '/areas/{slug}/chair-rotation',
      ...access({ area: 'area.settings' }),
      summary: 'A yearly rotation of chair, vice-chair and secretary, nobody two roles in a year; with insert, the table into the governance section (host admin)',
      request: { params: SlugParam, ...RotationBody },
      responses: { 200: json(RotationSchema, 'The rotation'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await chairRotation(deps, c.get('actor'), c.req.valid('param').slug, await jsonOf(c)), 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/areas/{slug}/cost-shares',
      ...access({ area: 'area.settings' }),
      summary: "The members' shares of a year's net costs by a key, exact to the cent, stored as the year's calculation; with insert, the table into the finance section (host admin)",
      request: { params: SlugParam, ...CostSharesBody },
      responses: { 200: json(CostSharesSchema, 'The shares'), ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await calculateCostShares(deps, c.get('actor'), c.req.valid('param').slug, await jsonOf(c)), 200),
  );
}
