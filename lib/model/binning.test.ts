import { describe, expect, it } from "vitest";
import { binFeature, fineClasses, findBin, isMissing, optimalMonotone, poolAdjacentViolators, woeOf } from "./binning";
import { seededRandom } from "./random";
import { syntheticExamples } from "./testData";
import type { FeatureBinning } from "./types";

const g = (count: number, events: number, hi: number) => ({ count, events, hi, categories: [] as string[] });
const rates = (b: FeatureBinning) => b.bins.filter((x) => x.rule.kind !== "missing").map((x) => x.events / x.count);

describe("fine classes", () => {
  it("cuts sorted values into groups of about equal count", () => {
    const values = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    const labels = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0] as (0 | 1)[];
    const fine = fineClasses(values, labels, 5);
    expect(fine.map((f) => [f.count, f.hi])).toEqual([[2, 2], [2, 4], [2, 6], [2, 8], [2, 10]]);
    expect(fine.map((f) => f.events)).toEqual([0, 0, 0, 1, 2]);
  });
  it("never splits one value across two classes", () => {
    const fine = fineClasses([1, 1, 1, 1, 2, 3], [0, 0, 0, 1, 1, 1], 3);
    expect(fine.map((f) => [f.count, f.hi])).toEqual([[4, 1], [2, 3]]);
  });
});

describe("pool adjacent violators", () => {
  it("merges neighbours until the rate rises strictly", () => {
    // Rates 0.1, 0.3, 0.2, 0.5: the middle pair violates and pools to 0.25.
    const out = poolAdjacentViolators([g(10, 1, 1), g(10, 3, 2), g(10, 2, 3), g(10, 5, 4)], true);
    expect(out.map((x) => [x.count, x.events, x.hi])).toEqual([[10, 1, 1], [20, 5, 3], [10, 5, 4]]);
  });
  it("pools backwards as far as needed, and works falling", () => {
    const up = poolAdjacentViolators([g(10, 4, 1), g(10, 5, 2), g(10, 1, 3)], true);
    expect(up.map((x) => [x.count, x.events])).toEqual([[30, 10]]);
    const down = poolAdjacentViolators([g(10, 4, 1), g(10, 5, 2), g(10, 1, 3)], false);
    expect(down.map((x) => [x.count, x.events])).toEqual([[20, 9], [10, 1]]);
  });
});

describe("binning a numeric feature", () => {
  const ex = syntheticExamples(5000, 7);
  const labels = ex.map((e) => e.label);

  it("gives a monotone event rate, contiguous ranges and a minimum bin share", () => {
    const b = binFeature("dpd", "numeric", ex.map((e) => e.values.dpd), labels, { fineBins: 20, minBinShare: 0.05, maxBins: 8 });
    const r = rates(b);
    expect(r.length).toBeGreaterThan(2);
    for (let i = 1; i < r.length; i++) expect(r[i]!).toBeGreaterThan(r[i - 1]!); // risk rises with dpd
    const ranges = b.bins.map((x) => x.rule).filter((x) => x.kind === "range");
    expect(ranges[0]!.lo).toBeNull();
    expect(ranges[ranges.length - 1]!.hi).toBeNull();
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.lo).toBe(ranges[i - 1]!.hi);
    for (const bin of b.bins) expect(bin.count).toBeGreaterThanOrEqual(0.05 * ex.length);
    expect(b.bins.reduce((s, x) => s + x.count, 0)).toBe(ex.length);
    expect(b.iv).toBeCloseTo(b.bins.reduce((s, x) => s + x.iv, 0), 12);
  });
  it("finds a falling trend and puts missing values in their own bin", () => {
    const b = binFeature("balance", "numeric", ex.map((e) => e.values.balance), labels);
    const r = rates(b);
    for (let i = 1; i < r.length; i++) expect(r[i]!).toBeLessThan(r[i - 1]!);
    const missing = b.bins.filter((x) => x.rule.kind === "missing");
    expect(missing).toHaveLength(1);
    expect(missing[0]!.count).toBe(ex.filter((e) => e.values.balance === null).length);
    expect(missing[0]!.events).toBe(ex.filter((e) => e.values.balance === null && e.label === 1).length);
  });
  it("a noisy wiggle does not survive: a non-monotone truth is pooled", () => {
    // Event rate 10%, 30%, 20%, 40% over four equal value bands.
    const rnd = seededRandom(3);
    const values: number[] = [];
    const ys: (0 | 1)[] = [];
    const truth = [0.1, 0.3, 0.2, 0.4];
    for (let i = 0; i < 4000; i++) {
      const band = i % 4;
      values.push(band * 10 + rnd());
      ys.push(rnd() < truth[band]! ? 1 : 0);
    }
    const b = binFeature("x", "numeric", values, ys, { fineBins: 4, minBinShare: 0.05, maxBins: 8 });
    const r = rates(b);
    expect(r).toHaveLength(3);
    expect(r[1]!).toBeCloseTo(0.25, 1);
  });
  it("keeps at most maxBins, and a feature of one value is one bin", () => {
    const b = binFeature("dpd", "numeric", ex.map((e) => e.values.dpd), labels, { fineBins: 50, minBinShare: 0.001, maxBins: 3 });
    expect(b.bins.length).toBeLessThanOrEqual(3);
    const one = binFeature("k", "numeric", ex.map(() => 5), labels);
    expect(one.bins).toHaveLength(1);
    expect(one.iv).toBeCloseTo(0, 12);
  });
});

