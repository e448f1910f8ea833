// Housekeeping of sign-in state: old failed-attempt records and revoked sessions that can no longer be presented.
import { z } from "zod";
import { job, type Domain } from "../pipeline/define";
import { purgeExpiredSessions } from "./sessions";
import { purgeOldFailures } from "./throttle";

export const authDomain = {
  jobs: {
    // Drops failed sign-in records older than the throttle's retention.
    "auth.purgeFailedSignIns": job({
      queue: "system",
      schema: z.object({ olderThanDays: z.number().int().min(1).max(365).default(7) }),
      handle: async ({ olderThanDays }, { db }) => ({ purged: await purgeOldFailures(db, new Date(Date.now() - olderThanDays * 86_400_000)) }),
      schedule: { id: "auth.purgeFailedSignIns.daily", pattern: "30 3 * * *", data: { olderThanDays: 7 } },
    }),
    // Forgets sessions past their absolute end (refused by then anyway, revoked or not).
    "auth.purgeExpiredSessions": job({
      queue: "system",
      schema: z.object({}),
      handle: async (_d, { db }) => ({ purged: await purgeExpiredSessions(db) }),
      schedule: { id: "auth.purgeExpiredSessions.daily", pattern: "35 3 * * *", data: {} },
    }),
  },
} satisfies Domain;
