import { describe, expect, it } from "vitest";
import { fitLogistic, sigmoid } from "./logistic";

// One binary input: x = 0 has 2 events in 10, x = 1 has 6 in 10. Without a penalty the fit is closed-form:
// intercept = ln(2/8), coefficient = ln(6/4) − ln(2/8).
const x: number[][] = [];
const y: (0 | 1)[] = [];
for (let i = 0; i < 10; i++) {
  x.push([0]);
  y.push(i < 2 ? 1 : 0);
  x.push([1]);
  y.push(i < 6 ? 1 : 0);
}

describe("L2 logistic regression", () => {
  it("without a penalty matches the closed-form log odds", () => {
    const fit = fitLogistic(x, y, { l2: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(Math.log(2 / 8), 8);
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(6 / 4) - Math.log(2 / 8), 8);
  });
  it("the penalty shrinks the coefficient, and the optimum satisfies Xᵀ(y − p) = λβ", () => {
    const l2 = 5;
    const fit = fitLogistic(x, y, { l2 });
    expect(fit.coefficients[0]!).toBeLessThan(Math.log(6 / 4) - Math.log(2 / 8));
    expect(fit.coefficients[0]!).toBeGreaterThan(0);
    let gIntercept = 0;
    let gCoef = 0;
    x.forEach((row, i) => {
      const r = y[i]! - sigmoid(fit.intercept + fit.coefficients[0]! * row[0]!);
      gIntercept += r;
      gCoef += r * row[0]!;
    });
    expect(gIntercept).toBeCloseTo(0, 8); // the intercept is not penalised
    expect(gCoef).toBeCloseTo(l2 * fit.coefficients[0]!, 8);
  });
  it("with no inputs fits the base rate", () => {
    const fit = fitLogistic(x.map(() => []), y, { l2: 1 });
    expect(fit.coefficients).toEqual([]);
    expect(sigmoid(fit.intercept)).toBeCloseTo(8 / 20, 10);
  });
  it("sigmoid is stable at the extremes", () => {
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(0)).toBe(0.5);
  });
});
