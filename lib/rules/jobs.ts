// The rules domain's jobs and topics: event-driven evaluation of changed loans, the nightly portfolio run (COB) and
// the warnings it opens for the task workflow.
import { z } from "zod";
import { coalesceIds, job, outboxIdsSchema as outboxIds, topic, type Domain } from "../pipeline/define";
import { businessTz, isoDateSchema, todayIn } from "../time";
import { enqueue } from "../pipeline/queues";
import { failCobPartition, failCobRun, finishCob, getCobRun, reconcileCob, runCobPartition, startCob } from "./cob";
import { detectChurn } from "../churn/detect";
import { evaluateRules } from "./evaluate";
import { COB_NIGHTLY, cobRepeat } from "./schedule";

const runId = z.number().int().positive();
const warningId = z.object({ warningId: z.number().int().positive() });

/** New or re-opened warnings go to the task workflow, all of a sweep's rows in one job. */
const toTasks = (slug: string) =>
  topic({
    schema: warningId,
    ...coalesceIds<typeof warningId>({ consumer: "tasks.fromWarnings", slug, ids: (p) => [p.warningId], payload: (warningIds) => ({ warningIds }) }),
  });

export const rulesDomain = {
  jobs: {
    // Evaluates the warning rules for changed loans (and their customers and applications): ./evaluate.ts.
    "evaluation.batch": job({
      queue: "evaluation",
      schema: z.object({ loanIds: z.array(z.number().int().positive()).min(1).max(5_000), asOf: isoDateSchema, outboxIds }),
      // Then the churn events of the same loans (a backdated repayment re-derives them): ../churn/detect.ts.
      handle: async ({ loanIds, asOf }, { db }) => {
        const target = { kind: "loans", ids: loanIds } as const;
        // The active churn model scores the changed loans in the same feature pass (../model/scoring.ts).
        const evaluated = await evaluateRules(db, target, asOf, { score: true });
        const churn = await detectChurn(db, target, asOf);
        return { ...evaluated, churn };
      },
      // The job's statements on the pool (run once per connection by the worker): the same steps for a loan id no loan
      // has — nothing matches, nothing is written.
      warm: async ({ db }) => {
        const target = { kind: "loans" as const, ids: [2_147_483_647] };
        const asOf = todayIn(businessTz());
        await evaluateRules(db, target, asOf, { score: true });
        await detectChurn(db, target, asOf);
      },
    }),
    // One slice of a nightly portfolio run (COB), a child of the run's "cob.finish" flow job: ./cob.ts.
    "cob.partition": job({
      queue: "evaluation",
      schema: z.object({ runId, partitionNo: z.number().int().min(0) }),
      handle: ({ runId, partitionNo }, { db }) => runCobPartition(db, runId, partitionNo),
      onFinalFailure: ({ runId, partitionNo }, message, { db }) => failCobPartition(db, runId, partitionNo, message),
    }),
    // Runs once every partition is done and closes the run.
    "cob.finish": job({
      queue: "evaluation",
      schema: z.object({ runId }),
      handle: async ({ runId }, { db, log, queues }) => {
        const result = await finishCob(db, runId);
        log.info({ runId, ...result }, "COB run finish step");
        // Then the month-end snapshots the run's date completes (idempotent; one job per date).
        const run = result.finished ? await getCobRun(db, runId) : null;
        if (run) await enqueue(queues, "dashboard.monthEnds", { asOf: run.asOf, months: 13, force: false }, { jobId: `month-ends-${run.asOf}` });
        // And the telemetry's outcome rows of the customers the run changed (lib/insights/outcomes.ts).
        if (run) await enqueue(queues, "insights.refreshOutcomes", {}, { jobId: `insight-outcomes-${run.asOf}` });
        return result;
      },
      onFinalFailure: ({ runId }, message, { db }) => failCobRun(db, runId, `finish: ${message}`),
    }),
    // Re-enqueues COB partitions whose jobs Redis lost and finishes runs whose partitions are all done.
    "cob.reconcile": job({
      queue: "system",
      schema: z.object({ olderThanMs: z.number().int().min(0).default(60_000) }),
      handle: async ({ olderThanMs }, { db, log, queues }) => {
        const result = await reconcileCob(db, queues, { olderThanMs });
        if (result.requeued.length || result.finished.length) log.warn(result, "COB reconciler re-queued partitions or finished runs");
        return result;
      },
      schedule: { id: "cob.reconcile.sweep", every: 60_000, data: { olderThanMs: 60_000 } },
    }),
    // Starts the nightly COB for today in the business time zone (or asOf), unless one for that date is running.
    "cob.nightly": job({
      queue: "system",
      schema: z.object({ asOf: isoDateSchema.optional() }),
      handle: async ({ asOf }, { db, log, queues }) => {
        const { run, created } = await startCob(db, queues, { asOf: asOf ?? todayIn(businessTz()), trigger: "schedule" });
        log.info({ runId: run.id, asOf: run.asOf, created }, "nightly COB started");
        return { runId: run.id, created };
      },
      // At the admin-set time (settings table; ./schedule.ts), after the 01:00 delinquency recompute.
      schedule: { id: COB_NIGHTLY.id, data: {}, repeat: cobRepeat },
    }),
  },
  topics: {
    // Written by the evaluation with each new or re-opened warning: the task worker opens or updates tasks.
    "warning.opened": toTasks("tasks-opened"),
    "warning.reopened": toTasks("tasks-reopened"),
  },
} satisfies Domain;
