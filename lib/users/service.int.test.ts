import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { hashToken } from "../auth/tokens";
import { tokenCreate, tokenList, tokenRevoke, userCreate, UsageError } from "../cli/commands";
import { apiTokens, auditLog, branches, users } from "../db/schema";
import { Conflict, Invalid } from "../errors";
import { authenticate, changeOwnPassword, createUser, loadActor, resetPassword, setUserActive } from "./service";
import { actorForToken, createApiToken } from "../auth/tokens";
import { actorForSession, startSession } from "../auth/sessions";

let t: TestDb;
const sys = { kind: "system", name: "test" } as const;
const cfg = { freeFailures: 5, windowMinutes: 15, maxDelaySeconds: 300 };

beforeAll(async () => {
  t = await freshDb();
  await t.db.insert(branches).values({ code: "HZ01", name: "杭州分行", nameEn: "Hangzhou", region: "杭州" });
  await userCreate(t.db, { username: "alice", role: "admin", name: "Alice" }, "correct-horse-1");
});
afterAll(async () => t.drop());
afterEach(() => vi.useRealTimers());

describe("sign-in", () => {
  it("accepts the right password, case-insensitively on the username", async () => {
    expect(await authenticate(t.db, { username: "ALICE", password: "correct-horse-1", ip: "10.0.0.1" }, cfg)).toMatchObject({ ok: true });
  });

  it("refuses a wrong password and an unknown user alike", async () => {
    expect(await authenticate(t.db, { username: "alice", password: "nope", ip: "10.0.0.2" }, cfg)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(t.db, { username: "nobody", password: "nope", ip: "10.0.0.2" }, cfg)).toEqual({ ok: false, reason: "invalid" });
  });

  it("slows an account after 5 failures instead of locking it: the right password too waits out the delay, then works", async () => {
    await userCreate(t.db, { username: "bob", role: "admin" }, "correct-horse-2");
    const t0 = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: t0 });
    for (let i = 0; i < 5; i++) await authenticate(t.db, { username: "bob", password: "wrong", ip: `10.1.0.${i}` }, cfg);
    expect(await authenticate(t.db, { username: "bob", password: "correct-horse-2", ip: "10.1.1.1" }, cfg)).toEqual({ ok: false, reason: "throttled" });
    // A hard lockout would still refuse here; the delay after 5 failures is 1 s.
    vi.setSystemTime(t0 + 1_500);
    expect(await authenticate(t.db, { username: "bob", password: "correct-horse-2", ip: "10.1.1.1" }, cfg)).toMatchObject({ ok: true });
  });

  it("doubles the delay with each further failure, up to the cap, and does not count refused attempts", async () => {
    await userCreate(t.db, { username: "bea", role: "hr" }, "correct-horse-9");
    let now = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now });
    const guess = () => authenticate(t.db, { username: "bea", password: "wrong", ip: null }, { ...cfg, maxDelaySeconds: 4 });
    for (let i = 0; i < 5; i++) expect(await guess()).toEqual({ ok: false, reason: "invalid" });
    for (const wait of [1, 2, 4, 4]) {
      vi.setSystemTime((now += wait * 1000 - 200));
      expect(await guess()).toEqual({ ok: false, reason: "throttled" });
      vi.setSystemTime((now += 300));
      expect(await guess()).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("slows an address that guesses across accounts, not other addresses", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
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
  const who = (userId: number, ip: string | null = null) => ({ userId, sessionId: null, ip });

  it("needs the current password, refuses the same one, and then works for sign-in", async () => {
    const id = (await createUser(t.db, sys, { username: "gina", displayName: "Gina", role: "hr", password: "initial-pass-1" })).id;
    const wrong = await changeOwnPassword(t.db, who(id), "not-it", "gina-own-pass-2", cfg).catch((e) => e);
    expect((wrong as Invalid).issues[0]).toMatchObject({ field: "current", code: "wrongPassword" });
    const same = await changeOwnPassword(t.db, who(id), "initial-pass-1", "initial-pass-1", cfg).catch((e) => e);
    expect((same as Invalid).issues[0]).toMatchObject({ field: "next", code: "samePassword" });
    await changeOwnPassword(t.db, who(id), "initial-pass-1", "gina-own-pass-2", cfg);
    expect(await authenticate(t.db, { username: "gina", password: "initial-pass-1", ip: null }, cfg)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(t.db, { username: "gina", password: "gina-own-pass-2", ip: null }, cfg)).toMatchObject({ ok: true });
    const [row] = await t.db.select().from(auditLog).where(and(eq(auditLog.entityId, String(id)), eq(auditLog.action, "user.changePassword")));
    expect(row).toMatchObject({ actorId: id, actorKind: "user" });
  });

  it("is throttled like sign-in: after 5 wrong guesses even the right current password waits out the delay", async () => {
    const id = (await createUser(t.db, sys, { username: "hugo", displayName: "Hugo", role: "hr", password: "initial-pass-1" })).id;
    const t0 = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: t0 });
    for (let i = 0; i < 5; i++) await changeOwnPassword(t.db, who(id, "10.3.0.1"), `guess-${i}`, "hugo-new-pass-2", cfg).catch(() => {});
    const refused = await changeOwnPassword(t.db, who(id, "10.3.0.2"), "initial-pass-1", "hugo-new-pass-2", cfg).catch((e) => e);
    expect((refused as Invalid).issues?.[0]).toMatchObject({ field: "current", code: "wrongPassword" });
    // The same account key as sign-in: the sign-in form is slowed as well.
    expect(await authenticate(t.db, { username: "hugo", password: "initial-pass-1", ip: null }, cfg)).toEqual({ ok: false, reason: "throttled" });
    vi.setSystemTime(t0 + 1_500);
    await changeOwnPassword(t.db, who(id, "10.3.0.2"), "initial-pass-1", "hugo-new-pass-2", cfg);
    expect(await authenticate(t.db, { username: "hugo", password: "hugo-new-pass-2", ip: null }, cfg)).toMatchObject({ ok: true });
  });

  it("counts per client address too: guesses from one address slow that address for other accounts", async () => {
    const id = (await createUser(t.db, sys, { username: "iris", displayName: "Iris", role: "hr", password: "initial-pass-1" })).id;
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    for (let i = 0; i < 5; i++) await changeOwnPassword(t.db, who(id, "10.4.0.1"), `guess-${i}`, "iris-new-pass-2", cfg).catch(() => {});
    expect(await authenticate(t.db, { username: "alice", password: "correct-horse-1", ip: "10.4.0.1" }, cfg)).toEqual({ ok: false, reason: "throttled" });
  });

  it("ends the user's other sessions and revokes their API tokens; an admin reset ends every session", async () => {
    const id = (await createUser(t.db, sys, { username: "jack", displayName: "Jack", role: "hr", password: "initial-pass-1" })).id;
    const here = await startSession(t.db, id, 12);
    const there = await startSession(t.db, id, 12);
    const { token } = await createApiToken(t.db, sys, "jack", "feed");
    await changeOwnPassword(t.db, { userId: id, sessionId: here.sid, ip: null }, "initial-pass-1", "jack-new-pass-2", cfg);
    expect(await actorForSession(t.db, id, here.sid, 12)).not.toBeNull();
    expect(await actorForSession(t.db, id, there.sid, 12)).toBeNull();
    expect(await actorForToken(t.db, token)).toBeNull();
    const [changed] = await t.db.select().from(auditLog).where(and(eq(auditLog.entityId, String(id)), eq(auditLog.action, "user.changePassword")));
    expect(changed!.after).toEqual({ sessionsEnded: 1, tokensRevoked: 1 });

    const fresh = await createApiToken(t.db, sys, "jack", "feed 2");
    await resetPassword(t.db, { kind: "user", userId: 1 }, id, "admin-set-pass-3");
    expect(await actorForSession(t.db, id, here.sid, 12)).toBeNull();
    expect(await actorForToken(t.db, fresh.token)).toBeNull();
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
    await expect(tokenCreate(t.db, { user: "frank", name: "x", days: "0" })).rejects.toThrow(/--days must be from 1/);
    await expect(tokenCreate(t.db, { user: "frank", name: "x", days: "ninety" })).rejects.toThrow(/--days must be a whole number/);
    await expect(tokenRevoke(t.db, "abc")).rejects.toBeInstanceOf(UsageError);
    await expect(tokenList(t.db, {})).rejects.toThrow(/--user/);
  });
});

