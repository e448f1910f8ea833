// Training data for the churn scorecard: one feature snapshot per live loan at each monthly as-of date, computed by
// the rule feature catalogue as of that date (featureSql: one set-based statement per month, reading only rows dated
// on or before it), labelled by whether the loan's customer had a churn event in the H days after the as-of date.
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { featureSql, featuresFor, type Feature } from "../rules/features";
import { isIsoDate } from "../time";
import { seededRandom } from "./random";
import { TableBuilder, type SnapshotTable } from "./table";
import type { FeatureSpec, Value } from "./types";

/** Which churn events count as the label: any kind, or a subset. */
export const LABEL_KINDS = ["any", "default", "voluntary", "pre_loan"] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];

export const DEFAULT_HORIZON_DAYS = 90;

/** Features the model never reads: its own outputs (a score trained on itself). */
export const MODEL_OUTPUT_FEATURES = new Set(["risk_score", "risk_band"]);

const labelFilter: Record<LabelKind, SQL> = {
  any: sql`true`,
  // A default, and the write-off that follows a default.
  default: sql`e.kind in ('default', 'written_off')`,
  voluntary: sql`e.will = 'voluntary'`,
  pre_loan: sql`e.stage = 'pre_loan'`,
};

/** The candidate features: every loan feature of the catalogue but the model's own outputs. */
export function candidateFeatures(): Feature[] {
  return featuresFor("loan").filter((f) => !MODEL_OUTPUT_FEATURES.has(f.key));
}

/** How the scorecard bins a catalogue feature: numbers by range, text and yes/no by category. */
export function specOf(f: Pick<Feature, "key" | "type">): FeatureSpec {
  return { name: f.key, kind: f.type === "number" ? "numeric" : "categorical" };
}

/** A catalogue value as the scorecard reads it (postgres-js returns numerics as strings; booleans become categories). */
export function toValue(type: Feature["type"], v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (type === "number") {
    const n = typeof v === "number" ? v : Number(v);
    return Number.isFinite(n) ? n : null;
  }
  if (type === "boolean") return v === true || v === "t" || v === "true" ? "yes" : "no";
  return String(v);
}

const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10); // m is 1-based

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The monthly as-of dates (month ends, oldest first) of a training window: the newest month end whose label window
 * (H days after it) is complete by `today`, and the `months - 1` month ends before it.
 */
export function monthlyAsOfs(today: string, months: number, horizonDays: number): string[] {
  if (!isIsoDate(today)) throw new RangeError(`today must be a YYYY-MM-DD date, got "${today}"`);
  if (!Number.isInteger(months) || months < 2) throw new RangeError(`months must be an integer ≥ 2, got ${months}`);
  const latest = addDays(today, -horizonDays);
  const y = Number(latest.slice(0, 4));
  let m = Number(latest.slice(5, 7));
  if (lastDayOfMonth(y, m) > latest) m -= 1;
  const out: string[] = [];
  for (let i = 0; i < months; i++) {
    let mm = m - i;
    let yy = y;
    while (mm < 1) {
      mm += 12;
      yy -= 1;
    }
    out.push(lastDayOfMonth(yy, mm));
  }
  return out.reverse();
}

/** The statement of one month's snapshot: the catalogue's feature pass as of the date, and the label. */
export function snapshotSql(asOf: string, keys: readonly string[], label: LabelKind, horizonDays: number): SQL {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${asOf}"`);
  if (!Number.isInteger(horizonDays) || horizonDays < 1) throw new RangeError(`horizonDays must be a positive integer, got ${horizonDays}`);
  return sql`select f.*, exists (
      select 1 from churn_events e
      where e.customer_id = f.customer_id and e.status <> 'dismissed'
        and e.effective_on > ${asOf}::date and e.effective_on <= ${asOf}::date + ${horizonDays}::int and ${labelFilter[label]}
    ) as churn_label
    from (${featureSql("loan", { kind: "all" }, asOf, keys)}) f`;
}

