import { z } from "zod";

// Dates are explicit: business days are in the business time zone (TZ_BUSINESS, default Asia/Shanghai).
export function todayIn(timeZone = businessTz(), now = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD calendar date, for payloads and settings. */
export const isoDateSchema = z.string().refine((s) => isIsoDate(s), "expected a YYYY-MM-DD date");

export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The business time zone (business dates, SLA days, schedules): TZ_BUSINESS, validated at start-up by lib/env.ts. */
export function businessTz(): string {
  return process.env.TZ_BUSINESS || "Asia/Shanghai";
}
