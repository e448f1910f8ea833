// Where each telemetry figure drills down to: the warnings list, the churn events list and the task board, filtered
// the way the figure counts (docs/telemetry.md, warning quality). Pure; shared by the page and the rule editor.
import type { Period } from "@/lib/dashboard/period";
import type { WarningQuality } from "@/lib/insights/definitions";
import type { Stage } from "@/lib/vocabulary";

type Ctx = { period: Period; horizon: number; branchId?: number | null };

function href(path: string, q: Record<string, string | number | null | undefined>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== "") s.set(k, String(v));
  return `${path}?${s.toString()}`;
}

/** Warnings of a version opened in the period; with `quality`, only those that turned out so within H. */
export function warningsHref(c: Ctx, p: { ruleId?: number; ruleVersionId?: number; quality?: WarningQuality }): string {
  return href("/warnings", {
    // The rule too, so the list's rule filter shows its name.
    ruleId: p.ruleId,
    ruleVersionId: p.ruleVersionId,
    quality: p.quality,
    horizon: p.quality ? c.horizon : undefined,
    openedFrom: c.period.from,
    openedTo: c.period.to,
    branchId: c.branchId,
  });
}

/** Churn events the telemetry counts (not dismissed) effective in the period; with a version, those it caught. */
export function eventsHref(c: Ctx, p: { stage?: Stage; ruleVersionId?: number }): string {
  return href("/churn", {
    from: c.period.from,
    to: c.period.to,
    counted: 1,
    stage: p.stage,
    ruleVersionId: p.ruleVersionId,
    horizon: p.ruleVersionId ? c.horizon : undefined,
    branchId: c.branchId,
  });
}
