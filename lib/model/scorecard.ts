// The scorecard: bins → WoE → feature selection → L2 logistic regression → points per bin. A customer's score is
// the sum of the points of the bins their values fall in, so every score can be read back bin by bin, and the bins
// that add the most points above a feature's best bin are the reason codes.
import { binFeature, DEFAULT_BINNING, findBin, type BinningOptions } from "./binning";
import { DEFAULT_LOGISTIC, fitLogistic, sigmoid, type LogisticFit, type LogisticOptions } from "./logistic";
import { auc, psiFromCounts } from "./metrics";
import { stratifiedSplit } from "./split";
import { selectFeatures, type SelectionDecision } from "./select";
import { isTable, tableOf, type Column, type ExampleTable } from "./table";
import type { Bin, BinRule, Example, FeatureBinning, FeatureKind, FeatureSpec, Value, Values } from "./types";

/**
 * Points scale (a risk score: higher = more likely to churn). At `baseScore` the odds of the event are `baseOdds`
 * (events per non-event, e.g. 1/50); every `pdo` points more double those odds.
 */
export type Scaling = { baseScore: number; baseOdds: number; pdo: number };
export const DEFAULT_SCALING: Scaling = { baseScore: 600, baseOdds: 1 / 50, pdo: 20 };

export type TrainOptions = {
  binning: BinningOptions;
  /** Drop features whose information value is below this (0.02: "not predictive" in the usual rule of thumb). */
  minIv: number;
  /** Of two features whose WoE columns correlate above this (absolute), drop the one with the lower IV. */
  maxCorrelation: number;
  logistic: LogisticOptions;
  scaling: Scaling;
  /** Drop features whose coefficient comes out ≤ 0 (against their own bins' evidence) and refit. */
  requirePositive: boolean;
  /**
   * When set, λ is chosen among these by an inner validation on the training rows: a seeded stratified quarter of
   * them is held out, the kept features are fitted on the rest with each λ, and the λ with the highest AUC on the
   * held-out quarter is refitted on all training rows. Never touches the caller's test rows.
   */
  l2Candidates: number[] | null;
};

export const DEFAULT_TRAIN: TrainOptions = { binning: DEFAULT_BINNING, minIv: 0.02, maxCorrelation: 0.7, logistic: DEFAULT_LOGISTIC, scaling: DEFAULT_SCALING, requirePositive: true, l2Candidates: null };

export type ScoredBin = Bin & { points: number };
export type ScorecardFeature = { name: string; kind: FeatureKind; iv: number; coefficient: number; bins: ScoredBin[]; neutralPoints: number };

export type Scorecard = {
  version: 1;
  scaling: Scaling;
  intercept: number;
  features: ScorecardFeature[];
  training: { rows: number; events: number };
};

export type FeatureDecision = SelectionDecision | { name: string; iv: number; status: "wrong_sign"; coefficient: number };
export type TrainResult = { scorecard: Scorecard; decisions: FeatureDecision[]; binnings: FeatureBinning[]; /** λ of the fit (chosen by inner validation when l2Candidates is set). */ l2: number };

export function mergeOptions(options: Partial<Omit<TrainOptions, "binning" | "logistic" | "scaling">> & { binning?: Partial<BinningOptions>; logistic?: Partial<LogisticOptions>; scaling?: Partial<Scaling> } = {}): TrainOptions {
  return {
    ...DEFAULT_TRAIN,
    ...options,
    binning: { ...DEFAULT_BINNING, ...options.binning },
    logistic: { ...DEFAULT_LOGISTIC, ...options.logistic },
    scaling: { ...DEFAULT_SCALING, ...options.scaling },
  };
}

/** The WoE of every row's value; a column's repeated values (categories, round amounts) are looked up once. */
function woeColumn(b: FeatureBinning, values: Column): Float64Array {
  const seen = new Map<Value, number>();
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let w = seen.get(v);
    if (w === undefined) {
      const k = findBin(b, v);
      w = k < 0 ? 0 : b.bins[k]!.woe;
      if (seen.size < 100_000) seen.set(v, w);
    }
    out[i] = w;
  }
  return out;
}

