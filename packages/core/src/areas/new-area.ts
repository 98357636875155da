import { documentTitle } from '@sopu/doc-model';
import type { Database, Transaction } from '@sopu/db';
import { z } from 'zod';
import type { KeyFact } from '../shared/tenancy.repository.ts';
import type { AuditLog } from '../shared/audit.ts';
import { EXCEPTION_GROUNDS } from './threshold.rules.ts';
import { insertDocument } from '../documents/index.ts';
import { newId } from '../shared/ids.ts';
import { nameText, optionalNameText } from '../shared/text.ts';

/**
 * Creating an employment area: the area, its municipalities and host, and the documents every area starts with
 * (the cooperation agreement and the host's administrative rules, empty from the template). One function for the
 * operator's command (operator.ts) and the demo loader (demo/demo.ts), so a new area is exactly what a demo area is
 * before its demo people and text.
 */

/** fi, sv: monolingual; fi-sv, sv-fi: bilingual, the majority language first (as Statistics Finland lists them). */
export const MUNICIPALITY_LANGUAGES = ['fi', 'sv', 'fi-sv', 'sv-fi'] as const;
export type MunicipalityLanguage = (typeof MUNICIPALITY_LANGUAGES)[number];
export const isBilingual = (language: string) => language === 'fi-sv' || language === 'sv-fi';

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MUNICIPALITY_CODE = /^\d{3}$/;
export const AREA_MIN_MUNICIPALITIES = 2;
export const AREA_MAX_MUNICIPALITIES = 60;

export interface NewMunicipality {
  code: string;
  name: { fi: string; sv: string };
  language: string;
  labourForce?: number | null;
  labourForceIsDemo?: boolean;
  labourForceSource?: string | null;
  labourForceYear?: number | null;
  seats?: number | null;
  votesPerSeat?: number | null;
}

export interface NewArea {
  slug: string;
  name: { fi: string; sv: string; en: string };
  cooperationModel: string;
  legalBasis?: string | null;
  hostCode: string;
  municipalities: NewMunicipality[];
  exceptionGrounds?: string[];
  facts?: string[];
  keyFacts?: KeyFact[];
  chairCode?: string | null;
}

const name = nameText(120);
const optionalName = optionalNameText(120).optional().default('');

/**
 * The operator's input for a new area. A municipality is named in its own language(s): both names for a bilingual
 * municipality; for a monolingual one the other name defaults to its own (Kuhmo is Kuhmo in Swedish too).
 */
export const newAreaInput = z
  .object({
    slug: z.string().trim().min(2).max(60).regex(SLUG, 'lower-case letters, digits and single hyphens, e.g. kainuu-koillismaa'),
    name: z.object({ fi: name, sv: name, en: optionalNameText(120).optional() }).strict(),
    hostCode: z.string().trim().regex(MUNICIPALITY_CODE, 'a three-digit municipality code'),
    municipalities: z
      .array(
        z
          .object({
            code: z.string().trim().regex(MUNICIPALITY_CODE, 'a three-digit municipality code'),
            name: z.object({ fi: optionalName, sv: optionalName }).strict(),
            language: z.enum(MUNICIPALITY_LANGUAGES),
          })
          .strict()
          .superRefine((m, ctx) => {
            const needs = m.language === 'fi' ? ['fi'] : m.language === 'sv' ? ['sv'] : ['fi', 'sv'];
            for (const lang of needs as Array<'fi' | 'sv'>) {
              if (!m.name[lang]) ctx.addIssue({ code: 'custom', path: ['name', lang], message: isBilingual(m.language) ? `a bilingual municipality needs its name in both languages (${lang} missing)` : `the name in ${lang}` });
            }
          }),
      )
      .min(AREA_MIN_MUNICIPALITIES, `an employment area has at least ${AREA_MIN_MUNICIPALITIES} municipalities`)
      .max(AREA_MAX_MUNICIPALITIES),
    exceptionGrounds: z.array(z.enum(EXCEPTION_GROUNDS)).optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const codes = a.municipalities.map((m) => m.code);
    codes.forEach((c, i) => {
      if (codes.indexOf(c) !== i) ctx.addIssue({ code: 'custom', path: ['municipalities', i, 'code'], message: `municipality ${c} is listed twice` });
    });
    if (!codes.includes(a.hostCode)) ctx.addIssue({ code: 'custom', path: ['hostCode'], message: `the host ${a.hostCode} is not one of the municipalities` });
  });
