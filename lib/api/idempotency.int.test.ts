// The daily purge of Idempotency-Keys: keys older than the retention go, younger ones stay (a retry within the
// retention still replays).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { buildScopeFixture, type ScopeFixture } from "../../test/scope-fixture";
import { IDEMPOTENCY_RETENTION_DAYS, purgeIdempotencyKeys } from "./idempotency";

let t: TestDb;
let fx: ScopeFixture;

beforeAll(async () => {
  t = await freshDb();
  fx = await buildScopeFixture(t.db);
});
afterAll(async () => t.drop());

describe("purgeIdempotencyKeys", () => {
  it("forgets keys older than the retention and keeps the others", async () => {
    const now = new Date("2026-07-31T00:00:00Z");
    const user = fx.userIds.admin!;
    const at = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    for (const [key, days] of [["old-1", 45], ["old-2", 31], ["young", 29], ["today", 0]] as const) {
      await t.db.execute(sql`
        insert into idempotency_keys (user_id, key, method, path, request_hash, status_code, response, created_at)
        values (${user}, ${key}, 'POST', '/api/v1/repayments', 'h', 201, '{}'::jsonb, ${at(days)}::timestamptz)`);
    }
    expect(await purgeIdempotencyKeys(t.db, IDEMPOTENCY_RETENTION_DAYS, now)).toBe(2);
    const left = await t.db.execute<{ key: string }>(sql`select key from idempotency_keys order by key`);
    expect(left.map((r) => r.key)).toEqual(["today", "young"]);
    expect(await purgeIdempotencyKeys(t.db, IDEMPOTENCY_RETENTION_DAYS, now)).toBe(0);
  });
});
