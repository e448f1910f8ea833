// The delinquency engine's settings (classification thresholds, allocation order, penalty), validated with the
// engine's own schemas and audited. They take effect at the next recompute (nightly, or `npm run cli -- recompute`).
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { audit, type AuditActor } from "../audit";
import type { Db } from "../db/client";
import { settings } from "../db/schema";
import { writeSetting } from "../db/settings";
import { Invalid, parseOrInvalid } from "../errors";
import { allocationOrderSchema, classificationThresholdsSchema, penaltyConfigSchema } from "./delinquency";
import { DELINQUENCY_SETTINGS, loadDelinquencyConfig } from "./recompute";

const SCHEMAS: Record<string, z.ZodType> = {
  [DELINQUENCY_SETTINGS.classification]: classificationThresholdsSchema,
  [DELINQUENCY_SETTINGS.allocationOrder]: allocationOrderSchema,
  [DELINQUENCY_SETTINGS.penalty]: penaltyConfigSchema,
};

export const SETTING_KEYS = Object.keys(SCHEMAS);

export async function setDelinquencySetting(db: Db, actor: AuditActor, key: string, value: unknown): Promise<void> {
  const schema = SCHEMAS[key];
  if (!schema) throw new Invalid([{ field: "key", code: "unknown", key: "setting.unknown", params: { keys: SETTING_KEYS.join(", ") } }]);
  const parsed = parseOrInvalid(schema, value);
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(settings).where(eq(settings.key, key));
    await writeSetting(tx, key, parsed);
    await audit(tx, actor, { action: "settings.set", entity: "setting", entityId: key, before: before?.value ?? null, after: parsed });
  });
}

export { loadDelinquencyConfig };
