// A synthetic, seeded population for the pipeline's unit tests: features with known strength and shape.
import { seededRandom } from "./random";
import type { Example, FeatureSpec } from "./types";

export const SYNTHETIC_FEATURES: FeatureSpec[] = [
  { name: "dpd", kind: "numeric" }, // strong, risk rises with it
  { name: "balance", kind: "numeric" }, // weaker, risk falls with it, 10% missing
  { name: "segment", kind: "categorical" }, // categories with different risk
  { name: "noise", kind: "numeric" }, // unrelated to the label
  { name: "dpd_copy", kind: "numeric" }, // dpd plus a little noise: correlated with dpd, weaker
];

export function syntheticExamples(n: number, seed: number): Example[] {
  const random = seededRandom(seed);
  const segRisk: Record<string, number> = { A: -1, B: 0, C: 0.8, D: 1.5 };
  const segs = ["A", "A", "B", "B", "B", "C", "C", "D"];
  return Array.from({ length: n }, () => {
    const dpd = Math.floor(random() * random() * 120);
    const balance = Math.round(random() * 100_000);
    const segment = segs[Math.floor(random() * segs.length)]!;
    const noise = random();
    const logit = -2.5 + dpd / 30 - balance / 60_000 + segRisk[segment]!;
    const label: 0 | 1 = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    return { values: { dpd, balance: random() < 0.1 ? null : balance, segment, noise, dpd_copy: dpd + Math.floor(random() * 4) }, label };
  });
}
