import { placeGeneratedTable, readGeneratedTables, type ProseMirrorJSON } from '@sopu/doc-model';
import type * as Y from 'yjs';
import { z } from 'zod';
import { requireAreaAccess, type AreaAccess } from '../shared/access.ts';
import { listMunicipalities, type Municipality } from '../shared/tenancy.repository.ts';
import { ref, type MunicipalityRef } from './settings.ts';
import { generateChairRotation, type RotationYear, ROTATION_MAX_MEMBERS, ROTATION_MAX_YEARS, ROTATION_MIN_MEMBERS, ROTATION_MIN_YEARS } from './chair-rotation.rules.ts';
import { formatDecimal, formatEuros, formatInteger, formatPercent } from './checks.rules.ts';
import { computeCostShares, COST_SHARE_KEYS, FIGURE_DECIMALS, NET_COSTS_MAX_CENTS, type CostShareKey } from './cost-shares.rules.ts';
import { toUnits } from './apportion.rules.ts';
import { readTypedNumber, typedNumber } from './typed-number.rules.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { parseInput } from '../shared/validation.ts';

/**
 * Tables the host admin generates from the area's settings and may insert into the cooperation agreement: the
 * yearly rotation of the joint body's chair, vice-chair and secretary (section `body_composition`, § 4), and the members' cost
 * shares of a year (section `finance_administration`). Inserting puts a caption and the table into the section through
 * the document's one writer (deps.documents), so everyone editing sees it at once: after the section's text the first
 * time, in the place of the table of the same kind Sopu inserted before when there is one (doc-model generated.ts
 * marks them), so inserting again replaces instead of adding a second table. Nothing else written there is touched. The words are the agreement's language: Swedish when the host municipality's first
 * language is Swedish, else Finnish, unless `language` says otherwise.
 */

export type TableLanguage = 'fi' | 'sv';
/** § 4 in the template's numbering: the joint body's composition, where the agreement provides for the chair and vice-chair (issue 21: not § 3, administration). */
export const ROTATION_SECTION = 'body_composition';
export const COST_SHARE_SECTION = 'finance_administration';

function invalid(path: Array<string | number>, code: string, message: string): DomainError {
  return new DomainError('invalid_input', message, { issues: [{ path: path.map(String), code, message }] });
}

const languageInput = z.enum(['fi', 'sv']).optional();
const yearInput = typedNumber(0, 2000, 2100);

function agreementLanguage(municipalities: readonly Municipality[], chosen: TableLanguage | undefined): TableLanguage {
  if (chosen) return chosen;
  return municipalities.find((m) => m.isHost)?.language.startsWith('sv') ? 'sv' : 'fi';
}

const nameIn = (m: MunicipalityRef, lang: TableLanguage) => (lang === 'sv' ? m.name.sv : m.name.fi);
const paragraph = (text: string): ProseMirrorJSON => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const cell = (type: 'tableHeader' | 'tableCell', text: string): ProseMirrorJSON => ({ type, content: [text ? paragraph(text) : { type: 'paragraph' }] });
/** A table of cells, the first row its header. */
const table = (cells: string[][]): ProseMirrorJSON => ({
  type: 'table',
  content: cells.map((row, r) => ({ type: 'tableRow', content: row.map((c) => cell(r === 0 ? 'tableHeader' : 'tableCell', c)) })),
});

export interface InsertedTable {
  documentId: string;
  section: string;
  /** The table Sopu inserted there before was replaced (false: appended after the section's text). */
  replaced: boolean;
}

/** The kinds of generated table, as the document's `generated` marks and the audit log name them. */
export type GeneratedTableKind = 'chair_rotation' | 'cost_shares';

/**
 * Puts a caption and a table into the agreement: in place of the earlier one of the same kind, else after the
 * section's text. `source` is kept with the mark: what the checks need to generate the table again and compare.
 */
async function insertIntoAgreement(deps: CoreDeps, actor: Actor, access: AreaAccess, section: string, kind: GeneratedTableKind, blocks: ProseMirrorJSON[], source: Record<string, unknown>): Promise<InsertedTable> {
  const document = await deps.db.selectFrom('documents').select(['id', 'kind']).where('area_id', '=', access.area.id).where('kind', '=', 'cooperation_agreement').orderBy('created_at').executeTakeFirst();
  if (!document) throw new DomainError('conflict', 'the area has no cooperation agreement', { reason: 'no_agreement' });
  let replaced = false;
  await deps.documents.change({ id: document.id, areaId: access.area.id, kind: document.kind }, (doc) => {
    replaced = placeGeneratedTable(doc, section, kind, blocks, blocks.length - 1, source).replaced;
  }, actor.userId);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await deps.audit.append(trx, { areaId: access.area.id, actorUserId: actor.userId, action: 'agreement.table_inserted', subjectType: 'document', subjectId: document.id, details: { section, table: kind, replaced, ...source } }, now);
  });
  return { documentId: document.id, section, replaced };
}