/** The snapshots as columns (./table.ts; `snapshotsOf(table)` gives them back as objects), and what was read. */
export type TrainingData = { table: SnapshotTable; features: FeatureSpec[]; asOfs: string[]; rowsRead: number };

/** Indexes of a seeded uniform sample of `keep` out of `n` rows, ascending (all of them when keep ≥ n). */
export function sampleIndexes(n: number, keep: number, seed: number): number[] {
  if (keep >= n) return Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(seed);
  const keys = Float64Array.from({ length: n }, () => random());
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
  return order.slice(0, keep).sort((a, b) => a - b);
}

/**
 * A seeded sample of `keep` rows that keeps the month's event rate: events and non-events are sampled apart, in
 * proportion, and a month with any event keeps at least one, so a small sample of a month with few churners still
 * has both outcomes to validate on.
 */
export function sampleStratified(labels: readonly number[], keep: number, seed: number): number[] {
  if (keep >= labels.length) return labels.map((_, i) => i);
  const events = labels.flatMap((l, i) => (l ? [i] : []));
  const others = labels.flatMap((l, i) => (l ? [] : [i]));
  const keepEvents = events.length ? Math.min(events.length, Math.max(1, Math.round((keep * events.length) / labels.length))) : 0;
  const picked = [
    ...sampleIndexes(events.length, keepEvents, seed).map((i) => events[i]!),
    ...sampleIndexes(others.length, keep - keepEvents, seed + 1).map((i) => others[i]!),
  ];
  return picked.sort((a, b) => a - b);
}

/**
 * Reads the snapshots of every as-of date, one statement per date, in a stable order (as-of, loan id) so training
 * on them is deterministic. `onMonth` reports progress after each date.
 */
export async function loadTrainingData(
  db: DbOrTx,
  opts: {
    asOfs: readonly string[];
    label: LabelKind;
    horizonDays: number;
    features?: readonly Feature[];
    /** Keep at most this many rows of each month, a seeded sample at the month's event rate (memory stays bounded on a large book). */
    maxRowsPerMonth?: number;
    seed?: number;
    /** Month statements in flight at once (2). */
    parallel?: number;
    onMonth?: (done: number, total: number) => Promise<void> | void;
  },
): Promise<TrainingData> {
  const features = opts.features ?? candidateFeatures();
  const keys = features.map((f) => f.key);
  const specs = features.map(specOf);
  const types = new Map(features.map((f) => [f.key, f.type]));
  const table = new TableBuilder(specs);
  let rowsRead = 0;
  // Two months' statements in flight: on a quiet machine Postgres runs one on each core while this process takes the
  // previous month's rows. Rows still join the table in month order, so the result is the same as one at a time.
  const fetch = (asOf: string) => {
    // Promise.resolve runs drizzle's lazy query once, now (its own then would run it again on every await).
    const p = Promise.resolve(db.execute<Record<string, unknown>>(sql`select * from (${snapshotSql(asOf, keys, opts.label, opts.horizonDays)}) s order by loan_id`));
    p.catch(() => {}); // awaited below in order; this only keeps a later month's failure from being "unhandled" meanwhile
    return p;
  };
  const inFlight: ReturnType<typeof fetch>[] = [];
  let next = 0;
  for (let m = 0; m < opts.asOfs.length; m++) {
    while (inFlight.length < (opts.parallel ?? 2) && next < opts.asOfs.length) inFlight.push(fetch(opts.asOfs[next++]!));
    const asOf = opts.asOfs[m]!;
    const rows = await inFlight.shift()!;
    rowsRead += rows.length;
    const kept = sampleStratified(
      rows.map((r) => (r.churn_label ? 1 : 0)),
      opts.maxRowsPerMonth ?? Infinity,
      (opts.seed ?? 1) * 1_000 + m,
    );
    for (const i of kept) {
      const r = rows[i]!;
      table.push((k) => toValue(types.get(k)!, r[k]), r.churn_label ? 1 : 0, asOf, Number(r.loan_id));
    }
    await opts.onMonth?.(m + 1, opts.asOfs.length);
  }
  return { table: table.build(), features: specs, asOfs: [...opts.asOfs], rowsRead };
}
