// Scheme versions and their maker-checker, as for rule and lexicon versions (lib/signals/versions.ts): HR or an
// admin proposes a whole scheme with the period it takes effect from; another HR user or admin approves it. An
// approved version scores the events of its period onwards; one never takes effect in a locked period.
import "server-only";
import { decisionNoteSchema, pendingProposal } from "../auth/makerChecker";
import { asc, desc, eq, max, sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditActor } from "../audit";
import type { Actor } from "../auth/roles";
import type { DbOrTx } from "../db/client";
import { incentiveSchemeVersions as sv } from "../db/schema";
import { Conflict, Forbidden, isUniqueViolation, parseOrInvalid } from "../errors";
import { DEFAULT_SCHEME, periodSchema, schemeSchema, type SchemeVersion } from "./scheme";

export const SCHEME_EDITORS = ["hr", "admin"] as const;
type SchemeActor = Pick<Actor, "userId" | "role">;

function requireEditor(actor: SchemeActor): void {
  if (!(SCHEME_EDITORS as readonly string[]).includes(actor.role)) throw new Forbidden();
}


/** The approved versions (the engine's input), oldest effective period first. */
export async function approvedSchemes(db: DbOrTx): Promise<SchemeVersion[]> {
  // One active version per effective period (a later approval at the same period superseded the earlier one).
  const rows = await db.select({ id: sv.id, effectiveFrom: sv.effectiveFrom, body: sv.body }).from(sv).where(eq(sv.status, "active")).orderBy(asc(sv.effectiveFrom));
  return rows.map((r) => ({ id: r.id, effectiveFrom: r.effectiveFrom, body: schemeSchema.parse(r.body) }));
}

/** The active versions' ids in one string: the cache key of `cachedSchemes` (an active version's body never changes). */
export const ACTIVE_SCHEME_KEY = sql`(select coalesce(string_agg(id::text, ',' order by id), '') from incentive_scheme_versions where status = 'active')`;

type SchemeCache = { key: string; versions: SchemeVersion[]; numbers: Map<number, number> };
let schemeCache: SchemeCache | null = null;

/**
 * The approved versions and their version numbers, cached per process. The caller reads `ACTIVE_SCHEME_KEY` in a
 * query it runs anyway, so an approval in any process is seen on the next read, without an extra round trip.
 */
export async function cachedSchemes(db: DbOrTx, key: string): Promise<SchemeCache> {
  if (schemeCache?.key === key) return schemeCache;
  const rows = await db.select({ id: sv.id, version: sv.version, effectiveFrom: sv.effectiveFrom, body: sv.body }).from(sv).where(eq(sv.status, "active")).orderBy(asc(sv.effectiveFrom));
  const next = {
    key: rows.map((r) => r.id).sort((a, b) => a - b).join(","),
    versions: rows.map((r) => ({ id: r.id, effectiveFrom: r.effectiveFrom, body: schemeSchema.parse(r.body) })),
    numbers: new Map(rows.map((r) => [r.id, r.version])),
  };
  schemeCache = next;
  return next;
}

export type SchemeVersionRow = {
  id: number;
  version: number;
  effectiveFrom: string;
  status: string;
  body: unknown;
  proposedBy: number | null;
  proposedByName: string | null;
  proposedAt: Date;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  note: string | null;
  decisionNote: string | null;
};

export async function listSchemeVersions(db: DbOrTx): Promise<SchemeVersionRow[]> {
  return db
    .select({
      id: sv.id,
      version: sv.version,
      effectiveFrom: sv.effectiveFrom,
      status: sv.status,
      body: sv.body,
      proposedBy: sv.proposedBy,
      proposedByName: sql<string | null>`(select display_name from users u where u.id = ${sv.proposedBy})`,
      proposedAt: sv.proposedAt,
      decidedBy: sv.decidedBy,
      decidedByName: sql<string | null>`(select display_name from users u where u.id = ${sv.decidedBy})`,
      decidedAt: sv.decidedAt,
      note: sv.note,
      decisionNote: sv.decisionNote,
    })
    .from(sv)
    .orderBy(desc(sv.version));
}

