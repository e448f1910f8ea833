import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { sql } from "drizzle-orm";
import { createUser, setUserActive } from "../users/service";
import { actorForSession, isSessionRevoked, purgeRevokedSessions, revokeSession } from "./sessions";
import { actorForToken, createApiToken } from "./tokens";

let t: TestDb;
let userId: number;
beforeAll(async () => {
  t = await freshDb();
  userId = (await createUser(t.db, { kind: "system", name: "test" }, { username: "ivy", displayName: "Ivy", role: "hr", password: "long-enough-pass" })).id;
});
afterAll(async () => t.drop());

describe("revoked sessions", () => {
  it("refuse a signed-out session id, idempotently, until its cookie would have expired", async () => {
    expect(await isSessionRevoked(t.db, "sid-1")).toBe(false);
    await revokeSession(t.db, "sid-1", userId, 8);
    await revokeSession(t.db, "sid-1", userId, 8);
    expect(await isSessionRevoked(t.db, "sid-1")).toBe(true);
    expect(await isSessionRevoked(t.db, "sid-2")).toBe(false);
    expect(await purgeRevokedSessions(t.db)).toBe(0);
    expect(await purgeRevokedSessions(t.db, new Date(Date.now() + 9 * 3600_000))).toBe(1);
    expect(await isSessionRevoked(t.db, "sid-1")).toBe(false);
  });
});

describe("the guard's one-query actor lookups", () => {
  it("a session resolves to its active user until it is signed out or the user deactivated", async () => {
    const u = (await createUser(t.db, { kind: "system", name: "test" }, { username: "jon", displayName: "Jon", role: "hr", password: "long-enough-pass" })).id;
    expect(await actorForSession(t.db, u, "s-a")).toMatchObject({ userId: u, username: "jon", role: "hr", branchId: null });
    expect(await actorForSession(t.db, u, null)).toMatchObject({ userId: u });
    await revokeSession(t.db, "s-a", u, 8);
    expect(await actorForSession(t.db, u, "s-a")).toBeNull();
    expect(await actorForSession(t.db, u, "s-b")).toMatchObject({ userId: u });
    await setUserActive(t.db, { kind: "system", name: "test" }, u, false);
    expect(await actorForSession(t.db, u, "s-b")).toBeNull();
    expect(await actorForSession(t.db, 999_999, null)).toBeNull();
  });

  it("a token resolves to its user; last_used_at moves at most once a minute; a revoked token resolves to nobody", async () => {
    const { id, token } = await createApiToken(t.db, { kind: "system", name: "test" }, "ivy", "feed");
    const lastUsed = async () => (await t.db.execute<{ at: string | null }>(sql`select last_used_at::text as at from api_tokens where id = ${id}`))[0]!.at;
    expect(await lastUsed()).toBeNull();
    expect(await actorForToken(t.db, token)).toMatchObject({ userId, username: "ivy", role: "hr" });
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await actorForToken(t.db, token);
    expect(await lastUsed()).toBe(first);
    await t.db.execute(sql`update api_tokens set last_used_at = now() - interval '2 minutes' where id = ${id}`);
    await actorForToken(t.db, token);
    expect(await lastUsed()).not.toBe(first);
    expect(await actorForToken(t.db, token + "x")).toBeNull();
    await t.db.execute(sql`update api_tokens set revoked_at = now() where id = ${id}`);
    expect(await actorForToken(t.db, token)).toBeNull();
  });
});