function rotationTitle(startYear: number, years: number): { fi: string; sv: string; en: string } {
  const period = years === 1 ? String(startYear) : `${startYear}–${startYear + years - 1}`;
  return { fi: `Puheenjohtajuuden vuorottelu ${period}`, sv: `Rotation av ordförandeskapet ${period}`, en: `Chair rotation ${period}` };
}

/** The rotation's caption and cells (the header first) as they go into the agreement. */
function rotationTable(rows: ReadonlyArray<RotationYear<MunicipalityRef>>, startYear: number, years: number, lang: TableLanguage): { caption: string; cells: string[][] } {
  const header = lang === 'sv' ? ['År', 'Ordförande', 'Vice ordförande', 'Sekreterare'] : ['Vuosi', 'Puheenjohtaja', 'Varapuheenjohtaja', 'Sihteeri'];
  return { caption: rotationTitle(startYear, years)[lang], cells: [header, ...rows.map((r) => [String(r.year), nameIn(r.chair, lang), nameIn(r.viceChair, lang), nameIn(r.secretary, lang)])] };
}

// --- chair rotation ----------------------------------------------------------------------------------------------

export const chairRotationInput = z
  .object({
    startYear: yearInput,
    years: typedNumber(0, ROTATION_MIN_YEARS, ROTATION_MAX_YEARS),
    /** The municipalities that take turns, in turn order; by default those with a seat, the host first. */
    members: z.array(z.string().trim().regex(/^\d{3}$/)).min(ROTATION_MIN_MEMBERS).max(ROTATION_MAX_MEMBERS).optional(),
    insert: z.boolean().optional(),
    language: languageInput,
  })
  .strict();

export interface ChairRotation {
  startYear: number;
  years: number;
  members: MunicipalityRef[];
  rows: Array<{ year: number; chair: MunicipalityRef; viceChair: MunicipalityRef; secretary: MunicipalityRef }>;
  /** Where the table went, when it was inserted. */
  inserted: InsertedTable | null;
}

/** The default turn order: the host first, then the others by Finnish name; only those with a seat, once seats are entered. */
function defaultMembers(municipalities: readonly Municipality[]): Municipality[] {
  const seated = municipalities.some((m) => m.seats !== null) ? municipalities.filter((m) => (m.seats ?? 0) > 0) : [...municipalities];
  return seated.sort((a, b) => Number(b.isHost) - Number(a.isHost) || a.name.fi.localeCompare(b.name.fi, 'fi'));
}

/**
 * A yearly rotation of chair, vice-chair and secretary (chair-rotation.rules.ts) for the years asked, and with `insert`
 * the table in the agreement's governance section. Host admin.
 */
