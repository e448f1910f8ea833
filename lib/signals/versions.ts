// Lexicon versions and maker-checker, as for rule versions (lib/rules/versions.ts): an admin proposes a whole
// lexicon, another admin approves it (it becomes the one active version, the previous one superseded) or rejects
// it. One proposal pending at a time. The engine reads the active version through activeLexicon(): one indexed
// lookup of the active id per call, the body read and compiled again only when that id changes.
import "server-only";
import { decisionNoteSchema, pendingProposal } from "../auth/makerChecker";
import { asc, desc, eq, max, sql } from "drizzle-orm";
import { z } from "zod";
import { audit, type AuditActor } from "../audit";
import type { Actor } from "../auth/roles";
import type { DbOrTx } from "../db/client";
import { signalLexiconVersions as lv } from "../db/schema";
import { Conflict, Forbidden, isUniqueViolation, NotFound, parseOrInvalid } from "../errors";
import type { RuleVersionStatus } from "../vocabulary";
import { compileLexicon, signalEngine, type Engine } from "./engine";
import { builtinLexicon, lexiconSchema, setLexiconInForce, type Lexicon } from "./lexicon";

export const LEXICON_EDITORS = ["admin"] as const;

type LexiconActor = Pick<Actor, "userId" | "role">;

function requireEditor(actor: LexiconActor): void {
  if (!(LEXICON_EDITORS as readonly string[]).includes(actor.role)) throw new Forbidden();
}

const noteSchema = z.string().trim().max(500);

/** The lexicon's own name for a database version: results carry it, so a stored tag names its version. */
export const versionName = (version: number) => `v${version}`;

function parseBody(input: unknown, version: number): Lexicon {
  // The name is the database's, whatever the editor sent.
  const r = parseOrInvalid(lexiconSchema, input && typeof input === "object" ? { ...input, version: versionName(version) } : input, "lexicon");
  return r;
}

const columns = {
  id: lv.id,
  version: lv.version,
  status: lv.status,
  proposedBy: lv.proposedBy,
  proposedAt: lv.proposedAt,
  decidedBy: lv.decidedBy,
  decidedAt: lv.decidedAt,
  note: lv.note,
  decisionNote: lv.decisionNote,
  proposedByName: sql<string | null>`(select display_name from users u where u.id = ${lv.proposedBy})`,
  decidedByName: sql<string | null>`(select display_name from users u where u.id = ${lv.decidedBy})`,
};

export type LexiconVersionRow = {
  id: number;
  version: number;
  status: RuleVersionStatus;
  proposedBy: number | null;
  proposedAt: Date;
  decidedBy: number | null;
  decidedAt: Date | null;
  note: string | null;
  decisionNote: string | null;
  proposedByName: string | null;
  decidedByName: string | null;
};

export type LexiconVersions = {
  /** Null only before the built-in lexicon was installed (the engine then uses the file). */
  active: (LexiconVersionRow & { body: Lexicon }) | null;
  pending: (LexiconVersionRow & { body: Lexicon }) | null;
  /** Every version, newest first, without bodies. */
  versions: LexiconVersionRow[];
};

export async function listLexiconVersions(db: DbOrTx): Promise<LexiconVersions> {
  const versions = await db.select(columns).from(lv).orderBy(desc(lv.version));
  const withBody = async (row: LexiconVersionRow | undefined) => {
    if (!row) return null;
    const [b] = await db.select({ body: lv.body }).from(lv).where(eq(lv.id, row.id));
    return { ...row, body: lexiconSchema.parse(b!.body) };
  };
  return {
    active: await withBody(versions.find((v) => v.status === "active")),
    pending: await withBody(versions.find((v) => v.status === "proposed")),
    versions,
  };
}

/**
 * Installs the built-in lexicon as active version 1 on an empty table (start, worker and seed call it, as they do
 * ensureBuiltinRules). When a release ships a built-in whose name no version carries, it is proposed, not
 * activated: an admin approves it like any other change. Idempotent and safe to race.
 */
export async function ensureBuiltinLexicon(db: DbOrTx): Promise<"installed" | "proposed" | "unchanged"> {
  const builtin = builtinLexicon();
  const system: AuditActor = { kind: "system", name: "lexicon" };
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`lock table signal_lexicon_versions in share row exclusive mode`);
      const [last] = await tx.select({ n: max(lv.version) }).from(lv);
      if (last?.n == null) {
        // Not audited, as the built-in rules' first install is not: shipped data, no one's decision.
        await tx.insert(lv).values({ version: 1, body: builtin, status: "active", decidedAt: sql`now()`, note: builtin.version });
        return "installed";
      }
      const [known] = await tx.select({ id: lv.id }).from(lv).where(sql`${lv.body}->>'version' = ${builtin.version}`).limit(1);
      const [pending] = await tx.select({ id: lv.id }).from(lv).where(eq(lv.status, "proposed"));
      if (known || pending) return "unchanged";
      const version = last.n + 1;
      const [row] = await tx.insert(lv).values({ version, body: builtin, status: "proposed", note: builtin.version }).returning({ id: lv.id });
      await audit(tx, system, { action: "lexicon.propose", entity: "signal_lexicon", entityId: row!.id, after: { version, name: builtin.version } });
      return "proposed";
    });
  } catch (e) {
    if (isUniqueViolation(e)) return "unchanged";
    throw e;
  }
}

