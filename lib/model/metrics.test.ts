import { describe, expect, it } from "vitest";
import { auc, calibrationByDecile, countIntoBins, gini, ks, psi, psiFromCounts, quantileCuts } from "./metrics";

describe("discrimination", () => {
  // Events score 0.35 and 0.8, non-events 0.1 and 0.4: 3 of the 4 event/non-event pairs are ordered right.
  const scores = [0.1, 0.4, 0.35, 0.8];
  const labels = [0, 0, 1, 1] as const;
  it("AUC by hand, ties counting half", () => {
    expect(auc(scores, [...labels])).toBeCloseTo(0.75, 12);
    // Pairs: (1 vs 1) tie = ½, (2 vs 1) = 1 → 1.5 / 2.
    expect(auc([1, 1, 2], [0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(auc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
  });
  it("Gini = 2·AUC − 1", () => {
    expect(gini(scores, [...labels])).toBeCloseTo(0.5, 12);
  });
  it("KS by hand: the largest gap of the cumulative distributions", () => {
    // Ascending: 0.1 (N) → gap 0.5; 0.35 (E) → 0; 0.4 (N) → 0.5; 0.8 (E) → 0.
    expect(ks(scores, [...labels])).toBeCloseTo(0.5, 12);
    expect(ks([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    // Tied scores are one threshold: no cut between the two 1s.
    expect(ks([1, 1, 2, 2], [0, 1, 0, 1])).toBe(0);
  });
  it("refuses a population with one class only", () => {
    expect(() => auc([1, 2], [1, 1])).toThrow(RangeError);
    expect(() => ks([1, 2], [0, 0])).toThrow(RangeError);
  });
});

describe("calibration by decile", () => {
  it("groups of equal size by predicted probability, by hand", () => {
    const groups = calibrationByDecile([0.5, 0.1, 0.3, 0.2, 0.4], [1, 0, 1, 0, 0], 2);
    expect(groups).toHaveLength(2);
    // Lowest three predictions 0.1, 0.2, 0.3 with one event; then 0.4, 0.5 with one.
    expect(groups[0]).toMatchObject({ group: 1, count: 3, observedRate: 1 / 3 });
    expect(groups[0]!.meanPredicted).toBeCloseTo(0.2, 12);
    expect(groups[1]).toMatchObject({ group: 2, count: 2, observedRate: 0.5 });
    expect(groups[1]!.meanPredicted).toBeCloseTo(0.45, 12);
  });
  it("ten groups cover every row once", () => {
    const p = Array.from({ length: 103 }, (_, i) => i / 103);
    const groups = calibrationByDecile(p, p.map((x) => (x > 0.5 ? 1 : 0)));
    expect(groups).toHaveLength(10);
    expect(groups.reduce((s, g) => s + g.count, 0)).toBe(103);
    expect(groups.map((g) => g.count)).toEqual([11, 11, 11, 10, 10, 10, 10, 10, 10, 10]);
  });
});

describe("population stability index", () => {
  it("from bin counts, by hand", () => {
    // (0.25 − 0.5)·ln(0.5) + (0.75 − 0.5)·ln(1.5) = 0.25·(0.693147 + 0.405465).
    expect(psiFromCounts([50, 50], [25, 75])).toBeCloseTo(0.274653, 6);
    expect(psiFromCounts([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 12);
  });
  it("an empty bin gives a large but finite PSI", () => {
    const v = psiFromCounts([50, 50], [0, 100]);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(1);
  });
  it("cuts at the expected population's deciles", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantileCuts(values, 4)).toEqual([25, 50, 75]);
    expect(countIntoBins(values, [25, 50, 75])).toEqual([25, 25, 25, 25]);
    expect(quantileCuts([1, 1, 1, 2], 4)).toEqual([1]); // repeated values give one cut
  });
  it("is 0 for the same population and grows with a shift", () => {
    const a = Array.from({ length: 1000 }, (_, i) => i);
    expect(psi(a, a)).toBeCloseTo(0, 12);
    const shifted = a.map((x) => x + 300);
    expect(psi(a, shifted)).toBeGreaterThan(0.25);
    expect(psi(a, a.map((x) => x + 20))).toBeLessThan(0.1);
  });
});
