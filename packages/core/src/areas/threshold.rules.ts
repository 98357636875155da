/** Implementing act 4 §: below this combined labour force an area needs a recorded exception ground. */
export const LABOUR_FORCE_THRESHOLD = 20_000;

export const EXCEPTION_GROUNDS = [
  'archipelago_or_distance',
  'language_rights',
  'sami_rights',
  'commuting_areas',
  'other_special_reason',
] as const;
export type ExceptionGround = (typeof EXCEPTION_GROUNDS)[number];

export interface ThresholdCheck {
  total: number;
  threshold: number;
  /** Some municipality has no figure yet; the total is then a lower bound. */
  incomplete: boolean;
  belowThreshold: boolean;
  exceptionGrounds: ExceptionGround[];
  /** below the threshold and no exception ground recorded */
  needsExceptionGround: boolean;
  usesDemoFigures: boolean;
}

export function checkLabourForceThreshold(
  municipalities: ReadonlyArray<{ labourForce: number | null; labourForceIsDemo: boolean }>,
  exceptionGrounds: readonly string[],
): ThresholdCheck {
  const total = municipalities.reduce((sum, m) => sum + (m.labourForce ?? 0), 0);
  const grounds = exceptionGrounds.filter((g): g is ExceptionGround => (EXCEPTION_GROUNDS as readonly string[]).includes(g));
  const belowThreshold = total < LABOUR_FORCE_THRESHOLD;
  return {
    total,
    threshold: LABOUR_FORCE_THRESHOLD,
    incomplete: municipalities.some((m) => m.labourForce === null),
    belowThreshold,
    exceptionGrounds: grounds,
    needsExceptionGround: belowThreshold && grounds.length === 0,
    usesDemoFigures: municipalities.some((m) => m.labourForceIsDemo),
  };
}