export async function chairRotation(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<ChairRotation> {
  const access = await requireAreaAccess(deps.db, actor.userId, slug, 'area.settings');
  const input = parseInput(chairRotationInput, raw);
  const municipalities = await listMunicipalities(deps.db, access.area);
  let members: Municipality[];
  if (input.members) {
    const byCode = new Map(municipalities.map((m) => [m.code, m]));
    members = input.members.map((c, i) => {
      const m = byCode.get(c);
      if (!m) throw invalid(['members', i], 'unknown_municipality', `no municipality ${c} in this area`);
      return m;
    });
    if (new Set(input.members).size !== input.members.length) throw invalid(['members'], 'duplicate', 'a municipality is listed twice');
  } else {
    members = defaultMembers(municipalities);
    if (members.length < ROTATION_MIN_MEMBERS) throw invalid(['members'], 'too_few', `a rotation of three roles needs at least ${ROTATION_MIN_MEMBERS} municipalities`);
    if (members.length > ROTATION_MAX_MEMBERS) throw invalid(['members'], 'too_many', `choose at most ${ROTATION_MAX_MEMBERS} municipalities to take turns`);
  }
  const rows = generateChairRotation(members.map(ref), input.startYear, input.years);
  let inserted: InsertedTable | null = null;
  if (input.insert) {
    const lang = agreementLanguage(municipalities, input.language);
    const { caption, cells } = rotationTable(rows, input.startYear, input.years, lang);
    inserted = await insertIntoAgreement(deps, actor, access, ROTATION_SECTION, 'chair_rotation', [paragraph(caption), table(cells)], {
      language: lang,
      startYear: input.startYear,
      years: input.years,
      members: members.map((m) => m.code),
      /** The order was asked for; otherwise it is the default, which follows the seats. */
      ordered: input.members !== undefined,
    });
  }
  return { startYear: input.startYear, years: input.years, members: members.map(ref), rows, inserted };
}

// --- cost shares -------------------------------------------------------------------------------------------------

const figureMap = z.record(z.string().regex(/^\d{3}$/), z.union([z.number(), z.string().max(32)]));

export const costSharesInput = z
  .object({
    year: yearInput,
    /** Euros, at most two decimals: 1234567.89 or "1 234 567,89". */
    netCosts: z.union([z.number(), z.string().max(32)]),
    key: z.enum(COST_SHARE_KEYS),
    /** With key job_seekers: each municipality's job seekers (whole people). */
    jobSeekers: figureMap.optional(),
    /** With key custom: each municipality's weight (at most four decimals). */
    weights: figureMap.optional(),
    insert: z.boolean().optional(),
    language: languageInput,
  })
  .strict();

export interface CostShareTable {
  year: number;
  netCostsCents: number;
  key: CostShareKey;
  rows: Array<MunicipalityRef & { value: number; cents: number; percentHundredths: number }>;
  totalValue: number;
  totalCents: number;
  inserted: InsertedTable | null;
}

/** The host first, then by Finnish name: the rows' order. */
const costShareOrder = (municipalities: readonly Municipality[]) => [...municipalities].sort((a, b) => Number(b.isHost) - Number(a.isHost) || a.name.fi.localeCompare(b.name.fi, 'fi'));

function figuresFor(input: z.infer<typeof costSharesInput>, municipalities: readonly Municipality[]): Array<{ code: string; value: number }> {
  if (input.key === 'labour_force') {
    if (input.jobSeekers || input.weights) throw invalid([input.jobSeekers ? 'jobSeekers' : 'weights'], 'unexpected', 'the labour-force key uses the figures in the settings');
    const missing = municipalities.filter((m) => m.labourForce === null).map((m) => m.code);
    if (missing.length > 0) throw invalid(['key'], 'labour_force_missing', `no labour-force figure for ${missing.join(', ')}`);
    return municipalities.map((m) => ({ code: m.code, value: m.labourForce! }));
  }
  const field = input.key === 'job_seekers' ? 'jobSeekers' : 'weights';
  const other = input.key === 'job_seekers' ? input.weights : input.jobSeekers;
  if (other) throw invalid([field === 'jobSeekers' ? 'weights' : 'jobSeekers'], 'unexpected', `the ${input.key} key reads ${field}`);
  const given = input[field];
  if (!given) throw invalid([field], 'required', `the ${input.key} key needs ${field} for every municipality`);
  const known = new Set(municipalities.map((m) => m.code));
  for (const c of Object.keys(given)) if (!known.has(c)) throw invalid([field, c], 'unknown_municipality', `no municipality ${c} in this area`);
  return municipalities.map((m) => {
    const raw = given[m.code];
    if (raw === undefined) throw invalid([field, m.code], 'required', `no figure for ${m.code}`);
    const read = readTypedNumber(raw, field === 'jobSeekers' ? 0 : FIGURE_DECIMALS);
    if (!read.ok) throw invalid([field, m.code], read.problem, field === 'jobSeekers' ? 'a whole number of people, without a decimal point or comma' : `a non-negative number with at most ${FIGURE_DECIMALS} decimals`);
    return { code: m.code, value: read.value };
  });
}

const KEY_WORDS: Record<CostShareKey, Record<TableLanguage, { column: string; phrase: string }>> = {
  labour_force: { fi: { column: 'Työvoima', phrase: 'sopijakuntien työvoiman suhteessa' }, sv: { column: 'Arbetskraft', phrase: 'i förhållande till avtalskommunernas arbetskraft' } },
  job_seekers: { fi: { column: 'Työnhakija-asiakkaat', phrase: 'sopijakuntien työnhakija-asiakkaiden määrän suhteessa' }, sv: { column: 'Arbetssökande kunder', phrase: 'i förhållande till antalet arbetssökande kunder i avtalskommunerna' } },
  custom: { fi: { column: 'Painokerroin', phrase: 'sovittujen painokertoimien suhteessa' }, sv: { column: 'Vikt', phrase: 'i förhållande till de avtalade vikterna' } },
};

/** The cost shares' caption and cells (the header first, the totals last) as they go into the agreement. */
function costShareTable(year: number, key: CostShareKey, shares: ReturnType<typeof computeCostShares>, rows: ReadonlyArray<MunicipalityRef & { value: number; cents: number; percentHundredths: number }>, lang: TableLanguage): { caption: string; cells: string[][] } {
  const words = KEY_WORDS[key][lang];
  const euros = formatEuros(shares.netCostsCents, lang).replace('\u00a0€', lang === 'sv' ? ' euro' : ' euroa');
  const caption = lang === 'sv' ? `Kostnadsandelar år ${year}: nettokostnaderna ${euros} fördelas ${words.phrase}.` : `Kustannusosuudet vuonna ${year}: nettokustannukset ${euros} jaetaan ${words.phrase}.`;
  const figure = (v: number) => (key === 'custom' ? formatDecimal(v, lang, FIGURE_DECIMALS) : formatInteger(v, lang));
  const header = lang === 'sv' ? ['Kommun', words.column, 'Andel', 'Euro'] : ['Kunta', words.column, 'Osuus', 'Euroa'];
  const body = rows.map((r) => [nameIn(r, lang), figure(r.value), formatPercent(r.percentHundredths, lang), formatEuros(r.cents, lang).replace('\u00a0€', '')]);
  body.push([lang === 'sv' ? 'Totalt' : 'Yhteensä', figure(shares.totalValue), formatPercent(shares.totalPercentHundredths, lang), formatEuros(shares.totalCents, lang).replace('\u00a0€', '')]);
  return { caption, cells: [header, ...body] };
}

/**
 * The members' shares of a year's net costs by a key (cost-shares.rules.ts), stored as the year's calculation (the last
 * one of a year replaces the earlier), and with `insert` the table in the agreement's finance section. Host admin.
 */
export async function calculateCostShares(deps: CoreDeps, actor: Actor, slug: string, raw: unknown): Promise<CostShareTable> {
  const access = await requireAreaAccess(deps.db, actor.userId, slug, 'area.settings');
  const input = parseInput(costSharesInput, raw);
  const cents = toUnits(input.netCosts, 2);
  if (cents === null || cents > BigInt(NET_COSTS_MAX_CENTS)) throw invalid(['netCosts'], 'invalid_amount', 'euros with at most two decimals, at most 100 billion');
  const municipalities = costShareOrder(await listMunicipalities(deps.db, access.area));
  const figures = figuresFor(input, municipalities);
  if (figures.every((f) => f.value === 0)) throw invalid([input.key === 'labour_force' ? 'key' : input.key === 'job_seekers' ? 'jobSeekers' : 'weights'], 'all_zero', 'the figures sum to zero');
  const shares = computeCostShares(Number(cents), figures);
  const byCode = new Map(municipalities.map((m) => [m.code, m]));
  const rows = shares.rows.map((r) => ({ ...ref(byCode.get(r.code)!), value: r.value, cents: r.cents, percentHundredths: r.percentHundredths }));
  let inserted: InsertedTable | null = null;
  if (input.insert) {
    const lang = agreementLanguage(municipalities, input.language);
    const { caption, cells } = costShareTable(input.year, input.key, shares, rows, lang);
    inserted = await insertIntoAgreement(deps, actor, access, COST_SHARE_SECTION, 'cost_shares', [paragraph(caption), table(cells)], { language: lang, year: input.year, key: input.key });
  }
  // Stored after the insert, so that a refused insert leaves nothing behind.
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('cost_share_calculations').where('area_id', '=', access.area.id).where('year', '=', input.year).execute();
    await trx
      .insertInto('cost_share_calculations')
      .values({ id: newId(), area_id: access.area.id, year: input.year, net_costs_cents: shares.netCostsCents, key: input.key, figures: JSON.stringify(figures), created_by: actor.userId, created_at: now })
      .execute();
    await deps.audit.append(
      trx,
      { areaId: access.area.id, actorUserId: actor.userId, action: 'cost_shares.calculated', subjectType: 'area', subjectId: access.area.id, details: { year: input.year, netCostsCents: shares.netCostsCents, key: input.key, figures: Object.fromEntries(figures.map((f) => [f.code, f.value])), inserted: inserted !== null } },
      now,
    );
  });
  return { year: input.year, netCostsCents: shares.netCostsCents, key: input.key, rows, totalValue: shares.totalValue, totalCents: shares.totalCents, inserted };
}

