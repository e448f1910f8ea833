// Dates are explicit: business days are in Asia/Shanghai unless configured otherwise.
export function todayIn(timeZone = "Asia/Shanghai", now = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The business time zone (SLA days, promise dates): TZ_BUSINESS, validated at start-up by lib/env.ts. */
export function businessTz(): string {
  return process.env.TZ_BUSINESS || "Asia/Shanghai";
}
