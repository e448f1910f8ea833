// A report's period and the one before it ("2026-11" → "2026-10", "2026-Q1" → "2025-Q4", "2026" → "2025").
// Pure; the parsing itself is the dashboard's (lib/dashboard/period.ts).
import { periodOf, type Period } from "../dashboard/period";
import { isBusinessDay, type Calendar } from "../tasks/calendar";

export { periodOf, type Period };

export function previousPeriod(p: string): string {
  let m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m) {
    const idx = Number(m[1]) * 12 + Number(m[2]) - 2;
    return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, "0")}`;
  }
  m = /^(\d{4})-Q([1-4])$/.exec(p);
  if (m) return Number(m[2]) === 1 ? `${Number(m[1]) - 1}-Q4` : `${m[1]}-Q${Number(m[2]) - 1}`;
  m = /^(\d{4})$/.exec(p);
  if (m) return String(Number(m[1]) - 1);
  throw new Error(`not a period: ${p}`);
}

/** The previous calendar month of a business date, as a period ("2026-12-01" → "2026-11"): the monthly draft's. */
export function monthBefore(day: string): string {
  return previousPeriod(day.slice(0, 7));
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The first business day of its month (the monthly draft's day): a business day, and no earlier day of the month is one. */
export function isFirstBusinessDay(cal: Calendar, day: string): boolean {
  if (!isBusinessDay(cal, day)) return false;
  for (let d = 1; d < Number(day.slice(8, 10)); d++) if (isBusinessDay(cal, `${day.slice(0, 8)}${String(d).padStart(2, "0")}`)) return false;
  return true;
}
