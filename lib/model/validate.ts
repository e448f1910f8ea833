// Training as the product does it: on feature snapshots, older as-of months train, the newest validate, and the
// validation figures the model page shows (AUC, KS, Gini, calibration by decile, PSI of the score and of each feature).
import { auc, calibrationByDecile, gini, ks, psi, type CalibrationGroup } from "./metrics";
import { featurePsi, probabilityOf, score, trainScorecard, type FeatureDecision, type Scorecard } from "./scorecard";
import { timeSplit } from "./split";
import type { FeatureSpec, Snapshot } from "./types";

export type Validation = {
  trainMonths: string[];
  validateMonths: string[];
  trainRows: number;
  validateRows: number;
  validateEvents: number;
  auc: number;
  ks: number;
  gini: number;
  calibration: CalibrationGroup[];
  /** PSI of the score, training population → validation population. */
  scorePsi: number;
  /** PSI of each scorecard feature, training bins → validation population. */
  featurePsi: Record<string, number>;
};

export function trainAndValidate(
  snapshots: readonly Snapshot[],
  features: readonly FeatureSpec[],
  options: { validateMonths?: number; train?: Parameters<typeof trainScorecard>[2] } = {},
): { scorecard: Scorecard; decisions: FeatureDecision[]; validation: Validation } {
  const split = timeSplit(snapshots, options.validateMonths ?? 1);
  const { scorecard, decisions } = trainScorecard(split.train, features, options.train);
  const trainScores = split.train.map((s) => score(scorecard, s.values));
  const scores = split.validate.map((s) => score(scorecard, s.values));
  const labels = split.validate.map((s) => s.label);
  return {
    scorecard,
    decisions,
    validation: {
      trainMonths: split.trainMonths,
      validateMonths: split.validateMonths,
      trainRows: split.train.length,
      validateRows: split.validate.length,
      validateEvents: labels.reduce<number>((a, l) => a + l, 0),
      auc: auc(scores, labels),
      ks: ks(scores, labels),
      gini: gini(scores, labels),
      calibration: calibrationByDecile(
        scores.map((s) => probabilityOf(scorecard, s)),
        labels,
      ),
      scorePsi: psi(trainScores, scores),
      featurePsi: Object.fromEntries(
        scorecard.features.map((f) => [
          f.name,
          featurePsi(
            f,
            split.validate.map((s) => s.values[f.name]),
          ),
        ]),
      ),
    },
  };
}
