// The dashboard's period: a month ("2026-11"), a quarter ("2026-Q3"), a year ("2026") or explicit from–to dates,
// always resolved to inclusive business dates. Pure (no I/O), shared by the API, the page and the picker.
import { z } from "zod";
import { isIsoDate } from "../time";

export type Period = { from: string; to: string };

const pad = (n: number) => String(n).padStart(2, "0");
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** "2026-11" | "2026-Q3" | "2026" → its first and last day; null when it is none of those. */
export function periodOf(p: string): Period | null {
  let m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    return { from: `${y}-${pad(mo)}-01`, to: `${y}-${pad(mo)}-${pad(lastDay(y, mo))}` };
  }
  m = /^(\d{4})-Q([1-4])$/.exec(p);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    return { from: `${y}-${pad(q * 3 - 2)}-01`, to: `${y}-${pad(q * 3)}-${pad(lastDay(y, q * 3))}` };
  }
  m = /^(\d{4})$/.exec(p);
  if (m) return { from: `${m[1]}-01-01`, to: `${m[1]}-12-31` };
  return null;
}

const date = z.string().refine(isIsoDate, "expected a YYYY-MM-DD date");

/** The query of GET /api/v1/dashboard: a branch (admins; a supervisor may only name their own) and a period. */
export const dashboardQuerySchema = z
  .object({
    branchId: z.coerce.number().int().positive().optional(),
    period: z
      .string()
      .refine((p) => periodOf(p) !== null, "expected YYYY-MM, YYYY-Qn or YYYY")
      .optional(),
    from: date.optional(),
    to: date.optional(),
  })
  .refine((q) => !(q.period && (q.from || q.to)), { message: "give a period or from–to, not both", path: ["period"] })
  .refine((q) => !q.from === !q.to, { message: "from and to go together", path: ["to"] })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from is after to", path: ["from"] })
  // A year and a day at most: the trend and the per-RM percentiles stay one bounded scan.
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { message: "at most 366 days", path: ["to"] });
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>;

/** The period a query names; the current month (to date) when it names none. */
export function resolvePeriod(q: DashboardQuery, today: string): Period {
  if (q.period) return periodOf(q.period)!;
  if (q.from && q.to) return { from: q.from, to: q.to };
  return { from: `${today.slice(0, 7)}-01`, to: today };
}

/** The last day of each month from `to`'s month back, `n` months, oldest first (the NPL trend's points). */
export function monthEnds(to: string, n: number): string[] {
  const y = Number(to.slice(0, 4));
  const m = Number(to.slice(5, 7));
  const out: string[] = [];
  for (let k = n - 1; k >= 0; k--) {
    const idx = y * 12 + (m - 1) - k;
    const yy = Math.floor(idx / 12);
    const mm = (idx % 12) + 1;
    out.push(`${yy}-${pad(mm)}-${pad(lastDay(yy, mm))}`);
  }
  return out;
}

/** The same days one year back (29 February → 28 February). */
export function yearEarlier(p: Period): Period {
  const back = (d: string) => {
    const y = Number(d.slice(0, 4)) - 1;
    const md = d.slice(5);
    return md === "02-29" ? `${y}-02-28` : `${y}-${md}`;
  };
  return { from: back(p.from), to: back(p.to) };
}

/** "YYYY-MM" of every month the period touches, oldest first. */
export function monthsOf(p: Period): string[] {
  const out: string[] = [];
  let y = Number(p.from.slice(0, 4));
  let m = Number(p.from.slice(5, 7));
  const last = p.to.slice(0, 7);
  for (;;) {
    const k = `${y}-${String(m).padStart(2, "0")}`;
    out.push(k);
    if (k >= last) return out;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}
