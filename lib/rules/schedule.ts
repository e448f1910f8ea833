// The nightly COB's time of day (HH:MM, in the business time zone), editable by admins. Postgres holds the choice (settings
// table); the BullMQ job scheduler is upserted from it on save and by every worker at start, so a flushed Redis
// gets the stored time back, not the built-in default.
import "server-only";
import { z } from "zod";
import { audit, type AuditActor } from "../audit";
import type { Db, DbOrTx } from "../db/client";
import { readSetting, writeSetting } from "../db/settings";
import { Invalid } from "../errors";
import { queueOf, type Queues } from "../pipeline/queues";
import { businessTz } from "../time";
import { addDays, localDate, localTime } from "../tasks/calendar";

export const COB_TIME_SETTING = "cob.nightlyTime";
export const cobTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected a time HH:MM (00:00–23:59)");

/** The scheduler's stable id and the job it starts (lib/rules/jobs.ts declares the job with this schedule). */
export const COB_NIGHTLY = { id: "cob.nightly.daily", job: "cob.nightly" } as const;
/** After the 01:00 delinquency recompute, unless an admin sets another time. */
export const DEFAULT_COB_TIME = "02:00";

/** "02:30" → "30 2 * * *": every day at that time. */
export function cobPattern(time: string): string {
  const [h, m] = cobTimeSchema.parse(time).split(":");
  return `${Number(m)} ${Number(h)} * * *`;
}

/** The stored time, or the default when none is stored (or the stored value is unusable). */
export async function loadCobTime(db: DbOrTx): Promise<string> {
  return readSetting(db, COB_TIME_SETTING, cobTimeSchema, DEFAULT_COB_TIME);
}

/** Stores a new time, audited. The caller then applies it to the scheduler (applyCobSchedule). */
export async function setCobTime(db: Db, actor: AuditActor, time: unknown): Promise<{ before: string; after: string }> {
  const r = cobTimeSchema.safeParse(typeof time === "string" ? time.trim() : time);
  if (!r.success) throw new Invalid([{ field: "time", code: "cobTime" }]);
  return db.transaction(async (tx) => {
    const before = await loadCobTime(tx);
    await writeSetting(tx, COB_TIME_SETTING, r.data);
    await audit(tx, actor, { action: "settings.set", entity: "setting", entityId: COB_TIME_SETTING, before, after: r.data });
    return { before, after: r.data };
  });
}

/** The scheduler's repeat options for a time, in the business time zone. */
export const cobRepeatAt = (time: string) => ({ pattern: cobPattern(time), tz: businessTz() });

/** The nightly job's schedule as the stored time gives it (read by every worker at start). */
export const cobRepeat = async (db: DbOrTx) => cobRepeatAt(await loadCobTime(db));

/** Re-schedules the nightly job at a new time; same scheduler id, so upserting replaces the old one. */
export async function applyCobSchedule(queues: Queues, time: string): Promise<void> {
  await queueOf(queues, COB_NIGHTLY.job).upsertJobScheduler(COB_NIGHTLY.id, cobRepeatAt(time), { name: COB_NIGHTLY.job, data: {} });
}

export type CobScheduleStatus = { time: string; tz: string; pattern: string | null; next: string | null; inSync: boolean };

/** The stored time beside what Redis has: the scheduler's pattern and next run (null when Redis has none). */
export async function cobScheduleStatus(db: DbOrTx, queues: Queues): Promise<CobScheduleStatus> {
  const time = await loadCobTime(db);
  const repeat = cobRepeatAt(time);
  const js = await queueOf(queues, COB_NIGHTLY.job).getJobScheduler(COB_NIGHTLY.id);
  const pattern = js?.pattern ?? null;
  return { time, tz: repeat.tz, pattern, next: js?.next ? new Date(js.next).toISOString() : null, inSync: pattern === repeat.pattern && js?.tz === repeat.tz };
}

/** When a daily HH:MM in the time zone (default: the business one) next comes after `now`. */
export function nextRunAfter(time: string, now = new Date(), tz = businessTz()): Date {
  const hhmm = cobTimeSchema.parse(time);
  const today = localDate(now.getTime(), tz);
  const at = localTime(today, tz, hhmm);
  return new Date(at > now.getTime() ? at : localTime(addDays(today, 1), tz, hhmm));
}
