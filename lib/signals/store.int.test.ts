import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { logContact } from "../customers/contact";
import { buildPortfolio, type Portfolio } from "../rules/test-portfolio";
import { builtinLexicon } from "./lexicon";
import { signalsDomain } from "./jobs";
import { tagPendingFollowUps } from "./store";
import { sentenceAround } from "./text";
import { approveLexicon, ensureBuiltinLexicon, proposeLexicon } from "./versions";

let t: TestDb;
let p: Portfolio;
let rm: number;
let admins: [number, number];

const NOTES = ["客户表示没有资金压力。但是他行给出了更低的利率，客户有些心动。", "例行回访，一切正常。", "客户说最近有人上门推介一款理财产品。"];

type Tag = { follow_up_id: number; signal: string; span_start: number; span_end: number; lexicon_version: string };
const tags = async () =>
  (await t.db.execute<Tag>(sql`select follow_up_id, signal, span_start, span_end, lexicon_version from follow_up_signals order by follow_up_id, signal`)).map((r) => ({ ...r }));
const tagging = async () => (await t.db.execute<{ follow_up_id: number; lexicon_version: string }>(sql`select follow_up_id, lexicon_version from follow_up_tagging order by follow_up_id`)).map((r) => ({ ...r }));

beforeAll(async () => {
  t = await freshDb();
  p = await buildPortfolio(t.db);
  const sqlc = t.db.$client;
  rm = (await sqlc<{ id: number }[]>`select id from users where username = 'rm1'`)[0]!.id;
  const mk = async (u: string) => (await sqlc<{ id: number }[]>`insert into users (username, display_name, role) values (${u}, ${u}, 'admin') returning id`)[0]!.id;
  admins = [await mk("admin1"), await mk("admin2")];
  for (const n of NOTES) await sqlc`insert into follow_ups (customer_id, author_id, type, occurred_at, notes) values (${p.customers.A}, ${rm}, 'visit', '2026-06-20T10:00:00+08:00', ${n})`;
});
afterAll(async () => t?.drop());

describe("stored follow-up signals", () => {
  it("tags every untagged note once, with spans into the note, and a re-run does nothing", async () => {
    const first = await tagPendingFollowUps(t.db, { batch: 2 });
    expect(first).toMatchObject({ lexicon: builtinLexicon().version, notes: 3, signals: 1 });
    const rows = await tags();
    expect(rows.map((r) => r.signal)).toEqual(["competitor_offer"]);
    const [note] = await t.db.$client<{ notes: string }[]>`select notes from follow_ups where id = ${rows[0]!.follow_up_id}`;
    expect(note!.notes.slice(rows[0]!.span_start, rows[0]!.span_end)).toBe("他行");
    const [a, b] = sentenceAround(note!.notes, [rows[0]!.span_start, rows[0]!.span_end]);
    expect(note!.notes.slice(a, b)).toBe("但是他行给出了更低的利率，客户有些心动。");
    // Notes without a signal are marked tagged too, so the next run reads nothing.
    expect((await tagging()).map((r) => r.lexicon_version)).toEqual(Array(3).fill(builtinLexicon().version));
    expect(await tagPendingFollowUps(t.db)).toMatchObject({ notes: 0, signals: 0 });
    expect(await tags()).toEqual(rows);
  });

  it("re-tags every note once a new lexicon version is active, and only then", async () => {
    // The built-in file installed as active version 1 keeps its name: the same lexicon, nothing to re-tag.
    expect(await ensureBuiltinLexicon(t.db)).toBe("installed");
    expect(await tagPendingFollowUps(t.db)).toMatchObject({ lexicon: builtinLexicon().version, notes: 0 });
    const lex = structuredClone(builtinLexicon());
    lex.signals.competitor_offer.terms.zh.push("上门推介");
    const v = await proposeLexicon(t.db, { userId: admins[0], role: "admin" }, lex, "上门推介");
    // A proposal changes nothing until it is approved.
    expect(await tagPendingFollowUps(t.db)).toMatchObject({ lexicon: builtinLexicon().version, notes: 0 });
    await approveLexicon(t.db, { userId: admins[1], role: "admin" }, v.id);
    expect(await tagPendingFollowUps(t.db)).toMatchObject({ lexicon: "v2", notes: 3, signals: 2 });
    const rows = await tags();
    expect(rows.map((r) => [r.signal, r.lexicon_version])).toEqual([
      ["competitor_offer", "v2"],
      ["competitor_offer", "v2"],
    ]);
    expect(await tagPendingFollowUps(t.db)).toMatchObject({ notes: 0 });
  });

  it("tags a note on write (routine contact), with the active version", async () => {
    const actor = { userId: rm, username: "rm1", displayName: "客户经理", role: "rm" as const, branchId: null };
    const { id } = await logContact(t.db, { kind: "owner", rmId: rm, contact: true }, actor, { customerId: p.customers.A, type: "phone", notes: "客户反映最近资金很紧张，货款回不来。" }, new Date());
    const rows = (await tags()).filter((r) => r.follow_up_id === id);
    expect(rows.map((r) => [r.signal, r.lexicon_version])).toEqual([["cash_flow_stress", "v2"]]);
    expect((await tagging()).find((r) => r.follow_up_id === id)?.lexicon_version).toBe("v2");
  });

  it("the nightly job is scheduled and runs through the registry's handler", async () => {
    const def = signalsDomain.jobs["signals.tagFollowUps"];
    expect(def.schedule).toMatchObject({ id: "signals.tagFollowUps.daily" });
    const log = { info: () => undefined } as never;
    expect(await def.handle({ batch: 10 }, { db: t.db, log, jobId: "x", queues: null as never })).toMatchObject({ lexicon: "v2", notes: 0 });
  });
});
