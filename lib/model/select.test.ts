import { describe, expect, it } from "vitest";
import { pearson, selectFeatures } from "./select";
import type { FeatureBinning } from "./types";

const fb = (name: string, iv: number): FeatureBinning => ({ name, kind: "numeric", bins: [], iv });

describe("feature selection", () => {
  it("pearson correlation by hand", () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    // x = 1,2,3,4; y = 1,3,2,4: cov 0.75·… → r = 0.8.
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });
  it("drops low IV, then the weaker of a correlated pair", () => {
    const cols = new Map<string, number[]>([
      ["a", [1, 2, 3, 4, 5]],
      ["b", [1, 2, 3, 4, 6]], // r(a, b) ≈ 0.99
      ["c", [5, 1, 4, 2, 3]],
      ["d", [1, 2, 3, 4, 5]],
    ]);
    const out = selectFeatures([fb("b", 0.2), fb("a", 0.3), fb("c", 0.1), fb("d", 0.01)], cols, 0.02, 0.7);
    expect(out.map((d) => [d.name, d.status])).toEqual([
      ["a", "kept"],
      ["b", "correlated"],
      ["c", "kept"],
      ["d", "low_iv"],
    ]);
    expect(out[1]).toMatchObject({ with: "a" });
  });
  it("a strong negative correlation counts too; the threshold is exclusive", () => {
    const cols = new Map<string, number[]>([
      ["a", [1, 2, 3, 4]],
      ["neg", [4, 3, 2, 1]],
      ["r08", [1, 3, 2, 4]],
    ]);
    const out = selectFeatures([fb("a", 0.5), fb("neg", 0.4), fb("r08", 0.3)], cols, 0.02, 0.8);
    expect(out.map((d) => d.status)).toEqual(["kept", "correlated", "kept"]);
  });
});