/**
 * Trains a scorecard. Deterministic: the same rows (in the same order), features and options give the same
 * scorecard; any randomness (splits, samples) is the caller's, through a seed.
 */
export function trainScorecard(examples: readonly Example[] | ExampleTable, features: readonly FeatureSpec[], options: Parameters<typeof mergeOptions>[0] = {}): TrainResult {
  const opts = mergeOptions(options);
  const table = isTable(examples) ? examples : tableOf(examples, features);
  const { labels, rows } = table;
  const column = (name: string) => {
    const c = table.columns.get(name);
    if (!c) throw new RangeError(`feature "${name}" is not a column of the training rows`);
    return c;
  };
  const events = labels.reduce<number>((s, l) => s + l, 0);
  if (events === 0 || events === rows) throw new RangeError("training needs both events and non-events");
  const names = new Set<string>();
  for (const f of features) {
    if (names.has(f.name)) throw new RangeError(`feature "${f.name}" is listed twice`);
    names.add(f.name);
  }

  const binnings = features.map((f) =>
    binFeature(
      f.name,
      f.kind,
      column(f.name),
      labels,
      opts.binning,
    ),
  );
  const woeColumns = new Map(binnings.map((b) => [b.name, woeColumn(b, column(b.name))]));
  const decisions: FeatureDecision[] = selectFeatures(binnings, woeColumns, opts.minIv, opts.maxCorrelation);

  // Fit, and while a coefficient is not positive (the feature would score against its own bins' evidence, a sign
  // a correlated feature took its place), drop the weakest such feature and refit.
  let kept = decisions.filter((d) => d.status === "kept").map((d) => d.name);
  const l2 = opts.l2Candidates?.length ? chooseL2(kept.map((k) => woeColumns.get(k)!), labels, opts.l2Candidates, opts.logistic) : opts.logistic.l2;
  const logistic = { ...opts.logistic, l2 };
  let fit: LogisticFit;
  for (;;) {
    fit = fitLogistic({ columns: kept.map((k) => woeColumns.get(k)!), rows }, labels, logistic);
    const wrong = kept.map((name, j) => ({ name, c: fit.coefficients[j]! })).filter((f) => f.c <= 0);
    if (wrong.length === 0 || !opts.requirePositive) break;
    const worst = wrong.sort((a, b) => a.c - b.c || (a.name < b.name ? -1 : 1))[0]!;
    const at = decisions.findIndex((d) => d.name === worst.name);
    decisions[at] = { name: worst.name, iv: decisions[at]!.iv, status: "wrong_sign", coefficient: worst.c };
    kept = kept.filter((k) => k !== worst.name);
  }

  const { baseScore, baseOdds, pdo } = opts.scaling;
  const factor = pdo / Math.LN2;
  const offset = baseScore - factor * Math.log(baseOdds);
  const m = Math.max(kept.length, 1);
  // Each feature carries an equal share of the intercept and the offset, so the points alone add up to the score.
  const pointsFor = (coefficient: number, w: number) => Math.round(factor * (coefficient * w + fit.intercept / m) + offset / m);
  const byName = new Map(binnings.map((b) => [b.name, b]));
  const scorecardFeatures = kept.map((name, j): ScorecardFeature => {
    const b = byName.get(name)!;
    const coefficient = fit.coefficients[j]!;
    return { name, kind: b.kind, iv: b.iv, coefficient, bins: b.bins.map((bin) => ({ ...bin, points: pointsFor(coefficient, bin.woe) })), neutralPoints: pointsFor(coefficient, 0) };
  });
  return {
    scorecard: { version: 1, scaling: opts.scaling, intercept: fit.intercept, features: scorecardFeatures, training: { rows, events } },
    decisions,
    binnings,
    l2,
  };
}

/** Inner-validation seed: fixed, so a training stays deterministic for its rows. */
const INNER_SEED = 20_151;

