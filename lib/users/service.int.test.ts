import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { hashToken } from "../auth/tokens";
import { tokenCreate, userCreate, UsageError } from "../cli/commands";
import { apiTokens, auditLog, branches, users } from "../db/schema";
import { Conflict, Invalid } from "../errors";
import { authenticate, changeOwnPassword, createUser, loadActor, resetPassword, setUserActive } from "./service";
import { actorForToken } from "../auth/tokens";

let t: TestDb;
const sys = { kind: "system", name: "test" } as const;
const cfg = { maxFailures: 5, windowMinutes: 15 };

beforeAll(async () => {
  t = await freshDb();
  await t.db.insert(branches).values({ code: "HZ01", name: "杭州分行", nameEn: "Hangzhou", region: "杭州" });
  await userCreate(t.db, { username: "alice", role: "admin", name: "Alice" }, "correct-horse-1");
});
afterAll(async () => t.drop());

describe("sign-in", () => {
  it("accepts the right password, case-insensitively on the username", async () => {
    expect(await authenticate(t.db, { username: "ALICE", password: "correct-horse-1", ip: "10.0.0.1" }, cfg)).toMatchObject({ ok: true });
  });

  it("refuses a wrong password and an unknown user alike", async () => {
    expect(await authenticate(t.db, { username: "alice", password: "nope", ip: "10.0.0.2" }, cfg)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(t.db, { username: "nobody", password: "nope", ip: "10.0.0.2" }, cfg)).toEqual({ ok: false, reason: "invalid" });
  });

  it("throttles an account after 5 failures, even from new addresses and with the right password", async () => {
    await userCreate(t.db, { username: "bob", role: "hr" }, "correct-horse-2");
    for (let i = 0; i < 5; i++) await authenticate(t.db, { username: "bob", password: "wrong", ip: `10.1.0.${i}` }, cfg);
    expect(await authenticate(t.db, { username: "bob", password: "correct-horse-2", ip: "10.1.1.1" }, cfg)).toEqual({ ok: false, reason: "throttled" });
  });

  it("throttles an address that guesses across accounts", async () => {
    for (let i = 0; i < 5; i++) await authenticate(t.db, { username: `guess${i}`, password: "x", ip: "10.9.9.9" }, cfg);
    expect(await authenticate(t.db, { username: "alice", password: "correct-horse-1", ip: "10.9.9.9" }, cfg)).toEqual({ ok: false, reason: "throttled" });
    expect(await authenticate(t.db, { username: "alice", password: "correct-horse-1", ip: "10.9.9.8" }, cfg)).toMatchObject({ ok: true });
  });

  it("refuses a deactivated user and lets them back in when reactivated", async () => {
    const id = (await createUser(t.db, sys, { username: "carol", displayName: "Carol", role: "hr", password: "correct-horse-3" })).id;
    await setUserActive(t.db, sys, id, false);
    expect(await authenticate(t.db, { username: "carol", password: "correct-horse-3", ip: null }, cfg)).toEqual({ ok: false, reason: "invalid" });
    expect(await loadActor(t.db, id)).toBeNull();
    await setUserActive(t.db, sys, id, true);
    expect(await authenticate(t.db, { username: "carol", password: "correct-horse-3", ip: null }, cfg)).toMatchObject({ ok: true });
  });
});

