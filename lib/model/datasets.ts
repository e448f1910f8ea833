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
export function datasetsDir(env: Readonly<Record<string, string | undefined>> = process.env, start = REPO_ROOT): string {
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
 * scorecard input, binned like the rest; "status" is the monthly repayment status PAY_0, PAY_2..PAY_6, where ≥ 1
 * is months of delay, and a payment PAY_AMTk pays the bill of the month before, BILL_AMT(k+1)):
 * - max_delay: the worst status over the 6 months;
 * - delay_months: how many of the 6 months show a delay (status ≥ 1);
 * - delay_months_before: the same over the 4 months before the last two (PAY_3..PAY_6);
 * - status_recent: the last two statuses as one category ("2+|0": 2 or more months late now, revolving before);
 * - util_1, util_avg, util_max: bill / credit limit, latest month, mean and highest over 6 months;
 * - pay_ratio_1, pay_ratio_avg, pay_ratio_min: amount paid / the bill it pays, latest, summed over 5 months, and the
 *   lowest month; missing when there was no bill to pay (its own bin);
 * - zero_pay_months: months with no payment at all;
 * - bill_growth: latest bill / bill 6 months ago (missing when that was ≤ 0).
 * The statuses -2 (no consumption), -1 (paid in full), 0 (revolving) are kinds, not a scale, so PAY_* are
 * categorical; ID is dropped.
 */
export function uciDataset(text: string): Dataset {
  const base = datasetFromCsv("uci", text, { label: "default.payment.next.month", drop: ["ID"] });
  const statusCols = ["PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6"];
  const num = (v: Value) => (typeof v === "number" ? v : 0);
  const code = (x: number) => (x >= 2 ? "2+" : String(x));
  for (const e of base.examples) {
    const v = e.values as Record<string, Value>;
    const s = statusCols.map((c) => num(v[c]));
    const bill = [1, 2, 3, 4, 5, 6].map((k) => num(v[`BILL_AMT${k}`]));
    const paid = [1, 2, 3, 4, 5, 6].map((k) => num(v[`PAY_AMT${k}`]));
    const limit = num(v.LIMIT_BAL);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    v.max_delay = Math.max(...s);
    v.delay_months = s.filter((x) => x >= 1).length;
    v.delay_months_before = s.slice(2).filter((x) => x >= 1).length;
    v.status_recent = `${code(s[0]!)}|${code(s[1]!)}`;
    v.util_1 = ratio(bill[0]!, limit);
    v.util_avg = ratio(sum(bill) / 6, limit);
    v.util_max = ratio(Math.max(...bill), limit);
    v.pay_ratio_1 = ratio(paid[0]!, bill[1]!);
    v.pay_ratio_avg = ratio(sum(paid.slice(0, 5)), sum(bill.slice(1).map((b) => Math.max(b, 0))));
    const monthly = [0, 1, 2, 3, 4].flatMap((k) => (bill[k + 1]! > 0 ? [paid[k]! / bill[k + 1]!] : []));
    v.pay_ratio_min = monthly.length > 0 ? Math.min(...monthly) : null;
    v.zero_pay_months = paid.filter((p) => p === 0).length;
    v.bill_growth = ratio(bill[0]!, bill[5]!);
  }
  const engineered = ["max_delay", "delay_months", "delay_months_before", "util_1", "util_avg", "util_max", "pay_ratio_1", "pay_ratio_avg", "pay_ratio_min", "zero_pay_months", "bill_growth"];
  const features: FeatureSpec[] = [
    ...base.features.map((f) => (statusCols.includes(f.name) ? { ...f, kind: "categorical" as const } : f)),
    ...engineered.map((name) => ({ name, kind: "numeric" as const })),
    { name: "status_recent", kind: "categorical" },
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
