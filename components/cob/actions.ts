"use server";
// "Run now" on /admin/cob: starts today's nightly portfolio run (or joins the one already running). Admins only.
import { z } from "zod";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db/client";
import { action, type ActionResult } from "@/lib/http/action";
import { appQueues } from "@/lib/http/queues";
import { startCob } from "@/lib/rules/cob";
import { applyCobSchedule, cobScheduleStatus, nextRunAfter, setCobTime } from "@/lib/rules/schedule";
import { log } from "@/lib/log";
import { todayIn } from "@/lib/time";

const start = action(["admin"], z.object({}), async (_input, { actor }) => {
  const { run, created } = await startCob(db(), appQueues(), { asOf: todayIn(), trigger: "manual", requestedBy: actor.userId });
  if (created) await audit(db(), { kind: "user", userId: actor.userId }, { action: "cob.start", entity: "cob_run", entityId: run.id, after: { asOf: run.asOf, trigger: "manual" } });
  return { id: run.id, created };
});

export async function startCobAction(): Promise<ActionResult<{ id: number; created: boolean }>> {
  return start({});
}

// The nightly run's time: stored in Postgres first (audited), then the BullMQ scheduler is upserted right away. If
// Redis is down the setting still stands and every worker applies it when it starts.
const setTime = action(["admin"], z.object({ time: z.string() }), async ({ time }, { actor }) => {
  const { after } = await setCobTime(db(), { kind: "user", userId: actor.userId }, time);
  try {
    await applyCobSchedule(appQueues(), after);
    const status = await cobScheduleStatus(db(), appQueues());
    return { time: after, applied: true, next: status.next ?? nextRunAfter(after).toISOString() };
  } catch (err) {
    log.warn({ err }, "cob scheduler not updated; workers apply the stored time when they start");
    return { time: after, applied: false, next: nextRunAfter(after).toISOString() };
  }
});

export async function setCobTimeAction(time: string): Promise<ActionResult<{ time: string; applied: boolean; next: string }>> {
  return setTime({ time });
}