/** Proposes a whole lexicon as version N+1; refused while another proposal is pending. */
export async function proposeLexicon(db: DbOrTx, actor: LexiconActor, body: unknown, note?: string): Promise<{ id: number; version: number }> {
  requireEditor(actor);
  const n = parseOrInvalid(noteSchema, note ?? "", "note");
  try {
    return await db.transaction(async (tx) => {
      // Serialises proposals (the version number is read, then written).
      await tx.execute(sql`lock table signal_lexicon_versions in share row exclusive mode`);
      const [pending] = await tx.select({ id: lv.id }).from(lv).where(eq(lv.status, "proposed"));
      if (pending) throw new Conflict("lexiconPending");
      const [last] = await tx.select({ n: max(lv.version) }).from(lv);
      const version = (last?.n ?? 0) + 1;
      const lexicon = parseBody(body, version);
      const [row] = await tx
        .insert(lv)
        .values({ version, body: lexicon, status: "proposed", proposedBy: actor.userId, note: n || null })
        .returning({ id: lv.id });
      await audit(tx, { kind: "user", userId: actor.userId }, { action: "lexicon.propose", entity: "signal_lexicon", entityId: row!.id, after: { version, note: n || null } });
      return { id: row!.id, version };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict("lexiconPending");
    throw e;
  }
}

async function lockProposal(tx: DbOrTx, actor: LexiconActor, versionId: number) {
  requireEditor(actor);
  const [v] = await tx.select({ id: lv.id, version: lv.version, status: lv.status, proposedBy: lv.proposedBy }).from(lv).where(eq(lv.id, versionId)).for("update");
  return pendingProposal(v, (x) => x.proposedBy, actor.userId, "lexiconVersion", "lexiconMakerChecker");
}

/** Approves the pending proposal: the active version becomes superseded and the proposal active, atomically. */
export async function approveLexicon(db: DbOrTx, actor: LexiconActor, versionId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const v = await lockProposal(tx, actor, versionId);
    const superseded = await tx.update(lv).set({ status: "superseded" }).where(eq(lv.status, "active")).returning({ version: lv.version });
    await tx.update(lv).set({ status: "active", decidedBy: actor.userId, decidedAt: sql`now()` }).where(eq(lv.id, v.id));
    await audit(tx, { kind: "user", userId: actor.userId }, {
      action: "lexicon.approve",
      entity: "signal_lexicon",
      entityId: v.id,
      before: { activeVersion: superseded[0]?.version ?? null },
      after: { activeVersion: v.version },
    });
  });
}

/** Rejects the pending proposal with a reason; the active version stays. */
export async function rejectLexicon(db: DbOrTx, actor: LexiconActor, versionId: number, note: string): Promise<void> {
  const n = parseOrInvalid(decisionNoteSchema, note, "note");
  await db.transaction(async (tx) => {
    const v = await lockProposal(tx, actor, versionId);
    await tx.update(lv).set({ status: "rejected", decidedBy: actor.userId, decidedAt: sql`now()`, decisionNote: n }).where(eq(lv.id, v.id));
    await audit(tx, { kind: "user", userId: actor.userId }, { action: "lexicon.reject", entity: "signal_lexicon", entityId: v.id, after: { version: v.version, note: n } });
  });
}

let activeId: number | null = null;

/**
 * The active lexicon, put in force for this process so signalEngine() and everything built on it use it. Falls back
 * to the built-in file while the table is empty.
 */
export async function activeLexicon(db: DbOrTx): Promise<Lexicon> {
  const [a] = await db.select({ id: lv.id }).from(lv).where(eq(lv.status, "active"));
  if (!a) {
    activeId = null;
    setLexiconInForce(builtinLexicon());
    return builtinLexicon();
  }
  if (a.id !== activeId) {
    const [row] = await db.select({ body: lv.body }).from(lv).where(eq(lv.id, a.id));
    setLexiconInForce(lexiconSchema.parse(row!.body));
    activeId = a.id;
  }
  return signalEngine().lexicon;
}

/** The engine for the active version (compiled once per version and process). */
export async function activeEngine(db: DbOrTx): Promise<Engine> {
  await activeLexicon(db);
  return signalEngine();
}

// Compiled proposals for the try box: compiling costs 0.3–0.8 s, so the last few are kept.
const proposalEngines = new Map<number, Engine>();

/** The engine of one version by id (a proposal the checker tries a note on, or an older version). */
export async function engineOfVersion(db: DbOrTx, versionId: number): Promise<Engine> {
  const hit = proposalEngines.get(versionId);
  if (hit) return hit;
  const [row] = await db.select({ body: lv.body }).from(lv).where(eq(lv.id, versionId));
  if (!row) throw new NotFound("lexiconVersion");
  const engine = compileLexicon(lexiconSchema.parse(row.body));
  proposalEngines.set(versionId, engine);
  if (proposalEngines.size > 3) proposalEngines.delete(proposalEngines.keys().next().value!);
  return engine;
}

/** Every version's number and status, oldest first (for tests and the CLI). */
export async function lexiconHistory(db: DbOrTx): Promise<{ version: number; status: RuleVersionStatus }[]> {
  return db.select({ version: lv.version, status: lv.status }).from(lv).orderBy(asc(lv.version));
}
