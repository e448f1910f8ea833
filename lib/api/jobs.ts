// Housekeeping of the API's idempotency keys.
import { z } from "zod";
import { job, type Domain } from "../pipeline/define";
import { IDEMPOTENCY_RETENTION_DAYS, purgeIdempotencyKeys } from "./idempotency";

export const apiDomain = {
  jobs: {
    // Forgets Idempotency-Keys older than the retention (a retry after that is a new write).
    "api.purgeIdempotencyKeys": job({
      queue: "system",
      schema: z.object({ olderThanDays: z.number().int().min(1).max(3650).default(IDEMPOTENCY_RETENTION_DAYS) }),
      handle: async ({ olderThanDays }, { db }) => ({ purged: await purgeIdempotencyKeys(db, olderThanDays) }),
      schedule: { id: "api.purgeIdempotencyKeys.daily", pattern: "50 3 * * *", data: { olderThanDays: IDEMPOTENCY_RETENTION_DAYS } },
    }),
  },
} satisfies Domain;
