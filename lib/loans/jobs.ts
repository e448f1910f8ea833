// The loans domain's jobs and topics: the delinquency engine recomputes changed loans, event by event and nightly.
import { z } from "zod";
import { coalesceIds, job, outboxIdsSchema as outboxIds, topic, type Domain } from "../pipeline/define";
import { businessTz, isoDateSchema, todayIn } from "../time";
import { recomputeAll, recomputeLoans } from "./recompute";

const loanIds = z.array(z.number().int().positive()).min(1).max(5_000);

const loanBatch = z.object({ loanIds, asOf: isoDateSchema });

/** A topic of loan-id batches: a sweep's rows with the same as-of date become one job over their union. */
const loanBatches = (consumer: string, slug: string) =>
  topic({
    schema: loanBatch,
    ...coalesceIds<typeof loanBatch>({ consumer, slug, ids: (p) => p.loanIds, groupKey: (p) => p.asOf, payload: (ids, p) => ({ loanIds: ids, asOf: p.asOf }) }),
    maxInFlight: 2,
  });

export const loansDomain = {
  jobs: {
    // Re-derives DPD, classification and allocations for changed loans (new or corrected repayments, schedules).
    // Repayment → warning is the latency that matters: the changed loans it writes to loans.changed are evaluated
    // by this same worker right after (followThrough), not through one more sweep and queue.
    "loans.recompute": job({
      queue: "loans",
      schema: z.object({ loanIds, asOf: isoDateSchema, outboxIds }),
      handle: ({ loanIds, asOf }, { db }) => recomputeLoans(db, loanIds, asOf),
      followThrough: ["loans.changed"],
      // The engine's prepared reads on the pool (run once per connection by the worker: lib/pipeline/worker.ts).
      warm: async ({ db }) => void (await recomputeLoans(db, [2_147_483_647], todayIn(businessTz()))),
    }),
    // The whole portfolio for a business date; without asOf, today in the business time zone when the job runs.
    "loans.recomputeAll": job({
      queue: "loans",
      schema: z.object({ asOf: isoDateSchema.optional() }),
      handle: async ({ asOf }, { db, log }) => {
        const day = asOf ?? todayIn(businessTz());
        const result = await recomputeAll(db, day, { batchSize: 2_000 });
        log.info({ asOf: day, ...result }, "portfolio recomputed");
        return { asOf: day, ...result };
      },
      // Before the nightly COB, so the rules see the day's DPD and classification.
      schedule: { id: "loans.recomputeAll.daily", pattern: "0 1 * * *", data: {} },
    }),
  },
  topics: {
    // Written by imports and the API: these loans' inputs changed; the delinquency engine recomputes them.
    "loans.recompute": loanBatches("loans.recompute", "recompute"),
    // Written by the recompute: these loans' derived state moved; the rules engine re-evaluates them.
    "loans.changed": loanBatches("evaluation.batch", "eval"),
  },
} satisfies Domain;