/** Installs the default scheme as version 1, in force from the earliest period, on an empty table. Idempotent. */
export async function ensureBuiltinScheme(db: DbOrTx): Promise<"installed" | "unchanged"> {
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`lock table incentive_scheme_versions in share row exclusive mode`);
      const [last] = await tx.select({ n: max(sv.version) }).from(sv);
      if (last?.n != null) return "unchanged";
      await tx.insert(sv).values({ version: 1, effectiveFrom: "2000-01", body: DEFAULT_SCHEME, status: "active", decidedAt: sql`now()`, note: "built-in" });
      return "installed";
    });
  } catch (e) {
    if (isUniqueViolation(e)) return "unchanged";
    throw e;
  }
}

export const proposeSchemeSchema = z.object({ effectiveFrom: periodSchema, body: z.unknown(), note: z.string().trim().max(500).optional() }).strict();

async function refuseLockedFrom(tx: DbOrTx, effectiveFrom: string): Promise<void> {
  const [l] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from incentive_periods where status = 'locked' and period >= ${effectiveFrom}`);
  if (l!.n > 0) throw new Conflict("incentivePeriodLocked");
}

export async function proposeScheme(db: DbOrTx, actor: SchemeActor, input: unknown, system?: AuditActor): Promise<{ id: number; version: number }> {
  requireEditor(actor);
  const p = parseOrInvalid(proposeSchemeSchema, input, "scheme");
  const body = parseOrInvalid(schemeSchema, p.body, "body");
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`lock table incentive_scheme_versions in share row exclusive mode`);
      const [pending] = await tx.select({ id: sv.id }).from(sv).where(eq(sv.status, "proposed"));
      if (pending) throw new Conflict("schemePending");
      await refuseLockedFrom(tx, p.effectiveFrom);
      const [last] = await tx.select({ n: max(sv.version) }).from(sv);
      const version = (last?.n ?? 0) + 1;
      const [row] = await tx
        .insert(sv)
        .values({ version, effectiveFrom: p.effectiveFrom, body: body, status: "proposed", proposedBy: actor.userId, note: p.note || null })
        .returning({ id: sv.id });
      await audit(tx, system ?? { kind: "user", userId: actor.userId }, { action: "incentives.scheme.propose", entity: "incentive_scheme", entityId: row!.id, after: { version, effectiveFrom: p.effectiveFrom, body: body } });
      return { id: row!.id, version };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict("schemePending");
    throw e;
  }
}

async function lockProposal(tx: DbOrTx, actor: SchemeActor, id: number) {
  requireEditor(actor);
  const [v] = await tx.select({ id: sv.id, version: sv.version, status: sv.status, proposedBy: sv.proposedBy, effectiveFrom: sv.effectiveFrom }).from(sv).where(eq(sv.id, id)).for("update");
  return pendingProposal(v, (x) => x.proposedBy, actor.userId, "schemeVersion", "incentiveMakerChecker");
}

/** Approves a proposal: it scores events from its effective period; an active version of that same period is superseded. */
export async function approveScheme(db: DbOrTx, actor: SchemeActor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const v = await lockProposal(tx, actor, id);
    await refuseLockedFrom(tx, v.effectiveFrom);
    const superseded = await tx
      .update(sv)
      .set({ status: "superseded" })
      .where(sql`${sv.status} = 'active' and ${sv.effectiveFrom} = ${v.effectiveFrom}`)
      .returning({ version: sv.version });
    await tx.update(sv).set({ status: "active", decidedBy: actor.userId, decidedAt: sql`now()` }).where(eq(sv.id, v.id));
    await audit(tx, { kind: "user", userId: actor.userId }, {
      action: "incentives.scheme.approve",
      entity: "incentive_scheme",
      entityId: v.id,
      before: { supersededVersion: superseded[0]?.version ?? null },
      after: { version: v.version, effectiveFrom: v.effectiveFrom },
    });
  });
}

export async function rejectScheme(db: DbOrTx, actor: SchemeActor, id: number, note: string): Promise<void> {
  const n = parseOrInvalid(decisionNoteSchema, note, "note");
  await db.transaction(async (tx) => {
    const v = await lockProposal(tx, actor, id);
    await tx.update(sv).set({ status: "rejected", decidedBy: actor.userId, decidedAt: sql`now()`, decisionNote: n }).where(eq(sv.id, v.id));
    await audit(tx, { kind: "user", userId: actor.userId }, { action: "incentives.scheme.reject", entity: "incentive_scheme", entityId: v.id, after: { version: v.version, note: n } });
  });
}
