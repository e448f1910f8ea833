// Arguments of `npm run model:eval`, parsed without reading any file, so they can be tested on their own.
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { PRESETS, type PresetName } from "./datasets";
import type { mergeOptions } from "./scorecard";

export type EvalArgs = {
  source: { preset: PresetName } | { file: string; label: string; positive?: string; sep: string; drop: string[] };
  seeds: number[];
  testShare: number;
  train: Parameters<typeof mergeOptions>[0];
};

const USAGE =
  "usage: npm run model:eval -- (--dataset uci|german | --file F --label COL [--positive V] [--sep ,] [--drop A,B]) " +
  "[--seed S | --seeds 1,2,3] [--test-share 0.3] [--min-iv 0.02] [--max-correlation 0.7] [--min-bin-share 0.05] [--max-bins 8] [--fine-bins 20] [--binning pav|optimal] [--l2 1 | --l2-candidates 1,10,100]";

function number(name: string, raw: string | undefined, check: (n: number) => boolean): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || !check(n)) throw new Error(`--${name}: "${raw}" is not allowed here. ${USAGE}`);
  return n;
}

/** A seed list: "1,2,3" or a range "1-5". */
export function parseSeeds(raw: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(raw.trim());
  const seeds = range ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i) : raw.split(",").map((s) => Number(s.trim()));
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds: "${raw}" is not a list of whole numbers. ${USAGE}`);
  return seeds;
}

export function parseEvalArgs(args: string[]): EvalArgs {
  const { values: v } = parseArgs({
    args,
    options: {
      dataset: { type: "string" },
      file: { type: "string" },
      label: { type: "string" },
      positive: { type: "string" },
      sep: { type: "string", default: "," },
      drop: { type: "string" },
      seed: { type: "string" },
      seeds: { type: "string" },
      "test-share": { type: "string", default: "0.3" },
      "min-iv": { type: "string" },
      "max-correlation": { type: "string" },
      "min-bin-share": { type: "string" },
      "max-bins": { type: "string" },
      l2: { type: "string" },
      "fine-bins": { type: "string" },
      "l2-candidates": { type: "string" },
      binning: { type: "string" },
    },
  });
  let source: EvalArgs["source"];
  if (v.dataset !== undefined) {
    if (!(v.dataset in PRESETS)) throw new Error(`--dataset: "${v.dataset}" is not one of ${Object.keys(PRESETS).join(", ")}. ${USAGE}`);
    if (v.file !== undefined) throw new Error(`give --dataset or --file, not both. ${USAGE}`);
    source = { preset: v.dataset as PresetName };
  } else {
    if (v.file === undefined || v.label === undefined) throw new Error(`--file and --label are needed (or --dataset). ${USAGE}`);
    source = { file: v.file, label: v.label, positive: v.positive, sep: v.sep === "\\t" ? "\t" : v.sep!, drop: v.drop ? v.drop.split(",").map((s) => s.trim()) : [] };
  }
  if (v.seed !== undefined && v.seeds !== undefined) throw new Error(`give --seed or --seeds, not both. ${USAGE}`);
  const seeds = v.seeds !== undefined ? parseSeeds(v.seeds) : [number("seed", v.seed ?? "1", (n) => Number.isInteger(n) && n >= 0)!];
  const maxBins = number("max-bins", v["max-bins"], (n) => Number.isInteger(n) && n >= 2);
  const minBinShare = number("min-bin-share", v["min-bin-share"], (n) => n > 0 && n < 0.5);
  const l2 = number("l2", v.l2, (n) => n >= 0);
  const fineBins = number("fine-bins", v["fine-bins"], (n) => Number.isInteger(n) && n >= 2);
  if (v.binning !== undefined && v.binning !== "pav" && v.binning !== "optimal") throw new Error(`--binning: "${v.binning}" is not pav or optimal. ${USAGE}`);
  const method = v.binning as "pav" | "optimal" | undefined;
  const l2Candidates = v["l2-candidates"]?.split(",").map((x) => number("l2-candidates", x, (n) => n >= 0)!);
  return {
    source,
    seeds,
    testShare: number("test-share", v["test-share"], (n) => n > 0 && n < 1)!,
    train: {
      ...(v["min-iv"] !== undefined && { minIv: number("min-iv", v["min-iv"], (n) => n >= 0) }),
      ...(l2Candidates !== undefined && { l2Candidates }),
      ...(v["max-correlation"] !== undefined && { maxCorrelation: number("max-correlation", v["max-correlation"], (n) => n > 0 && n <= 1) }),
      binning: { ...(maxBins !== undefined && { maxBins }), ...(minBinShare !== undefined && { minBinShare }), ...(fineBins !== undefined && { fineBins }), ...(method !== undefined && { method }) },
      logistic: { ...(l2 !== undefined && { l2 }) },
    },
  };
}

/**
 * A data file path as given: relative to the repo root (where npm runs scripts). A `../shared/datasets/…` path that
 * is not there (a worktree sits deeper than the main checkout) is looked up in the data set folder found instead.
 */
export function resolveDataFile(file: string, root: string, datasetsDir: () => string): string {
  const direct = path.resolve(root, file);
  if (existsSync(direct)) return direct;
  const m = /^(?:\.\.\/)+shared\/datasets\/(.+)$/.exec(file.replaceAll("\\", "/"));
  if (m) {
    const shared = path.join(datasetsDir(), m[1]!);
    if (existsSync(shared)) return shared;
  }
  throw new Error(`no file ${direct}`);
}
