// Uploads of failed imports are deleted after IMPORT_UPLOAD_RETENTION_DAYS by the daily imports.purgeFailedUploads
// job; younger failures, and imports in any other state, keep theirs.
import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import { tempFiles, type Files } from "../../test/fixtures/imports/kit";
import { imports } from "../db/schema";
import type { Queues } from "../pipeline/queues";
import type { ImportStatus } from "../vocabulary";
import { createImport } from "./job";
import { importsDomain } from "./jobs";

let t: TestDb;
let files: Files;

beforeAll(async () => {
  t = await freshDb();
  files = await tempFiles();
});

afterAll(async () => {
  await files.cleanup();
  await t.drop();
});

afterEach(() => {
  delete process.env.IMPORT_UPLOAD_RETENTION_DAYS;
});

const DAY = 86_400_000;

/** An import in `status` whose upload is on disk, finished `daysAgo` days ago. */
async function importWithUpload(status: ImportStatus, daysAgo: number): Promise<{ id: number; path: string }> {
  const path = await files.write("upload.csv", "合同编号,还款日期,金额\n");
  const id = await createImport(t.db, { kind: "repayments", fileName: "还款.csv", fileBytes: 30, storedPath: path, encoding: "auto", dryRun: false, userId: null });
  const at = new Date(Date.now() - daysAgo * DAY);
  await t.db.update(imports).set({ status, createdAt: at, finishedAt: status === "queued" ? null : at }).where(eq(imports.id, id));
  return { id, path };
}

const storedPath = async (id: number) => (await t.db.select({ p: imports.storedPath }).from(imports).where(eq(imports.id, id)))[0]?.p;

const purgeJob = importsDomain.jobs["imports.purgeFailedUploads"];
const run = (data: { olderThanDays?: number }) =>
  purgeJob.handle(purgeJob.schema.parse(data), { db: t.db, log: pino({ level: "silent" }), jobId: undefined, queues: null as unknown as Queues });

describe("imports.purgeFailedUploads", () => {
  it("is scheduled daily with no fixed retention in its data", () => {
    expect(purgeJob.schedule).toMatchObject({ id: "imports.purgeFailedUploads.daily", pattern: "45 3 * * *", data: {} });
  });

  it("deletes the uploads of imports that failed longer ago than IMPORT_UPLOAD_RETENTION_DAYS, and only those", async () => {
    const old = await importWithUpload("failed", 8);
    const recent = await importWithUpload("failed", 6);
    const queued = await importWithUpload("queued", 30);
    const parsing = await importWithUpload("parsing", 30);

    // The default retention is 7 days.
    expect(await run({})).toEqual({ purged: 1 });
    expect(existsSync(old.path)).toBe(false);
    expect(await storedPath(old.id)).toBeNull();
    for (const keep of [recent, queued, parsing]) {
      expect(existsSync(keep.path), `import ${keep.id}`).toBe(true);
      expect(await storedPath(keep.id)).toBe(keep.path);
    }

    // A shorter retention from the environment reaches the 6-day-old failure; a second run finds nothing more.
    process.env.IMPORT_UPLOAD_RETENTION_DAYS = "5";
    expect(await run({})).toEqual({ purged: 1 });
    expect(existsSync(recent.path)).toBe(false);
    expect(await run({})).toEqual({ purged: 0 });
    expect(existsSync(queued.path) && existsSync(parsing.path)).toBe(true);
  });

  it("clears the path of a failed import whose file is already gone, and takes an explicit retention", async () => {
    const gone = await importWithUpload("failed", 3);
    await files.cleanup();
    expect(await run({ olderThanDays: 2 })).toEqual({ purged: 1 });
    expect(await storedPath(gone.id)).toBeNull();
    files = await tempFiles();
  });
});
