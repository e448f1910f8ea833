// The telemetry's job: derive the outcome rows of the customers the night changed (./outcomes.ts), so the first
// insights read of the morning finds none to derive. The nightly run's finish step enqueues it (lib/rules/jobs.ts);
// a read refreshes whatever changed since, so a missed job costs that read time, never a wrong figure.
import { z } from "zod";
import { job, type Domain } from "../pipeline/define";
import { refreshOutcomes } from "./outcomes";

export const insightsDomain = {
  jobs: {
    "insights.refreshOutcomes": job({
      queue: "system",
      schema: z.object({}),
      handle: async (_input, { db, log }) => {
        const customers = await refreshOutcomes(db);
        if (customers) log.info({ customers }, "insight outcome rows derived");
        return { customers };
      },
    }),
  },
} satisfies Domain;
