import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { createUser } from "../users/service";
import { isSessionRevoked, purgeRevokedSessions, revokeSession } from "./sessions";

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