describe("user management", () => {
  it("audits creation, deactivation and password resets without storing the password", async () => {
    const id = (await createUser(t.db, sys, { username: "dave", displayName: "Dave", role: "rm", branchId: 1, password: "correct-horse-4" })).id;
    await setUserActive(t.db, { kind: "user", userId: 1 }, id, false);
    await resetPassword(t.db, sys, id, "another-pass-5");
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.entityId, String(id)));
    expect(rows.map((r) => r.action)).toEqual(["user.create", "user.deactivate", "user.resetPassword"]);
    expect(rows[1]).toMatchObject({ actorId: 1, actorKind: "user", before: { active: true }, after: { active: false } });
    expect(JSON.stringify(rows)).not.toContain("argon2");
    expect(JSON.stringify(rows)).not.toContain("another-pass-5");
    const [u] = await t.db.select().from(users).where(eq(users.id, id));
    expect(u!.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("rejects a duplicate username (any case), a missing branch for an RM, and a short password", async () => {
    await expect(createUser(t.db, sys, { username: "Alice", displayName: "A", role: "hr", password: "correct-horse-1" })).rejects.toBeInstanceOf(Conflict);
    const e = await createUser(t.db, sys, { username: "erin", displayName: "E", role: "rm", password: "short" }).catch((x) => x);
    expect(e).toBeInstanceOf(Invalid);
    expect((e as Invalid).issues.map((i) => i.field).sort()).toEqual(["branchId", "password"]);
  });

  it("refuses to let an admin deactivate themselves", async () => {
    const [alice] = await t.db.select().from(users).where(eq(users.username, "alice"));
    await expect(setUserActive(t.db, { kind: "user", userId: alice!.id }, alice!.id, false)).rejects.toBeInstanceOf(Conflict);
  });
});

describe("changing one's own password", () => {
  it("needs the current password, refuses the same one, and then works for sign-in", async () => {
    const id = (await createUser(t.db, sys, { username: "gina", displayName: "Gina", role: "hr", password: "initial-pass-1" })).id;
    const wrong = await changeOwnPassword(t.db, id, "not-it", "gina-own-pass-2").catch((e) => e);
    expect((wrong as Invalid).issues[0]).toMatchObject({ field: "current", code: "wrongPassword" });
    const same = await changeOwnPassword(t.db, id, "initial-pass-1", "initial-pass-1").catch((e) => e);
    expect((same as Invalid).issues[0]).toMatchObject({ field: "next", code: "samePassword" });
    await changeOwnPassword(t.db, id, "initial-pass-1", "gina-own-pass-2");
    expect(await authenticate(t.db, { username: "gina", password: "initial-pass-1", ip: null }, cfg)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(t.db, { username: "gina", password: "gina-own-pass-2", ip: null }, cfg)).toMatchObject({ ok: true });
  });
});

describe("CLI: user create and token create", () => {
  it("creates an RM in a branch by code and prints a token that resolves to that user, stored only as a hash", async () => {
    expect(await userCreate(t.db, { username: "frank", role: "rm", branch: "HZ01" }, "correct-horse-6")).toMatch(/created user frank/);
    const token = await tokenCreate(t.db, { user: "frank", name: "core banking feed" });
    expect(token).toMatch(/^cw_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/);
    const [frank] = await t.db.select().from(users).where(eq(users.username, "frank"));
    expect((await actorForToken(t.db, token))?.userId).toBe(frank!.id);
    const stored = await t.db.select().from(apiTokens).where(eq(apiTokens.userId, frank!.id));
    expect(stored[0]!.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it("names the usage problem", async () => {
    await expect(userCreate(t.db, { username: "x", role: "boss" }, "correct-horse-7")).rejects.toBeInstanceOf(UsageError);
    await expect(userCreate(t.db, { username: "x", role: "rm", branch: "NOPE" }, "correct-horse-7")).rejects.toThrow(/unknown branch code NOPE/);
    await expect(tokenCreate(t.db, { user: "frank" })).rejects.toThrow(/--name/);
  });
});

describe("sign-in throttling under a burst", () => {
  it("lets at most the allowed number of parallel guesses through to the password check", async () => {
    await userCreate(t.db, { username: "hank", role: "hr" }, "correct-horse-8");
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => authenticate(t.db, { username: "hank", password: `guess-${i}`, ip: `10.7.0.${i}` }, cfg)));
    const checked = results.filter((r) => !r.ok && r.reason === "invalid").length;
    expect(checked).toBeLessThanOrEqual(cfg.maxFailures);
    expect(results.filter((r) => !r.ok && r.reason === "throttled").length).toBeGreaterThanOrEqual(20 - cfg.maxFailures);
    // Only guesses that were actually checked count against the account afterwards.
    const next = await authenticate(t.db, { username: "hank", password: "correct-horse-8", ip: "10.7.1.1" }, cfg);
    expect(next.ok).toBe(checked < cfg.maxFailures);
  });
});