export type NewAreaInput = z.input<typeof newAreaInput>;

/** The parsed operator input as a NewArea: missing names filled from the municipality's own language. */
export function toNewArea(input: z.output<typeof newAreaInput>): NewArea {
  return {
    slug: input.slug,
    name: { fi: input.name.fi, sv: input.name.sv, en: input.name.en || input.name.fi },
    cooperationModel: 'joint_body',
    legalBasis: null,
    hostCode: input.hostCode,
    exceptionGrounds: input.exceptionGrounds ?? [],
    municipalities: input.municipalities.map((m) => ({ code: m.code, language: m.language, name: { fi: m.name.fi || m.name.sv, sv: m.name.sv || m.name.fi } })),
  };
}

export interface CreatedArea {
  areaId: string;
  municipalityIds: Map<string, string>;
  documentIds: { cooperation_agreement: string; administrative_rules: string };
}

/** Inserts a new area in the caller's transaction and audits it (`area.created`, `document.created`). */
export async function insertArea(trx: Transaction<Database>, audit: AuditLog, area: NewArea, now: number, context: { source: 'demo' | 'operator'; actorUserId?: string | null }): Promise<CreatedArea> {
  const areaId = newId();
  const municipalityIds = new Map(area.municipalities.map((m) => [m.code, newId()]));
  if (!municipalityIds.has(area.hostCode)) throw new Error(`the host ${area.hostCode} is not one of the municipalities`);
  await trx
    .insertInto('areas')
    .values({
      id: areaId,
      slug: area.slug,
      name_fi: area.name.fi,
      name_sv: area.name.sv,
      name_en: area.name.en,
      cooperation_model: area.cooperationModel,
      legal_basis: area.legalBasis ?? null,
      host_municipality_id: null,
      exception_grounds: JSON.stringify(area.exceptionGrounds ?? []),
      facts: JSON.stringify(area.facts ?? []),
      key_facts: JSON.stringify(area.keyFacts ?? []),
      created_at: now,
    })
    .execute();
  for (const m of area.municipalities) {
    await trx
      .insertInto('municipalities')
      .values({
        id: municipalityIds.get(m.code)!,
        area_id: areaId,
        code: m.code,
        name_fi: m.name.fi,
        name_sv: m.name.sv,
        language: m.language,
        labour_force: m.labourForce ?? null,
        labour_force_is_demo: m.labourForceIsDemo ? 1 : 0,
        labour_force_source: m.labourForceSource ?? null,
        labour_force_year: m.labourForceYear ?? null,
        seats: m.seats ?? null,
        votes_per_seat: m.votesPerSeat ?? null,
        created_at: now,
      })
      .execute();
  }
  await trx
    .updateTable('areas')
    .set({ host_municipality_id: municipalityIds.get(area.hostCode)!, chair_municipality_id: area.chairCode ? (municipalityIds.get(area.chairCode) ?? null) : null })
    .where('id', '=', areaId)
    .execute();
  const actorUserId = context.actorUserId ?? null;
  const documentIds = {} as CreatedArea['documentIds'];
  for (const kind of ['cooperation_agreement', 'administrative_rules'] as const) {
    const documentId = await insertDocument(trx, { areaId, kind, title: documentTitle(kind).fi, createdBy: null, now });
    documentIds[kind] = documentId;
    await audit.append(trx, { areaId, actorUserId, action: 'document.created', subjectType: 'document', subjectId: documentId, details: { kind, source: context.source } }, now);
  }
  await audit.append(
    trx,
    { areaId, actorUserId, action: 'area.created', subjectType: 'area', subjectId: areaId, details: { source: context.source, slug: area.slug, municipalities: area.municipalities.length, hostCode: area.hostCode } },
    now,
  );
  return { areaId, municipalityIds, documentIds };
}
