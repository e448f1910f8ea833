import { describe, expect, it } from "vitest";
import { auc } from "./metrics";
import { psiFromCounts } from "./metrics";
import { describeBin, featurePsi, pointsOf, probabilityOf, reasonCodes, score, trainScorecard } from "./scorecard";
import { stratifiedSplit } from "./split";
import { tableOf } from "./table";
import { SYNTHETIC_FEATURES, syntheticExamples } from "./testData";

const examples = syntheticExamples(6000, 11);
const { scorecard: card, decisions } = trainScorecard(examples, SYNTHETIC_FEATURES);

describe("training a scorecard", () => {
  it("keeps the predictive features and says why it dropped the others", () => {
    const status = Object.fromEntries(decisions.map((d) => [d.name, d.status]));
    expect(status).toEqual({ dpd: "kept", balance: "kept", segment: "kept", noise: "low_iv", dpd_copy: "correlated" });
    expect(card.features.map((f) => f.name)).toEqual(["dpd", "segment", "balance"]); // by IV, highest first
    for (const f of card.features) expect(f.coefficient).toBeGreaterThan(0);
    expect(card.training).toEqual({ rows: 6000, events: examples.filter((e) => e.label === 1).length });
  });
  it("points follow the bins' WoE: the riskier bin has more points", () => {
    for (const f of card.features) {
      const byWoe = f.bins.slice().sort((a, b) => a.woe - b.woe);
      for (let i = 1; i < byWoe.length; i++) expect(byWoe[i]!.points).toBeGreaterThanOrEqual(byWoe[i - 1]!.points);
    }
  });
  it("separates events from non-events on rows it has not seen", () => {
    const fresh = syntheticExamples(3000, 12);
    expect(auc(fresh.map((e) => score(card, e.values)), fresh.map((e) => e.label))).toBeGreaterThan(0.8);
  });
  it("refuses rows of one class and a feature listed twice", () => {
    expect(() => trainScorecard(examples.map((e) => ({ ...e, label: 0 as const })), SYNTHETIC_FEATURES)).toThrow(RangeError);
    expect(() => trainScorecard(examples, [...SYNTHETIC_FEATURES, SYNTHETIC_FEATURES[0]!])).toThrow(/twice/);
  });
});

describe("points and score", () => {
  it("a customer's points add up to their score", () => {
    for (const e of examples.slice(0, 200)) {
      const pts = pointsOf(card, e.values);
      expect(pts).toHaveLength(card.features.length);
      expect(pts.reduce((s, p) => s + p.points, 0)).toBe(score(card, e.values));
      for (const p of pts) expect(Number.isInteger(p.points)).toBe(true);
    }
  });
  it("the score is offset + factor · log-odds, within the rounding of each feature's points", () => {
    const { baseScore, baseOdds, pdo } = card.scaling;
    const factor = pdo / Math.LN2;
    const offset = baseScore - factor * Math.log(baseOdds);
    for (const e of examples.slice(0, 200)) {
      let logit = card.intercept;
      for (const p of pointsOf(card, e.values)) {
        const f = card.features.find((x) => x.name === p.feature)!;
        const bin = f.bins.find((b) => JSON.stringify(b.rule) === JSON.stringify(p.bin));
        logit += f.coefficient * (bin?.woe ?? 0);
      }
      expect(Math.abs(score(card, e.values) - (offset + factor * logit))).toBeLessThanOrEqual(0.5 * card.features.length);
    }
  });
  it("scaling: base odds at the base score, odds double every PDO points", () => {
    expect(probabilityOf(card, 600)).toBeCloseTo(1 / 51, 12); // odds 1:50
    const odds = (s: number) => probabilityOf(card, s) / (1 - probabilityOf(card, s));
    expect(odds(620) / odds(600)).toBeCloseTo(2, 10);
    const custom = trainScorecard(examples, SYNTHETIC_FEATURES, { scaling: { baseScore: 500, baseOdds: 1 / 20, pdo: 40 } }).scorecard;
    const spread = (c: typeof card) => Math.max(...c.features[0]!.bins.map((b) => b.points)) - Math.min(...c.features[0]!.bins.map((b) => b.points));
    expect(spread(custom)).toBeGreaterThan(1.9 * spread(card)); // twice the PDO, about twice the spread
  });
  it("an unseen category or a missing value the training never had scores neutral (WoE 0)", () => {
    const seg = card.features.find((f) => f.name === "segment")!;
    const pts = pointsOf(card, { dpd: 0, balance: 50_000, segment: "Z" });
    expect(pts.find((p) => p.feature === "segment")).toMatchObject({ bin: null, points: seg.neutralPoints });
    const dpd = card.features.find((f) => f.name === "dpd")!;
    expect(pointsOf(card, { dpd: null, balance: 1, segment: "A" }).find((p) => p.feature === "dpd")!.points).toBe(dpd.neutralPoints);
  });
});

