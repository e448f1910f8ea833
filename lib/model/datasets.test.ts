import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { band, datasetFromCsv, datasetsDir, germanDataset, loadPreset, PRESETS, UCI_DERIVED, uciDataset, withDerived } from "./datasets";
import { evaluateDataset } from "./evaluate";

describe("a labelled CSV as training rows", () => {
  const csv = 'id,"amount",grade,bad\n1,1e+05,A,0\n2,250,B,1\n3,,A,0\n4,75,C,1\n';
  it("numeric columns (1e+05 included) and categorical ones, missing cells as null, the label as 0/1", () => {
    const d = datasetFromCsv("t", csv, { label: "bad", drop: ["id"] });
    expect(d.features).toEqual([
      { name: "amount", kind: "numeric" },
      { name: "grade", kind: "categorical" },
    ]);
    expect(d.examples.map((e) => e.values.amount)).toEqual([100000, 250, null, 75]);
    expect(d.examples.map((e) => e.label)).toEqual([0, 1, 0, 1]);
  });
  it("another separator, a named positive class, and clear errors", () => {
    const d = datasetFromCsv("t", "x;y\n1;yes\n2;no\n", { label: "y", positive: "yes", sep: ";" });
    expect(d.examples.map((e) => e.label)).toEqual([1, 0]);
    expect(() => datasetFromCsv("t", "x;y\n1;yes\n2;no\n", { label: "y", sep: ";" })).toThrow(/--positive/);
    expect(() => datasetFromCsv("t", csv, { label: "target" })).toThrow(/no column "target"/);
    expect(() => datasetFromCsv("t", csv, { label: "bad", positive: "7" })).toThrow(/no row has bad = 7/);
  });
});

