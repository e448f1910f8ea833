// Discrimination, calibration and stability measures for a scored population. Scores are "higher = riskier":
// label 1 (the event) is expected to score higher.

function checkLengths(scores: readonly number[], labels: readonly (0 | 1)[]) {
  if (scores.length !== labels.length) throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  const events = labels.reduce<number>((s, l) => s + l, 0);
  if (events === 0 || events === labels.length) throw new RangeError("needs both events and non-events");
  return events;
}

/** Area under the ROC curve: the chance that a random event scores above a random non-event (ties count half). */
export function auc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const events = checkLengths(scores, labels);
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  // Mann–Whitney: sum of the events' ranks, with tied scores sharing their average rank.
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[order[k]!] === 1) rankSum += avgRank;
    i = j + 1;
  }
  const nonEvents = labels.length - events;
  return (rankSum - (events * (events + 1)) / 2) / (events * nonEvents);
}

/** Gini (accuracy ratio) = 2·AUC − 1. */
export const gini = (scores: readonly number[], labels: readonly (0 | 1)[]) => 2 * auc(scores, labels) - 1;

/** Kolmogorov–Smirnov: the largest gap between the events' and the non-events' cumulative score distributions. */
export function ks(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const events = checkLengths(scores, labels);
  const nonEvents = labels.length - events;
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let cumE = 0;
  let cumN = 0;
  let best = 0;
  for (let i = 0; i < order.length; i++) {
    if (labels[order[i]!] === 1) cumE++;
    else cumN++;
    // Only a cut between two different scores is a threshold anyone could use.
    const next = order[i + 1];
    if (next !== undefined && scores[next] === scores[order[i]!]) continue;
    best = Math.max(best, Math.abs(cumE / events - cumN / nonEvents));
  }
  return best;
}

export type CalibrationGroup = { group: number; count: number; meanPredicted: number; observedRate: number };

/**
 * Calibration by decile (or `groups` groups): rows ordered by predicted probability, cut into groups of equal size
 * (the first groups take the remainder rows one each), with the mean prediction and the observed event rate of each.
 */
export function calibrationByDecile(probabilities: readonly number[], labels: readonly (0 | 1)[], groups = 10): CalibrationGroup[] {
  if (probabilities.length !== labels.length) throw new RangeError(`${probabilities.length} probabilities but ${labels.length} labels`);
  const n = probabilities.length;
  const order = probabilities.map((_, i) => i).sort((a, b) => probabilities[a]! - probabilities[b]! || a - b);
  const out: CalibrationGroup[] = [];
  const base = Math.floor(n / groups);
  const extra = n % groups;
  let at = 0;
  for (let g = 0; g < groups; g++) {
    const size = base + (g < extra ? 1 : 0);
    if (size === 0) continue;
    let p = 0;
    let e = 0;
    for (let k = at; k < at + size; k++) {
      p += probabilities[order[k]!]!;
      e += labels[order[k]!]!;
    }
    out.push({ group: g + 1, count: size, meanPredicted: p / size, observedRate: e / size });
    at += size;
  }
  return out;
}

/** Share floor for an empty bin, so one empty bin gives a large but finite PSI. */
const PSI_FLOOR = 1e-4;

/** Population stability index from the row counts per bin of the expected (training) and the actual population. */
export function psiFromCounts(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length || expected.length === 0) throw new RangeError("PSI needs the same, non-empty bins in both populations");
  const te = expected.reduce((s, c) => s + c, 0);
  const ta = actual.reduce((s, c) => s + c, 0);
  if (te === 0 || ta === 0) throw new RangeError("PSI needs rows in both populations");
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]! / te, PSI_FLOOR);
    const a = Math.max(actual[i]! / ta, PSI_FLOOR);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/** Cut points at the expected population's quantiles (distinct values only); a value x falls in the first bin with x ≤ cut. */
export function quantileCuts(values: readonly number[], bins = 10): number[] {
  const sorted = values.slice().sort((a, b) => a - b);
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) {
    const c = sorted[Math.ceil((k * sorted.length) / bins) - 1];
    if (c !== undefined && c !== cuts[cuts.length - 1] && c !== sorted[sorted.length - 1]) cuts.push(c);
  }
  return cuts;
}

export function countIntoBins(values: readonly number[], cuts: readonly number[]): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  for (const x of values) {
    let i = 0;
    while (i < cuts.length && x > cuts[i]!) i++;
    counts[i]!++;
  }
  return counts;
}

/** PSI of a score (or any numeric value) between two populations, on bins cut at the expected population's deciles. */
export function psi(expected: readonly number[], actual: readonly number[], bins = 10): number {
  const cuts = quantileCuts(expected, bins);
  return psiFromCounts(countIntoBins(expected, cuts), countIntoBins(actual, cuts));
}
