import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "../../test/int-db";
import { AppError } from "../errors";
import { redisConnection, type Queues } from "../pipeline/queues";
import { openQueues } from "../registry";
import { applyCobSchedule, COB_NIGHTLY, cobPattern, cobScheduleStatus, DEFAULT_COB_TIME, loadCobTime, nextRunAfter, setCobTime } from "./schedule";

let t: TestDb;
let queues: Queues;
const prefix = testPrefix();
const sys = { kind: "system", name: "test" } as const;

beforeAll(async () => {
  t = await freshDb();
  const conn = redisConnection(redisUrl(), "producer");
  await new Promise<void>((resolve, reject) => {
    conn.once("ready", () => resolve());
    conn.once("error", reject);
  });
  queues = openQueues(conn, prefix);
});
afterAll(async () => {
  await queues?.get("system").obliterate({ force: true });
  // Whatever else the queues wrote under this file's prefix (meta keys) goes too.
  const left = await queues?.connection.keys(`${prefix}:*`);
  if (left?.length) await queues.connection.del(...left);
  await queues?.close();
  await queues?.connection.quit();
  await t?.drop();
});

describe("the nightly COB time", () => {
  it("defaults to the declared pattern's time and turns a time into a daily cron pattern", () => {
    expect(DEFAULT_COB_TIME).toBe("02:00");
    expect(cobPattern("02:00")).toBe("0 2 * * *");
    expect(cobPattern("23:05")).toBe("5 23 * * *");
  });

  it("computes the next run in Asia/Shanghai", () => {
    // 2026-06-30 17:00 UTC is 07-01 01:00 in Shanghai: 02:30 today there, i.e. 18:30 UTC.
    expect(nextRunAfter("02:30", new Date("2026-06-30T17:00:00Z")).toISOString()).toBe("2026-06-30T18:30:00.000Z");
    // Already past 02:30 in Shanghai (03:00): tomorrow.
    expect(nextRunAfter("02:30", new Date("2026-06-30T19:00:00Z")).toISOString()).toBe("2026-07-01T18:30:00.000Z");
  });

  it("stores a valid HH:MM, audited, and refuses anything else", async () => {
    expect(await loadCobTime(t.db)).toBe("02:00");
    expect(await setCobTime(t.db, sys, " 03:15 ")).toEqual({ before: "02:00", after: "03:15" });
    expect(await loadCobTime(t.db)).toBe("03:15");
    for (const bad of ["24:00", "3:15", "03:60", "0315", "", 315, null]) {
      await expect(setCobTime(t.db, sys, bad)).rejects.toSatisfy((e) => e instanceof AppError && e.code === "invalid" && e.issues[0]?.field === "time");
    }
    expect(await loadCobTime(t.db)).toBe("03:15");
    const rows = (await t.db.execute(sql`select action, entity_id, before, after from audit_log where entity = 'setting'`)) as unknown as object[];
    expect(rows).toEqual([{ action: "settings.set", entity_id: "cob.nightlyTime", before: "02:00", after: "03:15" }]);
  });

  it("an unusable stored value falls back to the default", async () => {
    await t.db.execute(sql`update settings set value = '"25:99"'::jsonb where key = 'cob.nightlyTime'`);
    expect(await loadCobTime(t.db)).toBe(DEFAULT_COB_TIME);
    await setCobTime(t.db, sys, "03:15");
  });

  it("upserts the job scheduler in Redis under the same id with the new pattern and reports its next run", async () => {
    const before = await cobScheduleStatus(t.db, queues);
    expect(before).toMatchObject({ time: "03:15", pattern: null, next: null, inSync: false });

    await applyCobSchedule(queues, "02:00");
    await setCobTime(t.db, sys, "04:45");
    expect((await cobScheduleStatus(t.db, queues)).inSync).toBe(false);
    await applyCobSchedule(queues, await loadCobTime(t.db));

    const schedulers = await queues.get("system").getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([[COB_NIGHTLY.id, "45 4 * * *", "Asia/Shanghai"]]);
    const status = await cobScheduleStatus(t.db, queues);
    expect(status).toMatchObject({ time: "04:45", pattern: "45 4 * * *", tz: "Asia/Shanghai", inSync: true });
    // The next run is 04:45 in Shanghai (20:45 UTC), within a day.
    const next = new Date(status.next!);
    expect(next.getUTCHours() * 60 + next.getUTCMinutes()).toBe(20 * 60 + 45);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    expect(next.toISOString()).toBe(nextRunAfter("04:45").toISOString());
    // The scheduler's delayed job carries the nightly job's name.
    const delayed = await queues.get("system").getDelayed();
    expect(delayed.map((j) => j.name)).toEqual([COB_NIGHTLY.job]);
  });
});
