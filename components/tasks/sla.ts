// SLA clock arithmetic, pure so it can be unit-tested: the tone of a deadline and a duration's two largest units.

/** Red once overdue, orange in the last quarter of the window (which starts when the task was opened). */
export function slaTone(now: number, startAt: string, dueAt: string): "overdue" | "late" | "ok" {
  const due = Date.parse(dueAt);
  const left = due - now;
  if (left < 0) return "overdue";
  const total = due - Date.parse(startAt);
  return total > 0 && left / total < 0.25 ? "late" : "ok";
}

/** A duration as the message key (tasks.duration.*) and values of its two largest units: days+hours, hours+minutes. */
export function durationParts(ms: number): { key: "dh" | "d" | "hm" | "h" | "m"; values: { d?: number; h?: number; m?: number } } {
  const minutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? { key: "dh", values: { d, h } } : { key: "d", values: { d } };
  if (h > 0) return m > 0 ? { key: "hm", values: { h, m } } : { key: "h", values: { h } };
  return { key: "m", values: { m } };
}
