// The model registry: every training run is a model version (its parameters, data window, progress, then its
// scorecard and validation metrics); activation is maker-checker as for rules and lexicons (lib/signals/versions.ts):
// an admin who did not train the version activates it, audited, and it replaces the active one atomically.
import "server-only";
import { desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../audit";
import type { Actor } from "../auth/roles";
import type { Db, DbOrTx } from "../db/client";
import { enqueue, type Queues } from "../pipeline/queues";
import { modelVersions as mv } from "../db/schema";
import { Conflict, Forbidden, Invalid, NotFound, fromZodIssues, isUniqueViolation } from "../errors";
import { isIsoDate } from "../time";
import type { RiskBand, RunStatus } from "../vocabulary";
import { countIntoBins, quantileCuts } from "./metrics";
import type { FeatureDecision, Scorecard } from "./scorecard";
import { DEFAULT_HORIZON_DAYS, LABEL_KINDS, loadTrainingData, monthlyAsOfs, type LabelKind } from "./training-data";
import { trainAndValidate, type Validation } from "./validate";

export const MODEL_READERS = ["admin", "supervisor"] as const;
export const MODEL_EDITORS = ["admin"] as const;

type ModelActor = Pick<Actor, "userId" | "role">;

export const trainRequestSchema = z.object({
  label: z.enum(LABEL_KINDS).default("any"),
  horizonDays: z.coerce.number().int().min(7).max(365).default(DEFAULT_HORIZON_DAYS),
  months: z.coerce.number().int().min(3).max(36).default(12),
  seed: z.coerce.number().int().min(0).max(2_147_483_647).default(1),
});
export type TrainRequest = z.input<typeof trainRequestSchema>;

/** Above this many snapshot rows a seeded uniform sample of each month trains (memory and time stay bounded; rates unchanged). */
export const MAX_TRAINING_ROWS = 400_000;

/** Band cut-offs from the training population's score: the top 10% high, the next 20% medium, the rest low. */
export type BandCuts = { medium: number; high: number };

/** The validation figures (lib/model/validate.ts) and what the product keeps beside them. */
export type ModelMetrics = Validation & {
  trainEvents: number;
  /** The training population's score distribution (decile cuts and counts): today's PSI is measured against it. */
  reference: { cuts: number[]; counts: number[] };
  bands: BandCuts;
  /** Snapshot rows read (before sampling; trainRows + validateRows were kept). */
  snapshotRows: number;
};

export type ModelVersionRow = {
  id: number;
  version: number;
  status: RunStatus;
  progress: number;
  stage: string;
  label: LabelKind;
  horizonDays: number;
  months: number;
  seed: number;
  dataFrom: string | null;
  dataTo: string | null;
  failure: string | null;
  trainedBy: number;
  trainedByName: string | null;
  requestedAt: Date;
  finishedAt: Date | null;
  active: boolean;
  activatedBy: number | null;
  activatedByName: string | null;
  activatedAt: Date | null;
  auc: number | null;
};

export type ModelVersionDetail = ModelVersionRow & { metrics: ModelMetrics | null; scorecard: Scorecard | null; features: FeatureDecision[] | null };

const columns = {
  id: mv.id,
  version: mv.version,
  status: mv.status,
  progress: mv.progress,
  stage: mv.stage,
  label: sql<LabelKind>`${mv.label}`,
  horizonDays: mv.horizonDays,
  months: mv.months,
  seed: mv.seed,
  dataFrom: mv.dataFrom,
  dataTo: mv.dataTo,
  failure: mv.failure,
  trainedBy: mv.trainedBy,
  trainedByName: sql<string | null>`(select display_name from users u where u.id = ${mv.trainedBy})`,
  requestedAt: mv.requestedAt,
  finishedAt: mv.finishedAt,
  active: mv.active,
  activatedBy: mv.activatedBy,
  activatedByName: sql<string | null>`(select display_name from users u where u.id = ${mv.activatedBy})`,
  activatedAt: mv.activatedAt,
  auc: sql<number | null>`(${mv.metrics}->>'auc')::float8`,
};

function requireRole(actor: ModelActor, roles: readonly string[]): void {
  if (!roles.includes(actor.role)) throw new Forbidden();
}

/** Every version, newest first, without scorecards. */
export async function listModelVersions(db: DbOrTx, actor: ModelActor): Promise<ModelVersionRow[]> {
  requireRole(actor, MODEL_READERS);
  return db.select(columns).from(mv).orderBy(desc(mv.version));
}

export async function getModelVersion(db: DbOrTx, actor: ModelActor, id: number): Promise<ModelVersionDetail> {
  requireRole(actor, MODEL_READERS);
  const [row] = await db
    .select({ ...columns, metrics: mv.metrics, scorecard: mv.scorecard, features: mv.features })
    .from(mv)
    .where(eq(mv.id, id));
  if (!row) throw new NotFound("modelVersion");
  return { ...row, metrics: row.metrics as ModelMetrics | null, scorecard: row.scorecard as Scorecard | null, features: row.features as FeatureDecision[] | null };
}

/**
 * Records a training request as version N+1 (queued) and returns its id; the caller enqueues "model.train" after
 * the commit (the row is the truth: the reconciler of lost jobs is the next request, refused while one is queued
 * or running, so an admin sees a stuck run and it is failed by the job's final failure).
 */
export async function requestTraining(db: Db, actor: ModelActor, input: unknown): Promise<{ id: number; version: number }> {
  requireRole(actor, MODEL_EDITORS);
  const p = trainRequestSchema.safeParse(input ?? {});
  if (!p.success) throw new Invalid(fromZodIssues(p.error.issues));
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`lock table model_versions in share row exclusive mode`);
      const [busy] = await tx.select({ id: mv.id }).from(mv).where(sql`${mv.status} in ('queued', 'running')`);
      if (busy) throw new Conflict("modelTraining");
      const [last] = await tx.select({ n: sql<number | null>`max(${mv.version})` }).from(mv);
      const version = (last?.n ?? 0) + 1;
      const [row] = await tx
        .insert(mv)
        .values({ version, label: p.data.label, horizonDays: p.data.horizonDays, months: p.data.months, seed: p.data.seed, trainedBy: actor.userId })
        .returning({ id: mv.id });
      await audit(tx, { kind: "user", userId: actor.userId }, { action: "model.train", entity: "model_version", entityId: row!.id, after: { version, ...p.data } });
      return { id: row!.id, version };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict("modelTraining");
    throw e;
  }
}

