// Moves outbox rows to BullMQ. Rows are claimed with SKIP LOCKED (any number of workers can dispatch), enqueued
// with deterministic job ids, and marked sent in the same transaction: a crash between the two re-sends the
// same job ids, which BullMQ ignores, so no work is lost or doubled.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { jobDefinitions } from "../queue/definitions";
import { enqueue, type Queues } from "../queue/producer";

const CHUNK = 5_000;

// Topics with a consumer, and the job each row becomes: 'loans.changed' (written by the delinquency recompute) feeds
// the rules engine. Other topics stay pending until a consumer exists.
const TOPIC_JOBS = { "loans.recompute": "loans.recompute", "loans.changed": "evaluation.batch" } as const;
export const DISPATCHED_TOPICS = Object.keys(TOPIC_JOBS) as (keyof typeof TOPIC_JOBS)[];

type Row = { id: number; topic: keyof typeof TOPIC_JOBS; payload: { loanIds?: number[]; asOf?: string } };

function jobsOf(row: Row): { name: (typeof TOPIC_JOBS)[keyof typeof TOPIC_JOBS]; jobId: string; loanIds: number[]; asOf: string }[] {
  const ids = row.payload.loanIds ?? [];
  const name = TOPIC_JOBS[row.topic];
  const out = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push({ name, jobId: `outbox-${row.id}-${i / CHUNK}`, loanIds: ids.slice(i, i + CHUNK), asOf: row.payload.asOf! });
  return out;
}

export async function dispatchOutbox(db: Db, queues: Queues, limit = 200): Promise<{ dispatched: number }> {
  return db.transaction(async (tx) => {
    const rows = await tx.execute<Row>(sql`
      select id::int as id, topic, payload from outbox
      where dispatched_at is null and topic in (${sql.join(DISPATCHED_TOPICS.map((t) => sql`${t}`), sql`, `)})
      order by id limit ${limit} for update skip locked`);
    for (const row of rows) {
      for (const j of jobsOf(row)) await enqueue(queues, j.name, { loanIds: j.loanIds, asOf: j.asOf }, { jobId: j.jobId });
    }
    if (rows.length) {
      await tx.execute(sql`update outbox set dispatched_at = now(), attempts = attempts + 1 where id in (${sql.join(rows.map((r) => sql`${r.id}`), sql`, `)})`);
    }
    return { dispatched: rows.length };
  });
}

/**
 * The reconciler: rows sent a while ago whose jobs Redis no longer has (flushed, lost) are sent again; rows whose
 * jobs all completed are confirmed and not looked at again. Failed or still-running jobs are left alone.
 */
export async function reconcileOutbox(db: Db, queues: Queues, opts: { olderThanMs?: number; limit?: number } = {}): Promise<{ confirmed: number; resent: number }> {
  const olderThanMs = opts.olderThanMs ?? 60_000;
  const rows = await db.execute<Row>(sql`
    select id::int as id, topic, payload from outbox
    where dispatched_at is not null and confirmed_at is null
      and dispatched_at < now() - make_interval(secs => ${olderThanMs / 1000})
      and topic in (${sql.join(DISPATCHED_TOPICS.map((t) => sql`${t}`), sql`, `)})
    order by id limit ${opts.limit ?? 500}`);
  const confirmed: number[] = [];
  let resent = 0;
  for (const row of rows) {
    let done = true;
    for (const j of jobsOf(row)) {
      const job = await queues.get(jobDefinitions[j.name].queue).getJob(j.jobId);
      if (!job) {
        await enqueue(queues, j.name, { loanIds: j.loanIds, asOf: j.asOf }, { jobId: j.jobId });
        resent++;
        done = false;
      } else if (!(await job.isCompleted())) {
        done = false;
      }
    }
    if (done) confirmed.push(row.id);
  }
  if (confirmed.length) await db.execute(sql`update outbox set confirmed_at = now() where id in (${sql.join(confirmed.map((id) => sql`${id}`), sql`, `)})`);
  if (resent) await db.execute(sql`update outbox set attempts = attempts + 1, dispatched_at = now() where confirmed_at is null and id in (${sql.join(rows.map((r) => sql`${r.id}`), sql`, `)})`);
  return { confirmed: confirmed.length, resent };
}

/**
 * Asks a worker to dispatch now rather than at the next scheduled sweep. Not deduplicated: a nudge dropped while
 * another dispatch is already running could miss the row just committed, and a dispatch that finds nothing is cheap.
 */
export async function nudgeOutbox(queues: Queues): Promise<void> {
  await queues.get("system").add("outbox.dispatch", {}, { removeOnComplete: true, removeOnFail: true, attempts: 1 });
}
