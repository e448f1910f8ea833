// The nightly COB's time of day (HH:MM, Asia/Shanghai), editable by admins. Postgres holds the choice (settings
// table); the BullMQ job scheduler is upserted from it on save and by every worker at start, so a flushed Redis
// gets the stored time back, not the built-in default.
import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditActor } from "../audit";
import type { Db, DbOrTx } from "../db/client";
import { settings } from "../db/schema";
import { Invalid } from "../errors";
import { COB_NIGHTLY, jobDefinitions } from "../queue/definitions";
import type { Queues } from "../queue/producer";

export const COB_TIME_SETTING = "cob.nightlyTime";
export const cobTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected a time HH:MM (00:00–23:59)");

/** "0 2 * * *" → "02:00" (the built-in default is declared as a cron pattern beside the other schedules). */
export function timeFromPattern(pattern: string): string {
  const [m, h] = pattern.split(" ");
  return `${String(Number(h)).padStart(2, "0")}:${String(Number(m)).padStart(2, "0")}`;
}
export const DEFAULT_COB_TIME = timeFromPattern(COB_NIGHTLY.pattern);

/** "02:30" → "30 2 * * *": every day at that time. */
export function cobPattern(time: string): string {
  const [h, m] = cobTimeSchema.parse(time).split(":");
  return `${Number(m)} ${Number(h)} * * *`;
}

/** The stored time, or the default when none is stored (or the stored value is unusable). */
export async function loadCobTime(db: DbOrTx): Promise<string> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, COB_TIME_SETTING));
  const r = cobTimeSchema.safeParse(row?.value);
  return r.success ? r.data : DEFAULT_COB_TIME;
}

/** Stores a new time, audited. The caller then applies it to the scheduler (applyCobSchedule). */
export async function setCobTime(db: Db, actor: AuditActor, time: unknown): Promise<{ before: string; after: string }> {
  const r = cobTimeSchema.safeParse(typeof time === "string" ? time.trim() : time);
  if (!r.success) throw new Invalid([{ field: "time", code: "cobTime" }]);
  return db.transaction(async (tx) => {
    const before = await loadCobTime(tx);
    await tx
      .insert(settings)
      .values({ key: COB_TIME_SETTING, value: r.data })
      .onConflictDoUpdate({ target: settings.key, set: { value: r.data, updatedAt: new Date() } });
    await audit(tx, actor, { action: "settings.set", entity: "setting", entityId: COB_TIME_SETTING, before, after: r.data });
    return { before, after: r.data };
  });
}

/** The scheduler's repeat options and job template for a time; same id, so upserting replaces the old one. */
export function cobScheduler(time: string) {
  return {
    id: COB_NIGHTLY.id,
    queue: jobDefinitions[COB_NIGHTLY.job].queue,
    repeat: { pattern: cobPattern(time), tz: COB_NIGHTLY.tz },
    template: { name: COB_NIGHTLY.job, data: COB_NIGHTLY.data },
  };
}

export async function applyCobSchedule(queues: Queues, time: string): Promise<void> {
  const s = cobScheduler(time);
  await queues.get(s.queue).upsertJobScheduler(s.id, s.repeat, s.template);
}

export type CobScheduleStatus = { time: string; tz: string; pattern: string | null; next: string | null; inSync: boolean };

/** The stored time beside what Redis has: the scheduler's pattern and next run (null when Redis has none). */
export async function cobScheduleStatus(db: DbOrTx, queues: Queues): Promise<CobScheduleStatus> {
  const time = await loadCobTime(db);
  const s = cobScheduler(time);
  const js = await queues.get(s.queue).getJobScheduler(s.id);
  const pattern = js?.pattern ?? null;
  return { time, tz: COB_NIGHTLY.tz, pattern, next: js?.next ? new Date(js.next).toISOString() : null, inSync: pattern === s.repeat.pattern && js?.tz === s.repeat.tz };
}

/** When a daily HH:MM in Asia/Shanghai (UTC+8, no daylight saving) next comes after `now`. */
export function nextRunAfter(time: string, now = new Date()): Date {
  const [h, m] = cobTimeSchema.parse(time).split(":").map(Number) as [number, number];
  const shanghai = new Date(now.getTime() + 8 * 3600_000);
  let at = Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate(), h, m) - 8 * 3600_000;
  if (at <= now.getTime()) at += 24 * 3600_000;
  return new Date(at);
}
