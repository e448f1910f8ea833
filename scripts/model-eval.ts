// `npm run model:eval -- --dataset uci|german | --file F --label COL [--positive V] [--seed S | --seeds 1-5] …`:
// trains the churn-risk scorecard pipeline (lib/model) on a labelled CSV, scores the held-out rows with the points
// and prints AUC, KS, Gini and the features kept, per seed and their mean. The last line is one JSON object.
import { readFileSync } from "node:fs";
import path from "node:path";
import { datasetFromCsv, datasetsDir, loadPreset, PRESETS } from "../lib/model/datasets";
import { parseEvalArgs, resolveDataFile } from "../lib/model/evalArgs";
import { evaluateDataset } from "../lib/model/evaluate";

const ROOT = path.resolve(import.meta.dirname, "..");

function main() {
  const args = parseEvalArgs(process.argv.slice(2));
  const started = Date.now();
  const data =
    "preset" in args.source
      ? loadPreset(args.source.preset)
      : datasetFromCsv(path.basename(args.source.file), readFileSync(resolveDataFile(args.source.file, ROOT, () => datasetsDir()), "utf8"), {
          label: args.source.label,
          positive: args.source.positive,
          sep: args.source.sep,
          drop: args.source.drop,
        });
  // The preset's declared training options, then the command line's flags over them.
  const presetTrain: NonNullable<typeof args.train> = "preset" in args.source ? PRESETS[args.source.preset].train : {};
  const flags = args.train ?? {};
  const train = { ...presetTrain, ...flags, binning: { ...presetTrain.binning, ...flags.binning }, logistic: { ...presetTrain.logistic, ...flags.logistic } };
  const events = data.examples.filter((e) => e.label === 1).length;
  console.log(`${data.name}: ${data.examples.length} rows, ${events} events (${((100 * events) / data.examples.length).toFixed(1)}%), ${data.features.length} candidate features, test share ${args.testShare}`);
  const runs = args.seeds.map((seed) => {
    const t0 = Date.now();
    const e = evaluateDataset(data, { seed, testShare: args.testShare, train });
    const kept = e.result.scorecard.features.map((f) => f.name);
    console.log(`seed ${seed}: test AUC ${e.auc.toFixed(4)}  KS ${e.ks.toFixed(4)}  Gini ${e.gini.toFixed(4)}  features ${e.features} (${kept.join(", ")})  λ ${e.result.l2}  ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return e;
  });
  const mean = (f: (e: (typeof runs)[number]) => number) => runs.reduce((s, e) => s + f(e), 0) / runs.length;
  const round = (x: number, d = 4) => Number(x.toFixed(d));
  if (runs.length > 1) console.log(`mean over ${runs.length} seeds: test AUC ${mean((e) => e.auc).toFixed(4)}  KS ${mean((e) => e.ks).toFixed(4)}  Gini ${mean((e) => e.gini).toFixed(4)}  features ${mean((e) => e.features).toFixed(1)}`);
  console.log(
    JSON.stringify({
      dataset: data.name,
      rows: data.examples.length,
      seeds: args.seeds,
      auc: round(mean((e) => e.auc)),
      ks: round(mean((e) => e.ks)),
      gini: round(mean((e) => e.gini)),
      features: round(mean((e) => e.features), 1),
      perSeed: runs.map((e) => ({ seed: e.seed, auc: round(e.auc), ks: round(e.ks), features: e.features })),
      seconds: round((Date.now() - started) / 1000, 1),
    }),
  );
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
