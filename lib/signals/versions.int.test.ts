import { spawnSync } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { AppError } from "../errors";
import { createUser } from "../users/service";
import { analyseNote } from "./engine";
import { builtinLexicon, loadLexicon } from "./lexicon";
import { activeEngine, activeLexicon, approveLexicon, engineOfVersion, ensureBuiltinLexicon, lexiconHistory, listLexiconVersions, proposeLexicon, rejectLexicon } from "./versions";

let t: TestDb;
let admin1: { userId: number; role: "admin" };
let admin2: { userId: number; role: "admin" };
let sup: { userId: number; role: "supervisor" };

const system = { kind: "system", name: "test" } as const;
// Not a term of the built-in lexicon: the engine finds no competitor offer in it until a version adds one.
const NOTE = "客户说最近有人上门推介一款理财产品。";
const NEW_TERM = "上门推介";

async function rejects(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

function withTerm(term: string) {
  const lex = structuredClone(builtinLexicon());
  lex.signals.competitor_offer.terms.zh.push(term);
  return lex;
}

beforeAll(async () => {
  t = await freshDb();
  const [b] = await t.db.$client<{ id: number }[]>`insert into branches (code, name, name_en, region) values ('HZ01', '杭州分行', 'Hangzhou', '浙江省') returning id`;
  const mk = async (username: string, role: "supervisor" | "admin") =>
    (await createUser(t.db, system, { username, displayName: username, role, branchId: role === "admin" ? null : b!.id, password: "demo-pass-2026" })).id;
  admin1 = { userId: await mk("admin1", "admin"), role: "admin" };
  admin2 = { userId: await mk("admin2", "admin"), role: "admin" };
  sup = { userId: await mk("sup1", "supervisor"), role: "supervisor" };
});
afterAll(async () => t?.drop());

describe("signal lexicon versions and maker-checker", () => {
  it("falls back to the built-in file on an empty table, then installs it once as active version 1", async () => {
    expect(await activeLexicon(t.db)).toBe(builtinLexicon());
    expect(await ensureBuiltinLexicon(t.db)).toBe("installed");
    expect(await ensureBuiltinLexicon(t.db)).toBe("unchanged");
    const v = await listLexiconVersions(t.db);
    expect(v.active).toMatchObject({ version: 1, status: "active", proposedBy: null });
    expect(v.active!.body).toEqual(builtinLexicon());
    expect(v.pending).toBeNull();
  });

  it("refuses a non-admin, an invalid lexicon and a second pending proposal", async () => {
    expect(await rejects(proposeLexicon(t.db, sup, withTerm(NEW_TERM)))).toMatchObject({ code: "forbidden" });
    const bad = withTerm(NEW_TERM) as unknown as { signals: Record<string, unknown> };
    bad.signals.not_a_signal = bad.signals.competitor_offer;
    const e = await rejects(proposeLexicon(t.db, admin1, bad));
    expect(e.code).toBe("invalid");
    expect(e.issues[0]!.field).toBe("lexicon.signals");
    const p = await proposeLexicon(t.db, admin1, withTerm("临时词"), "first");
    expect(await rejects(proposeLexicon(t.db, admin2, withTerm(NEW_TERM)))).toMatchObject({ code: "conflict", params: { reason: "lexiconPending" } });
    // The proposer cannot reject their own proposal either; another admin rejects it with a reason.
    expect(await rejects(rejectLexicon(t.db, admin1, p.id, "no"))).toMatchObject({ code: "conflict", params: { reason: "lexiconMakerChecker" } });
    await rejectLexicon(t.db, admin2, p.id, "term too broad");
    expect(await rejects(approveLexicon(t.db, admin1, p.id))).toMatchObject({ code: "conflict", params: { reason: "notPending" } });
  });

  it("the proposer cannot approve; another admin's approval switches the active version and the engine finds the new term", async () => {
    const before = await activeEngine(t.db);
    expect(analyseNote(NOTE, before).signals.map((s) => s.signal)).not.toContain("competitor_offer");

    const p = await proposeLexicon(t.db, admin1, withTerm(NEW_TERM), `add ${NEW_TERM}`);
    expect(p.version).toBe(3);
    // The try box runs the proposal before anyone approves it; the active engine is unchanged meanwhile.
    const tried = analyseNote(NOTE, await engineOfVersion(t.db, p.id));
    expect(tried.signals.find((s) => s.signal === "competitor_offer")?.evidence[0]).toMatchObject({ text: NEW_TERM, sentence: NOTE });
    expect(analyseNote(NOTE, await activeEngine(t.db)).signals.map((s) => s.signal)).not.toContain("competitor_offer");

    expect(await rejects(approveLexicon(t.db, admin1, p.id))).toMatchObject({ code: "conflict", params: { reason: "lexiconMakerChecker" } });
    expect(await rejects(approveLexicon(t.db, sup, p.id))).toMatchObject({ code: "forbidden" });
    await approveLexicon(t.db, admin2, p.id);

    expect(await lexiconHistory(t.db)).toEqual([
      { version: 1, status: "superseded" },
      { version: 2, status: "rejected" },
      { version: 3, status: "active" },
    ]);
    const engine = await activeEngine(t.db);
    expect(engine.version).toBe("v3");
    expect(loadLexicon().version).toBe("v3");
    const found = analyseNote(NOTE).signals.find((s) => s.signal === "competitor_offer");
    expect(found?.evidence[0]).toMatchObject({ term: NEW_TERM, text: NEW_TERM });

    const log = (await t.db.execute(sql`select action, actor_id, actor_kind from audit_log where entity = 'signal_lexicon' order by id`)) as unknown as { action: string; actor_id: number | null }[];
    expect(log.map((r) => [r.action, r.actor_id])).toEqual([
      ["lexicon.propose", admin1.userId],
      ["lexicon.reject", admin2.userId],
      ["lexicon.propose", admin1.userId],
      ["lexicon.approve", admin2.userId],
    ]);
    const v = await listLexiconVersions(t.db);
    expect(v.versions.find((x) => x.version === 2)).toMatchObject({ note: "first", decisionNote: "term too broad", decidedByName: "admin2" });
  });

  it("each read follows the active row, so a later approval (here or in another process) takes over", async () => {
    const p = await proposeLexicon(t.db, admin2, withTerm("登门推销"));
    await approveLexicon(t.db, admin1, p.id);
    const lex = await activeLexicon(t.db);
    expect(lex.version).toBe("v4");
    // A version is a whole lexicon: v4 was proposed from the built-in file, so v3's term is gone again.
    expect(lex.signals.competitor_offer.terms.zh).toContain("登门推销");
    expect(lex.signals.competitor_offer.terms.zh).not.toContain(NEW_TERM);
    expect(analyseNote(NOTE).signals.map((s) => s.signal)).not.toContain("competitor_offer");
  });

  it("the signals CLI uses the database's active version when it has one", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const r = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/cli.ts", "signals", "客户说最近有人登门推销一款产品。"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.url },
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { lexicon: string; signals: { signal: string }[] };
    expect(out.lexicon).toBe("v4");
    expect(out.signals.map((x) => x.signal)).toContain("competitor_offer");
  });
});