describe("presets", () => {
  it("UCI: engineered inputs are computed from the row", () => {
    const header =
      '"ID","LIMIT_BAL","SEX","EDUCATION","MARRIAGE","AGE","PAY_0","PAY_2","PAY_3","PAY_4","PAY_5","PAY_6","BILL_AMT1","BILL_AMT2","BILL_AMT3","BILL_AMT4","BILL_AMT5","BILL_AMT6","PAY_AMT1","PAY_AMT2","PAY_AMT3","PAY_AMT4","PAY_AMT5","PAY_AMT6","default.payment.next.month"';
    const row = "1,20000,2,2,1,24,2,2,-1,-1,-2,-2,3913,3102,689,0,0,0,0,689,0,0,0,0,1";
    const d = uciDataset(`${header}\n${row}\n`);
    const v = d.examples[0]!.values;
    expect(d.features.some((f) => f.name === "ID")).toBe(false);
    expect(d.features.find((f) => f.name === "PAY_0")!.kind).toBe("categorical");
    expect(v).toMatchObject({ max_delay: 2, delay_months: 2, delay_months_before: 0, status_recent: "2+|2+", zero_pay_months: 5, bill_growth: null });
    expect(v.util_1).toBeCloseTo(3913 / 20000, 12);
    expect(v.pay_ratio_1).toBe(0); // paid 0 of the 3,102 bill
    expect(v.pay_ratio_avg).toBeCloseTo(689 / (3102 + 689), 12);
    expect(v.pay_ratio_min).toBe(0);
    expect(d.examples[0]!.label).toBe(1);
    // The newer derived features: trend, limit left, new spending per limit, and the status crosses.
    expect(v).toMatchObject({ delay_trend: 0, headroom: 16087, status_util: "2+|1", status_limit: "2+|0", status_pay: "2+|0", status_pay_ratio: "2+|0", status_before: "2+|0" });
    expect(v).toMatchObject({ recent_util: "2+|2+|1", recent_pay: "2+|2+|0", util_pay_ratio: "1|0", limit_util: "0|1" });
    // Months revolving (status 0): none in this row; latest status × education (2 university).
    expect(v).toMatchObject({ revolving_months: 0, status_edu: "2+|2" });
    const other = uciDataset(`${header}\n${row.replace(/^1,20000,2,2,1,24,2,2,/, "1,20000,2,5,1,24,0,0,")}\n`).examples[0]!.values;
    expect(other).toMatchObject({ revolving_months: 2, status_edu: "0|o" });
    // (3913 − (3102 − 0)) + (3102 − (689 − 689)) + (689 − 0) + 0 + 0 = 4602 of a 20,000 limit.
    expect(v.spend_ratio).toBeCloseTo(4602 / 20000, 12);
  });
  it("derived features: computed per row from that row only, listed as candidates, names must not clash", () => {
    const base = datasetFromCsv("t", "a,b,y\n1,4,0\n3,,1\n", { label: "y" });
    const d = withDerived(base, [
      { name: "a_plus_b", kind: "numeric", compute: (r) => (typeof r.a === "number" && typeof r.b === "number" ? r.a + r.b : null) },
      { name: "a_band", kind: "categorical", compute: (r) => band(r.a as number, [2]) },
    ]);
    expect(d.features.map((f) => f.name)).toEqual(["a", "b", "a_plus_b", "a_band"]);
    expect(d.examples.map((e) => [e.values.a_plus_b, e.values.a_band])).toEqual([
      [5, "0"],
      [null, "1"],
    ]);
    expect(base.examples[0]!.values).not.toHaveProperty("a_plus_b"); // the input is left as it was
    expect(() => withDerived(base, [{ name: "a", kind: "numeric", compute: () => 1 }])).toThrow(/clashes/);
    expect([band(null, [1]), band(0.5, [1, 2]), band(1, [1, 2]), band(5, [1, 2])]).toEqual(["na", "0", "1", "2"]);
  });
  it("every preset declares its training options; the UCI preset's derived features are unique", () => {
    expect(PRESETS.uci.train).toEqual({ minIv: 0.01, maxCorrelation: 0.95, l2Candidates: [0.3, 1, 3, 10, 30, 100, 300, 1000] });
    expect(new Set(UCI_DERIVED.map((f) => f.name)).size).toBe(UCI_DERIVED.length);
  });
  it("German: 20 named attributes, codes as categories, class 2 is the event", () => {
    const d = germanDataset("A11 6 A34 A43 1169 A65 A75 4 A93 A101 4 A121 67 A143 A152 2 A173 1 A192 A201 1\nA12 48 A32 A43 5951 A61 A73 2 A92 A101 2 A121 22 A143 A152 1 A173 1 A191 A201 2\n");
    expect(d.features).toHaveLength(20);
    expect(d.examples.map((e) => e.label)).toEqual([0, 1]);
    expect(d.examples[1]!.values).toMatchObject({ checking_status: "A12", duration_months: 48, credit_amount: 5951, age: 22 });
    expect(() => germanDataset("A11 6\n")).toThrow(/expected 21/);
  });
  it("the data set folder: CHURNWATCH_DATASETS first, else shared/datasets found walking up", () => {
    expect(datasetsDir({ CHURNWATCH_DATASETS: "/some/where" })).toBe("/some/where");
    const top = mkdtempSync(path.join(tmpdir(), "ds-"));
    mkdirSync(path.join(top, "shared", "datasets"), { recursive: true });
    mkdirSync(path.join(top, "wt", "repo"), { recursive: true });
    expect(datasetsDir({}, path.join(top, "wt", "repo"))).toBe(path.join(top, "shared", "datasets"));
  });
});

// The real German credit data (1,000 rows, ../shared/datasets): a regression in binning, selection or the fit that
// costs discrimination fails here. Mean over seeds 1–5 is 0.785 (docs/benchmarks.md); seed 1 alone 0.776.
describe("German credit, seed 1 (slower)", () => {
  it("test AUC ≥ 0.74", { timeout: 60_000 }, () => {
    const e = evaluateDataset(loadPreset("german"), { seed: 1 });
    expect(e.rows).toBe(1000);
    expect(e.testRows).toBe(300);
    expect(e.auc).toBeGreaterThanOrEqual(0.74);
    expect(e.features).toBeGreaterThanOrEqual(5);
  });
});