// --- the tables read back (the checks) ------------------------------------------------------------------------------

export interface GeneratedTableVerdict {
  kind: string;
  section: string;
  title: { fi: string; sv: string; en: string };
  /** The first row (1 = the header) that is not what the settings give; 'unavailable' when they give no such table; null: the same. */
  differs: number | 'unavailable' | null;
}

const sameCell = (text: string) => text.replace(/\s+/g, ' ').trim();

function firstDifference(inDocument: readonly string[][], expected: readonly string[][]): number | null {
  for (let i = 0; i < Math.max(inDocument.length, expected.length); i++) {
    const a = inDocument[i] ?? [];
    const b = expected[i] ?? [];
    if (a.length !== b.length || a.some((text, j) => sameCell(text) !== sameCell(b[j]!))) return i + 1;
  }
  return null;
}

const isLanguage = (value: unknown): value is TableLanguage => value === 'fi' || value === 'sv';

/**
 * Each table Sopu inserted into the agreement that is still there (doc-model `readGeneratedTables`: read from the
 * document's text as it is now, so a hand edit shows), compared with the table the area's settings give now: the
 * rotation from the same years and order (the default order follows the seats), the cost shares from the year's
 * stored calculation (by the labour-force key, with the labour-force figures of the settings now). A table the
 * drafters deleted is not compared: it is no longer Sopu's.
 */
