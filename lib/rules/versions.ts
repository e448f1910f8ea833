// Rule versions and maker-checker: every edit is a new proposed version, which becomes active only when an admin or
// supervisor other than its proposer approves it. A rule has at most one pending proposal: proposing while one is
// pending is refused (Conflict "pendingProposal") so a checker never approves something that changed under them.
// The built-in library proposes too (lib/rules/library.ts: a release's changed built-in), with no user as proposer.
import "server-only";
import { decisionNoteSchema, pendingProposal } from "../auth/makerChecker";
import { and, asc, desc, eq, max, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../audit";
import type { Actor } from "../auth/roles";
import type { Db, DbOrTx } from "../db/client";
import { ruleVersions, rules } from "../db/schema";
import { Conflict, Forbidden, isUniqueViolation, NotFound, parseOrInvalid } from "../errors";
import { REASON_FAMILIES, SEVERITIES, STAGES, SUBJECTS, WILLS } from "../vocabulary";
import { conditionSchema } from "./ast";
import { definitionColumns, offerLibraryUpdate, versionFromLibrary } from "./library";

export const RULE_EDITORS = ["admin", "supervisor"] as const;

export const ruleCodeSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,47}$/, "lower-case letters, digits and underscores, starting with a letter");

export const versionInputSchema = z
  .object({
    nameZh: z.string().trim().min(1).max(80),
    nameEn: z.string().trim().min(1).max(120),
    descriptionZh: z.string().trim().max(1000).default(""),
    descriptionEn: z.string().trim().max(2000).default(""),
    subject: z.enum(SUBJECTS),
    condition: z.unknown(),
    severity: z.enum(SEVERITIES),
    stage: z.enum(STAGES),
    will: z.enum(WILLS),
    reasonFamily: z.enum(REASON_FAMILIES),
    cooldownDays: z.number().int().min(0).max(365),
    enabled: z.boolean(),
  })
  .superRefine((v, ctx) => {
    // The condition is checked against the rule's subject; its issues keep their path under "condition".
    const r = conditionSchema(v.subject).safeParse(v.condition);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: ["condition", ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))], message: i.message });
  });
export type VersionInput = z.input<typeof versionInputSchema>;

type RuleActor = Pick<Actor, "userId" | "role">;

function requireEditor(actor: RuleActor): void {
  if (!(RULE_EDITORS as readonly string[]).includes(actor.role)) throw new Forbidden();
}

function parseInput(input: unknown) {
  const r = parseOrInvalid(versionInputSchema, input);
  return r;
}

const versionColumns = {
  id: ruleVersions.id,
  ruleId: ruleVersions.ruleId,
  version: ruleVersions.version,
  ...definitionColumns,
  status: ruleVersions.status,
  proposedBy: ruleVersions.proposedBy,
  proposedAt: ruleVersions.proposedAt,
  decidedBy: ruleVersions.decidedBy,
  decidedAt: ruleVersions.decidedAt,
  note: ruleVersions.note,
  fromLibrary: versionFromLibrary,
};

async function versionsOf(db: DbOrTx, ruleId?: number) {
  const rows = await db
    .select({
      ...versionColumns,
      proposedByName: sql<string | null>`(select display_name from users u where u.id = ${ruleVersions.proposedBy})`,
      decidedByName: sql<string | null>`(select display_name from users u where u.id = ${ruleVersions.decidedBy})`,
    })
    .from(ruleVersions)
    .where(ruleId === undefined ? undefined : eq(ruleVersions.ruleId, ruleId))
    .orderBy(asc(ruleVersions.ruleId), desc(ruleVersions.version));
  return rows;
}
export type RuleVersionRow = Awaited<ReturnType<typeof versionsOf>>[number];

export type RuleSummary = { id: number; code: string; active: RuleVersionRow | null; pending: RuleVersionRow | null; latestVersion: number };

