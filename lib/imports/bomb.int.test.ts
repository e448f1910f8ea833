// An uploaded XLSX zip bomb through the real worker (security issue 11, finding 12): the import is rejected with a
// message in the reader's language, the stored upload is removed, and the BullMQ job fails once, for good (no
// retries with backoff, which would inflate the bomb five times).
import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "../../test/int-db";
import { tempFiles, type Files } from "../../test/fixtures/imports/kit";
import { sheetXml, xlsxEntries, zip } from "../../test/fixtures/imports/zip";
import { startWorkers, type WorkerSet } from "../../workers/runtime";
import { imports } from "../db/schema";
import { redisConnection } from "../queue/connection";
import { openQueues, type Queues } from "../queue/producer";
import { createImport, enqueueImport, importJobId } from "./job";
import { importDetail } from "./queries";


let t: TestDb;
let files: Files;
let queues: Queues;
let workers: WorkerSet | null = null;
const prefix = testPrefix();
const workerConn = redisConnection(redisUrl(), "worker");

beforeAll(async () => {
  t = await freshDb();
  files = await tempFiles();
  queues = openQueues(redisConnection(redisUrl(), "producer"), prefix);
});

afterAll(async () => {
  await workers?.close();
  await queues.get("imports").obliterate({ force: true });
  await queues.close();
  await Promise.all([workerConn.quit(), queues.connection.quit()]);
  await files.cleanup();
  await t.drop();
});

describe("an XLSX zip bomb uploaded for import", () => {
  it("is rejected with a localised message, and its job fails once without retries", async () => {
    const header = { r: 1, cells: ["合同编号", "还款日期", "还款金额"] };
    // 200 MB of padding deflates to ~200 KB: ExcelJS would buffer and parse all of it.
    const bomb = zip(xlsxEntries(sheetXml([header, { r: 2, cells: ["L1", "2026-01-01", "1.00"] }], " ".repeat(200 * 1024 * 1024))));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const storedPath = await files.write("bomb.xlsx", bomb);
    const id = await createImport(t.db, { kind: "repayments", fileName: "还款.xlsx", fileBytes: bomb.length, storedPath, encoding: "auto", dryRun: false, userId: null });

    workers = startWorkers({ connection: workerConn, prefix, db: t.db, log: pino({ level: "silent" }), concurrency: 1, queues, only: ["imports"] });
    await enqueueImport(queues, id);
    const job = async () => queues.get("imports").getJob(importJobId(id));
    await expect.poll(async () => (await job())?.getState(), { timeout: 20_000 }).toBe("failed");
    const failed = (await job())!;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.opts.attempts).toBe(5);
    expect(failed.failedReason).toContain("file.xlsxCompression");

    const [row] = await t.db.select().from(imports).where(eq(imports.id, id));
    expect(row).toMatchObject({ status: "rejected", errorCount: 1, rowsParsed: 0, storedPath: null });
    expect(existsSync(storedPath)).toBe(false);
    const zh = await importDetail(t.db, id, "zh-CN");
    expect(zh.errors).toEqual([{ row: null, column: null, code: "file.xlsxCompression", message: expect.stringContaining("疑似压缩炸弹") }]);
    const en = await importDetail(t.db, id, "en");
    expect(en.errors[0]!.message).toMatch(/^The part xl\/worksheets\/sheet1\.xml of the XLSX file is compressed \d+:1 \(at most 100:1 is accepted\): it looks like a zip bomb/);
  });
});
