// The nightly portfolio run (COB, 日终批处理). A run is a cob_runs row plus partitions of ~20,000 loans by id range
// (cob_partitions), processed as children of one BullMQ flow whose parent ("cob.finish") closes the run. Postgres
// holds the truth: a partition counts once (its succeeded transition bumps the run's counters in the same
// statement), and the reconciler re-enqueues partitions whose jobs Redis lost and finishes runs whose partitions
// are all done. Loan-subject rules run per loan partition; customer- and application-subject rules run in one more
// partition ("portfolio") over the whole portfolio (a customer's loans may span loan partitions; undrawn
// applications have none). It reads loan_state, not the other partitions' results, so it runs beside them.
// Churn detection follows the same slices by id: a loan partition's range [from, to] is applied to loan ids for the
// post-loan kinds and to application ids for the pre-loan ones. The ranges tile 1 … max int, so every application is
// judged exactly once; over all applications in the portfolio partition it was that partition's longest step (63 of
// its 85 s at 1M loans, the run's critical path: docs/benchmarks.md).
import { FlowProducer } from "bullmq";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { enqueue, flowJob, queueOf, type Queues } from "../pipeline/queues";
import { isIsoDate } from "../time";
import type { RunStatus } from "../vocabulary";
import { detectChurn, updateChurnStatus } from "../churn/detect";
import { evaluateRules } from "./evaluate";

// Each partition pays fixed costs (planning its rules' statement, a transaction, statistics of its matches): fewer,
// larger partitions are faster at 1M loans, and 51 steps still show progress (docs/benchmarks.md).
export const COB_PARTITION_SIZE = 20_000;
const MAX_LOAN_ID = 2_147_483_647;

export type CobRun = {
  id: number;
  asOf: string;
  status: RunStatus;
  partitionsTotal: number;
  partitionsDone: number;
  loansEvaluated: number;
  warningsOpened: number;
  warningsClosed: number;
};

const RUN_COLUMNS = sql`id, as_of::text as "asOf", status::text as status, partitions_total as "partitionsTotal",
  partitions_done as "partitionsDone", loans_evaluated as "loansEvaluated", warnings_opened as "warningsOpened",
  warnings_closed as "warningsClosed"`;

export const partitionJobId = (runId: number, partitionNo: number) => `cob-${runId}-${partitionNo}`;
export const finishJobId = (runId: number) => `cob-${runId}-finish`;

export async function getCobRun(db: Db, runId: number): Promise<CobRun | null> {
  const [run] = await db.execute<CobRun>(sql`select ${RUN_COLUMNS} from cob_runs where id = ${runId}`);
  return run ?? null;
}

/**
 * Starts a run for `asOf`, or returns the one already running for that date (created: false). The rows are
 * committed before the flow is enqueued: if Redis fails in between, the reconciler enqueues the partitions.
 */
