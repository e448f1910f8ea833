// Public credit data sets as scorecard training rows, for `npm run model:eval` and the regression test. These are
// the only file reads of lib/model; the pipeline itself is pure.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { isMissing, toNumber } from "./binning";
import type { Example, FeatureSpec, Value } from "./types";

export type Dataset = { name: string; examples: Example[]; features: FeatureSpec[] };

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Where the shared data sets are: `CHURNWATCH_DATASETS` if set; otherwise the first `shared/datasets` folder found
 * walking up from the repo root (the main checkout has it at ../shared, a worktree two levels deeper).
 */
export function datasetsDir(env: NodeJS.ProcessEnv = process.env, start = REPO_ROOT): string {
  if (env.CHURNWATCH_DATASETS) return path.resolve(env.CHURNWATCH_DATASETS);
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared", "datasets");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no shared/datasets folder above ${start}: set CHURNWATCH_DATASETS to its path`);
  }
}

export type CsvOptions = { label: string; positive?: string; sep?: string; drop?: readonly string[]; categorical?: readonly string[] };

/**
 * Any CSV with a header and a binary label column: every other column is a feature, numeric when all its present
 * values are numbers (`1e+05` included), else categorical. The positive class is `positive`, or "1" when the label
 * holds only 0 and 1.
 */
