// The industry watch list: GB/T 4754 codes (a section letter like "K" or a division like "C36", or finer) whose
// customers the "industry on watch list" features flag while the entry is active. Edited by admins, audited.
import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditActor } from "../audit";
import { scopeWhere, SHAPES, type Scope } from "../auth/scope";
import type { Db, DbOrTx } from "../db/client";
import { industryWatchlist } from "../db/schema";
import { Invalid, NotFound, isUniqueViolation, type Issue } from "../errors";
import { DIVISIONS, SECTIONS, parseIndustryCode } from "./industries";

export type WatchRow = {
  id: number;
  industryCode: string;
  nameZh: string;
  nameEn: string;
  reason: string;
  active: boolean;
  addedByName: string | null;
  createdAt: string;
  updatedAt: string;
  /** Customers (within the reader's scope) whose industry code starts with this entry's code. */
  customers: number;
};

export const REASON_MAX = 500;

/** Normalises and checks a watch-list code: a section letter (A–T) or a code lib/reference/industries accepts. */
export function normaliseWatchCode(raw: string): { code: string; nameZh: string; nameEn: string } | null {
  const code = raw.trim().toUpperCase();
  const section = SECTIONS.find((s) => s.letter === code);
  if (section) return { code, nameZh: section.zh, nameEn: section.en };
  const parsed = parseIndustryCode(code);
  if (!parsed) return null;
  const name = DIVISIONS[parsed.division] ?? parsed.section;
  return { code, nameZh: name.zh, nameEn: name.en };
}

export const watchInputSchema = z.object({
  industryCode: z.string({ error: "expected an industry code" }),
  reason: z.string({ error: "expected a reason" }),
  active: z.boolean().default(true),
});
export type WatchInput = z.input<typeof watchInputSchema>;

function checkReason(reason: string, issues: Issue[]): string {
  const r = reason.trim();
  if (!r) issues.push({ field: "reason", code: "watchReason" });
  else if (r.length > REASON_MAX) issues.push({ field: "reason", code: "watchReasonLength", params: { max: REASON_MAX } });
  return r;
}

function parseWatch(input: unknown) {
  const parsed = watchInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new Invalid(parsed.error.issues.map((i) => {
      const field = String(i.path[0] ?? "(root)");
      return { field, code: field === "industryCode" ? "watchCode" : field === "reason" ? "watchReason" : i.code, detail: i.message };
    }));
  }
  const issues: Issue[] = [];
  const industry = normaliseWatchCode(parsed.data.industryCode);
  if (!industry) issues.push({ field: "industryCode", code: "watchCode" });
  const reason = checkReason(parsed.data.reason, issues);
  if (issues.length) throw new Invalid(issues);
  return { industryCode: industry!.code, reason, active: parsed.data.active };
}

const duplicate = (code: string) => new Invalid([{ field: "industryCode", code: "watchDuplicate", params: { code } }]);

const snapshot = (r: { industryCode: string; reason: string; active: boolean }) => ({ industryCode: r.industryCode, reason: r.reason, active: r.active });

/** The watch list by code, each entry with how many customers in the scope it currently covers. */
export async function listWatchlist(db: DbOrTx, scope: Scope): Promise<WatchRow[]> {
  // Spelled out with table names: inside the subquery an unqualified industry_code would be the customer's.
  const covered = sql<number>`(select count(*)::int from customers where left(customers.industry_code, length(industry_watchlist.industry_code)) = industry_watchlist.industry_code and ${scopeWhere(scope, SHAPES.customers)})`;
  const rows = await db
    .select({
      id: industryWatchlist.id,
      industryCode: industryWatchlist.industryCode,
      reason: industryWatchlist.reason,
      active: industryWatchlist.active,
      addedByName: sql<string | null>`(select display_name from users u where u.id = ${industryWatchlist.addedBy})`,
      createdAt: industryWatchlist.createdAt,
      updatedAt: industryWatchlist.updatedAt,
      customers: covered,
    })
    .from(industryWatchlist)
    .orderBy(asc(industryWatchlist.industryCode));
  return rows.map((r) => {
    const n = normaliseWatchCode(r.industryCode);
    return {
      ...r,
      nameZh: n?.nameZh ?? r.industryCode,
      nameEn: n?.nameEn ?? r.industryCode,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

export async function addWatch(db: Db, actor: AuditActor, input: unknown): Promise<{ id: number }> {
  const v = parseWatch(input);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(industryWatchlist)
        .values({ ...v, addedBy: actor.kind === "user" ? actor.userId : null })
        .onConflictDoNothing()
        .returning({ id: industryWatchlist.id });
      if (!row) throw duplicate(v.industryCode);
      await audit(tx, actor, { action: "watchlist.add", entity: "industry_watchlist", entityId: row.id, after: v });
      return row;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicate(v.industryCode);
    throw e;
  }
}

/** Changes an entry's reason and/or active flag (deactivate, reactivate); the code itself is its identity. */
export async function updateWatch(db: Db, actor: AuditActor, id: number, patch: { reason?: string; active?: boolean }): Promise<void> {
  const issues: Issue[] = [];
  const reason = patch.reason === undefined ? undefined : checkReason(patch.reason, issues);
  if (issues.length) throw new Invalid(issues);
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(industryWatchlist).where(eq(industryWatchlist.id, id)).for("update");
    if (!before) throw new NotFound("watchlistEntry");
    const next = { reason: reason ?? before.reason, active: patch.active ?? before.active };
    if (next.reason === before.reason && next.active === before.active) return;
    await tx.update(industryWatchlist).set({ ...next, updatedAt: new Date() }).where(eq(industryWatchlist.id, id));
    const action = next.active !== before.active ? (next.active ? "watchlist.activate" : "watchlist.deactivate") : "watchlist.update";
    await audit(tx, actor, { action, entity: "industry_watchlist", entityId: id, before: snapshot(before), after: { ...snapshot(before), ...next } });
  });
}

export async function deleteWatch(db: Db, actor: AuditActor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(industryWatchlist).where(eq(industryWatchlist.id, id)).returning();
    if (!row) throw new NotFound("watchlistEntry");
    await audit(tx, actor, { action: "watchlist.delete", entity: "industry_watchlist", entityId: id, before: snapshot(row) });
  });
}