export async function startCob(
  db: Db,
  queues: Queues,
  opts: { asOf: string; trigger: string; requestedBy?: number | null; partitionSize?: number },
): Promise<{ run: CobRun; created: boolean }> {
  if (!isIsoDate(opts.asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${opts.asOf}"`);
  const size = opts.partitionSize ?? COB_PARTITION_SIZE;
  const started = await db.transaction(async (tx) => {
    // Serialises starts for one date, so two "run now" clicks make one run.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`cob:${opts.asOf}`}))`);
    const [existing] = await tx.execute<{ id: number }>(sql`
      select id from cob_runs where as_of = ${opts.asOf}::date and status in ('queued', 'running') order by id limit 1`);
    if (existing) return { runId: existing.id, created: false, partitions: 0 };
    const [run] = await tx.execute<{ id: number }>(sql`
      insert into cob_runs (as_of, trigger, requested_by, status, started_at)
      values (${opts.asOf}::date, ${opts.trigger}, ${opts.requestedBy ?? null}, 'running', now()) returning id`);
    const runId = run!.id;
    // Contiguous ranges over the whole id space (first from 1, last to max int): a loan added mid-run still
    // falls in exactly one partition.
    const parts = await tx.execute<{ n: number }>(sql`
      with g as (
        select (row_number() over (order by id) - 1) / ${size} as p, id from loans
      ), b as (
        select p::int as p, min(id) as lo from g group by p
      ), r as (
        select p, case when p = 0 then 1 else lo end as lo,
               coalesce(lead(lo) over (order by p) - 1, ${MAX_LOAN_ID}) as hi from b
      ), ins as (
        insert into cob_partitions (run_id, partition_no, scope, loan_id_from, loan_id_to)
        select ${runId}::int, p, 'loans', lo, hi from r
        union all
        select ${runId}::int, (select count(*) from r)::int, 'portfolio', 1, ${MAX_LOAN_ID}::int
        returning 1
      )
      select count(*)::int as n from ins`);
    const n = parts[0]?.n ?? 0;
    await tx.execute(sql`update cob_runs set partitions_total = ${n} where id = ${runId}`);
    return { runId, created: true, partitions: n };
  });
  if (started.created) await enqueueCobFlow(queues, started.runId, started.partitions);
  return { run: (await getCobRun(db, started.runId))!, created: started.created };
}

async function enqueueCobFlow(queues: Queues, runId: number, partitions: number): Promise<void> {
  const flow = new FlowProducer({ connection: queues.connection, prefix: queues.prefix });
  flow.on("error", () => {
    // Errors surface on add(); the listener keeps a connection blip from crashing the process.
  });
  try {
    await flow.add({
      ...flowJob(queues, "cob.finish", { runId }, { jobId: finishJobId(runId) }),
      // Highest number first. The portfolio partition (the last number) is the longest single piece, so it starts at
      // once and the loan partitions fill the other workers around it; the last loan partition comes next, as its
      // open-ended range also judges the applications numbered past the last loan (145,000 of them at 1M loans).
      children: Array.from({ length: partitions }, (_, i) => partitions - 1 - i).map((n) =>
        // A partition that fails for good fails the flow's parent too, instead of leaving it waiting forever.
        flowJob(queues, "cob.partition", { runId, partitionNo: n }, { jobId: partitionJobId(runId, n), failParentOnFailure: true }),
      ),
    });
  } finally {
    await flow.close();
  }
}

export type PartitionResult = { skipped: boolean; loans: number; opened: number; closed: number };

/**
 * One partition: claim (running, attempts + 1), evaluate the loan rules for its id range, then mark it succeeded
 * and add its figures to the run in one statement, guarded by status: a partition is counted exactly once even
 * when a lost-and-re-enqueued job runs it twice. Evaluation itself is idempotent.
 */
export async function runCobPartition(db: Db, runId: number, partitionNo: number): Promise<PartitionResult> {
  const [claimed] = await db.execute<{ scope: "loans" | "portfolio"; from: number; to: number; asOf: string }>(sql`
    update cob_partitions p set status = 'running', attempts = attempts + 1, started_at = now()
    from cob_runs r
    where r.id = p.run_id and p.run_id = ${runId} and p.partition_no = ${partitionNo} and p.status in ('queued', 'running')
    returning p.scope, p.loan_id_from as "from", p.loan_id_to as "to", r.as_of::text as "asOf"`);
  if (!claimed) return { skipped: true, loans: 0, opened: 0, closed: 0 };
  const portfolio = claimed.scope === "portfolio";
  // A loan partition is also scored by the active churn model, inside the rules' own feature pass (rules on
  // risk_score read today's score).
  const r = portfolio
    ? await evaluateRules(db, { kind: "all" }, claimed.asOf, { subjects: ["customer", "application"] })
    : await evaluateRules(db, { kind: "range", from: claimed.from, to: claimed.to }, claimed.asOf, { subjects: ["loan"], score: true });
  // Churn events of the same slice (the range over loan ids and over application ids, see above); the customers'
  // status once every partition is done (finishCob).
  if (!portfolio) await detectChurn(db, { kind: "range", from: claimed.from, to: claimed.to }, claimed.asOf, { stages: ["post_loan", "pre_loan"], customerStatus: false });
  const opened = r.opened + r.reopened;
  // The run's loan count is the loan partitions' (the portfolio partition looks at customers and applications).
  const loans = portfolio ? 0 : r.evaluated;
  await db.execute(sql`
    with p as (
      update cob_partitions set status = 'succeeded', loans = ${loans}, opened = ${opened}, closed = ${r.closed}, finished_at = now()
      where run_id = ${runId} and partition_no = ${partitionNo} and status = 'running'
      returning loans, opened, closed
    )
    update cob_runs set partitions_done = partitions_done + 1, loans_evaluated = loans_evaluated + p.loans,
      warnings_opened = warnings_opened + p.opened, warnings_closed = warnings_closed + p.closed
    from p where id = ${runId}`);
  return { skipped: false, loans, opened, closed: r.closed };
}

/** Closes a run once all its partitions succeeded. Returns false (and changes nothing) while partitions are outstanding. */
export async function finishCob(db: Db, runId: number): Promise<{ finished: boolean }> {
  const [run] = await db.execute<{ asOf: string; status: string; pending: number; portfolio: boolean }>(sql`
    select as_of::text as "asOf", status::text as status,
           (select count(*)::int from cob_partitions p where p.run_id = r.id and p.status <> 'succeeded') as pending,
           exists (select 1 from cob_partitions p where p.run_id = r.id and p.scope = 'portfolio') as portfolio
    from cob_runs r where id = ${runId}`);
  if (!run || run.status !== "running") return { finished: run?.status === "succeeded" };
  if (run.pending > 0) return { finished: false };
  // A run started before portfolio partitions existed (across an upgrade) evaluates those rules here, as it did then.
  const r = run.portfolio ? null : await evaluateRules(db, { kind: "all" }, run.asOf, { subjects: ["customer", "application"] });
  // Every partition's churn events are in: churned / won-back customers over the whole portfolio (idempotent).
  await updateChurnStatus(db, run.asOf);
  const done = await db.execute(sql`
    update cob_runs set status = 'succeeded', finished_at = now(),
      warnings_opened = warnings_opened + ${r ? r.opened + r.reopened : 0}, warnings_closed = warnings_closed + ${r?.closed ?? 0}
    where id = ${runId} and status = 'running' returning id`);
  return { finished: done.length > 0 };
}

/**
 * A partition whose job failed for good (its last attempt, or a permanent error): the partition and its run are
 * marked failed with the error, so the run stops showing "running", the reconciler leaves it alone and a new run
 * for the date can start. Partitions of the run still in flight finish and count as usual; the run stays failed.
 */
export async function failCobPartition(db: Db, runId: number, partitionNo: number, error: string): Promise<{ failed: boolean }> {
  const failure = `partition ${partitionNo}: ${error}`.slice(0, 2_000);
  const rows = await db.execute<{ id: number }>(sql`
    with p as (
      update cob_partitions set status = 'failed', finished_at = now()
      where run_id = ${runId} and partition_no = ${partitionNo} and status in ('queued', 'running')
      returning run_id
    )
    update cob_runs r set status = 'failed', failure = coalesce(r.failure, ${failure}), finished_at = now()
    from p where r.id = p.run_id and r.status in ('queued', 'running') returning r.id`);
  return { failed: rows.length > 0 };
}

/** The run's finish step failed for good: the run is marked failed with the error. */
export async function failCobRun(db: Db, runId: number, error: string): Promise<{ failed: boolean }> {
  const rows = await db.execute<{ id: number }>(sql`
    update cob_runs set status = 'failed', failure = coalesce(failure, ${error.slice(0, 2_000)}), finished_at = now()
    where id = ${runId} and status in ('queued', 'running') returning id`);
  return { failed: rows.length > 0 };
}

/**
 * The reconciler: for runs started more than `olderThanMs` ago, partitions still queued/running whose job Redis
 * no longer has are enqueued again (same job id, now without a parent), and runs whose partitions are all done are
 * finished here (their flow parent may be lost, or waiting on a child that was re-created without it). A partition
 * whose job Redis holds as failed fails its run. Failed runs are never looked at again.
 */
export async function reconcileCob(db: Db, queues: Queues, opts: { olderThanMs?: number } = {}): Promise<{ requeued: string[]; finished: number[]; failed?: number[] }> {
  const olderThanMs = opts.olderThanMs ?? 60_000;
  const rows = await db.execute<{ runId: number; partitionNo: number | null }>(sql`
    select r.id as "runId", p.partition_no as "partitionNo"
    from cob_runs r left join cob_partitions p on p.run_id = r.id and p.status in ('queued', 'running')
    where r.status = 'running' and r.started_at < now() - make_interval(secs => ${olderThanMs / 1000})
    order by r.id, p.partition_no`);
  const queue = queueOf(queues, "cob.partition");
  const requeued: string[] = [];
  const failed: number[] = [];
  const complete = new Set<number>();
  for (const row of rows) {
    if (row.partitionNo === null) {
      complete.add(row.runId);
      continue;
    }
    const jobId = partitionJobId(row.runId, row.partitionNo);
    const job = await queue.getJob(jobId);
    if (!job) {
      await enqueue(queues, "cob.partition", { runId: row.runId, partitionNo: row.partitionNo }, { jobId });
      requeued.push(jobId);
    } else if ((await job.getState()) === "failed") {
      // Failed for good, but the worker died before recording it: the run fails rather than waiting forever.
      if ((await failCobPartition(db, row.runId, row.partitionNo, job.failedReason || "job failed")).failed) failed.push(row.runId);
    }
  }
  const finished: number[] = [];
  for (const runId of complete) {
    if (!(await finishCob(db, runId)).finished) continue;
    finished.push(runId);
    // A flow parent still waiting on a child that was re-created without it would wait forever: drop it.
    const parent = await queueOf(queues, "cob.finish").getJob(finishJobId(runId));
    if (parent && (await parent.isWaitingChildren())) await parent.remove({ removeChildren: false }).catch(() => undefined);
  }
  return { requeued, finished, ...(failed.length ? { failed } : {}) };
}

/** Polls the run until it leaves queued/running (or the timeout passes), reporting progress on each change. */
export async function waitForCob(db: Db, runId: number, onProgress: (run: CobRun) => void, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<CobRun> {
  const deadline = Date.now() + (opts.timeoutMs ?? 6 * 3600_000);
  let last = "";
  for (;;) {
    const run = await getCobRun(db, runId);
    if (!run) throw new Error(`COB run ${runId} does not exist`);
    const key = JSON.stringify(run);
    if (key !== last) onProgress(run);
    last = key;
    if (run.status === "succeeded" || run.status === "failed" || Date.now() > deadline) return run;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 1_000));
  }
}
