// The dashboard's job: the month-end snapshots behind the NPL trend (./snapshots.ts). The nightly run's finish step
// enqueues it (lib/rules/jobs.ts "cob.finish"); it writes the month-ends still missing, so the first run of a month
// writes the month that just ended and a missed night is caught up by the next.
import { z } from "zod";
import { job, type Domain } from "../pipeline/define";
import { businessTz, isoDateSchema, todayIn } from "../time";
import { writeMonthEnds } from "./snapshots";

export const dashboardDomain = {
  jobs: {
    "dashboard.monthEnds": job({
      queue: "system",
      schema: z.object({ asOf: isoDateSchema.optional(), months: z.number().int().min(1).max(60).default(13), force: z.boolean().default(false) }),
      handle: async ({ asOf, months, force }, { db, log }) => {
        const day = asOf ?? todayIn(businessTz());
        const result = await writeMonthEnds(db, day, { months, force });
        if (result.written.length) log.info({ asOf: day, ...result }, "month-end snapshots written");
        return result;
      },
    }),
  },
} satisfies Domain;
