// Recurring work: every job that declares a schedule gets a BullMQ job scheduler with a stable id (upserting is
// idempotent, so every worker does it at start) and an explicit time zone, the business one.
import { businessTz } from "../time";
import type { Db } from "../db/client";
import type { JobDef, Queues } from "./define";

export type ScheduledJob = { name: string; def: JobDef & { schedule: NonNullable<JobDef["schedule"]> } };

export function scheduledJobs(queues: Queues): ScheduledJob[] {
  return Object.entries(queues.registry.jobs).flatMap(([name, def]) => (def.schedule ? [{ name, def: def as ScheduledJob["def"] }] : []));
}

/** The repeat options of a scheduled job now (a schedule may read its time from the settings table). */
export async function repeatOf(db: Db, s: ScheduledJob["def"]["schedule"]): Promise<{ every: number } | { pattern: string; tz: string }> {
  if ("every" in s) return { every: s.every };
  if ("pattern" in s) return { pattern: s.pattern, tz: businessTz() };
  return s.repeat(db);
}

export async function upsertSchedules(db: Db, queues: Queues): Promise<string[]> {
  const ids: string[] = [];
  for (const { name, def } of scheduledJobs(queues)) {
    await queues.get(def.queue).upsertJobScheduler(def.schedule.id, await repeatOf(db, def.schedule), { name, data: def.schedule.data });
    ids.push(def.schedule.id);
  }
  return ids;
}
