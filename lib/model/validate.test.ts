import { describe, expect, it } from "vitest";
import { auc } from "./metrics";
import { score } from "./scorecard";
import { SYNTHETIC_FEATURES, syntheticExamples } from "./testData";
import { trainAndValidate } from "./validate";

// Four monthly snapshots of the synthetic population; in the last month dpd shifts up (a portfolio under stress).
const months = ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"];
const snapshots = months.flatMap((asOf, m) =>
  syntheticExamples(2000, 100 + m).map((e) => ({ ...e, asOf, values: m === 3 ? { ...e.values, dpd: Number(e.values.dpd) + 40, dpd_copy: Number(e.values.dpd_copy) + 40 } : e.values })),
);

describe("train on older months, validate on the newest", () => {
  const first = trainAndValidate(snapshots, SYNTHETIC_FEATURES);
  const { scorecard, validation } = first;
  it("splits by month and measures on the validation month only", () => {
    expect(validation).toMatchObject({ trainMonths: ["2026-01", "2026-02", "2026-03"], validateMonths: ["2026-04"], trainRows: 6000, validateRows: 2000 });
    expect(scorecard.training.rows).toBe(6000);
    const val = snapshots.filter((s) => s.asOf === "2026-04-30");
    expect(validation.auc).toBeCloseTo(
      auc(
        val.map((s) => score(scorecard, s.values)),
        val.map((s) => s.label),
      ),
      12,
    );
    expect(validation.gini).toBeCloseTo(2 * validation.auc - 1, 12);
    expect(validation.calibration).toHaveLength(10);
    expect(validation.calibration.reduce((a, g) => a + g.count, 0)).toBe(2000);
  });
  it("the shifted feature and the score show up in the PSI, a stable feature does not", () => {
    // dpd or its near-copy, whichever the selection kept.
    const shifted = scorecard.features.find((f) => f.name.startsWith("dpd"))!.name;
    expect(validation.featurePsi[shifted]).toBeGreaterThan(0.25);
    expect(validation.scorePsi).toBeGreaterThan(0.1);
    expect(validation.featurePsi.segment).toBeLessThan(0.05);
  });
  it("is the same for the same snapshots", () => {
    expect(JSON.stringify(trainAndValidate(snapshots, SYNTHETIC_FEATURES))).toBe(JSON.stringify(first));
  });
});
