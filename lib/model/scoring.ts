// Scoring with the active model: the nightly COB scores each loan partition, the event path the changed loans, both
// inside the rule evaluation's own feature pass (lib/rules/evaluate.ts: the scorecard's features are catalogue
// columns of that pass); an activation scores the whole portfolio alone (scoreLoans). Points, score, band and reason
// codes are computed set-based in the same statement, from the scorecard compiled to CASE expressions that read the
// bins exactly as the scorecard library does (lib/model/scorecard.ts pointsOf / reasonCodes; the tests compare the
// two), so stored points always add up to the stored score; one upsert per statement writes them.
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { FEATURE_PASS_SETTINGS, featureOf, featureSql, type Feature } from "../rules/features";
import { notify } from "../tasks/notify";
import { isIsoDate } from "../time";
import type { Target } from "../vocabulary";
import { psiFromCounts, countIntoBins } from "./metrics";
import { pointsOf, reasonCodes, type ScorecardFeature } from "./scorecard";
import { MODEL_OUTPUT_FEATURES } from "./training-data";
import type { Value } from "./types";
import { activeModel, activeModelWithId, bandOf, type ActiveModel } from "./versions";

/**
 * Points as stored: each scorecard feature's points, in the order of the model version's scorecard features (the
 * values are the catalogue's as of the score's date; the reasons carry the ones that matter).
 */
export type StoredPoints = number[];
/** A reason code as stored: the feature, its actual value, its points and how far above its best bin. */
export type StoredReason = { feature: string; value: Value; points: number; aboveBest: number };

/** Above this PSI of today's scores against the training population, admins are warned (the usual threshold). */
export const PSI_WARNING = 0.25;

export { activeModelWithId };

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

/** Scores one row of catalogue values in JS (the reference the set-based scoring is tested against). */
export function scoreRow(model: Pick<ActiveModel, "scorecard" | "metrics">, values: Record<string, Value>) {
  const points = pointsOf(model.scorecard, values);
  const total = points.reduce((s, p) => s + p.points, 0);
  return {
    score: total,
    band: bandOf(model.metrics.bands, total),
    points: points.map((p): number => p.points),
    reasons: reasonCodes(model.scorecard, values, 3).map((r): StoredReason => ({ feature: r.feature, value: r.value ?? null, points: r.points, aboveBest: r.aboveBest })),
  };
}

/** The catalogue's loan features a scorecard reads (a feature the catalogue no longer has scores as missing). */
function cardFeature(name: string): Feature | undefined {
  const f = featureOf(name);
  return f && f.subject === "loan" ? f : undefined;
}

/** The catalogue keys the model's scorecard reads: what the feature pass must compute for it. */
export function modelFeatureKeys(model: Pick<ActiveModel, "scorecard">): string[] {
  return model.scorecard.features.map((f) => cardFeature(f.name)?.key).filter((k): k is string => k !== undefined);
}

/** Whether a feature is one of the model's outputs (risk_score, risk_band), read from the fresh scores, not the pass. */
export const isModelOutput = (key: string) => MODEL_OUTPUT_FEATURES.has(key);

// One scorecard feature as SQL over the pass row `p`: its value as the scorecard reads it (`read`: lib/model/
// training-data.ts toValue: numbers as float8, as JS numbers compare; booleans as the categories 'yes'/'no'), the
// points of the bin that value (`x`, the column `read` is selected as) falls in (binning.ts findBin: the missing bin
// for a missing value, else the first bin that holds it, else the feature's neutral points), and the value as stored
// in a reason.
function featureTerms(f: ScorecardFeature, x: SQL): { read: SQL; points: SQL; value: SQL } {
  const c = cardFeature(f.name);
  const col = c ? sql`p.${sql.identifier(c.key)}` : sql`null`;
  const missingBin = f.bins.find((b) => b.rule.kind === "missing");
  const missing = sql`${missingBin ? missingBin.points : f.neutralPoints}::int`;
  const arms: SQL[] = [];
  let read: SQL;
  if (f.kind === "numeric") {
    read = c?.type === "number" ? sql`${col}::float8` : sql`null::float8`;
    for (const b of f.bins) {
      if (b.rule.kind !== "range") continue;
      const conds = [sql`true`];
      if (b.rule.lo !== null) conds.push(sql`${x} > ${b.rule.lo}::float8`);
      if (b.rule.hi !== null) conds.push(sql`${x} <= ${b.rule.hi}::float8`);
      arms.push(sql`when ${sql.join(conds, sql` and `)} then ${b.points}::int`);
    }
  } else {
    read = !c ? sql`null::text` : c.type === "boolean" ? sql`(case when ${col} then 'yes' when not ${col} then 'no' end)` : sql`${col}::text`;
    for (const b of f.bins) {
      if (b.rule.kind !== "categories" || b.rule.values.length === 0) continue;
      arms.push(sql`when ${x} in (${sql.join(b.rule.values.map((v) => sql`${v}::text`), sql`, `)}) then ${b.points}::int`);
    }
  }
  // A blank category is missing too (binning.ts isMissing).
  const isMissing = f.kind === "numeric" ? sql`${x} is null` : sql`(${x} is null or btrim(${x}) = '')`;
  // As JSON text (a reason is assembled as text and parsed once: cheaper than building jsonb values per row).
  const value = !c
    ? sql`'null'`
    : c.type === "boolean"
      ? sql`(case when ${col} then '"yes"' when not ${col} then '"no"' else 'null' end)`
      : c.type === "number"
        ? sql`coalesce(${col}::numeric::text, 'null')`
        : sql`coalesce(to_json(${col}::text)::text, 'null')`;
  return { read, points: sql`(case when ${isMissing} then ${missing} ${sql.join(arms, sql` `)} else ${f.neutralPoints}::int end)`, value };
}

