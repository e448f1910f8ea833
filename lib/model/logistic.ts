// L2-regularised logistic regression by Newton's method (IRLS), with ml-matrix doing the linear algebra.
// Why by hand: no maintained JS library fits a regularised logistic regression well (ml-logistic-regression 2.0 runs
// fixed-rate gradient descent for 50,000 steps, with no penalty and no intercept term); with a few dozen WoE columns
// Newton converges in a handful of steps to the exact optimum, which also makes a training reproducible to the digit.
import { Matrix, solve } from "ml-matrix";

export type LogisticOptions = {
  /** L2 penalty λ on the coefficients (not the intercept): minimises −log-likelihood + λ/2·‖β‖². */
  l2: number;
  maxIterations: number;
  /** Stop when no parameter moves by more than this in one step. */
  tolerance: number;
};

export const DEFAULT_LOGISTIC: LogisticOptions = { l2: 1, maxIterations: 100, tolerance: 1e-9 };

export type LogisticFit = { intercept: number; coefficients: number[]; iterations: number; converged: boolean };

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Fits P(y = 1 | x) = σ(b₀ + β·x) on labels `y` and either rows `x` (n × p) or, cheaper for many rows, the p input
 * columns given with `{ columns, rows }`.
 */
export function fitLogistic(x: readonly (readonly number[])[] | { columns: readonly ArrayLike<number>[]; rows: number }, y: readonly (0 | 1)[], options: Partial<LogisticOptions> = {}): LogisticFit {
  const { l2, maxIterations, tolerance } = { ...DEFAULT_LOGISTIC, ...options };
  const byColumns = "columns" in x;
  const n = byColumns ? x.rows : x.length;
  if (n === 0 || n !== y.length) throw new RangeError(`logistic regression needs rows and one label each (got ${n} rows, ${y.length} labels)`);
  const p = byColumns ? x.columns.length : x[0]!.length;
  // Design matrix with a leading column of ones for the intercept.
  const X = new Matrix(n, p + 1);
  for (let i = 0; i < n; i++) {
    X.set(i, 0, 1);
    for (let j = 0; j < p; j++) X.set(i, j + 1, byColumns ? x.columns[j]![i]! : x[i]![j]!);
  }
  // Start from the base rate, so the first step is already in the right region.
  const events = y.reduce<number>((s, v) => s + v, 0);
  const rate = Math.min(Math.max(events / n, 1e-6), 1 - 1e-6);
  let beta = new Matrix(p + 1, 1);
  beta.set(0, 0, Math.log(rate / (1 - rate)));

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const eta = X.mmul(beta);
    const sqrtW = new Float64Array(n);
    const resid = new Matrix(n, 1);
    for (let i = 0; i < n; i++) {
      const mu = sigmoid(eta.get(i, 0));
      sqrtW[i] = Math.sqrt(Math.max(mu * (1 - mu), 1e-12));
      resid.set(i, 0, y[i]! - mu);
    }
    // Gradient of the penalised log-likelihood, and the Hessian XᵀWX + λI (intercept unpenalised); XᵀWX is the
    // Gram matrix of √W·X, which ml-matrix computes at half the cost of a general product.
    const grad = X.transposeMultiply(resid);
    const hessian = X.clone().mulColumnVector(sqrtW).gram();
    for (let j = 1; j <= p; j++) {
      grad.set(j, 0, grad.get(j, 0) - l2 * beta.get(j, 0));
      hessian.set(j, j, hessian.get(j, j) + l2);
    }
    let step = solve(hessian, grad);
    // Damped Newton: halve the step until the penalised log-likelihood does not fall. A full step is taken when it
    // helps (the usual case), but with near-separated bins (a bin with no events) full steps overshoot and diverge.
    const before = objective(X, y, beta, l2);
    for (let h = 0; h < 30 && objective(X, y, beta.clone().add(step), l2) < before - 1e-12 * Math.abs(before); h++) step = step.mul(0.5);
    beta = beta.add(step);
    if (step.norm("max") <= tolerance) {
      converged = true;
      break;
    }
  }
  const b = beta.to1DArray();
  return { intercept: b[0]!, coefficients: b.slice(1), iterations, converged };
}

/** Penalised log-likelihood Σ [y·η − log(1 + e^η)] − λ/2·‖β‖² (intercept unpenalised), computed stably. */
function objective(X: Matrix, y: readonly (0 | 1)[], beta: Matrix, l2: number): number {
  const eta = X.mmul(beta);
  let ll = 0;
  for (let i = 0; i < y.length; i++) {
    const e = eta.get(i, 0);
    ll += y[i]! * e - (e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e)));
  }
  let pen = 0;
  for (let j = 1; j < beta.rows; j++) pen += beta.get(j, 0) ** 2;
  return ll - (l2 / 2) * pen;
}
