import { hashPassword } from '@sopu/auth';
import type { Db } from '@sopu/db';
import demoData from '@sopu/migrations/seeds/demo-areas.json' with { type: 'json' };
import type { AuditLog } from '../shared/audit.ts';
import { insertArea } from '../areas/index.ts';
import type { KeyFact } from '../shared/tenancy.repository.ts';
import { loadDemoContent } from './demo-content.ts';
import { demoMilestoneDate, type DemoMilestone } from './demo-dates.ts';
import { newId } from '../shared/ids.ts';
import type { Role } from '../shared/roles.ts';
import { languageOfMunicipality } from '../shared/language.ts';

/** Demo data only: printed by `npm start` and used by the tests. */
export const DEMO_PASSWORD = 'sopu-demo-password';

interface DemoMunicipality { code: string; name: { fi: string; sv: string }; language: string; labourForce: number; seats?: number; votesPerSeat?: number }
interface DemoArea {
  slug: string;
  name: { fi: string; sv: string; en: string };
  cooperationModel: string;
  legalBasis?: string;
  hostMunicipalityCode: string;
  labourForceSource?: { source: string; year: number };
  chairMunicipalityCode?: string;
  exceptionGrounds?: string[];
  /** The Government's exception permit the area has operated under (Saaristo: since 2025). */
  exceptionPermit?: { reference: string; date: string };
  facts?: string[];
  keyFacts?: KeyFact[];
  milestones?: DemoMilestone[];
  municipalities: DemoMunicipality[];
}


const slugOf = (name: string) => name.toLowerCase().replaceAll('ä', 'a').replaceAll('ö', 'o').replaceAll('å', 'a');

const ROLE_LABEL: Record<'fi' | 'sv', Record<Role, string>> = {
  fi: { host_admin: 'Pääkäyttäjä', drafter: 'Valmistelija', member_rep: 'Edustaja', council_secretary: 'Sihteeri', viewer: 'Lukija' },
  sv: { host_admin: 'Huvudanvändare', drafter: 'Beredare', member_rep: 'Representant', council_secretary: 'Sekreterare', viewer: 'Läsare' },
};

/** A demo person's name, in the municipality's own first language ("Beredare Holmby", "Valmistelija Sotkamo"). */
function demoName(role: Role, municipality: DemoMunicipality): string {
  const lang = municipality.language.startsWith('sv') ? 'sv' : 'fi';
  return `${ROLE_LABEL[lang][role]} ${municipality.name[lang]}`;
}

/** Besides the named people, every municipality has a member rep and a council secretary. */
function everyMunicipality(area: DemoArea): Array<[string, Role, string]> {
  return area.municipalities.flatMap((m): Array<[string, Role, string]> => [
    [`rep.${slugOf(m.name.fi)}`, 'member_rep', m.code],
    [`secretary.${slugOf(m.name.fi)}`, 'council_secretary', m.code],
  ]);
}

/** Named demo people per area (besides one council secretary per municipality): [e-mail prefix, role, municipality code]. */
const DEMO_PEOPLE: Record<string, Array<[string, Role, string]>> = {
  'kainuu-koillismaa': [
    ['admin.kajaani', 'host_admin', '205'],
    ['drafter.kajaani', 'drafter', '205'],
    ['drafter.sotkamo', 'drafter', '765'],
    ['drafter.kuusamo', 'drafter', '305'],
    ['viewer.kuhmo', 'viewer', '290'],
  ],
  'saaristo-skargard': [
    ['admin.rantala', 'host_admin', '901'],
    ['drafter.holmpy', 'drafter', '902'],
  ],
};

export interface DemoLogin { email: string; role: Role; area: string; municipality: string }

export function demoLogins(): DemoLogin[] {
  const logins: DemoLogin[] = [];
  for (const area of demoData.areas as DemoArea[]) {
    const byCode = new Map(area.municipalities.map((m) => [m.code, m]));
    for (const [prefix, role, code] of [...(DEMO_PEOPLE[area.slug] ?? []), ...everyMunicipality(area)]) {
      logins.push({ email: `${prefix}@sopu.example`, role, area: area.slug, municipality: byCode.get(code)!.name.fi });
    }
  }
  return logins;
}

/**
 * Loads the demo areas when the database has no areas yet; returns whether it loaded anything. With `content`, the
 * demo agreements also get drafted text and threads (what `npm start` shows a newcomer); tests mostly start empty.
 */
export async function loadDemoAreasIfEmpty({ db, audit }: { db: Db; audit: AuditLog }, now: number = Date.now(), options: { content?: boolean } = {}): Promise<boolean> {
  const any = await db.selectFrom('areas').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    for (const area of demoData.areas as DemoArea[]) {
      const { areaId, municipalityIds } = await insertArea(
        trx,
        audit,
        {
          slug: area.slug,
          name: area.name,
          cooperationModel: area.cooperationModel,
          legalBasis: area.legalBasis ?? null,
          hostCode: area.hostMunicipalityCode,
          exceptionGrounds: area.exceptionGrounds ?? [],
          facts: area.facts ?? [],
          keyFacts: area.keyFacts ?? [],
          chairCode: area.chairMunicipalityCode ?? null,
          municipalities: area.municipalities.map((m) => ({
            code: m.code,
            name: m.name,
            language: m.language,
            labourForce: m.labourForce,
            labourForceIsDemo: true,
            labourForceSource: area.labourForceSource?.source ?? null,
            labourForceYear: area.labourForceSource?.year ?? null,
            seats: m.seats ?? null,
            votesPerSeat: m.votesPerSeat ?? null,
          })),
        },
        now,
        { source: 'demo' },
      );
      if (area.exceptionPermit) {
        await trx.updateTable('areas').set({ exception_permit_reference: area.exceptionPermit.reference, exception_permit_date: area.exceptionPermit.date }).where('id', '=', areaId).execute();
      }
      for (const milestone of area.milestones ?? []) {
        await trx
          .insertInto('milestones')
          .values({
            id: newId(),
            area_id: areaId,
            kind: milestone.kind,
            label_fi: milestone.label.fi,
            label_sv: milestone.label.sv,
            date: demoMilestoneDate(milestone, now),
            municipality_id: milestone.municipalityCode ? municipalityIds.get(milestone.municipalityCode)! : null,
            created_by: null,
            created_at: now,
          })
          .execute();
      }

      const byCode = new Map(area.municipalities.map((m) => [m.code, m]));
      const people: Array<[string, Role, string]> = [...(DEMO_PEOPLE[area.slug] ?? []), ...everyMunicipality(area)];
      for (const [prefix, role, code] of people) {
        const userId = newId();
        await trx
          .insertInto('users')
          // Password-only (no second factor, docs/decisions/024): the demo and scripts against it keep working; the
          // demo is loaded only on a local address, so its published password never guards real data.
          .values({ id: userId, email: `${prefix}@sopu.example`, display_name: demoName(role, byCode.get(code)!), password_hash: passwordHash, locale: languageOfMunicipality(byCode.get(code)!.language), created_at: now, password_only: 1 })
          .execute();
        await trx.insertInto('memberships').values({ id: newId(), area_id: areaId, user_id: userId, municipality_id: municipalityIds.get(code)!, role, created_at: now }).execute();
      }
    }
  });
  if (options.content) await loadDemoContent({ db, audit }, now);
  return true;
}
