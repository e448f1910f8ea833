// Feature selection: keep features that separate events from non-events (information value), and of two features
// that say the same thing (highly correlated WoE) keep the stronger, so coefficients stay stable and signed as expected.
import type { FeatureBinning } from "./types";

/** Pearson correlation; 0 when either column is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n !== b.length) throw new RangeError("columns of different length");
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

export type SelectionDecision = { name: string; iv: number; status: "kept" } | { name: string; iv: number; status: "low_iv" } | { name: string; iv: number; status: "correlated"; with: string; correlation: number };

/**
 * Keeps features with IV ≥ minIv, then walks them from the highest IV down and drops any whose WoE column
 * correlates (|r| > maxCorrelation) with one already kept. Ties in IV are broken by name, for determinism.
 */
export function selectFeatures(binnings: readonly FeatureBinning[], woeColumns: ReadonlyMap<string, ArrayLike<number>>, minIv: number, maxCorrelation: number): SelectionDecision[] {
  const ordered = binnings.slice().sort((a, b) => b.iv - a.iv || (a.name < b.name ? -1 : 1));
  const kept: string[] = [];
  const out: SelectionDecision[] = [];
  for (const f of ordered) {
    if (!(f.iv >= minIv)) {
      out.push({ name: f.name, iv: f.iv, status: "low_iv" });
      continue;
    }
    const col = woeColumns.get(f.name)!;
    let clash: { with: string; correlation: number } | null = null;
    for (const k of kept) {
      const r = pearson(col, woeColumns.get(k)!);
      if (Math.abs(r) > maxCorrelation) {
        clash = { with: k, correlation: r };
        break;
      }
    }
    if (clash) out.push({ name: f.name, iv: f.iv, status: "correlated", ...clash });
    else {
      kept.push(f.name);
      out.push({ name: f.name, iv: f.iv, status: "kept" });
    }
  }
  return out;
}
