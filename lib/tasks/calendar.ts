// The business calendar and SLA maths. Pure (no I/O), unit-tested. A business day is a calendar day in the
// calendar's time zone that is Monday–Friday and not a public holiday, or a weekend day declared a working day
// (调休). SLA durations count whole business days of wall-clock time: time on non-business days does not count.
import { SEVERITIES, type Severity } from "../vocabulary";

export type Calendar = {
  tz: string;
  /** Public holidays falling on weekdays (YYYY-MM-DD, in tz). */
  holidays: ReadonlySet<string>;
  /** Weekend days that are working days. */
  workdays: ReadonlySet<string>;
};

export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(tz, f);
  }
  return f;
}

function parts(ms: number, tz: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

/** The calendar date (YYYY-MM-DD) of an instant in tz. */
export function localDate(ms: number, tz: string): string {
  const p = parts(ms, tz);
  return `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** The offset of tz from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
function offsetAt(ms: number, tz: string): number {
  const p = parts(ms, tz);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant a local date's wall-clock time begins in tz (handles DST zones: the offset is re-read once). */
export function localTime(day: string, tz: string, hhmm = "00:00"): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const [hh, mi] = hhmm.split(":").map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mi);
  let guess = wall - offsetAt(wall, tz);
  guess = wall - offsetAt(guess, tz);
  return guess;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function isBusinessDay(cal: Calendar, day: string): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
}

/**
 * The instant `ms` of business time after `from`: time counts only on business days, so a task opened on Friday at
 * 15:00 with one business day is due on Monday at 15:00, and one opened on Saturday counts from Monday 00:00.
 */
export function addBusinessTime(cal: Calendar, from: number, ms: number): number {
  if (ms < 0) throw new RangeError("business time must be non-negative");
  let cur = from;
  let left = ms;
  // Ten years of days: a calendar with no business day at all must not loop forever.
  for (let i = 0; i < 3660; i++) {
    const day = localDate(cur, cal.tz);
    const end = localTime(addDays(day, 1), cal.tz);
    if (isBusinessDay(cal, day)) {
      if (left <= end - cur) return cur + left;
      left -= end - cur;
    }
    cur = end;
  }
  throw new RangeError("the business calendar has no business days in the next ten years");
}

/** Business time between two instants (0 when `to` is not after `from`). */
export function businessTimeBetween(cal: Calendar, from: number, to: number): number {
  let total = 0;
  let cur = from;
  while (cur < to) {
    const day = localDate(cur, cal.tz);
    const end = Math.min(localTime(addDays(day, 1), cal.tz), to);
    if (isBusinessDay(cal, day)) total += end - cur;
    cur = end;
  }
  return total;
}

/** A task's priority is the severity of its most severe warning. */
export type Priority = Severity;
export type SlaPolicy = Record<Priority, { contactDays: number; resolveDays: number }>;

export const DEFAULT_SLA: SlaPolicy = {
  critical: { contactDays: 1, resolveDays: 5 },
  high: { contactDays: 2, resolveDays: 10 },
  medium: { contactDays: 5, resolveDays: 20 },
  low: { contactDays: 10, resolveDays: 30 },
};

/** Reminders go out when this share of an SLA has elapsed. */
export const REMIND_AT = 0.75;

export type SlaTimers = { contactRemindAt: Date; contactDueAt: Date; resolveRemindAt: Date; resolveDueAt: Date };

export function slaTimers(cal: Calendar, policy: SlaPolicy, priority: Priority, openedAt: Date): SlaTimers {
  const { contactDays, resolveDays } = policy[priority];
  const at = (days: number) => new Date(addBusinessTime(cal, openedAt.getTime(), Math.round(days * DAY_MS)));
  return {
    contactRemindAt: at(contactDays * REMIND_AT),
    contactDueAt: at(contactDays),
    resolveRemindAt: at(resolveDays * REMIND_AT),
    resolveDueAt: at(resolveDays),
  };
}

export function priorityRank(p: Priority): number {
  return SEVERITIES.indexOf(p);
}
