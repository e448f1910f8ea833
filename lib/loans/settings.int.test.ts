import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { auditLog } from "../db/schema";
import { Invalid } from "../errors";
import { DEFAULT_DELINQUENCY_CONFIG } from "./delinquency";
import { loadDelinquencyConfig, setDelinquencySetting } from "./settings";

let t: TestDb;
const sys = { kind: "system", name: "test" } as const;
beforeAll(async () => {
  t = await freshDb();
});
afterAll(async () => t.drop());

describe("delinquency settings", () => {
  it("start from the defaults and take a valid change, audited", async () => {
    expect(await loadDelinquencyConfig(t.db)).toEqual(DEFAULT_DELINQUENCY_CONFIG);
    await setDelinquencySetting(t.db, sys, "delinquency.allocationOrder", ["interest", "penalty", "principal"]);
    await setDelinquencySetting(t.db, sys, "delinquency.classification", { specialMention: 1, substandard: 61, doubtful: 181, loss: 361 });
    const cfg = await loadDelinquencyConfig(t.db);
    expect(cfg.allocationOrder).toEqual(["interest", "penalty", "principal"]);
    expect(cfg.classification.substandard).toBe(61);
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.entity, "setting"));
    expect(rows.map((r) => r.entityId)).toEqual(["delinquency.allocationOrder", "delinquency.classification"]);
  });

  it("refuses values the engine could not use, and unknown keys", async () => {
    await expect(setDelinquencySetting(t.db, sys, "delinquency.classification", { specialMention: 1, substandard: 120, doubtful: 181, loss: 361 })).rejects.toBeInstanceOf(Invalid);
    await expect(setDelinquencySetting(t.db, sys, "delinquency.allocationOrder", ["principal", "principal", "interest"])).rejects.toBeInstanceOf(Invalid);
    await expect(setDelinquencySetting(t.db, sys, "delinquency.nope", 1)).rejects.toBeInstanceOf(Invalid);
    expect((await loadDelinquencyConfig(t.db)).classification.substandard).toBe(61);
  });
});
