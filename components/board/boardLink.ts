// The board's address-bar filters (what a dashboard figure links to): ?branchId, ?assigneeId (a number or "none"),
// ?state (a matrix column, or "resolved"), ?outcome and the period's dates. Anything malformed is dropped.
import { isIsoDate } from "@/lib/time";
import { ACTIVE_TASK_STATUSES, TASK_OUTCOMES, type TaskOutcome } from "@/lib/vocabulary";
import type { Cell, ExtraFilter } from "./TaskBoard";

const STATES = [...ACTIVE_TASK_STATUSES, "overdue", "escalated", "resolved30d", "resolved"] as const;

type Search = Record<string, string | string[] | undefined>;

export function boardLink(sp: Search): { branchId?: number; cell?: Cell; extra: ExtraFilter } {
  const one = (k: string) => (typeof sp[k] === "string" && sp[k] !== "" ? (sp[k] as string) : undefined);
  const id = (v: string | undefined) => (v && /^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : undefined);
  const date = (k: string) => {
    const v = one(k);
    return v && isIsoDate(v) ? v : undefined;
  };
  const a = one("assigneeId");
  const assigneeId = a === "none" ? ("none" as const) : id(a);
  const s = one("state");
  const state = STATES.find((x) => x === s);
  const o = one("outcome");
  const extra: ExtraFilter = {
    outcome: TASK_OUTCOMES.find((x): x is TaskOutcome => x === o),
    openedFrom: date("openedFrom"),
    openedTo: date("openedTo"),
    closedFrom: date("closedFrom"),
    closedTo: date("closedTo"),
  };
  const cell = assigneeId !== undefined || state ? { ...(assigneeId !== undefined ? { assigneeId } : {}), ...(state ? { state } : {}) } : undefined;
  return { branchId: id(one("branchId")), cell, extra: Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) as ExtraFilter };
}

/** The board's address for a dashboard figure (the inverse of boardLink). */
export function boardHref(p: { branchId?: number | null; assigneeId?: number | "none"; state?: (typeof STATES)[number] } & ExtraFilter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== null) q.set(k, String(v));
  const qs = q.toString();
  return qs ? `/supervisor/tasks?${qs}` : "/supervisor/tasks";
}
