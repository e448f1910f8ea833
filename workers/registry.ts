// Handlers for every job in lib/queue/definitions.ts. The `satisfies` makes a missing handler a type error.
import type { z } from "zod";
import { purgeOldFailures } from "../lib/auth/throttle";
import type { Db } from "../lib/db/client";
import { jobDefinitions, type JobName } from "../lib/queue/definitions";
import type { Logger } from "pino";

export type JobContext = { db: Db; log: Logger; jobId: string | undefined };

type Handlers = { [N in JobName]: (data: z.output<(typeof jobDefinitions)[N]["schema"]>, ctx: JobContext) => Promise<unknown> };

export const handlers = {
  "system.purgeAuthFailures": async ({ olderThanDays }, { db }) => {
    const removed = await purgeOldFailures(db, new Date(Date.now() - olderThanDays * 86_400_000));
    return { removed };
  },
} satisfies Handlers;