describe("CLI: token list and token revoke", () => {
  it("lists a user's tokens with their expiry and state, never the secret, and revokes one by id", async () => {
    await userCreate(t.db, { username: "olga", role: "hr" }, "correct-horse-10");
    const feed = await tokenCreate(t.db, { user: "olga", name: "feed", days: "30" });
    const other = await tokenCreate(t.db, { user: "olga", name: "reports" });
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hashToken(feed)));
    expect(Math.round((row!.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(30);
    expect(await tokenRevoke(t.db, String(row!.id))).toBe(`revoked API token ${row!.id}`);
    expect(await tokenRevoke(t.db, String(row!.id))).toBe(`API token ${row!.id} was already revoked`);
    const out = await tokenList(t.db, { user: "olga" });
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^id\s+name\s+prefix\s+created\s+last used\s+expires\s+state$/);
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith(`${row!.id} `))).toMatch(/feed .* revoked \d{4}-\d\d-\d\d/);
    expect(lines.find((l) => / reports /.test(l))).toMatch(/active$/);
    // "cw_" + 8-character prefix + "_" + secret: the prefix may itself contain "_".
    expect(out).not.toContain(feed.slice(12));
    expect(out).not.toContain(other.slice(12));
    const audited = await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.actorKind, "system:cli"));
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(["token.revoke", "token.list"]));
  });
});

