// Hold-out evaluation of the scorecard pipeline on a labelled data set: stratified split by seed, train on one
// part, score the other with the points (the scorecard itself, not the raw regression), measure.
import { auc, gini, ks } from "./metrics";
import { score, trainScorecard, type TrainResult } from "./scorecard";
import { stratifiedSplit } from "./split";
import type { Dataset } from "./datasets";

export type Evaluation = { seed: number; rows: number; trainRows: number; testRows: number; features: number; auc: number; ks: number; gini: number; result: TrainResult };

export function evaluateDataset(data: Dataset, o: { seed: number; testShare?: number; train?: Parameters<typeof trainScorecard>[2] }): Evaluation {
  const { train, test } = stratifiedSplit(
    data.examples.map((e) => e.label),
    o.testShare ?? 0.3,
    o.seed,
  );
  const result = trainScorecard(
    train.map((i) => data.examples[i]!),
    data.features,
    o.train,
  );
  const testRows = test.map((i) => data.examples[i]!);
  const scores = testRows.map((e) => score(result.scorecard, e.values));
  const labels = testRows.map((e) => e.label);
  return { seed: o.seed, rows: data.examples.length, trainRows: train.length, testRows: test.length, features: result.scorecard.features.length, auc: auc(scores, labels), ks: ks(scores, labels), gini: gini(scores, labels), result };
}
