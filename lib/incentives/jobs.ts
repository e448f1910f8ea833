// The ledger's jobs. A nightly run derives every entry the facts justify; each retention share gets two delayed jobs
// with deterministic ids — its verification day and the end of its clawback window — and an hourly reconciler
// re-creates from Postgres the ones Redis lost. Every handler is the same idempotent derivation, so an early, late or
// repeated job adds nothing twice.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { clockNow } from "../clock";
import type { DbOrTx } from "../db/client";
import { job, type Domain, type Queues } from "../pipeline/define";
import { enqueue, queueOf } from "../pipeline/queues";
import { businessTz, todayIn } from "../time";
import { deriveLedger } from "./engine";
import { ensureBuiltinScheme } from "./versions";

const taskId = z.number().int().positive();
export const settlementJobId = (kind: "verify" | "clawback", id: number) => `incentives-${kind}-task-${id}`;

/**
 * Delayed jobs for every retention share not yet settled: verification on its day (closed + N), the clawback check at
 * the end of its window (closed + M), both at 00:30 business time; a verification already due runs now. Jobs already
 * in Redis are left alone.
 */
export async function scheduleSettlements(db: DbOrTx, queues: Queues, now: Date, taskIds?: readonly number[]): Promise<number> {
  const only = taskIds ? sql`and l.task_id = any(${`{${taskIds.join(",")}}`}::int[])` : sql``;
  const rows = await db.execute<{ task_id: number; kind: "verify" | "clawback"; due: string }>(sql`
    select distinct l.task_id, k.kind, ((l.event_on + k.days)::timestamp + interval '30 minutes') at time zone ${businessTz()}::text as due
    from incentive_ledger l join incentive_scheme_versions v on v.id = l.scheme_version_id
    cross join lateral (values ('verify', (v.body->'verification'->>'days')::int), ('clawback', (v.body->'clawback'->>'days')::int)) k(kind, days)
    where l.rule = 'retained' and (k.kind = 'verify' or l.event_on + k.days >= ${todayIn(undefined, now)}::date - 1) ${only}
      and (not exists (select 1 from incentive_ledger s where s.source_key = l.source_key and s.rule = 'clawback')
        or exists (select 1 from incentive_ledger s where s.source_key = l.source_key and s.rule = 'clawback_reversed'))
      and (k.kind = 'clawback' or not exists (select 1 from incentive_ledger s where s.source_key = l.source_key and s.rule = 'retention_verified'))`);
  const created = new Set<string>();
  for (const r of rows) {
    const jobId = settlementJobId(r.kind, r.task_id);
    if (created.has(jobId)) continue;
    const name = r.kind === "verify" ? "incentives.verify" : "incentives.clawback";
    if (await queueOf(queues, name).getJob(jobId)) continue;
    await enqueue(queues, name, { taskId: r.task_id }, { jobId, delay: Math.max(0, new Date(r.due).getTime() - now.getTime()) });
    created.add(jobId);
  }
  return created.size;
}

async function settle(db: DbOrTx, id: number) {
  return deriveLedger(db, todayIn(undefined, await clockNow(db)), { taskIds: [id] });
}

export const incentivesDomain = {
  jobs: {
    // Nightly at 02:30, after COB has written the day's churn events: every entry due, then the settlement jobs.
    "incentives.derive": job({
      queue: "system",
      schema: z.object({}),
      handle: async (_data, { db, queues }) => {
        const now = await clockNow(db);
        await ensureBuiltinScheme(db);
        const result = await deriveLedger(db, todayIn(undefined, now));
        return { ...result, scheduled: await scheduleSettlements(db, queues, now) };
      },
      schedule: { id: "incentives.derive", pattern: "30 2 * * *", data: {} },
    }),
    // A retention share's verification day: payable if the customer is still there, forfeited if not.
    "incentives.verify": job({ queue: "system", schema: z.object({ taskId }), handle: ({ taskId }, { db }) => settle(db, taskId) }),
    // The end of a share's clawback window: a relationship that ended inside it takes the points back.
    "incentives.clawback": job({ queue: "system", schema: z.object({ taskId }), handle: ({ taskId }, { db }) => settle(db, taskId) }),
    // Hourly: settlement jobs Redis lost are created again from the ledger.
    "incentives.reconcile": job({
      queue: "system",
      schema: z.object({}),
      handle: async (_data, { db, queues }) => ({ scheduled: await scheduleSettlements(db, queues, await clockNow(db)) }),
      schedule: { id: "incentives.reconcile", every: 3_600_000, data: {} },
    }),
  },
} satisfies Domain;
