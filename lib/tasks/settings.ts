// Task SLA policy (per priority, in business days) and the business calendar's exceptions: admin-editable, audited,
// read by the task worker whenever it opens a task or re-prices one.
import { asc, eq, gte, sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditActor } from "../audit";
import type { DbOrTx } from "../db/client";
import { businessCalendar } from "../db/schema";
import { readSetting, writeSetting } from "../db/settings";
import { Invalid, parseOrInvalid } from "../errors";
import { businessTz, isIsoDate } from "../time";
import { SEVERITIES, type Severity } from "../vocabulary";
import { DEFAULT_SLA, type Calendar, type Priority, type SlaPolicy } from "./calendar";

export const SLA_SETTING = "tasks.sla";

const days = z.number().positive().max(365);
const pair = z
  .object({ contactDays: days, resolveDays: days })
  .refine((p) => p.contactDays <= p.resolveDays, { message: "first contact must be due no later than resolution", path: ["contactDays"] });
export const slaPolicySchema = z.object(Object.fromEntries(SEVERITIES.map((p) => [p, pair])) as Record<Priority, typeof pair>);

export async function loadSla(db: DbOrTx): Promise<SlaPolicy> {
  return readSetting(db, SLA_SETTING, slaPolicySchema, DEFAULT_SLA);
}

/** Applies to tasks opened (or re-prioritised) from now on; running clocks keep the deadlines they were given. */
export async function saveSla(db: DbOrTx, actor: AuditActor, value: unknown): Promise<SlaPolicy> {
  const parsed = parseOrInvalid(slaPolicySchema, value);
  const before = await loadSla(db);
  await writeSetting(db, SLA_SETTING, parsed);
  await audit(db, actor, { action: "tasks.sla.set", entity: "setting", entityId: SLA_SETTING, before, after: parsed });
  return parsed;
}

export const OPEN_THRESHOLD_SETTING = "tasks.openThreshold";

// Below this severity a warning opens no task: it joins the customer's next task, and until then it is listed in its
// RM's weekly digest. "medium" by default: the low rules (pricing, a rejected application) are context, not work.
export const DEFAULT_OPEN_THRESHOLD: Severity = "medium";
export const openThresholdSchema = z.object({ minSeverity: z.enum(SEVERITIES) });
export type OpenThreshold = z.infer<typeof openThresholdSchema>;

export async function loadOpenThreshold(db: DbOrTx): Promise<Severity> {
  return (await readSetting(db, OPEN_THRESHOLD_SETTING, openThresholdSchema, { minSeverity: DEFAULT_OPEN_THRESHOLD })).minSeverity;
}

/** Applies to warnings processed from now on: tasks already open keep what they hold, and still collect any severity. */
export async function saveOpenThreshold(db: DbOrTx, actor: AuditActor, value: unknown): Promise<OpenThreshold> {
  const parsed = parseOrInvalid(openThresholdSchema, value);
  const before = { minSeverity: await loadOpenThreshold(db) };
  await writeSetting(db, OPEN_THRESHOLD_SETTING, parsed);
  await audit(db, actor, { action: "tasks.openThreshold.set", entity: "setting", entityId: OPEN_THRESHOLD_SETTING, before, after: parsed });
  return parsed;
}

export async function loadCalendar(db: DbOrTx): Promise<Calendar> {
  const rows = await db.select({ day: businessCalendar.day, kind: businessCalendar.kind }).from(businessCalendar);
  return {
    tz: businessTz(),
    holidays: new Set(rows.filter((r) => r.kind === "holiday").map((r) => r.day)),
    workdays: new Set(rows.filter((r) => r.kind === "workday").map((r) => r.day)),
  };
}

export type CalendarDay = { day: string; kind: "holiday" | "workday"; name: string };

export const calendarDaySchema = z.object({
  day: z.string().refine(isIsoDate, "expected a YYYY-MM-DD date"),
  kind: z.enum(["holiday", "workday"]),
  name: z.string().trim().min(1).max(60),
});

export async function listCalendar(db: DbOrTx, fromDay?: string): Promise<CalendarDay[]> {
  const rows = await db
    .select({ day: businessCalendar.day, kind: businessCalendar.kind, name: businessCalendar.name })
    .from(businessCalendar)
    .where(fromDay ? gte(businessCalendar.day, fromDay) : sql`true`)
    .orderBy(asc(businessCalendar.day));
  return rows as CalendarDay[];
}

export async function upsertCalendarDay(db: DbOrTx, actor: AuditActor, value: unknown): Promise<CalendarDay> {
  const parsed = parseOrInvalid(calendarDaySchema, value);
  const d = parsed;
  const [before] = await db.select().from(businessCalendar).where(eq(businessCalendar.day, d.day));
  await db
    .insert(businessCalendar)
    .values(d)
    .onConflictDoUpdate({ target: businessCalendar.day, set: { kind: d.kind, name: d.name, updatedAt: new Date() } });
  await audit(db, actor, { action: "calendar.set", entity: "business_day", entityId: d.day, before: before ?? null, after: d });
  return d;
}

export async function deleteCalendarDay(db: DbOrTx, actor: AuditActor, day: string): Promise<boolean> {
  if (!isIsoDate(day)) throw new Invalid([{ field: "day", code: "invalid_date", key: "date.expected" }]);
  const [gone] = await db.delete(businessCalendar).where(eq(businessCalendar.day, day)).returning();
  if (gone) await audit(db, actor, { action: "calendar.delete", entity: "business_day", entityId: day, before: gone });
  return Boolean(gone);
}

// A starting point for 2026's PRC public holidays on weekdays and adjusted working days (调休), seeded into an empty
// calendar. Admins check it against the State Council's notice and add later years on the calendar page.
export const PRC_2026: CalendarDay[] = [
  { day: "2026-01-01", kind: "holiday", name: "元旦" },
  { day: "2026-01-02", kind: "holiday", name: "元旦" },
  { day: "2026-01-04", kind: "workday", name: "元旦调休上班" },
  { day: "2026-02-14", kind: "workday", name: "春节调休上班" },
  ...["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23"].map((day) => ({ day, kind: "holiday" as const, name: "春节" })),
  { day: "2026-02-28", kind: "workday", name: "春节调休上班" },
  { day: "2026-04-06", kind: "holiday", name: "清明节" },
  ...["2026-05-01", "2026-05-04", "2026-05-05"].map((day) => ({ day, kind: "holiday" as const, name: "劳动节" })),
  { day: "2026-05-09", kind: "workday", name: "劳动节调休上班" },
  { day: "2026-06-19", kind: "holiday", name: "端午节" },
  { day: "2026-09-20", kind: "workday", name: "国庆节调休上班" },
  { day: "2026-09-25", kind: "holiday", name: "中秋节" },
  ...["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"].map((day) => ({ day, kind: "holiday" as const, name: "国庆节" })),
  { day: "2026-10-10", kind: "workday", name: "国庆节调休上班" },
];

/** Seeds the calendar once (an empty table); admins maintain it afterwards. */
export async function ensureCalendar(db: DbOrTx): Promise<number> {
  const [{ n } = { n: 0 }] = await db.execute<{ n: number }>(sql`select count(*)::int as n from business_calendar`);
  if (n > 0) return 0;
  await db.insert(businessCalendar).values(PRC_2026).onConflictDoNothing();
  return PRC_2026.length;
}