/** Every rule with its active version and its pending proposal (if any), by code. */
export async function listRules(db: DbOrTx): Promise<RuleSummary[]> {
  const all = await db.select({ id: rules.id, code: rules.code }).from(rules).orderBy(asc(rules.code));
  const versions = await versionsOf(db);
  return all.map((r) => {
    const mine = versions.filter((v) => v.ruleId === r.id);
    return {
      ...r,
      active: mine.find((v) => v.status === "active") ?? null,
      pending: mine.find((v) => v.status === "proposed") ?? null,
      latestVersion: mine[0]?.version ?? 0,
    };
  });
}

export type RuleDetail = RuleSummary & { versions: RuleVersionRow[] };

/** One rule with all its versions, newest first. */
export async function getRule(db: DbOrTx, id: number): Promise<RuleDetail> {
  const [r] = await db.select({ id: rules.id, code: rules.code }).from(rules).where(eq(rules.id, id));
  if (!r) throw new NotFound("rule");
  const versions = await versionsOf(db, id);
  return {
    ...r,
    versions,
    active: versions.find((v) => v.status === "active") ?? null,
    pending: versions.find((v) => v.status === "proposed") ?? null,
    latestVersion: versions[0]?.version ?? 0,
  };
}

/** Proposes version N+1 of a rule; refused while another proposal for the rule is pending. */
export async function proposeVersion(db: Db, actor: RuleActor, ruleId: number, input: unknown): Promise<{ id: number; version: number }> {
  requireEditor(actor);
  const v = parseInput(input);
  try {
    return await db.transaction(async (tx) => {
      // Serialises proposals for one rule (the version number is read, then written).
      const [r] = await tx.select({ id: rules.id }).from(rules).where(eq(rules.id, ruleId)).for("update");
      if (!r) throw new NotFound("rule");
      const [pending] = await tx
        .select({ id: ruleVersions.id })
        .from(ruleVersions)
        .where(and(eq(ruleVersions.ruleId, ruleId), eq(ruleVersions.status, "proposed")));
      if (pending) throw new Conflict("pendingProposal");
      const [last] = await tx.select({ n: max(ruleVersions.version) }).from(ruleVersions).where(eq(ruleVersions.ruleId, ruleId));
      const version = (last?.n ?? 0) + 1;
      const [row] = await tx
        .insert(ruleVersions)
        .values({ ...v, ruleId, version, status: "proposed", proposedBy: actor.userId })
        .returning({ id: ruleVersions.id });
      await audit(tx, { kind: "user", userId: actor.userId }, { action: "rule.propose", entity: "rule", entityId: ruleId, after: { versionId: row!.id, version, ...v } });
      return { id: row!.id, version };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict("pendingProposal");
    throw e;
  }
}

/** Creates a rule with a proposed version 1 (active once another editor approves it). */
export async function createRule(db: Db, actor: RuleActor, code: string, input: unknown): Promise<{ ruleId: number; versionId: number }> {
  requireEditor(actor);
  const c = parseOrInvalid(ruleCodeSchema, code, "code");
  const v = parseInput(input);
  return db.transaction(async (tx) => {
    const [r] = await tx.insert(rules).values({ code: c }).onConflictDoNothing().returning({ id: rules.id });
    if (!r) throw new Conflict("ruleCodeTaken");
    const [row] = await tx
      .insert(ruleVersions)
      .values({ ...v, ruleId: r.id, version: 1, status: "proposed", proposedBy: actor.userId })
      .returning({ id: ruleVersions.id });
    await audit(tx, { kind: "user", userId: actor.userId }, { action: "rule.create", entity: "rule", entityId: r.id, after: { code: c, versionId: row!.id, ...v } });
    return { ruleId: r.id, versionId: row!.id };
  });
}

/** Locks a version's rule, then the version: the rule first, as proposals and the library's deliveries lock it. */
async function lockVersion(tx: DbOrTx, versionId: number) {
  const [of] = await tx.select({ ruleId: ruleVersions.ruleId }).from(ruleVersions).where(eq(ruleVersions.id, versionId));
  if (!of) throw new NotFound("ruleVersion");
  await tx.select({ id: rules.id }).from(rules).where(eq(rules.id, of.ruleId)).for("update");
  const [v] = await tx
    .select({ id: ruleVersions.id, ruleId: ruleVersions.ruleId, version: ruleVersions.version, status: ruleVersions.status, proposedBy: ruleVersions.proposedBy })
    .from(ruleVersions)
    .where(eq(ruleVersions.id, versionId))
    .for("update");
  if (!v) throw new NotFound("ruleVersion");
  if (v.status !== "proposed") throw new Conflict("notPending");
  return v;
}

async function lockProposal(tx: DbOrTx, actor: RuleActor, versionId: number) {
  requireEditor(actor);
  return pendingProposal(await lockVersion(tx, versionId), (x) => x.proposedBy, actor.userId, "ruleVersion", "makerChecker");
}

/** Approves a proposal: the active version (if any) becomes superseded and the proposal active, atomically. */
export async function approveVersion(db: Db, actor: RuleActor, versionId: number, note?: string): Promise<void> {
  await db.transaction(async (tx) => {
    const v = await lockProposal(tx, actor, versionId);
    const superseded = await tx
      .update(ruleVersions)
      .set({ status: "superseded" })
      .where(and(eq(ruleVersions.ruleId, v.ruleId), eq(ruleVersions.status, "active")))
      .returning({ id: ruleVersions.id, version: ruleVersions.version });
    await tx
      .update(ruleVersions)
      .set({ status: "active", decidedBy: actor.userId, decidedAt: sql`now()`, note: note?.trim() || null })
      .where(eq(ruleVersions.id, v.id));
    await audit(tx, { kind: "user", userId: actor.userId }, {
      action: "rule.approve",
      entity: "rule",
      entityId: v.ruleId,
      before: { activeVersion: superseded[0]?.version ?? null },
      after: { activeVersion: v.version, versionId: v.id },
    });
    await offerLibraryUpdate(tx, v.ruleId);
  });
}


/** Rejects a proposal with a reason; the active version stays as it is. */
export async function rejectVersion(db: Db, actor: RuleActor, versionId: number, note: string): Promise<void> {
  const n = parseOrInvalid(decisionNoteSchema, note, "note");
  await db.transaction(async (tx) => {
    const v = await lockProposal(tx, actor, versionId);
    await tx.update(ruleVersions).set({ status: "rejected", decidedBy: actor.userId, decidedAt: sql`now()`, note: n }).where(eq(ruleVersions.id, v.id));
    await audit(tx, { kind: "user", userId: actor.userId }, { action: "rule.reject", entity: "rule", entityId: v.ruleId, after: { versionId: v.id, version: v.version, note: n } });
    await offerLibraryUpdate(tx, v.ruleId);
  });
}

/**
 * The proposer takes back their own pending proposal (to correct it and propose again). Not a decision: nothing
 * becomes active, so maker-checker is not at stake; recorded as rejected with the note "withdrawn" and audited.
 */
export async function withdrawVersion(db: Db, actor: RuleActor, versionId: number): Promise<void> {
  requireEditor(actor);
  await db.transaction(async (tx) => {
    const v = await lockVersion(tx, versionId);
    if (v.proposedBy !== actor.userId) throw new Conflict("notOwnProposal");
    await tx.update(ruleVersions).set({ status: "rejected", decidedBy: actor.userId, decidedAt: sql`now()`, note: "withdrawn" }).where(eq(ruleVersions.id, v.id));
    await audit(tx, { kind: "user", userId: actor.userId }, { action: "rule.withdraw", entity: "rule", entityId: v.ruleId, after: { versionId: v.id, version: v.version } });
    await offerLibraryUpdate(tx, v.ruleId);
  });
}
