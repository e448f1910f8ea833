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
  /**
   * How fine classes become bins: `pav` pools adjacent violators, then merges small bins into their closer
   * neighbour; `optimal` searches every partition of the fine classes into contiguous bins (each ≥ the minimum
   * share, at most maxBins, rates strictly monotone) for the one with the highest IV.
   */
  method: "pav" | "optimal";
};

export const DEFAULT_BINNING: BinningOptions = { fineBins: 20, minBinShare: 0.05, maxBins: 8, method: "pav" };

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
export type Group = { count: number; events: number; hi: number; categories: string[] };

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

/**
 * The partition of `groups` (in order) into at most `maxBins` runs of adjacent groups, each with ≥ `minCount` rows
 * and event rates strictly rising (or falling) from run to run, whose IV is highest. IV adds up over bins, so a
 * dynamic programme over (bins used, last run) finds the exact optimum: O(maxBins · K³) for K fine classes, a few
 * million steps at K = 100. Any PAV result on the same classes is one of the partitions searched, so its IV is never
 * higher. Null when no partition meets the minimum count (fewer rows than it).
 */
export function optimalMonotone(groups: readonly Group[], increasing: boolean, minCount: number, maxBins: number, totals: { events: number; nonEvents: number }): Group[] | null {
  const K = groups.length;
  if (K === 0) return [];
  const cc = new Float64Array(K + 1);
  const ce = new Float64Array(K + 1);
  for (let k = 0; k < K; k++) {
    cc[k + 1] = cc[k]! + groups[k]!.count;
    ce[k + 1] = ce[k]! + groups[k]!.events;
  }
  // Run [i, j) of the classes: its count, its rate, its IV.
  const cnt = (i: number, j: number) => cc[j]! - cc[i]!;
  const rt = (i: number, j: number) => (ce[j]! - ce[i]!) / cnt(i, j);
  const iv = (i: number, j: number) => binIv(ce[j]! - ce[i]!, cnt(i, j) - (ce[j]! - ce[i]!), totals.events, totals.nonEvents);
  const idx = (i: number, j: number) => i * (K + 1) + j;
  // best[b][run i..j) = highest IV of a partition of classes [0, j) into b + 1 runs whose last run is [i, j).
  const best: Float64Array[] = [];
  const from: Int32Array[] = [];
  for (let b = 0; b < maxBins; b++) {
    const cur = new Float64Array((K + 1) * (K + 1)).fill(-Infinity);
    const prev = new Int32Array((K + 1) * (K + 1)).fill(-1);
    for (let j = 1; j <= K; j++) {
      for (let i = b === 0 ? 0 : 1; i < j; i++) {
        if (b === 0 && i !== 0) break;
        if (cnt(i, j) < minCount) continue;
        if (b === 0) {
          cur[idx(0, j)] = iv(0, j);
          continue;
        }
        const last = best[b - 1]!;
        const r = rt(i, j);
        let top = -Infinity;
        let arg = -1;
        for (let h = 0; h < i; h++) {
          const v = last[idx(h, i)]!;
          if (v === -Infinity) continue;
          const q = rt(h, i);
          if (increasing ? q < r : q > r) {
            if (v > top) {
              top = v;
              arg = h;
            }
          }
        }
        if (arg >= 0) {
          cur[idx(i, j)] = top + iv(i, j);
          prev[idx(i, j)] = arg;
        }
      }
    }
    best.push(cur);
    from.push(prev);
  }
  // The best partition ending at K, over any number of runs (ties: fewer runs, then the earlier last run).
  let top = -Infinity;
  let at: [number, number] | null = null;
  for (let b = 0; b < maxBins; b++)
    for (let i = 0; i < K; i++) {
      const v = best[b]![idx(i, K)]!;
      if (v > top + 1e-12) {
        top = v;
        at = [b, i];
      }
    }
  if (!at) return null;
  const cuts: [number, number][] = [];
  let [b, i] = at;
  let j = K;
  for (;;) {
    cuts.unshift([i, j]);
    if (b === 0) break;
    const h = from[b]![idx(i, j)]!;
    j = i;
    i = h;
    b--;
  }
  return cuts.map(([s, e]) => groups.slice(s, e).reduce(merge));
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

const MAX_OPTIMAL_CLASSES = 200;

/** Fine classes → monotone coarse bins by the chosen method (optimal falls back to PAV when nothing fits). */
function coarse(fine: Group[], increasing: boolean, minCount: number, totals: { events: number; nonEvents: number }, options: BinningOptions): Group[] {
  // The search is cubic in the classes: past MAX_OPTIMAL_CLASSES (a categorical with hundreds of codes) PAV it is.
  if (options.method === "optimal" && fine.length <= MAX_OPTIMAL_CLASSES) {
    const best = optimalMonotone(fine, increasing, minCount, options.maxBins, totals);
    if (best) return best;
  }
  return enforceSizes(poolAdjacentViolators(fine, increasing), minCount, options.maxBins);
}

const sumIv = (bins: Bin[]) => bins.reduce((s, b) => s + b.iv, 0);

/**
 * Monotone bins of one feature. Numeric: fine quantile classes, pooled until the event rate is monotone (the
 * direction with the higher IV wins), small bins merged into their closer neighbour. Categorical: categories
 * ordered by event rate, then the same merging. Missing values get their own bin.
 */
export function binFeature(name: string, kind: FeatureKind, values: ArrayLike<Value>, labels: readonly (0 | 1)[], given: Partial<BinningOptions> = {}): FeatureBinning {
  const options: BinningOptions = { ...DEFAULT_BINNING, ...given };
  if (values.length !== labels.length) throw new RangeError(`${name}: ${values.length} values but ${labels.length} labels`);
  const totalEvents = labels.reduce<number>((s, l) => s + l, 0);
  const totals = { events: totalEvents, nonEvents: labels.length - totalEvents };
  const minCount = Math.max(1, Math.ceil(options.minBinShare * labels.length));
  const missing = { count: 0, events: 0 };

  if (kind === "numeric") {
    const xs: number[] = [];
    const ys: (0 | 1)[] = [];
    for (let i = 0; i < values.length; i++) {
      const n = toNumber(values[i]);
      if (n === null) {
        missing.count++;
        missing.events += labels[i]!;
      } else {
        xs.push(n);
        ys.push(labels[i]!);
      }
    }
    const fine = fineClasses(xs, ys, options.fineBins);
    const candidates = [true, false].map((inc) => toBins(coarse(fine, inc, minCount, totals, options), kind, missing, totals));
    const [up, down] = candidates as [Bin[], Bin[]];
    return { name, kind, bins: sumIv(up) >= sumIv(down) ? up : down, iv: Math.max(sumIv(up), sumIv(down)) };
  }

  const byCategory = new Map<string, Group>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) {
      missing.count++;
      missing.events += labels[i]!;
      continue;
    }
    const key = String(v);
    const g = byCategory.get(key) ?? { count: 0, events: 0, hi: 0, categories: [key] };
    g.count++;
    g.events += labels[i]!;
    byCategory.set(key, g);
  }
  // Ordered by rate (ties by name, for determinism), the categories are monotone by construction; pooling only
  // merges categories with equal rates.
  const ordered = [...byCategory.values()].sort((a, b) => rate(a) - rate(b) || (a.categories[0]! < b.categories[0]! ? -1 : 1));
  const groups = coarse(ordered, true, minCount, totals, options);
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
