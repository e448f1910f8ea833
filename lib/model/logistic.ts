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
  // The inputs stay columns (typed arrays): an n × (p + 1) ml-matrix design matrix is an object per row, and cloning
  // it for XᵀWX every step made a 400k-row training spend its time collecting garbage. The sums below are the same
  // products; ml-matrix solves the small (p + 1)² system.
  const cols: Float64Array[] = Array.from({ length: p }, (_, j) => (byColumns ? Float64Array.from(x.columns[j]!) : Float64Array.from(x as readonly (readonly number[])[], (r) => r[j]!)));
  for (const c of cols) if (c.length !== n) throw new RangeError(`logistic regression: a column has ${c.length} rows, expected ${n}`);
  // Start from the base rate, so the first step is already in the right region.
  const events = y.reduce<number>((s, v) => s + v, 0);
  const rate = Math.min(Math.max(events / n, 1e-6), 1 - 1e-6);
  let beta = new Float64Array(p + 1);
  beta[0] = Math.log(rate / (1 - rate));

  const eta = new Float64Array(n);
  const w = new Float64Array(n);
  const resid = new Float64Array(n);
  const linear = (b: Float64Array, out: Float64Array) => {
    out.fill(b[0]!);
    for (let j = 0; j < p; j++) {
      const c = cols[j]!;
      const bj = b[j + 1]!;
      for (let i = 0; i < n; i++) out[i]! += bj * c[i]!;
    }
    return out;
  };
  const trial = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    linear(beta, eta);
    for (let i = 0; i < n; i++) {
      const mu = sigmoid(eta[i]!);
      w[i] = Math.max(mu * (1 - mu), 1e-12);
      resid[i] = y[i]! - mu;
    }
    // Gradient of the penalised log-likelihood, and the Hessian XᵀWX + λI (intercept unpenalised).
    const grad = new Matrix(p + 1, 1);
    const hessian = new Matrix(p + 1, p + 1);
    const wx = new Float64Array(n);
    for (let a = 0; a <= p; a++) {
      const ca = a === 0 ? null : cols[a - 1]!;
      let g = 0;
      for (let i = 0; i < n; i++) {
        const xa = ca ? ca[i]! : 1;
        g += xa * resid[i]!;
        wx[i] = w[i]! * xa;
      }
      grad.set(a, 0, a === 0 ? g : g - l2 * beta[a]!);
      for (let b = a; b <= p; b++) {
        const cb = b === 0 ? null : cols[b - 1]!;
        let h = 0;
        if (cb) for (let i = 0; i < n; i++) h += wx[i]! * cb[i]!;
        else for (let i = 0; i < n; i++) h += wx[i]!;
        hessian.set(a, b, h);
        hessian.set(b, a, h);
      }
      if (a > 0) hessian.set(a, a, hessian.get(a, a) + l2);
    }
    let step = Float64Array.from(solve(hessian, grad).to1DArray());
    // Damped Newton: halve the step until the penalised log-likelihood does not fall. A full step is taken when it
    // helps (the usual case), but with near-separated bins (a bin with no events) full steps overshoot and diverge.
    const before = objective(eta, y, beta, l2);
    const moved = (s: Float64Array) => beta.map((b, j) => b + s[j]!);
    for (let h = 0; h < 30 && objective(linear(moved(step), trial), y, moved(step), l2) < before - 1e-12 * Math.abs(before); h++) step = step.map((v) => v * 0.5);
    beta = moved(step);
    if (step.reduce((m, v) => Math.max(m, Math.abs(v)), 0) <= tolerance) {
      converged = true;
      break;
    }
  }
  return { intercept: beta[0]!, coefficients: Array.from(beta.subarray(1)), iterations, converged };
}

/** Penalised log-likelihood Σ [y·η − log(1 + e^η)] − λ/2·‖β‖² (intercept unpenalised) at linear predictors η, computed stably. */
function objective(eta: Float64Array, y: readonly (0 | 1)[], beta: Float64Array, l2: number): number {
  let ll = 0;
  for (let i = 0; i < y.length; i++) {
    const e = eta[i]!;
    ll += y[i]! * e - (e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e)));
  }
  let pen = 0;
  for (let j = 1; j < beta.length; j++) pen += beta[j]! ** 2;
  return ll - (l2 / 2) * pen;
}
