import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { sql } from "drizzle-orm";
import { userCreate } from "../cli/commands";
import { authenticate, createUser, setUserActive } from "../users/service";
import { actorForSession, endSession, endUserSessions, purgeExpiredSessions, startSession } from "./sessions";
import { actorForToken, createApiToken, listApiTokens, revokeApiToken } from "./tokens";

let t: TestDb;
let userId: number;
const sys = { kind: "system", name: "test" } as const;
beforeAll(async () => {
  t = await freshDb();
  userId = (await createUser(t.db, sys, { username: "ivy", displayName: "Ivy", role: "hr", password: "long-enough-pass" })).id;
});
afterAll(async () => t.drop());

describe("session rows", () => {
  it("resolve to their active user until ended, deactivated or past the absolute lifetime", async () => {
    const u = (await createUser(t.db, sys, { username: "jon", displayName: "Jon", role: "hr", password: "long-enough-pass" })).id;
    const a = await startSession(t.db, u, 12);
    const b = await startSession(t.db, u, 12);
    expect(Math.abs(a.authAt - Date.now() / 1000)).toBeLessThan(60);
    expect(await actorForSession(t.db, u, a.sid, 12)).toMatchObject({ userId: u, username: "jon", role: "hr", branchId: null });
    // A session id only works for the user it was issued to, and an unknown id for nobody.
    expect(await actorForSession(t.db, userId, a.sid, 12)).toBeNull();
    expect(await actorForSession(t.db, u, "no-such-session", 12)).toBeNull();
    await endSession(t.db, a.sid);
    await endSession(t.db, a.sid);
    expect(await actorForSession(t.db, u, a.sid, 12)).toBeNull();
    expect(await actorForSession(t.db, u, b.sid, 12)).toMatchObject({ userId: u });
    await setUserActive(t.db, sys, u, false);
    expect(await actorForSession(t.db, u, b.sid, 12)).toBeNull();
    await setUserActive(t.db, sys, u, true);
    // Opened 13 hours ago: past a 12-hour lifetime, and past a lifetime lowered after sign-in.
    await t.db.execute(sql`update auth_sessions set created_at = now() - interval '13 hours' where sid = ${b.sid}`);
    expect(await actorForSession(t.db, u, b.sid, 12)).toBeNull();
    const c = await startSession(t.db, u, 12);
    await t.db.execute(sql`update auth_sessions set created_at = now() - interval '3 hours' where sid = ${c.sid}`);
    expect(await actorForSession(t.db, u, c.sid, 12)).not.toBeNull();
    expect(await actorForSession(t.db, u, c.sid, 2)).toBeNull();
  });

  it("end all of a user's sessions but one, and only that user's", async () => {
    const u = (await createUser(t.db, sys, { username: "kim", displayName: "Kim", role: "hr", password: "long-enough-pass" })).id;
    const [keep, other1, other2] = [await startSession(t.db, u, 12), await startSession(t.db, u, 12), await startSession(t.db, u, 12)];
    const someoneElse = await startSession(t.db, userId, 12);
    expect(await endUserSessions(t.db, u, keep.sid)).toBe(2);
    expect(await actorForSession(t.db, u, keep.sid, 12)).not.toBeNull();
    expect(await actorForSession(t.db, u, other1.sid, 12)).toBeNull();
    expect(await actorForSession(t.db, u, other2.sid, 12)).toBeNull();
    expect(await actorForSession(t.db, userId, someoneElse.sid, 12)).not.toBeNull();
    expect(await endUserSessions(t.db, u)).toBe(1);
    expect(await actorForSession(t.db, u, keep.sid, 12)).toBeNull();
  });

  it("are purged only once expired, so a revoked one stays refused as long as it could have lived", async () => {
    const s = await startSession(t.db, userId, 12);
    await endSession(t.db, s.sid);
    expect(await purgeExpiredSessions(t.db, new Date(Date.now() + 9 * 3600_000))).toBe(0);
    expect(await actorForSession(t.db, userId, s.sid, 12)).toBeNull();
    expect(await purgeExpiredSessions(t.db, new Date(Date.now() + 13 * 3600_000))).toBeGreaterThanOrEqual(1);
    // Gone from the table and still refused: a session needs its row.
    expect(await actorForSession(t.db, userId, s.sid, 12)).toBeNull();
  });
});