describe("binning a categorical feature", () => {
  it("orders categories by event rate and merges small ones into the closest neighbour", () => {
    const values: string[] = [];
    const ys: (0 | 1)[] = [];
    const add = (v: string, n: number, events: number) => {
      for (let i = 0; i < n; i++) {
        values.push(v);
        ys.push(i < events ? 1 : 0);
      }
    };
    add("low", 400, 20); // 5%
    add("mid", 400, 80); // 20%
    add("high", 180, 90); // 50%
    add("rare", 20, 9); // 45%, 2% of rows: joins "high" (closest rate)
    const b = binFeature("c", "categorical", values, ys, { fineBins: 20, minBinShare: 0.05, maxBins: 8 });
    expect(b.bins.map((x) => x.rule)).toEqual([
      { kind: "categories", values: ["low"] },
      { kind: "categories", values: ["mid"] },
      { kind: "categories", values: ["high", "rare"] },
    ]);
    expect(findBin(b, "rare")).toBe(2);
    expect(findBin(b, "never seen")).toBe(-1);
    expect(woeOf(b, "never seen")).toBe(0);
  });
});

describe("finding a bin", () => {
  const b = binFeature("v", "numeric", [1, 2, 3, 4, 5, 6, null, null], [0, 0, 0, 1, 1, 1, 1, 0], { fineBins: 2, minBinShare: 0.1, maxBins: 8 });
  it("a range is (lo, hi]: the upper bound belongs to the bin", () => {
    expect(b.bins.map((x) => x.rule)).toEqual([{ kind: "range", lo: null, hi: 3 }, { kind: "range", lo: 3, hi: null }, { kind: "missing" }]);
    expect(findBin(b, 3)).toBe(0);
    expect(findBin(b, 3.0001)).toBe(1);
    expect(findBin(b, -1e9)).toBe(0);
    expect(findBin(b, 1e9)).toBe(1);
    expect(findBin(b, "4")).toBe(1);
  });
  it("missing and non-numeric values go to the missing bin", () => {
    for (const v of [null, undefined, Number.NaN, "", "  ", "n/a"]) expect(findBin(b, v)).toBe(2);
    expect(isMissing(0)).toBe(false);
  });
});

describe("optimal (IV-maximising) monotone binning", () => {
  // Ten rows per value 1..K with the given events each: one fine class per value.
  const crafted = (events: number[]) => {
    const values: number[] = [];
    const ys: (0 | 1)[] = [];
    events.forEach((e, k) => {
      for (let i = 0; i < 10; i++) {
        values.push(k + 1);
        ys.push(i < e ? 1 : 0);
      }
    });
    return { values, ys };
  };
  const both = (events: number[], minBinShare: number, maxBins: number) => {
    const { values, ys } = crafted(events);
    return (["pav", "optimal"] as const).map((method) => binFeature("x", "numeric", values, ys, { fineBins: events.length, minBinShare, maxBins, method }));
  };

  it("beats merging into the closer neighbour where that loses the shape", () => {
    // Rates 10%, 20%, 40%, 50%, 90%, 100%, at least 40% of the rows a bin: merging each small class into its closer
    // neighbour ends in one bin (IV 0); the best split is 30 rows at 23% and 30 at 80%.
    const [pav, opt] = both([1, 2, 4, 5, 9, 10], 0.4, 8);
    expect(pav!.bins).toHaveLength(1);
    expect(opt!.bins.map((b) => [b.count, b.events])).toEqual([[30, 7], [30, 24]]);
    expect(opt!.iv).toBeGreaterThan(pav!.iv + 1);
  });
  it("beats merging the closest rates down to maxBins", () => {
    const [pav, opt] = both([0, 1, 2, 8, 9, 10], 0.05, 3);
    expect(opt!.bins).toHaveLength(3);
    expect(opt!.iv).toBeGreaterThan(pav!.iv);
  });
  it("is monotone, respects the minimum share and maxBins, and never has a lower IV than PAV", () => {
    const ex = syntheticExamples(5000, 11);
    const labels = ex.map((e) => e.label);
    for (const name of ["dpd", "balance"])
      for (const [fineBins, minBinShare, maxBins] of [[20, 0.05, 8], [50, 0.02, 12], [50, 0.1, 4]] as const) {
        const values = ex.map((e) => e.values[name]);
        const pav = binFeature(name, "numeric", values, labels, { fineBins, minBinShare, maxBins, method: "pav" });
        const opt = binFeature(name, "numeric", values, labels, { fineBins, minBinShare, maxBins, method: "optimal" });
        const r = rates(opt);
        const up = r[r.length - 1]! > r[0]!;
        for (let i = 1; i < r.length; i++) expect(up ? r[i]! > r[i - 1]! : r[i]! < r[i - 1]!).toBe(true);
        const ranges = opt.bins.filter((b) => b.rule.kind !== "missing");
        expect(ranges.length).toBeLessThanOrEqual(maxBins);
        for (const b of ranges) expect(b.count).toBeGreaterThanOrEqual(minBinShare * ex.length);
        expect(opt.bins.reduce((s, b) => s + b.count, 0)).toBe(ex.length);
        expect(opt.iv).toBeGreaterThanOrEqual(pav.iv - 1e-12);
      }
  });
  it("returns null when no bin can hold the minimum count", () => {
    expect(optimalMonotone([g(5, 1, 1), g(5, 2, 2)], true, 11, 8, { events: 3, nonEvents: 7 })).toBeNull();
  });
});
