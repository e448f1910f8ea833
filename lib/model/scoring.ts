// Scoring with the active model: the nightly COB scores each loan partition, the event path the changed loans.
// One feature pass of the catalogue (only the scorecard's features) as of the date, points and reason codes by the
// scorecard library (so stored points always add up to the stored score), one upsert of the results.
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { featureOf, featureSql } from "../rules/features";
import { notify } from "../tasks/notify";
import { isIsoDate } from "../time";
import type { Target } from "../vocabulary";
import { psiFromCounts, countIntoBins } from "./metrics";
import { pointsOf, reasonCodes } from "./scorecard";
import { toValue } from "./training-data";
import type { Value } from "./types";
import { activeModel, bandOf, type ActiveModel } from "./versions";

/** Points of one feature as stored: f feature, v value, p points. */
export type StoredPoints = { f: string; v: Value; p: number };
/** A reason code as stored: the feature, its actual value, its points and how far above its best bin. */
export type StoredReason = { feature: string; value: Value; points: number; aboveBest: number };

/** Above this PSI of today's scores against the training population, admins are warned (the usual threshold). */
export const PSI_WARNING = 0.25;

function loanFilter(target: Target, column: SQL): SQL {
  switch (target.kind) {
    case "all":
      return sql`true`;
    case "range":
      return sql`${column} between ${target.from}::int and ${target.to}::int`;
    case "loans":
      return sql`${column} = any(${`{${target.ids.join(",")}}`}::int[])`;
  }
}

/** Scores one row of catalogue values: points per feature, the score (their sum), band and top three reasons. */
export function scoreRow(model: Pick<ActiveModel, "scorecard" | "metrics">, values: Record<string, Value>) {
  const points = pointsOf(model.scorecard, values);
  const total = points.reduce((s, p) => s + p.points, 0);
  return {
    score: total,
    band: bandOf(model.metrics.bands, total),
    points: points.map((p): StoredPoints => ({ f: p.feature, v: p.value ?? null, p: p.points })),
    reasons: reasonCodes(model.scorecard, values, 3).map((r): StoredReason => ({ feature: r.feature, value: r.value ?? null, points: r.points, aboveBest: r.aboveBest })),
  };
}

/**
 * Scores the live loans of `target` as of `asOf` with the active model and stores the results (one row per loan,
 * replaced); loans of the target no longer live lose their score. Without an active model it does nothing.
 */
export async function scoreLoans(db: DbOrTx, target: Target, asOf: string): Promise<{ scored: number; modelVersionId: number | null }> {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${asOf}"`);
  if (target.kind === "loans" && target.ids.length === 0) return { scored: 0, modelVersionId: null };
  const model = await activeModel(db);
  if (!model) return { scored: 0, modelVersionId: null };
  const features = model.scorecard.features.map((f) => featureOf(f.name)).filter((f) => f !== undefined && f.subject === "loan");
  const rows = await db.execute<Record<string, unknown>>(featureSql("loan", target, asOf, features.map((f) => f!.key)));
  const out = rows.map((r) => {
    const values: Record<string, Value> = {};
    for (const f of features) values[f!.key] = toValue(f!.type, r[f!.key]);
    return { loan_id: Number(r.loan_id), customer_id: Number(r.customer_id), ...scoreRow(model, values) };
  });
  const ids = `{${out.map((o) => o.loan_id).join(",")}}`;
  await db.execute(sql`delete from model_scores where ${loanFilter(target, sql`loan_id`)} and not (loan_id = any(${ids}::int[]))`);
  if (out.length) {
    await db.execute(sql`
      insert into model_scores (loan_id, customer_id, model_version_id, as_of, score, band, points, reasons, scored_at)
      select x.loan_id, x.customer_id, ${model.id}::int, ${asOf}::date, x.score, x.band, x.points, x.reasons, now()
      from jsonb_to_recordset(${JSON.stringify(out)}::jsonb) as x(loan_id int, customer_id int, score int, band text, points jsonb, reasons jsonb)
      on conflict (loan_id) do update set customer_id = excluded.customer_id, model_version_id = excluded.model_version_id, as_of = excluded.as_of,
        score = excluded.score, band = excluded.band, points = excluded.points, reasons = excluded.reasons, scored_at = excluded.scored_at`);
  }
  return { scored: out.length, modelVersionId: model.id };
}

/** PSI of the active model's current scores (today's population) against its training population; null without scores. */
export async function populationPsi(db: DbOrTx): Promise<{ modelVersionId: number; version: number; psi: number; rows: number } | null> {
  const model = await activeModel(db);
  if (!model) return null;
  const { cuts, counts } = model.metrics.reference;
  const rows = await db.execute<{ score: number }>(sql`select score from model_scores where model_version_id = ${model.id}`);
  if (rows.length === 0) return null;
  const actual = countIntoBins(
    rows.map((r) => r.score),
    cuts,
  );
  return { modelVersionId: model.id, version: model.version, psi: psiFromCounts(counts, actual), rows: rows.length };
}

/**
 * Warns every active admin once per model version and day when today's population has moved away from the training
 * population (PSI above 0.25): an in-app notification (dedupe key per version and day).
 */
export async function checkPopulationPsi(db: DbOrTx, today: string): Promise<{ psi: number | null; warned: number }> {
  const r = await populationPsi(db);
  if (!r || r.psi <= PSI_WARNING) return { psi: r?.psi ?? null, warned: 0 };
  const admins = await db.execute<{ id: number }>(sql`select id from users where active and role = 'admin'`);
  const warned = await notify(db, {
    userIds: admins.map((a) => a.id),
    kind: "model_drift",
    taskId: null,
    key: `model-psi:${r.modelVersionId}:${today}`,
    detail: { version: r.version, psi: Math.round(r.psi * 1000) / 1000, rows: r.rows },
  });
  return { psi: r.psi, warned };
}
