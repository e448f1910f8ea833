// Idempotency-Key for API writes: the same key and body replays the first response; the same key with a different
// body is 409. The key row, the domain writes and the stored response commit together (or not at all), and
// concurrent requests with one key serialise on the row lock.
import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import { AppError, Conflict, Invalid, isUniqueViolation } from "../errors";

export type StoredResponse = { status: number; body: unknown };

const KEY_RE = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestHash(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${body}`).digest("hex");
}

export function idempotencyKeyOf(req: Request): string {
  return checkedKey(req.headers.get("idempotency-key"), "Idempotency-Key", "idempotencyKey");
}

/**
 * The key as given, or Invalid on `field` (the API's header, a server action's argument) when missing or malformed;
 * `catalogue` names the issues' wording (issues.<catalogue>.required / .format).
 */
export function checkedKey(key: string | null | undefined, field: string, catalogue: "idempotencyKey" | "actionKey"): string {
  if (!key) throw new Invalid([{ field, code: "required", key: `${catalogue}.required` }]);
  if (!KEY_RE.test(key)) throw new Invalid([{ field, code: "invalid_format", key: `${catalogue}.format` }]);
  return key;
}

/**
 * Runs `handler` once per (user, key). `render` turns an expected error into the response that is stored and
 * replayed like a success; unexpected errors roll everything back so the client may retry with the same key.
 */
export async function withIdempotency(
  db: Db,
  userId: number,
  req: { method: string; path: string; key: string; rawBody: string },
  handler: (tx: Tx) => Promise<StoredResponse>,
  render: (e: AppError) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const hash = requestHash(req.method, req.path, req.rawBody);
  return db.transaction(async (tx) => {
    // Every API write passes here: its two statements are prepared (a text of its own per connection, planned once;
    // an unprepared statement costs a describe round trip and a plan per call).
    const [created] = await tx
      .insert(idempotencyKeys)
      .values({ userId, key: req.key, method: req.method, path: req.path, requestHash: hash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key })
      .prepare("idempotency_claim")
      .execute();
    // A new key is ours (the insert holds its row lock). An existing one is locked: a concurrent request with the
    // same key waits here until the first one commits, then replays its answer.
    if (!created) {
      const [row] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, req.key)))
        .for("update");
      if (!row) throw new Error("idempotency row vanished");
      if (row.requestHash !== hash) throw new Conflict("idempotencyKeyReused");
      if (row.statusCode != null) return { status: row.statusCode, body: row.response, replayed: true };
    }
    let result: StoredResponse;
    try {
      // A savepoint, so an expected error undoes the domain writes but keeps the key row and its stored answer.
      result = await tx.transaction((inner) => handler(inner));
    } catch (e) {
      // A concurrent request created the same record first: a conflict, not a server error.
      const expected = isUniqueViolation(e) ? new Conflict("alreadyExists") : e;
      if (!(expected instanceof AppError)) throw e;
      result = await render(expected);
    }
    await tx
      .update(idempotencyKeys)
      .set({ statusCode: result.status, response: result.body as object })
      .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, req.key)))
      .prepare("idempotency_store")
      .execute();
    return { ...result, replayed: false };
  });
}

/** How long a key is remembered: a client may retry a write with the same key this long (documented in the README). */
export const IDEMPOTENCY_RETENTION_DAYS = 30;

/**
 * Forgets keys older than `olderThanDays` (the daily api.purgeIdempotencyKeys job). One statement, counted in the
 * database: a day's keys are a small slice of the table, and no index on created_at slows every API write down.
 */
export async function purgeIdempotencyKeys(db: Db, olderThanDays: number, now = new Date()): Promise<number> {
  const [r] = await db.execute<{ n: number }>(sql`
    with d as (delete from idempotency_keys where created_at < ${now.toISOString()}::timestamptz - make_interval(days => ${olderThanDays}) returning 1)
    select count(*)::int as n from d`);
  return r?.n ?? 0;
}
