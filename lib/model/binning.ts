// Binning (coarse classing) of one feature, the first step of the scorecard: each feature becomes a few bins with
// a bad rate that only rises or only falls, so each bin's points are explainable ("more days past due, more risk")
// and a noisy wiggle in the training data does not become a rule.
import { binIv, woe } from "./woe";
import type { Bin, BinRule, FeatureBinning, FeatureKind, Value } from "./types";

export type BinningOptions = {
  /** Initial (fine) classes for a numeric feature: roughly equal-count quantile groups. */
  fineBins: number;
  /** Smallest share of the rows a bin may hold (the missing bin is exempt: it cannot merge with a range). */
  minBinShare: number;
  /** Most bins per feature, not counting the missing bin. */
  maxBins: number;
};

export const DEFAULT_BINNING: BinningOptions = { fineBins: 20, minBinShare: 0.05, maxBins: 8 };

/** Missing: null, undefined, NaN, or an empty / blank string. */
export function isMissing(v: Value): v is null | undefined | "" {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)) || (typeof v === "string" && v.trim() === "");
}

/** A numeric value, or null when the value is missing or not a number. */
export function toNumber(v: Value): number | null {
  if (isMissing(v)) return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** A run of adjacent classes: for a numeric feature the largest value it holds, for a categorical one its members. */
type Group = { count: number; events: number; hi: number; categories: string[] };

const rate = (g: Group) => g.events / g.count;

function merge(a: Group, b: Group): Group {
  return { count: a.count + b.count, events: a.events + b.events, hi: Math.max(a.hi, b.hi), categories: [...a.categories, ...b.categories] };
}

/**
 * Pool adjacent violators: merges neighbours until the event rate strictly rises (or strictly falls) from one
 * group to the next; this is the closest monotone fit to the fine classes (least squares, weighted by count).
 */
export function poolAdjacentViolators(groups: readonly Group[], increasing: boolean): Group[] {
  const out: Group[] = [];
  for (const g of groups) {
    out.push(g);
    while (out.length >= 2) {
      const a = out[out.length - 2]!;
      const b = out[out.length - 1]!;
      const violates = increasing ? rate(a) >= rate(b) : rate(a) <= rate(b);
      if (!violates) break;
      out.splice(out.length - 2, 2, merge(a, b));
    }
  }
  return out;
}

/** Merges groups below the minimum count into the neighbour with the closer rate, then down to maxBins. */
function enforceSizes(groups: Group[], minCount: number, maxBins: number): Group[] {
  const gs = groups.slice();
  const mergeAt = (i: number) => gs.splice(i, 2, merge(gs[i]!, gs[i + 1]!)); // merges i and i + 1
  for (;;) {
    if (gs.length <= 1) break;
    let smallest = -1;
    for (let i = 0; i < gs.length; i++) if (gs[i]!.count < minCount && (smallest < 0 || gs[i]!.count < gs[smallest]!.count)) smallest = i;
    if (smallest < 0) break;
    const left = smallest > 0 ? Math.abs(rate(gs[smallest - 1]!) - rate(gs[smallest]!)) : Infinity;
    const right = smallest < gs.length - 1 ? Math.abs(rate(gs[smallest + 1]!) - rate(gs[smallest]!)) : Infinity;
    mergeAt(left <= right ? smallest - 1 : smallest);
  }
  while (gs.length > maxBins) {
    let best = 0;
    for (let i = 1; i < gs.length - 1; i++) if (Math.abs(rate(gs[i]!) - rate(gs[i + 1]!)) < Math.abs(rate(gs[best]!) - rate(gs[best + 1]!))) best = i;
    mergeAt(best);
  }
  return gs;
}

/** Equal-count fine classes over the sorted distinct values; a value is never split across two classes. */
export function fineClasses(values: readonly number[], labels: readonly (0 | 1)[], fineBins: number): Group[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const target = values.length / fineBins;
  const out: Group[] = [];
  let cur: Group | null = null;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const v = values[i]!;
    // Close the current class once it is full, but only between two distinct values.
    if (cur && cur.count >= target && v !== cur.hi) {
      out.push(cur);
      cur = null;
    }
    cur ??= { count: 0, events: 0, hi: v, categories: [] };
    cur.count++;
    cur.events += labels[i]!;
    cur.hi = v;
  }
  if (cur) out.push(cur);
  return out;
}