async function setProgress(db: DbOrTx, id: number, progress: number, stage: string): Promise<void> {
  await db.execute(sql`update model_versions set progress = ${Math.round(progress)}, stage = ${stage} where id = ${id} and status = 'running'`);
}

/** The score at which a share of the sorted population lies at or below. */
const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

export function bandOf(cuts: BandCuts, s: number): RiskBand {
  return s >= cuts.high ? "high" : s >= cuts.medium ? "medium" : "low";
}

/**
 * Runs a queued training: snapshots month by month (progress in Postgres), the scorecard on the older months and
 * its validation on the newest, the reference score distribution and the bands; stores it all in one statement.
 * Idempotent: a version that is not queued or running is left alone; a re-run after a crash starts over.
 */
export async function runTraining(db: Db, id: number, opts: { today: string; maxRows?: number }): Promise<{ skipped: boolean }> {
  if (!isIsoDate(opts.today)) throw new RangeError(`today must be a YYYY-MM-DD date, got "${opts.today}"`);
  const [v] = await db.execute<{ label: LabelKind; horizon_days: number; months: number; seed: number }>(sql`
    update model_versions set status = 'running', progress = 0, stage = 'snapshots' where id = ${id} and status in ('queued', 'running')
    returning label, horizon_days, months, seed`);
  if (!v) return { skipped: true };
  const asOfs = monthlyAsOfs(opts.today, v.months, v.horizon_days);
  await db.execute(sql`update model_versions set data_from = ${asOfs[0]!}::date, data_to = ${asOfs[asOfs.length - 1]!}::date where id = ${id}`);
  const data = await loadTrainingData(db, {
    asOfs,
    label: v.label,
    horizonDays: v.horizon_days,
    maxRowsPerMonth: Math.ceil((opts.maxRows ?? MAX_TRAINING_ROWS) / asOfs.length),
    seed: v.seed,
    onMonth: (done, total) => setProgress(db, id, 5 + (70 * done) / total, `snapshots ${done}/${total}`),
  });
  await setProgress(db, id, 80, "training");
  // The training rows' scores come back with the validation (computed there for the score's PSI).
  const { scorecard, decisions, validation, trainScores } = trainAndValidate(data.table, data.features, { validateMonths: 1 });
  await setProgress(db, id, 92, "validation");
  const sorted = trainScores.slice().sort((a, b) => a - b);
  const cuts = quantileCuts(trainScores, 10);
  const metrics: ModelMetrics = {
    ...validation,
    trainEvents: scorecard.training.events,
    reference: { cuts, counts: countIntoBins(trainScores, cuts) },
    bands: { medium: quantile(sorted, 0.7) + 1, high: quantile(sorted, 0.9) + 1 },
    snapshotRows: data.rowsRead,
  };
  await db.execute(sql`
    update model_versions set status = 'succeeded', progress = 100, stage = 'done', finished_at = now(),
      features = ${JSON.stringify(decisions)}::jsonb, metrics = ${JSON.stringify(metrics)}::jsonb, scorecard = ${JSON.stringify(scorecard)}::jsonb
    where id = ${id} and status = 'running'`);
  return { skipped: false };
}

