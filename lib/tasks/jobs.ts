// The task workflow's jobs: tasks open from warnings, SLA timers fire (delayed jobs, one per timer), and a minute
// sweep fires what is due from Postgres and re-creates the timer jobs Redis lost.
import { z } from "zod";
import { clockNow } from "../clock";
import { job, outboxIdsSchema as outboxIds, type Domain } from "../pipeline/define";
import { sendWeeklyDigests } from "./digest";
import { openTasksForWarnings } from "./open";
import { checkPromises, fireDueTimers, fireNextActions, scheduleTimers } from "./timers";

const taskId = z.number().int().positive();

export const tasksDomain = {
  jobs: {
    // Opens or updates intervention tasks for new and re-opened warnings (topics warning.opened/reopened).
    "tasks.fromWarnings": job({
      queue: "tasks",
      schema: z.object({ warningIds: z.array(z.number().int().positive()).min(1).max(5_000), outboxIds }),
      handle: async ({ warningIds }, { db, log, queues }) => {
        const now = await clockNow(db);
        const result = await openTasksForWarnings(db, warningIds, now);
        // The new tasks' SLA timers as delayed jobs; the sweep re-creates any lost before they fall due.
        if (result.taskIds.length) await scheduleTimers(db, queues, now, { taskIds: result.taskIds });
        if (result.unassigned) log.warn({ unassigned: result.unassigned }, "tasks opened without an active RM in the branch");
        return { ...result, taskIds: result.taskIds.length };
      },
      // The task statements on the pool (no warning has this id: nothing opens).
      warm: async ({ db }) => void (await openTasksForWarnings(db, [2_147_483_647], new Date())),
    }),
    // A task's SLA timer falling due (delayed job; the id carries the due time): fires whatever is due for the task.
    "tasks.timer": job({
      queue: "tasks",
      schema: z.object({ taskId }),
      handle: async ({ taskId }, { db }) => fireDueTimers(db, await clockNow(db), [taskId]),
    }),
    // Every minute: fires due SLA timers, next-action reminders and promise-to-pay checks from Postgres, and
    // re-creates delayed timer jobs Redis lost for the next hour.
    "tasks.sweep": job({
      queue: "system",
      schema: z.object({}),
      handle: async (_data, { db, queues }) => {
        const now = await clockNow(db);
        const timers = await fireDueTimers(db, now);
        const promises = await checkPromises(db, now);
        const nextActions = await fireNextActions(db, now);
        const rescheduled = await scheduleTimers(db, queues, now, { horizonMs: 3_600_000 });
        return { timers, promises, nextActions, rescheduled };
      },
      schedule: { id: "tasks.sweep", every: 60_000, data: {} },
    }),
    // Monday 08:00 business time: each RM's digest of the warnings below the open threshold still waiting on their
    // customers (./digest.ts); one per (RM, week), so a re-run or a second worker adds nothing.
    "tasks.weeklyDigest": job({
      queue: "system",
      schema: z.object({}),
      handle: async (_data, { db }) => sendWeeklyDigests(db, await clockNow(db)),
      schedule: { id: "tasks.weeklyDigest", pattern: "0 8 * * 1", data: {} },
    }),
  },
} satisfies Domain;
