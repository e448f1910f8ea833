// Train/test splits: a stratified random split for public data sets, and the time split the product trains with
// (train on older as-of months, validate on the newest ones: the model is judged on a period it has not seen).
import { seededRandom, shuffled } from "./random";
import type { Snapshot } from "./types";

/**
 * Random split keeping the event rate equal in both parts (stratified by label), deterministic for a seed.
 * Returns the indexes of the training and the test rows, each in ascending order.
 */
export function stratifiedSplit(labels: readonly (0 | 1)[], testShare: number, seed: number): { train: number[]; test: number[] } {
  if (!(testShare > 0 && testShare < 1)) throw new RangeError(`testShare must be in (0, 1), got ${testShare}`);
  const random = seededRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1] as const) {
    const idx = labels.flatMap((l, i) => (l === cls ? [i] : []));
    const order = shuffled(idx, random);
    const nTest = Math.round(order.length * testShare);
    test.push(...order.slice(0, nTest));
    train.push(...order.slice(nTest));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** The month (YYYY-MM) of an ISO as-of date. */
const monthOf = (asOf: string) => asOf.slice(0, 7);

/**
 * Time split of feature snapshots: the newest `validateMonths` distinct as-of months validate, every older month
 * trains. Throws when there are not at least validateMonths + 1 months, since then nothing would be left to train.
 */
export function timeSplit<S extends Pick<Snapshot, "asOf">>(snapshots: readonly S[], validateMonths = 1): { train: S[]; validate: S[]; trainMonths: string[]; validateMonths: string[] } {
  if (!Number.isInteger(validateMonths) || validateMonths < 1) throw new RangeError(`validateMonths must be a positive integer, got ${validateMonths}`);
  for (const s of snapshots) if (!/^\d{4}-\d{2}-\d{2}/.test(s.asOf)) throw new RangeError(`asOf must be an ISO date, got "${s.asOf}"`);
  const months = [...new Set(snapshots.map((s) => monthOf(s.asOf)))].sort();
  if (months.length <= validateMonths) throw new RangeError(`a time split needs more than ${validateMonths} as-of month(s), got ${months.length}`);
  const validateSet = new Set(months.slice(-validateMonths));
  return {
    train: snapshots.filter((s) => !validateSet.has(monthOf(s.asOf))),
    validate: snapshots.filter((s) => validateSet.has(monthOf(s.asOf))),
    trainMonths: months.slice(0, -validateMonths),
    validateMonths: months.slice(-validateMonths),
  };
}
