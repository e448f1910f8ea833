// The nightly-run list for /admin/cob: recent runs with their progress counters (no customer data, so no scope).
import "server-only";
import { desc, eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client";
import { cobRuns, users } from "../db/schema";
import type { CobRun } from "./cob";

// A run's progress counters (CobRun) with who started it, when, and why it failed.
export type CobRunRow = CobRun & { trigger: string; failure: string | null; requestedBy: string | null; startedAt: string | null; finishedAt: string | null };

export async function listCobRuns(db: DbOrTx, limit = 30): Promise<CobRunRow[]> {
  const rows = await db
    .select({
      id: cobRuns.id,
      asOf: cobRuns.asOf,
      trigger: cobRuns.trigger,
      status: cobRuns.status,
      partitionsTotal: cobRuns.partitionsTotal,
      partitionsDone: cobRuns.partitionsDone,
      loansEvaluated: cobRuns.loansEvaluated,
      warningsOpened: cobRuns.warningsOpened,
      warningsClosed: cobRuns.warningsClosed,
      failure: cobRuns.failure,
      requestedBy: users.displayName,
      startedAt: cobRuns.startedAt,
      finishedAt: cobRuns.finishedAt,
    })
    .from(cobRuns)
    .leftJoin(users, eq(users.id, cobRuns.requestedBy))
    .orderBy(desc(cobRuns.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, startedAt: r.startedAt?.toISOString() ?? null, finishedAt: r.finishedAt?.toISOString() ?? null }));
}
