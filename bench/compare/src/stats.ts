/** Median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

/** The p-th percentile (0–100) by linear interpolation between closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo)
}

/** `1.23×`, or `n/a` when either side is missing. */
export function ratio(value: number, base: number): string {
  return Number.isFinite(value) && Number.isFinite(base) && base > 0
    ? `${(value / base).toFixed(2)}×`
    : 'n/a'
}

export const ms = (value: number): string => `${value.toFixed(1)} ms`
export const us = (value: number): string => `${Math.round(value)} µs`

/**
 * Median of a per-round comparison: `compare(values[i], base[i])` for each round `i` of an
 * interleaved run. Rounds run their variants back to back, so a slow spell on a busy machine moves
 * both sides of a pair; this is steadier than comparing the two medians.
 */
export function pairedMedian(
  values: readonly number[],
  base: readonly number[],
  compare: (value: number, base: number) => number,
): number {
  return median(paired(values, base, compare))
}

/**
 * The middle half of `values` (25th to 75th percentile) as `"<p25> to <p75>"`: how far a single
 * round's figure can be trusted.
 */
export function middleHalf(values: readonly number[], format: (value: number) => string): string {
  return `${format(percentile(values, 25))} to ${format(percentile(values, 75))}`
}

/** `compare(values[i], base[i])` for every round both sides have. */
export function paired(
  values: readonly number[],
  base: readonly number[],
  compare: (value: number, base: number) => number,
): number[] {
  const n = Math.min(values.length, base.length)
  return Array.from({ length: n }, (_, i) => compare(values[i]!, base[i]!))
}
