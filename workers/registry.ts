// Handlers for every job in lib/queue/definitions.ts. The `satisfies` makes a missing handler a type error.
import type { z } from "zod";
import { purgeExpiredSessions } from "../lib/auth/sessions";
import { purgeOldFailures } from "../lib/auth/throttle";
import type { Db } from "../lib/db/client";
import { runImportJob } from "../lib/imports/job";
import { reconcileImports } from "../lib/imports/reconcile";
import { recomputeAll, recomputeLoans } from "../lib/loans/recompute";
import { confirmOutbox, dispatchOutbox, nudgeOutbox, purgeOutbox, reconcileOutbox, unclaimOutbox } from "../lib/outbox/dispatch";
import { jobDefinitions, type JobName } from "../lib/queue/definitions";
import type { Queues } from "../lib/queue/producer";
import { finishCob, reconcileCob, runCobPartition, startCob } from "../lib/rules/cob";
import { evaluateRules } from "../lib/rules/evaluate";
import { todayIn } from "../lib/time";
import { clockNow } from "../lib/clock";
import { openTasksForWarnings } from "../lib/tasks/open";
import { checkPromises, fireDueTimers, fireNextActions, scheduleTimers } from "../lib/tasks/timers";
import type { Logger } from "pino";

export type JobContext = { db: Db; log: Logger; jobId: string | undefined; queues: Queues };

type Handlers = { [N in JobName]: (data: z.output<(typeof jobDefinitions)[N]["schema"]>, ctx: JobContext) => Promise<unknown> };

export const handlers = {
  "system.purgeAuthFailures": async ({ olderThanDays }, { db }) => {
    const removed = await purgeOldFailures(db, new Date(Date.now() - olderThanDays * 86_400_000));
    // The same daily sweep forgets sessions past their absolute end (refused by then anyway, revoked or not).
    const sessions = await purgeExpiredSessions(db);
    // And outbox rows whose work was confirmed a week ago.
    const outboxRows = await purgeOutbox(db);
    return { removed, sessions, outbox: outboxRows };
  },
  "outbox.dispatch": async (_data, { db, queues }) => dispatchOutbox(db, queues),
  "outbox.reconcile": async ({ olderThanMs }, { db, queues }) => reconcileOutbox(db, queues, { olderThanMs }),
  "loans.recompute": async ({ loanIds, asOf }, { db, queues }) => {
    // The changed loans are evaluated right here rather than through one more outbox hop (a nudge window, a sweep,
    // a queue): repayment → warning is the latency that matters. The loans.changed row is written claimed, so the
    // reconciler still sends its evaluation.batch if this worker dies before confirming it.
    const { claimed, ...result } = await recomputeLoans(db, loanIds, asOf, { claim: true });
    if (!claimed) return result;
    let evaluation;
    try {
      evaluation = await evaluateRules(db, { kind: "loans", ids: claimed.loanIds }, asOf);
    } catch (e) {
      // A retry of this job would find the loans recomputed and evaluate nothing: hand the row back to the next
      // sweep (an evaluation.batch) rather than leave it to the reconciler's minute.
      await unclaimOutbox(db, [claimed.outboxId]).catch(() => {});
      await nudgeOutbox(queues).catch(() => {});
      throw e;
    }
    await confirmOutbox(db, [claimed.outboxId]);
    // New or re-opened warnings left outbox rows for the task workflow: send them now, not at the next sweep.
    if (evaluation.opened + evaluation.reopened > 0) await nudgeOutbox(queues);
    return { ...result, evaluation };
  },
  "loans.recomputeAll": async ({ asOf }, { db, log }) => {
    const day = asOf ?? todayIn("Asia/Shanghai");
    const result = await recomputeAll(db, day, { batchSize: 2_000 });
    log.info({ asOf: day, ...result }, "portfolio recomputed");
    return { asOf: day, ...result };
  },
  "imports.run": async (payload, { db, log, queues }) => {
    const result = await runImportJob(db, payload, log);
    // The written repayments' loans wait in the outbox: dispatch now, not at the next sweep, so their state follows.
    if (result.written > 0) await nudgeOutbox(queues);
    return result;
  },
  "imports.reconcile": async ({ olderThanMs }, { db, log, queues }) => {
    const result = await reconcileImports(db, queues, { olderThanMs });
    if (result.requeued.length) log.warn({ requeued: result.requeued }, "re-queued imports whose jobs were lost");
    return result;
  },
  "evaluation.batch": async ({ loanIds, asOf }, { db }) => evaluateRules(db, { kind: "loans", ids: loanIds }, asOf),
  "cob.partition": async ({ runId, partitionNo }, { db }) => runCobPartition(db, runId, partitionNo),
  "cob.finish": async ({ runId }, { db, log }) => {
    const result = await finishCob(db, runId);
    log.info({ runId, ...result }, "COB run finish step");
    return result;
  },
  "cob.reconcile": async ({ olderThanMs }, { db, log, queues }) => {
    const result = await reconcileCob(db, queues, { olderThanMs });
    if (result.requeued.length || result.finished.length) log.warn(result, "COB reconciler re-queued partitions or finished runs");
    return result;
  },
  "cob.nightly": async ({ asOf }, { db, log, queues }) => {
    const { run, created } = await startCob(db, queues, { asOf: asOf ?? todayIn("Asia/Shanghai"), trigger: "schedule" });
    log.info({ runId: run.id, asOf: run.asOf, created }, "nightly COB started");
    return { runId: run.id, created };
  },
  "tasks.fromWarnings": async ({ warningIds }, { db, log, queues }) => {
    const now = await clockNow(db);
    const result = await openTasksForWarnings(db, warningIds, now);
    // The new tasks' SLA timers as delayed jobs; the sweep re-creates any lost before they fall due.
    if (result.taskIds.length) await scheduleTimers(db, queues, now, { taskIds: result.taskIds });
    if (result.unassigned) log.warn({ unassigned: result.unassigned }, "tasks opened without an active RM in the branch");
    return { ...result, taskIds: result.taskIds.length };
  },
  "tasks.timer": async ({ taskId }, { db }) => fireDueTimers(db, await clockNow(db), [taskId]),
  "tasks.sweep": async (_data, { db, queues }) => {
    const now = await clockNow(db);
    const timers = await fireDueTimers(db, now);
    const promises = await checkPromises(db, now);
    const nextActions = await fireNextActions(db, now);
    const rescheduled = await scheduleTimers(db, queues, now, { horizonMs: 3_600_000 });
    return { timers, promises, nextActions, rescheduled };
  },
} satisfies Handlers;
