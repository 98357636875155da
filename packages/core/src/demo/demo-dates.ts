import { addDays, helsinkiDate } from '../shared/helsinki.ts';

// The demo's dates, counted from the day it is loaded (used by the areas' milestones and the approvals' entry into force).

export interface DemoMilestone { kind: string; label: { fi: string; sv: string }; municipalityCode?: string; days?: number; nextNewYear?: boolean }

/**
 * Days from the load that the entry into force is at least: after every council meeting of the demo (the last,
 * Taivalkoski's, in 27 days), so that no council of the demo meets after the agreement has entered into force,
 * whatever day the demo is loaded (issue 21: loaded in December, it did, and the timetable rightly warned).
 */
export const DEMO_IN_FORCE_LEAD_DAYS = 30;

/**
 * A demo milestone's date: `days` after the load (a council meets in two weeks, whenever the demo is loaded), or the
 * next 1 January at least DEMO_IN_FORCE_LEAD_DAYS ahead (the agreement's entry into force: 1.1.2027 when loaded
 * before 3 December 2026, 1.1.2028 after).
 */
export function demoMilestoneDate(milestone: Pick<DemoMilestone, 'days' | 'nextNewYear'>, now: number): string {
  const today = helsinkiDate(now);
  if (milestone.nextNewYear) {
    const soonest = addDays(today, DEMO_IN_FORCE_LEAD_DAYS);
    return `${Number(soonest.slice(0, 4)) + (soonest.endsWith('-01-01') ? 0 : 1)}-01-01`;
  }
  return addDays(today, milestone.days ?? 0);
}
