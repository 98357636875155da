import { addDays, helsinkiDate } from '../shared/helsinki.ts';

// The demo's dates, counted from the day it is loaded (used by the areas' milestones and the approvals' entry into force).

export interface DemoMilestone { kind: string; label: { fi: string; sv: string }; municipalityCode?: string; days?: number; nextNewYear?: boolean }

/**
 * A demo milestone's date: `days` after the load (a council meets in two weeks, whenever the demo is loaded), or the
 * next 1 January at least three weeks ahead (the agreement's entry into force: 1.1.2027 when loaded in 2026).
 */
export function demoMilestoneDate(milestone: Pick<DemoMilestone, 'days' | 'nextNewYear'>, now: number): string {
  const today = helsinkiDate(now);
  if (milestone.nextNewYear) {
    const soonest = addDays(today, 21);
    return `${Number(soonest.slice(0, 4)) + (soonest.endsWith('-01-01') ? 0 : 1)}-01-01`;
  }
  return addDays(today, milestone.days ?? 0);
}
