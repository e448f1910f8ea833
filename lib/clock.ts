// "Now" for SLA clocks, reminders and promises. In production it is the system clock. Test runs (the server and
// workers started with CHURNWATCH_TEST_HOOKS=1, which every process refuses under NODE_ENV=production) may move it
// forward: the offset lives in Postgres so the web app and every worker see the same time.
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "./db/client";
import { settings } from "./db/schema";
import { testHooksOn } from "./env";
import { Forbidden } from "./errors";

export const CLOCK_OFFSET_KEY = "test.clock_offset_ms";

// Not through env(), so domain code and tests need no full configuration; throws under NODE_ENV=production.
export function testHooksEnabled(): boolean {
  return testHooksOn();
}

export async function clockNow(db: DbOrTx): Promise<Date> {
  if (!testHooksEnabled()) return new Date();
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, CLOCK_OFFSET_KEY));
  const offset = typeof row?.value === "number" ? row.value : 0;
  return new Date(Date.now() + offset);
}

/** Moves the shared clock `ms` forward (or back); refused unless test hooks are on. Returns the new now. */
export async function advanceClock(db: DbOrTx, ms: number): Promise<Date> {
  if (!testHooksEnabled()) throw new Forbidden();
  if (!Number.isFinite(ms) || Math.abs(ms) > 400 * 86_400_000) throw new RangeError("clock offset out of range");
  await db
    .insert(settings)
    .values({ key: CLOCK_OFFSET_KEY, value: ms })
    .onConflictDoUpdate({ target: settings.key, set: { value: sqlAdd(ms), updatedAt: new Date() } });
  return clockNow(db);
}

// jsonb number + ms, computed in the database so two concurrent moves add up.
function sqlAdd(ms: number) {
  return sql`to_jsonb(coalesce((${settings.value})::text::bigint, 0) + ${Math.round(ms)}::bigint)`;
}

export async function resetClock(db: DbOrTx): Promise<void> {
  if (!testHooksEnabled()) throw new Forbidden();
  await db.delete(settings).where(eq(settings.key, CLOCK_OFFSET_KEY));
}