describe("sign-in throttling under a burst", () => {
  it("lets twelve colleagues behind one office address sign in at the same moment", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `office${i}`);
    for (const n of names) await userCreate(t.db, { username: n, role: "hr" }, "office-pass-123");
    const results = await Promise.all(names.map((n) => authenticate(t.db, { username: n, password: "office-pass-123", ip: "10.8.0.1" }, cfg)));
    expect(results.map((r) => r.ok)).toEqual(names.map(() => true));
    // Their address still pays for wrong passwords: five, and the next sign-in from it waits.
    for (let i = 0; i < 5; i++) await authenticate(t.db, { username: names[i]!, password: "wrong", ip: "10.8.0.1" }, cfg);
    expect(await authenticate(t.db, { username: names[11]!, password: "office-pass-123", ip: "10.8.0.1" }, cfg)).toEqual({ ok: false, reason: "throttled" });
  });


  it("lets at most the allowed number of parallel guesses through to the password check", async () => {
    await userCreate(t.db, { username: "hank", role: "hr" }, "correct-horse-8");
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => authenticate(t.db, { username: "hank", password: `guess-${i}`, ip: `10.7.0.${i}` }, cfg)));
    const checked = results.filter((r) => !r.ok && r.reason === "invalid").length;
    expect(checked).toBeLessThanOrEqual(cfg.freeFailures);
    expect(results.filter((r) => !r.ok && r.reason === "throttled").length).toBeGreaterThanOrEqual(20 - cfg.freeFailures);
    // Only guesses that were actually checked count against the account afterwards.
    const next = await authenticate(t.db, { username: "hank", password: "correct-horse-8", ip: "10.7.1.1" }, cfg);
    expect(next.ok).toBe(checked < cfg.freeFailures);
  });
});