function toBins(groups: Group[], kind: FeatureKind, missing: { count: number; events: number }, totals: { events: number; nonEvents: number }): Bin[] {
  const mk = (rule: BinRule, count: number, events: number): Bin => ({
    rule,
    count,
    events,
    woe: woe(events, count - events, totals.events, totals.nonEvents),
    iv: binIv(events, count - events, totals.events, totals.nonEvents),
  });
  const bins = groups.map((g, i) =>
    mk(kind === "numeric" ? { kind: "range", lo: i === 0 ? null : groups[i - 1]!.hi, hi: i === groups.length - 1 ? null : g.hi } : { kind: "categories", values: g.categories.slice().sort() }, g.count, g.events),
  );
  if (missing.count > 0) bins.push(mk({ kind: "missing" }, missing.count, missing.events));
  return bins;
}

const sumIv = (bins: Bin[]) => bins.reduce((s, b) => s + b.iv, 0);

/**
 * Monotone bins of one feature. Numeric: fine quantile classes, pooled until the event rate is monotone (the
 * direction with the higher IV wins), small bins merged into their closer neighbour. Categorical: categories
 * ordered by event rate, then the same merging. Missing values get their own bin.
 */
export function binFeature(name: string, kind: FeatureKind, values: readonly Value[], labels: readonly (0 | 1)[], options: BinningOptions = DEFAULT_BINNING): FeatureBinning {
  if (values.length !== labels.length) throw new RangeError(`${name}: ${values.length} values but ${labels.length} labels`);
  const totalEvents = labels.reduce<number>((s, l) => s + l, 0);
  const totals = { events: totalEvents, nonEvents: labels.length - totalEvents };
  const minCount = Math.max(1, Math.ceil(options.minBinShare * labels.length));
  const missing = { count: 0, events: 0 };

  if (kind === "numeric") {
    const xs: number[] = [];
    const ys: (0 | 1)[] = [];
    values.forEach((v, i) => {
      const n = toNumber(v);
      if (n === null) {
        missing.count++;
        missing.events += labels[i]!;
      } else {
        xs.push(n);
        ys.push(labels[i]!);
      }
    });
    const fine = fineClasses(xs, ys, options.fineBins);
    const candidates = [true, false].map((inc) => toBins(enforceSizes(poolAdjacentViolators(fine, inc), minCount, options.maxBins), kind, missing, totals));
    const [up, down] = candidates as [Bin[], Bin[]];
    return { name, kind, bins: sumIv(up) >= sumIv(down) ? up : down, iv: Math.max(sumIv(up), sumIv(down)) };
  }

  const byCategory = new Map<string, Group>();
  values.forEach((v, i) => {
    if (isMissing(v)) {
      missing.count++;
      missing.events += labels[i]!;
      return;
    }
    const key = String(v);
    const g = byCategory.get(key) ?? { count: 0, events: 0, hi: 0, categories: [key] };
    g.count++;
    g.events += labels[i]!;
    byCategory.set(key, g);
  });
  // Ordered by rate (ties by name, for determinism), the categories are monotone by construction; pooling only
  // merges categories with equal rates.
  const ordered = [...byCategory.values()].sort((a, b) => rate(a) - rate(b) || (a.categories[0]! < b.categories[0]! ? -1 : 1));
  const groups = enforceSizes(poolAdjacentViolators(ordered, true), minCount, options.maxBins);
  const bins = toBins(groups, kind, missing, totals);
  return { name, kind, bins, iv: sumIv(bins) };
}

/** Index of the bin a value falls in, or -1 (a category or a missing value the training never saw). */
export function findBin(binning: FeatureBinning, value: Value): number {
  const { bins } = binning;
  if (isMissing(value) || (binning.kind === "numeric" && toNumber(value) === null)) return bins.findIndex((b) => b.rule.kind === "missing");
  if (binning.kind === "numeric") {
    const x = toNumber(value)!;
    return bins.findIndex((b) => b.rule.kind === "range" && (b.rule.lo === null || x > b.rule.lo) && (b.rule.hi === null || x <= b.rule.hi));
  }
  const key = String(value);
  return bins.findIndex((b) => b.rule.kind === "categories" && b.rule.values.includes(key));
}

/** WoE of a value; a value no bin takes (unseen category, missing when training had none) is neutral (0). */
export function woeOf(binning: FeatureBinning, value: Value): number {
  const i = findBin(binning, value);
  return i < 0 ? 0 : binning.bins[i]!.woe;
}