export async function compareGeneratedTables(deps: CoreDeps, area: { id: string }, doc: Y.Doc, municipalities: readonly Municipality[]): Promise<GeneratedTableVerdict[]> {
  const verdicts: GeneratedTableVerdict[] = [];
  for (const found of readGeneratedTables(doc)) {
    const source = found.source;
    const lang: TableLanguage = isLanguage(source.language) ? source.language : 'fi';
    if (found.kind === 'chair_rotation' && typeof source.startYear === 'number' && typeof source.years === 'number') {
      const title = rotationTitle(source.startYear, source.years);
      const byCode = new Map(municipalities.map((m) => [m.code, m]));
      const codes = Array.isArray(source.members) ? (source.members as unknown[]) : [];
      const members = source.ordered === true ? codes.map((c) => (typeof c === 'string' ? byCode.get(c) : undefined)) : defaultMembers(municipalities);
      if (members.some((m) => m === undefined) || members.length < ROTATION_MIN_MEMBERS || members.length > ROTATION_MAX_MEMBERS) {
        verdicts.push({ kind: found.kind, section: found.section, title, differs: 'unavailable' });
        continue;
      }
      const { cells } = rotationTable(generateChairRotation((members as Municipality[]).map(ref), source.startYear, source.years), source.startYear, source.years, lang);
      verdicts.push({ kind: found.kind, section: found.section, title, differs: firstDifference(found.rows, cells) });
    } else if (found.kind === 'cost_shares' && typeof source.year === 'number') {
      const year = source.year;
      const title = { fi: `Kustannusosuudet ${year}`, sv: `Kostnadsandelar ${year}`, en: `Cost shares ${year}` };
      const calculation = await deps.db.selectFrom('cost_share_calculations').select(['net_costs_cents', 'key', 'figures']).where('area_id', '=', area.id).where('year', '=', year).orderBy('created_at', 'desc').executeTakeFirst();
      const ordered = costShareOrder(municipalities);
      const key = calculation?.key as CostShareKey | undefined;
      let figures: Array<{ code: string; value: number }> | null = null;
      if (calculation && key === 'labour_force') figures = ordered.every((m) => m.labourForce !== null) ? ordered.map((m) => ({ code: m.code, value: m.labourForce! })) : null;
      else if (calculation && key) {
        const stored = new Map((JSON.parse(calculation.figures) as Array<{ code: string; value: number }>).map((f) => [f.code, f.value]));
        figures = ordered.every((m) => stored.has(m.code)) ? ordered.map((m) => ({ code: m.code, value: stored.get(m.code)! })) : null;
      }
      if (!calculation || !key || !figures || figures.every((f) => f.value === 0)) {
        verdicts.push({ kind: found.kind, section: found.section, title, differs: 'unavailable' });
        continue;
      }
      const shares = computeCostShares(calculation.net_costs_cents, figures);
      const byCode = new Map(ordered.map((m) => [m.code, m]));
      const rows = shares.rows.map((r) => ({ ...ref(byCode.get(r.code)!), value: r.value, cents: r.cents, percentHundredths: r.percentHundredths }));
      const { cells } = costShareTable(year, key, shares, rows, lang);
      verdicts.push({ kind: found.kind, section: found.section, title, differs: firstDifference(found.rows, cells) });
    }
  }
  return verdicts;
}