/** The λ among `candidates` whose fit on three quarters of the rows ranks the other quarter best (AUC; ties: the larger λ). */
export function chooseL2(columns: readonly Float64Array[], labels: readonly (0 | 1)[], candidates: readonly number[], options: LogisticOptions): number {
  const { train, test } = stratifiedSplit(labels, 0.25, INNER_SEED);
  const pick = (c: Float64Array, idx: number[]) => Float64Array.from(idx, (i) => c[i]!);
  const trainCols = columns.map((c) => pick(c, train));
  const testCols = columns.map((c) => pick(c, test));
  const trainLabels = train.map((i) => labels[i]!);
  const testLabels = test.map((i) => labels[i]!);
  let best = { l2: candidates[0]!, auc: -Infinity };
  for (const l2 of [...candidates].sort((a, b) => b - a)) {
    const fit = fitLogistic({ columns: trainCols, rows: train.length }, trainLabels, { ...options, l2 });
    const scores = testLabels.map((_, i) => fit.coefficients.reduce((s, b, j) => s + b * testCols[j]![i]!, fit.intercept));
    const a = auc(scores, testLabels);
    if (a > best.auc + 1e-9) best = { l2, auc: a };
  }
  return best.l2;
}

export type FeaturePoints = { feature: string; value: Value; bin: BinRule | null; points: number };

/** Index of the bin the value falls in, or -1 when none does. */
function binIndex(f: ScorecardFeature, value: Value): number {
  return findBin({ name: f.name, kind: f.kind, bins: f.bins, iv: f.iv }, value);
}

/** The points of each feature for one row; their sum is the score. */
export function pointsOf(card: Scorecard, values: Values): FeaturePoints[] {
  return card.features.map((f) => {
    const value = values[f.name];
    const i = binIndex(f, value);
    return i < 0 ? { feature: f.name, value, bin: null, points: f.neutralPoints } : { feature: f.name, value, bin: f.bins[i]!.rule, points: f.bins[i]!.points };
  });
}

/** The score of one row: the sum of its points. */
export function score(card: Scorecard, values: Values): number {
  return pointsOf(card, values).reduce((s, p) => s + p.points, 0);
}

/** The event probability a score stands for on the card's scale. */
export function probabilityOf(card: Scorecard, points: number): number {
  const { baseScore, baseOdds, pdo } = card.scaling;
  const factor = pdo / Math.LN2;
  return sigmoid((points - baseScore) / factor + Math.log(baseOdds));
}

export type ReasonCode = FeaturePoints & { /** Points above the feature's best (lowest-scoring) bin. */ aboveBest: number };

/**
 * The factors that raise this row's score the most: per feature, its points minus the feature's lowest points,
 * largest first (ties by feature name), only those above zero, at most `count`.
 */
export function reasonCodes(card: Scorecard, values: Values, count = 3): ReasonCode[] {
  const points = pointsOf(card, values);
  return card.features
    .map((f, j) => ({ ...points[j]!, aboveBest: points[j]!.points - Math.min(...f.bins.map((b) => b.points)) }))
    .filter((r) => r.aboveBest > 0)
    .sort((a, b) => b.aboveBest - a.aboveBest || (a.feature < b.feature ? -1 : 1))
    .slice(0, count);
}

/** A bin's rule as text for tables and reason codes: "(30, 60]", "≤ 30", "> 60", "A, B", "missing". */
export function describeBin(rule: BinRule | null): string {
  if (rule === null) return "not seen in training";
  if (rule.kind === "missing") return "missing";
  if (rule.kind === "categories") return rule.values.join(", ");
  if (rule.lo === null && rule.hi === null) return "any";
  if (rule.lo === null) return `≤ ${rule.hi}`;
  if (rule.hi === null) return `> ${rule.lo}`;
  return `(${rule.lo}, ${rule.hi}]`;
}

/**
 * PSI of one scorecard feature between the training population (its bins' counts) and `values` of another
 * population (e.g. today's portfolio); a value no bin takes counts as a bin of its own, empty in training.
 */
export function featurePsi(feature: ScorecardFeature, values: readonly Value[]): number {
  const actual = new Array<number>(feature.bins.length + 1).fill(0);
  for (const v of values) {
    const i = binIndex(feature, v);
    actual[i < 0 ? feature.bins.length : i]!++;
  }
  return psiFromCounts([...feature.bins.map((b) => b.count), 0], actual);
}
