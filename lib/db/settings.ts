// The settings table is a key → jsonb store. Each domain owns its keys and their schema; this is the one read (the
// caller's default when a key is absent or no longer valid) and the one write (an upsert).
import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "./client";
import { settings } from "./schema";

export async function readSetting<T>(db: DbOrTx, key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  const parsed = schema.safeParse(row?.value);
  return parsed.success ? parsed.data : fallback;
}

export async function writeSetting(db: DbOrTx, key: string, value: unknown): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
}