/**
 * The scores of the rows of `pass` (a relation with loan_id, customer_id and the scorecard's feature columns, e.g. a
 * materialised feature pass): loan_id, customer_id, score, band, points (jsonb array in card order) and reasons (the
 * top three points above each feature's best bin, largest first, ties by feature name, as reasonCodes orders them).
 * Scalar expressions only: a subquery per row (sorting the features' gaps) cost more than the rest of the scoring.
 */
export function scoresSql(model: Pick<ActiveModel, "scorecard" | "metrics">, pass: SQL): SQL {
  const features = model.scorecard.features;
  if (features.length === 0) {
    return sql`select p.loan_id, p.customer_id, 0 as score, ${bandOf(model.metrics.bands, 0)}::text as band, '[]'::jsonb as points, '[]'::jsonb as reasons from ${pass} p`;
  }
  // Each level is a subquery kept apart (offset 0), so each expression is computed once per row: flattened, the
  // planner copied the value and points expressions into every place that reads them (or, as lateral subqueries,
  // memoised them under keys as long as the expressions).
  const col = (name: string) => sql`p.${sql.identifier(name)}`;
  const xt = (j: number) => col(`cw_x${j}`);
  const pt = (j: number) => col(`cw_p${j}`);
  const rank = (j: number) => col(`cw_r${j}`);
  const terms = features.map((f, j) => featureTerms(f, xt(j)));
  const best = features.map((f) => Math.min(...f.bins.map((b) => b.points)));
  // Points above the feature's best bin (the reason's gap).
  const gap = (j: number) => sql`(${pt(j)} - ${best[j]!}::int)`;
  // A feature's place among the gaps, largest first, ties by name (reasonCodes' order): how many come before it.
  const ranks = features.map((f, j) => {
    const before = features.flatMap((g, i) => (i === j ? [] : [g.name < f.name ? sql`(${gap(i)} >= ${gap(j)})::int` : sql`(${gap(i)} > ${gap(j)})::int`]));
    return sql`${before.length ? sql.join(before, sql` + `) : sql`0`} as ${sql.identifier(`cw_r${j}`)}`;
  });
  // {"feature", "value", "points", "aboveBest"} as JSON text (feature names are snake_case catalogue keys).
  const reason = (j: number) =>
    sql`(${`{"feature":${JSON.stringify(features[j]!.name)},"value":`}::text || ${terms[j]!.value} || ',"points":' || ${pt(j)}::text || ',"aboveBest":' || ${gap(j)}::text || '}')`;
  // The reason at place r: the feature ranked r, if its gap is above zero (then so are those of the places before).
  const place = (r: number) => sql`case ${sql.join(features.map((_, j) => sql`when ${rank(j)} = ${r}::int and ${gap(j)} > 0 then ${reason(j)}`), sql` `)} end`;
  const places = Array.from({ length: Math.min(3, features.length) }, (_, r) => place(r));
  const { high, medium } = model.metrics.bands;
  const keys = [...new Set(features.map((f) => cardFeature(f.name)?.key).filter((k): k is string => k !== undefined))].map((k) => sql`, ${col(k)}`);
  const values = sql`select p.loan_id, p.customer_id ${sql.join(keys, sql``)}, ${sql.join(terms.map((t, j) => sql`${t.read} as ${sql.identifier(`cw_x${j}`)}`), sql`, `)}
    from ${pass} p offset 0`;
  const points = sql`select p.*, ${sql.join(terms.map((t, j) => sql`${t.points} as ${sql.identifier(`cw_p${j}`)}`), sql`, `)} from (${values}) p offset 0`;
  const ranked = sql`select p.*, ${sql.join(features.map((_, j) => pt(j)), sql` + `)} as cw_score, ${sql.join(ranks, sql`, `)} from (${points}) p offset 0`;
  return sql`select p.loan_id, p.customer_id, p.cw_score as score,
      case when p.cw_score >= ${high}::int then 'high' when p.cw_score >= ${medium}::int then 'medium' else 'low' end as band,
      jsonb_build_array(${sql.join(features.map((_, j) => pt(j)), sql`, `)}) as points,
      ('[' || concat_ws(',', ${sql.join(places, sql`, `)}) || ']')::jsonb as reasons
    from (${ranked}) p`;
}

/**
 * The writes of a scoring, as CTEs of the statement that computes `scores` (a CTE name with scoresSql's columns):
 * one upsert of every row (a re-run for the same date with the same result writes nothing), and the removal of the
 * scores of the target's loans that are no longer live.
 */
export function scoreWrites(model: Pick<ActiveModel, "id">, scores: SQL, target: Target, asOf: string): SQL {
  return sql`cw_score_upsert as (
      insert into model_scores (loan_id, customer_id, model_version_id, as_of, score, band, points, reasons, scored_at)
      select s.loan_id, s.customer_id, ${model.id}::int, ${asOf}::date, s.score, s.band, s.points, s.reasons, now() from ${scores} s
      on conflict (loan_id) do update set customer_id = excluded.customer_id, model_version_id = excluded.model_version_id, as_of = excluded.as_of,
        score = excluded.score, band = excluded.band, points = excluded.points, reasons = excluded.reasons, scored_at = excluded.scored_at
      where (model_scores.customer_id, model_scores.model_version_id, model_scores.as_of, model_scores.score, model_scores.band, model_scores.points, model_scores.reasons)
        is distinct from (excluded.customer_id, excluded.model_version_id, excluded.as_of, excluded.score, excluded.band, excluded.points, excluded.reasons)
    ), cw_score_gone as (
      -- The target's loans without a score tonight (not live), then their stored scores by primary key: reading the
      -- stored scores of the whole range instead read every dead version an update had left there.
      delete from model_scores ms where ms.loan_id = any(array(
        select l.id from loans l where ${loanFilter(target, sql`l.id`)} and not exists (select 1 from ${scores} s where s.loan_id = l.id)))
    )`;
}

/**
 * Scores the live loans of `target` as of `asOf` with `model` in one statement: a feature pass of the scorecard's
 * features, the scores, their writes. Runs on the caller's connection (inside its transaction and settings).
 */
export async function scoreTarget(exec: <T>(s: SQL) => Promise<T[]>, model: ActiveModel, target: Target, asOf: string): Promise<number> {
  const [r] = await exec<{ scored: number }>(sql`
    with cw_pass as materialized (${featureSql("loan", target, asOf, modelFeatureKeys(model))}),
    cw_scores as materialized (${scoresSql(model, sql`cw_pass`)}),
    ${scoreWrites(model, sql`cw_scores`, target, asOf)}
    select count(*)::int as scored from cw_scores`);
  return r?.scored ?? 0;
}

/**
 * Scores the live loans of `target` as of `asOf` with the active model and stores the results (one row per loan,
 * replaced); loans of the target no longer live lose their score. Without an active model it does nothing. The
 * nightly run and event batches score inside their rule evaluation instead (evaluateRules with `score: true`).
 */
export async function scoreLoans(db: DbOrTx, target: Target, asOf: string): Promise<{ scored: number; modelVersionId: number | null }> {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${asOf}"`);
  if (target.kind === "loans" && target.ids.length === 0) return { scored: 0, modelVersionId: null };
  const model = await activeModel(db);
  if (!model) return { scored: 0, modelVersionId: null };
  const scored = await db.transaction(async (tx) => {
    // The feature pass's planner settings (lib/rules/features.ts FEATURE_PASS_SETTINGS), local to this transaction.
    await tx.execute(sql`select ${FEATURE_PASS_SETTINGS}`);
    return scoreTarget(async <T>(s: SQL) => (await tx.execute(s)) as unknown as T[], model, target, asOf);
  });
  return { scored, modelVersionId: model.id };
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
