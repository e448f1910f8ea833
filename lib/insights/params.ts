// The insights query: the dashboard's period and branch, plus the horizon H within which a churn event counts as
// the outcome of a warning or a task. Pure (no I/O), shared by the API, the page and the rule editor.
import { z } from "zod";
import { dashboardQuerySchema, resolvePeriod, type Period } from "../dashboard/period";

/** H, in days: a warning is right when a matching churn event follows within it (docs/telemetry.md). */
export const DEFAULT_HORIZON_DAYS = 180;

/** The longest H a query may ask for (the insight outcome rows keep the warnings this far before each event). */
export const MAX_HORIZON_DAYS = 730;

/** H as a query parameter (also on the warning and churn lists' drill-down filters). */
export const horizonQuerySchema = z.object({ horizon: z.coerce.number().int().min(30).max(MAX_HORIZON_DAYS).optional() });

export const insightsQuerySchema = z.intersection(dashboardQuerySchema, horizonQuerySchema);
export type InsightsQuery = z.infer<typeof insightsQuerySchema>;

/** `now` decides which SLA deadlines have passed; `today` (its business date) which horizons have ended. */
export type InsightsParams = { branchId?: number; period: Period; today: string; now: Date; horizon: number };

export function insightsParams(q: InsightsQuery, now: Date, today: string): InsightsParams {
  return { branchId: q.branchId, period: resolvePeriod(q, today), today, now, horizon: q.horizon ?? DEFAULT_HORIZON_DAYS };
}
