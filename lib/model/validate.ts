// Training as the product does it: on feature snapshots, older as-of months train, the newest validate, and the
// validation figures the model page shows (AUC, KS, Gini, calibration by decile, PSI of the score and of each feature).
import { auc, calibrationByDecile, gini, ks, psi, type CalibrationGroup } from "./metrics";
import { featurePsi, probabilityOf, score, trainScorecard, type FeatureDecision, type Scorecard } from "./scorecard";
import { timeSplit } from "./split";
import { isTable, rowOf, sliceTable, tableOf, type SnapshotTable } from "./table";
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
  snapshots: readonly Snapshot[] | SnapshotTable,
  features: readonly FeatureSpec[],
  options: { validateMonths?: number; train?: Parameters<typeof trainScorecard>[2] } = {},
): { scorecard: Scorecard; decisions: FeatureDecision[]; validation: Validation; trainScores: number[] } {
  // Rows as columns (tableOf for a list of snapshots): the product's 400,000 snapshots would not fit as objects.
  const all = isTable(snapshots) ? (snapshots as SnapshotTable) : (tableOf(snapshots, features) as SnapshotTable);
  const split = timeSplit(Array.from({ length: all.rows }, (_, i) => ({ asOf: all.asOf[i]!, i })), options.validateMonths ?? 1);
  const train = sliceTable(all, split.train.map((r) => r.i));
  const validate = sliceTable(all, split.validate.map((r) => r.i));
  const { scorecard, decisions } = trainScorecard(train, features, options.train);
  const names = scorecard.features.map((f) => f.name);
  const scoresOf = (t: SnapshotTable) => Array.from({ length: t.rows }, (_, i) => score(scorecard, rowOf(t, i, names)));
  const trainScores = scoresOf(train);
  const scores = scoresOf(validate);
  const labels = validate.labels;
  return {
    scorecard,
    decisions,
    validation: {
      trainMonths: split.trainMonths,
      validateMonths: split.validateMonths,
      trainRows: train.rows,
      validateRows: validate.rows,
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
            Array.from({ length: validate.rows }, (_, i) => rowOf(validate, i, [f.name])[f.name]),
          ),
        ]),
      ),
    },
    trainScores,
  };
}
