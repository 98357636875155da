import { apportion, toUnits } from './apportion.rules.ts';

/**
 * The member municipalities' shares of a year's net costs (the finance section of the agreement), by a key: their
 * labour force, their job seekers, or weights the agreement sets. Pure and exact:
 * - euros: the net costs in cents divided by largest remainder (apportion.rules.ts), so the shares sum to the cent;
 * - per cents: the key's own proportions in hundredths of a per cent, by largest remainder too, so the column sums to
 *   exactly 100.00 %. Each is rounded on its own: a share's euros divided by the total may differ from its per cent in
 *   the third decimal, never more.
 */

export const COST_SHARE_KEYS = ['labour_force', 'job_seekers', 'custom'] as const;
export type CostShareKey = (typeof COST_SHARE_KEYS)[number];

/** Key figures (custom weights) may have up to four decimals; labour force and job seekers are whole people. */
export const FIGURE_DECIMALS = 4;
/** Cents of net costs: up to a hundred billion euros keeps every sum a safe integer. */
export const NET_COSTS_MAX_CENTS = 10_000_000_000_000;

export interface CostShareInput {
  code: string;
  /** The member's figure in the key: labour force, job seekers, or its weight. */
  value: number;
}

export interface CostShareRow {
  code: string;
  value: number;
  cents: number;
  /** Hundredths of a per cent. */
  percentHundredths: number;
}

export interface CostShares {
  netCostsCents: number;
  rows: CostShareRow[];
  totalValue: number;
  totalCents: number;
  totalPercentHundredths: number;
}

export function computeCostShares(netCostsCents: number, figures: readonly CostShareInput[]): CostShares {
  if (!Number.isSafeInteger(netCostsCents) || netCostsCents < 0 || netCostsCents > NET_COSTS_MAX_CENTS) throw new RangeError('net costs must be whole cents, 0 to 100 billion euros');
  if (figures.length === 0) throw new RangeError('no municipalities to share the costs');
  const weights = figures.map((f) => {
    const units = toUnits(f.value, FIGURE_DECIMALS);
    if (units === null) throw new RangeError(`${f.code}: a figure must be a non-negative number with at most ${FIGURE_DECIMALS} decimals`);
    return units;
  });
  if (weights.every((w) => w === 0n)) throw new RangeError('the figures sum to zero');
  const cents = apportion(BigInt(netCostsCents), weights);
  const percents = apportion(10_000n, weights);
  const rows = figures.map((f, i) => ({ code: f.code, value: f.value, cents: Number(cents[i]), percentHundredths: Number(percents[i]) }));
  return {
    netCostsCents,
    rows,
    totalValue: Number(weights.reduce((a, w) => a + w, 0n)) / 10 ** FIGURE_DECIMALS,
    totalCents: rows.reduce((a, r) => a + r.cents, 0),
    totalPercentHundredths: rows.reduce((a, r) => a + r.percentHundredths, 0),
  };
}