export function datasetFromCsv(name: string, text: string, o: CsvOptions): Dataset {
  const records = parse(text, { columns: true, delimiter: o.sep ?? ",", skip_empty_lines: true, trim: true }) as Record<string, string>[];
  if (records.length === 0) throw new Error(`${name}: no data rows`);
  const header = Object.keys(records[0]!);
  if (!header.includes(o.label)) throw new Error(`${name}: no column "${o.label}" (columns: ${header.join(", ")})`);
  const labels = new Set(records.map((r) => r[o.label]));
  let positive = o.positive;
  if (positive === undefined) {
    if ([...labels].every((l) => l === "0" || l === "1")) positive = "1";
    else throw new Error(`${name}: label "${o.label}" has values ${[...labels].slice(0, 5).join(", ")}: say which is positive with --positive`);
  }
  if (!labels.has(positive)) throw new Error(`${name}: no row has ${o.label} = ${positive}`);
  const drop = new Set([o.label, ...(o.drop ?? [])]);
  const features: FeatureSpec[] = header
    .filter((h) => !drop.has(h))
    .map((h) => ({ name: h, kind: o.categorical?.includes(h) || !records.every((r) => isMissing(r[h]) || toNumber(r[h]!) !== null) ? "categorical" : "numeric" }));
  const examples = records.map((r, i): Example => {
    const values: Record<string, Value> = {};
    for (const f of features) values[f.name] = f.kind === "numeric" ? toNumber(r[f.name]) : isMissing(r[f.name]) ? null : r[f.name]!;
    if (isMissing(r[o.label])) throw new Error(`${name}: row ${i + 2} has no ${o.label}`);
    return { values, label: r[o.label] === positive ? 1 : 0 };
  });
  return { name, examples, features };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * UCI "default of credit card clients", with engineered inputs computed from the row itself (each a plain
 * scorecard input, binned like the rest):
 * - max_delay: worst repayment status over the 6 months (PAY_0, PAY_2..PAY_6; ≥ 1 = months of delay);
 * - delay_months: how many of the 6 months show a delay (status ≥ 1);
 * - util_1, util_avg: bill / credit limit, latest month and mean over 6 months;
 * - pay_ratio_1, pay_ratio_avg: amount paid / the previous month's bill (latest, and summed over 5 months);
 *   missing when there was no bill to pay (its own bin);
 * - bill_growth: latest bill / bill 6 months ago (missing when that was ≤ 0).
 * The repayment statuses -2 (no consumption), -1 (paid in full), 0 (revolving) are kinds, not a scale, so PAY_*
 * are categorical; ID is dropped.
 */
export function uciDataset(text: string): Dataset {
  const base = datasetFromCsv("uci", text, { label: "default.payment.next.month", drop: ["ID"] });
  const status = ["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6"];
  const bills = [1, 2, 3, 4, 5, 6].map((k) => `BILL_AMT${k}`);
  const pays = [1, 2, 3, 4, 5, 6].map((k) => `PAY_AMT${k}`);
  const num = (v: Value) => (typeof v === "number" ? v : 0);
  for (const e of base.examples) {
    const v = e.values as Record<string, Value>;
    const s = status.map((c) => num(v[c]));
    const b = bills.map((c) => num(v[c]));
    const p = pays.map((c) => num(v[c]));
    const limit = num(v.LIMIT_BAL);
    v.max_delay = Math.max(...s);
    v.delay_months = s.filter((x) => x >= 1).length;
    v.util_1 = ratio(b[0]!, limit);
    v.util_avg = ratio(b.reduce((x, y) => x + y, 0) / 6, limit);
    v.pay_ratio_1 = ratio(p[0]!, b[1]!);
    v.pay_ratio_avg = ratio(p.slice(0, 5).reduce((x, y) => x + y, 0), b.slice(1).reduce((x, y) => x + Math.max(y, 0), 0));
    v.bill_growth = ratio(b[0]!, b[5]!);
    const code = (x: number) => (x >= 2 ? "2+" : String(x));
    v.status_recent = `${code(s[0]!)}|${code(s[1]!)}`;
    v.paid_full_months = s.filter((x) => x === -1).length;
    v.no_use_months = s.filter((x) => x === -2).length;
    v.revolving_months = s.filter((x) => x === 0).length;
    const last = s.findIndex((x) => x >= 1);
    v.months_since_delay = last < 0 ? 6 : last;
    v.pay_limit_1 = ratio(p[0]!, limit);
    v.unpaid_1 = ratio(b[1]! - p[0]!, limit);
    const band = (x: number, cuts: number[]) => cuts.filter((c) => x > c).length;
    v.status_x_limit = `${code(s[0]!)}|${band(limit, [50_000, 140_000, 240_000])}`;
    v.status_x_util = `${code(s[0]!)}|${band(b[0]! / Math.max(limit, 1), [0.1, 0.5, 0.9])}`;
    v.status_x_paid = `${code(s[0]!)}|${p[0]! >= b[1]! ? "full" : p[0]! > 0 ? "part" : "none"}`;
    const late = s[0]! >= 1;
    for (const [k, x] of Object.entries({ limit: limit, pay_amt_1: p[0]!, pay_ratio_1: v.pay_ratio_1, util_1: v.util_1, delay_months: v.delay_months, age: num(v.AGE) })) {
      v[`${k}_if_current`] = late ? null : x;
      v[`${k}_if_late`] = late ? x : null;
    }
  }
  const features: FeatureSpec[] = [
    ...base.features.map((f) => (status.includes(f.name) ? { ...f, kind: "categorical" as const } : f)),
    ...["max_delay", "delay_months", "util_1", "util_avg", "pay_ratio_1", "pay_ratio_avg", "bill_growth", "paid_full_months", "no_use_months", "revolving_months", "months_since_delay", "pay_limit_1", "unpaid_1"].map((name) => ({ name, kind: "numeric" as const })),
    ...["limit", "pay_amt_1", "pay_ratio_1", "util_1", "delay_months", "age"].flatMap((k) => [`${k}_if_current`, `${k}_if_late`]).map((name) => ({ name, kind: "numeric" as const })),
    ...["status_recent", "status_x_limit", "status_x_util", "status_x_paid"].map((name) => ({ name, kind: "categorical" as const })),
  ];
  return { name: "uci", examples: base.examples, features };
}

/** Statlog German credit: 20 attributes (codes A11.. are categorical), class 1 good, 2 bad (the event). */
export const GERMAN_ATTRIBUTES: FeatureSpec[] = [
  { name: "checking_status", kind: "categorical" },
  { name: "duration_months", kind: "numeric" },
  { name: "credit_history", kind: "categorical" },
  { name: "purpose", kind: "categorical" },
  { name: "credit_amount", kind: "numeric" },
  { name: "savings", kind: "categorical" },
  { name: "employment_since", kind: "categorical" },
  { name: "installment_rate", kind: "numeric" },
  { name: "personal_status_sex", kind: "categorical" },
  { name: "other_debtors", kind: "categorical" },
  { name: "residence_since", kind: "numeric" },
  { name: "property", kind: "categorical" },
  { name: "age", kind: "numeric" },
  { name: "other_installment_plans", kind: "categorical" },
  { name: "housing", kind: "categorical" },
  { name: "existing_credits", kind: "numeric" },
  { name: "job", kind: "categorical" },
  { name: "dependents", kind: "numeric" },
  { name: "telephone", kind: "categorical" },
  { name: "foreign_worker", kind: "categorical" },
];

export function germanDataset(text: string): Dataset {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const examples = lines.map((line, i): Example => {
    const cells = line.trim().split(/\s+/);
    if (cells.length !== GERMAN_ATTRIBUTES.length + 1) throw new Error(`german.data line ${i + 1}: ${cells.length} fields, expected 21`);
    const values: Record<string, Value> = {};
    GERMAN_ATTRIBUTES.forEach((a, j) => (values[a.name] = a.kind === "numeric" ? toNumber(cells[j]) : cells[j]!));
    const cls = cells[20];
    if (cls !== "1" && cls !== "2") throw new Error(`german.data line ${i + 1}: class "${cls}", expected 1 or 2`);
    return { values, label: cls === "2" ? 1 : 0 };
  });
  return { name: "german", examples, features: GERMAN_ATTRIBUTES };
}

export const PRESETS = {
  uci: { file: "uci-credit-card/UCI_Credit_Card.csv", load: uciDataset },
  german: { file: "german-credit/german.data", load: germanDataset },
} as const;
export type PresetName = keyof typeof PRESETS;

export function loadPreset(name: PresetName, dir = datasetsDir()): Dataset {
  const preset = PRESETS[name];
  return preset.load(readFileSync(path.join(dir, preset.file), "utf8"));
}
