/**
 * Minimum group size (k) and complementary suppression.
 *
 * Two disclosure routes are closed here:
 *
 * 1. **Small groups.** A figure computed from fewer than k people (but at
 *    least one) is never published: it is replaced by a `Suppressed` marker
 *    that carries no number, not even the exact count of answers.
 * 2. **Differencing.** When a published total is the sum of published parts
 *    (the whole campaign = its teams; all teams this week = each team this
 *    week), hiding one small part is not enough: total − the other parts =
 *    the hidden part. So for every such additive relation whose total is
 *    published, the hidden parts must together hold at least k people; if
 *    they do not, the smallest published parts are hidden as well, until
 *    they do (or nothing is left to hide). This is the classic
 *    complementary suppression of statistical offices, in its simplest
 *    sound form: it is applied again until no relation changes (hiding a
 *    cell in one relation may open a gap in another).
 *
 * Groups with zero answers are not "small": they reveal nothing about an
 * answer and are shown as empty. Cells that exist but are never reported
 * (e.g. answers with no team, which count in the overall total but have no
 * team line) are passed as `hidden` so they count among the hidden parts.
 */

/** Default minimum group size for anonymous surveys (the default). */
export const DEFAULT_MIN_GROUP_SIZE = 5;

/** Marker that replaces any figure computed from fewer than k people. */
export interface Suppressed {
  suppressed: true;
  /** The k in force: readers are told "fewer than k answers", never the count. */
  minGroupSize: number;
}

export function suppressed(minGroupSize: number): Suppressed {
  return { suppressed: true, minGroupSize };
}

export function isSuppressed(value: unknown): value is Suppressed {
  return typeof value === 'object' && value !== null && (value as { suppressed?: unknown }).suppressed === true;
}

/** `total` is published as the sum of `parts` (all cell ids of one table). */
export interface AdditiveRelation {
  total: string;
  parts: string[];
}

/** Rejects a k that would make suppression meaningless. */
export function checkMinGroupSize(minGroupSize: number): number {
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1) {
    throw new RangeError(`minGroupSize must be an integer ≥ 1 (got ${minGroupSize})`);
  }
  return minGroupSize;
}

/**
 * Ids of the cells that must not be published.
 *
 * @param counts number of people behind each cell, by cell id
 * @param relations additive relations between published cells
 * @param minGroupSize k
 * @param hidden cells that exist but are never published (count as hidden parts)
 */
export function suppressCells(
  counts: ReadonlyMap<string, number>,
  relations: readonly AdditiveRelation[],
  minGroupSize: number,
  hidden: Iterable<string> = [],
): Set<string> {
  const k = checkMinGroupSize(minGroupSize);
  const out = new Set<string>(hidden);
  const n = (id: string): number => counts.get(id) ?? 0;
  for (const [id, count] of counts) if (count > 0 && count < k) out.add(id);

  let changed = true;
  while (changed) {
    changed = false;
    for (const relation of relations) {
      if (out.has(relation.total)) continue; // nothing to subtract from
      const hiddenSum = relation.parts.filter((p) => out.has(p)).reduce((sum, p) => sum + n(p), 0);
      if (hiddenSum === 0 || hiddenSum >= k) continue;
      // Hide the smallest published non-empty part (ties: id order, for determinism).
      const candidate = relation.parts
        .filter((p) => !out.has(p) && n(p) > 0)
        .sort((a, b) => n(a) - n(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
      if (candidate === undefined) {
        // Every non-empty part is hidden yet they hold fewer than k people: then so does the total.
        out.add(relation.total);
      } else {
        out.add(candidate);
      }
      changed = true;
    }
  }
  return out;
}