describe("reason codes", () => {
  it("the top three factors above each feature's best bin, with the actual values", () => {
    const row = { dpd: 95, balance: 1_000, segment: "D", noise: 0.5 };
    const reasons = reasonCodes(card, row);
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < reasons.length; i++) expect(reasons[i]!.aboveBest).toBeLessThanOrEqual(reasons[i - 1]!.aboveBest);
    const pts = pointsOf(card, row);
    for (const r of reasons) {
      const f = card.features.find((x) => x.name === r.feature)!;
      expect(r.value).toBe(row[r.feature as keyof typeof row]);
      expect(r.points).toBe(pts.find((p) => p.feature === r.feature)!.points);
      expect(r.aboveBest).toBe(r.points - Math.min(...f.bins.map((b) => b.points)));
    }
    expect(reasons[0]!.feature).toBe("dpd"); // 95 days past due is the worst dpd bin, by far
  });
  it("a row in every feature's best bin has no reasons; count limits the list", () => {
    const best = Object.fromEntries(
      card.features.map((f) => {
        const b = f.bins.reduce((m, x) => (x.points < m.points ? x : m));
        const v = b.rule.kind === "range" ? (b.rule.hi ?? (b.rule.lo ?? 0) + 1) : b.rule.kind === "categories" ? b.rule.values[0]! : null;
        return [f.name, v];
      }),
    );
    expect(reasonCodes(card, best)).toEqual([]);
    expect(reasonCodes(card, { dpd: 95, balance: 1_000, segment: "D" }, 1)).toHaveLength(1);
  });
});

describe("determinism", () => {
  it("two trainings with the same seed give identical scorecards; another seed another one", () => {
    const all = syntheticExamples(3000, 5);
    const trainWith = (seed: number) => {
      const { train } = stratifiedSplit(
        all.map((e) => e.label),
        0.3,
        seed,
      );
      return trainScorecard(
        train.map((i) => all[i]!),
        SYNTHETIC_FEATURES,
      ).scorecard;
    };
    const a = trainWith(42);
    expect(JSON.stringify(trainWith(42))).toBe(JSON.stringify(a));
    expect(JSON.stringify(trainWith(43))).not.toBe(JSON.stringify(a));
  });
});

describe("for the model page", () => {
  it("bins as text", () => {
    expect(describeBin({ kind: "range", lo: 30, hi: 60 })).toBe("(30, 60]");
    expect(describeBin({ kind: "range", lo: null, hi: 30 })).toBe("≤ 30");
    expect(describeBin({ kind: "range", lo: 60, hi: null })).toBe("> 60");
    expect(describeBin({ kind: "categories", values: ["A", "B"] })).toBe("A, B");
    expect(describeBin({ kind: "missing" })).toBe("missing");
    expect(describeBin(null)).toBe("not seen in training");
  });
  it("a feature's PSI against its training bins: 0 for the training rows, large for a shifted population", () => {
    const dpd = card.features.find((f) => f.name === "dpd")!;
    expect(featurePsi(dpd, examples.map((e) => e.values.dpd))).toBeCloseTo(0, 12);
    expect(featurePsi(dpd, examples.map((e) => Number(e.values.dpd) + 60))).toBeGreaterThan(0.25);
    // Unseen categories count as one extra bin, empty in training: by hand from the counts.
    const seg = card.features.find((f) => f.name === "segment")!;
    const values = [...examples.slice(0, 900).map((e) => e.values.segment), ...Array.from({ length: 100 }, () => "Z")];
    const counts = seg.bins.map((b) => values.filter((v) => b.rule.kind === "categories" && b.rule.values.includes(String(v))).length);
    expect(featurePsi(seg, values)).toBeCloseTo(psiFromCounts([...seg.bins.map((b) => b.count), 0], [...counts, 100]), 12);
  });
});

describe("λ by inner validation and training on columns", () => {
  const ex = syntheticExamples(3000, 5);
  it("chooses a λ among the candidates on the training rows alone, deterministically", () => {
    const a = trainScorecard(ex, SYNTHETIC_FEATURES, { l2Candidates: [0.1, 10, 1000] });
    expect([0.1, 10, 1000]).toContain(a.l2);
    expect(JSON.stringify(trainScorecard(ex, SYNTHETIC_FEATURES, { l2Candidates: [0.1, 10, 1000] }))).toBe(JSON.stringify(a));
    // A single candidate is that λ, the same scorecard as setting it.
    const one = trainScorecard(ex, SYNTHETIC_FEATURES, { l2Candidates: [7] });
    expect(one.l2).toBe(7);
    expect(one.scorecard).toEqual(trainScorecard(ex, SYNTHETIC_FEATURES, { logistic: { l2: 7 } }).scorecard);
  });
  it("an absurd penalty ranks worse on held-out rows, so inner validation does not pick it", () => {
    expect(chooseL2LikeTraining(ex, [1, 1e9])).toBe(1);
  });
  it("rows as a table give the same scorecard as rows as objects", () => {
    const table = tableOf(ex, SYNTHETIC_FEATURES);
    expect(table.columns.get("dpd")).toBeInstanceOf(Float64Array);
    expect(trainScorecard(table, SYNTHETIC_FEATURES)).toEqual(trainScorecard(ex, SYNTHETIC_FEATURES));
  });
});

/** The λ trainScorecard would choose among `candidates` (through its result). */
function chooseL2LikeTraining(ex: ReturnType<typeof syntheticExamples>, candidates: number[]): number {
  return trainScorecard(ex, SYNTHETIC_FEATURES, { l2Candidates: candidates }).l2;
}