describe("the integration service account (finding 4)", () => {
  it("signs in to no screen: the password is refused like a wrong one and a session row made anyway resolves to nobody; its token works", async () => {
    // Made the way the README says: `npm run cli -- user create --username cbs-feed --role integration`, no branch.
    expect(await userCreate(t.db, { username: "cbs-feed", role: "integration" }, "long-enough-pass")).toMatch(/role integration/);
    const u = (await t.db.execute<{ id: number }>(sql`select id from users where username = 'cbs-feed' and branch_id is null`))[0]!.id;
    const cfg = { freeFailures: 5, windowMinutes: 15, maxDelaySeconds: 300 };
    expect(await authenticate(t.db, { username: "cbs-feed", password: "long-enough-pass", ip: null }, cfg)).toEqual({ ok: false, reason: "invalid" });
    const s = await startSession(t.db, u, 12);
    expect(await actorForSession(t.db, u, s.sid, 12)).toBeNull();
    const { token } = await createApiToken(t.db, sys, "cbs-feed", "cbs");
    expect(await actorForToken(t.db, token)).toMatchObject({ userId: u, role: "integration", branchId: null });
  });
});

describe("API tokens", () => {
  it("resolve to their user; last_used_at moves at most once a minute; a revoked token resolves to nobody", async () => {
    const { id, token } = await createApiToken(t.db, sys, "ivy", "feed");
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

  it("expire after 90 days unless created with another lifetime, and are refused once expired", async () => {
    const standard = await createApiToken(t.db, sys, "ivy", "standard");
    const days = (d: Date) => Math.round((d.getTime() - Date.now()) / 86_400_000);
    expect(days(standard.expiresAt)).toBe(90);
    const short = await createApiToken(t.db, sys, "ivy", "short", 7);
    expect(days(short.expiresAt)).toBe(7);
    await expect(createApiToken(t.db, sys, "ivy", "forever", 0)).rejects.toThrow();
    expect(await actorForToken(t.db, short.token)).not.toBeNull();
    await t.db.execute(sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${short.id}`);
    expect(await actorForToken(t.db, short.token)).toBeNull();
    expect(await actorForToken(t.db, standard.token)).not.toBeNull();
  });

  it("are listed without their secret and revoked one at a time, both audited", async () => {
    const u = (await createUser(t.db, sys, { username: "lee", displayName: "Lee", role: "hr", password: "long-enough-pass" })).id;
    const a = await createApiToken(t.db, sys, "lee", "a");
    const b = await createApiToken(t.db, sys, "lee", "b");
    const listed = await listApiTokens(t.db, sys, "LEE");
    expect(listed.map((r) => r.id)).toEqual([b.id, a.id]);
    expect(JSON.stringify(listed)).not.toContain(a.token.slice(12));
    expect(await revokeApiToken(t.db, sys, a.id)).toEqual({ revoked: true });
    expect(await revokeApiToken(t.db, sys, a.id)).toEqual({ revoked: false });
    await expect(revokeApiToken(t.db, sys, 999_999)).rejects.toThrow(/notFound/);
    expect(await actorForToken(t.db, a.token)).toBeNull();
    expect(await actorForToken(t.db, b.token)).toMatchObject({ userId: u });
    const audit = await t.db.execute<{ action: string; entity_id: string }>(
      sql`select action, entity_id from audit_log where action in ('token.list', 'token.revoke') order by id`,
    );
    expect(audit.map((r) => [r.action, r.entity_id])).toEqual([
      ["token.list", String(u)],
      ["token.revoke", String(a.id)],
    ]);
  });
});
