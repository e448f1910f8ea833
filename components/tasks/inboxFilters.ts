// The inbox's filters: read from and written to the address bar (defaults left out, so a plain /rm stays plain),
// and turned into the parameters of GET /api/v1/tasks.
import type { Params } from "@/components/shell/api";
import { REASON_FAMILIES, SEVERITIES_DESC, TASK_STATUSES, type ReasonFamily, type Severity } from "@/lib/vocabulary";

export const VIEWS = ["active", ...TASK_STATUSES, "all"] as const;
export type View = (typeof VIEWS)[number];
const SORTS = ["urgency", "due", "priority", "opened", "customer"] as const;
export type Sort = (typeof SORTS)[number];
export const DEFAULT_PAGE_SIZE = 20;
export const PAGE_SIZES = [10, 20, 50, 100];

export type Filters = {
  status: View;
  priority?: Severity;
  reasonFamily?: ReasonFamily;
  overdue?: boolean;
  escalated?: boolean;
  q?: string;
  sort: Sort;
  order?: "asc" | "desc";
  page: number;
  pageSize: number;
};

// Table column → API sort; urgency (escalated, overdue, severity, deadline) is the default order.
export const COLUMN_SORT: Record<string, Sort> = { priority: "priority", customer: "customer", sla: "due", openedAt: "opened" };

function pick<T extends string>(v: string | null, values: readonly T[]): T | undefined {
  return v !== null && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

export function readFilters(p: URLSearchParams): Filters {
  const page = Number(p.get("page"));
  const pageSize = Number(p.get("pageSize"));
  return {
    status: pick(p.get("status"), VIEWS) ?? "active",
    priority: pick(p.get("priority"), SEVERITIES_DESC),
    reasonFamily: pick(p.get("reasonFamily"), REASON_FAMILIES),
    overdue: p.get("overdue") === "true" || undefined,
    escalated: p.get("escalated") === "true" || undefined,
    q: p.get("q")?.trim() || undefined,
    sort: pick(p.get("sort"), SORTS) ?? "urgency",
    order: pick(p.get("order"), ["asc", "desc"] as const),
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** The address bar's query for `f`, leaving out defaults. */
export function toQuery(f: Filters): string {
  const p = new URLSearchParams();
  if (f.status !== "active") p.set("status", f.status);
  if (f.priority) p.set("priority", f.priority);
  if (f.reasonFamily) p.set("reasonFamily", f.reasonFamily);
  if (f.overdue) p.set("overdue", "true");
  if (f.escalated) p.set("escalated", "true");
  if (f.q) p.set("q", f.q);
  if (f.sort !== "urgency") p.set("sort", f.sort);
  if (f.order) p.set("order", f.order);
  if (f.page > 1) p.set("page", String(f.page));
  if (f.pageSize !== DEFAULT_PAGE_SIZE) p.set("pageSize", String(f.pageSize));
  return p.toString();
}

/** The list's request: every filter, defaults included (the API has its own). */
export function apiParams(f: Filters): Params {
  return { status: f.status, sort: f.sort, page: f.page, pageSize: f.pageSize, priority: f.priority, reasonFamily: f.reasonFamily, overdue: f.overdue, escalated: f.escalated, q: f.q, order: f.order };
}

/** The column's sort order as antd shows it, when the list is sorted by that column. */
export function sortOrderOf(f: Filters, column: string): "ascend" | "descend" | null {
  if (COLUMN_SORT[column] !== f.sort) return null;
  const def = f.sort === "due" || f.sort === "customer" ? "asc" : "desc";
  return (f.order ?? def) === "asc" ? "ascend" : "descend";
}

export function isFiltered(f: Filters): boolean {
  return Boolean(f.priority || f.reasonFamily || f.overdue || f.escalated || f.q);
}