/** The training job failed for good: the version shows the error and a new training may start. */
export async function failTraining(db: DbOrTx, id: number, message: string): Promise<void> {
  await db.execute(sql`update model_versions set status = 'failed', stage = 'failed', failure = ${message.slice(0, 2_000)}, finished_at = now()
    where id = ${id} and status in ('queued', 'running')`);
}

/**
 * Activates a trained version: only an admin who did not train it (maker-checker); the active version is replaced
 * atomically and the change audited.
 */
export async function activateModel(db: Db, actor: ModelActor, id: number): Promise<void> {
  requireRole(actor, MODEL_EDITORS);
  await db.transaction(async (tx) => {
    const [v] = await tx.select({ id: mv.id, version: mv.version, status: mv.status, active: mv.active, trainedBy: mv.trainedBy }).from(mv).where(eq(mv.id, id)).for("update");
    if (!v) throw new NotFound("modelVersion");
    if (v.status !== "succeeded") throw new Conflict("modelNotTrained");
    if (v.active) throw new Conflict("modelActive");
    if (v.trainedBy === actor.userId) throw new Conflict("modelMakerChecker");
    const before = await tx.update(mv).set({ active: false }).where(eq(mv.active, true)).returning({ version: mv.version });
    await tx.update(mv).set({ active: true, activatedBy: actor.userId, activatedAt: sql`now()` }).where(eq(mv.id, id));
    await audit(tx, { kind: "user", userId: actor.userId }, {
      action: "model.activate",
      entity: "model_version",
      entityId: id,
      before: { activeVersion: before[0]?.version ?? null },
      after: { activeVersion: v.version },
    });
  });
}

export type ActiveModel = { id: number; version: number; scorecard: Scorecard; metrics: ModelMetrics };

let cached: ActiveModel | null = null;

/** The active version (one indexed lookup of its id per call; the scorecard read again only when it changes), or null. */
export async function activeModel(db: DbOrTx): Promise<ActiveModel | null> {
  const [a] = await db.select({ id: mv.id }).from(mv).where(eq(mv.active, true));
  return activeModelWithId((s) => db.execute(s) as unknown as Promise<Record<string, unknown>[]>, a?.id ?? null);
}

/**
 * The active version when the caller already read its id (an evaluation reads it in its setup statement): this
 * process's copy, or the version read through `exec` when the id changed; null for no active version.
 */
export async function activeModelWithId(exec: (s: SQL) => Promise<Record<string, unknown>[]>, id: number | null): Promise<ActiveModel | null> {
  if (id === null) return (cached = null);
  if (cached?.id !== id) {
    const [row] = await exec(sql`select id, version, scorecard, metrics from model_versions where id = ${id}`);
    if (!row) return null;
    cached = { id: Number(row.id), version: Number(row.version), scorecard: row.scorecard as Scorecard, metrics: row.metrics as ModelMetrics };
  }
  return cached;
}

/** Drops this process's copy of the active version (tests that edit a stored version). */
export function forgetActiveModel(): void {
  cached = null;
}

/** Records the request, then enqueues its job (after the commit); a queue that refuses it fails the version. */
export async function startTraining(db: Db, queues: Queues, actor: ModelActor, input: unknown): Promise<{ id: number; version: number }> {
  const r = await requestTraining(db, actor, input);
  try {
    await enqueue(queues, "model.train", { versionId: r.id }, { jobId: `model-train-${r.id}` });
  } catch (e) {
    await failTraining(db, r.id, `not queued: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
  return r;
}

/** A version as the browser gets it (dates as ISO strings). */
export type ModelVersionView = Omit<ModelVersionRow, "requestedAt" | "finishedAt" | "activatedAt"> & { requestedAt: string; finishedAt: string | null; activatedAt: string | null };
export type ModelVersionDetailView = ModelVersionView & Pick<ModelVersionDetail, "metrics" | "scorecard" | "features">;

export function versionView<T extends ModelVersionRow>(v: T): Omit<T, "requestedAt" | "finishedAt" | "activatedAt"> & Pick<ModelVersionView, "requestedAt" | "finishedAt" | "activatedAt"> {
  return { ...v, requestedAt: v.requestedAt.toISOString(), finishedAt: v.finishedAt?.toISOString() ?? null, activatedAt: v.activatedAt?.toISOString() ?? null };
}

/** Activates, then has the portfolio scored by the new version at once (the nightly COB would only do it tonight). */
export async function activateAndScore(db: Db, queues: Queues, actor: ModelActor, id: number, today: string): Promise<{ scoring: boolean }> {
  await activateModel(db, actor, id);
  try {
    await enqueue(queues, "model.scorePortfolio", { asOf: today }, { jobId: `model-score-${id}-${today}` });
    return { scoring: true };
  } catch {
    // Redis down: the activation stands; the nightly COB scores the portfolio.
    return { scoring: false };
  }
}
