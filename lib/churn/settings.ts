// Churn detection's parameters (docs/churn.md): admin-editable in one settings row, validated and audited like the
// delinquency and SLA settings. Detection reads them on every run, so a change applies from the next run on.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditActor } from "../audit";
import type { DbOrTx } from "../db/client";
import { settings } from "../db/schema";
import { parseOrInvalid } from "../errors";

export const CHURN_SETTING = "churn.parameters";

export const churnParamsSchema = z.object({
  /** An approved application with no drawdown this many days after approval is lost (approved_not_drawn). */
  approvedNotDrawnDays: z.number().int().min(1).max(365),
  /** A matured loan with no new drawdown or live application this many days after it closed (matured_not_renewed). */
  maturedNotRenewedDays: z.number().int().min(1).max(365),
  /** One repayment's principal prepaid ahead of schedule, as a share of the original principal (large_partial_prepayment). */
  largePrepaymentShare: z.number().gt(0).max(1),
  /** Contract rate above the LPR at drawdown by at least this many basis points: a prepayment is inferred rate-driven. */
  lprMarginBp: z.number().int().min(0).max(2_000),
  /** How far back a resolved task's written-down churn reason is taken as evidence, in days before the event. */
  evidenceDays: z.number().int().min(0).max(730),
});
export type ChurnParams = z.infer<typeof churnParamsSchema>;

export const DEFAULT_CHURN_PARAMS: ChurnParams = {
  approvedNotDrawnDays: 60,
  maturedNotRenewedDays: 90,
  largePrepaymentShare: 0.3,
  lprMarginBp: 100,
  evidenceDays: 180,
};

/** The stored parameters, each missing or invalid field taking its default (a partial row from an older release). */
export async function loadChurnParams(db: DbOrTx): Promise<ChurnParams> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, CHURN_SETTING));
  const parsed = churnParamsSchema.partial().safeParse(row?.value ?? {});
  return { ...DEFAULT_CHURN_PARAMS, ...(parsed.success ? parsed : {}) };
}

export async function saveChurnParams(db: DbOrTx, actor: AuditActor, value: unknown): Promise<ChurnParams> {
  const parsed = parseOrInvalid(churnParamsSchema, value);
  const before = await loadChurnParams(db);
  await db
    .insert(settings)
    .values({ key: CHURN_SETTING, value: parsed })
    .onConflictDoUpdate({ target: settings.key, set: { value: parsed, updatedAt: new Date() } });
  await audit(db, actor, { action: "settings.set", entity: "setting", entityId: CHURN_SETTING, before, after: parsed });
  return parsed;
}
