// Import jobs on real Redis and Postgres: the reconciler re-queues an upload whose job Redis lost (once, with the
// deterministic job id), leaves young and still-queued jobs alone; the imports.run handler then runs it, and a
// written import nudges the outbox so the loans' state follows without waiting for the sweep. An uploaded XLSX zip
// bomb is rejected and its job fails once, for good.
import { existsSync } from "node:fs";
import { eq, isNull } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, redisUrl, testPrefix, type TestDb } from "../../test/int-db";
import { csv, REPAYMENTS_HEADER, seedBase, tempFiles, type Files } from "../../test/fixtures/imports/kit";
import { sheetXml, xlsxEntries, zip } from "../../test/fixtures/imports/zip";
import { startWorkers, type WorkerSet } from "../pipeline/worker";
import { imports, loans, loanState, outbox } from "../db/schema";
import { redisConnection, type Queues } from "../pipeline/queues";
import { openQueues } from "../registry";
import { createImport, enqueueImport, importJobId } from "./job";
import { importDetail } from "./queries";
import { reconcileImports } from "./reconcile";

let t: TestDb;
let files: Files;
let queues: Queues;
let workers: WorkerSet | null = null;
const prefix = testPrefix();
const workerConn = redisConnection(redisUrl(), "worker");

beforeAll(async () => {
  t = await freshDb();
  files = await tempFiles();
  await seedBase(t.db, files);
  queues = openQueues(redisConnection(redisUrl(), "producer"), prefix);
});

afterAll(async () => {
  await workers?.close();
  for (const q of ["imports", "system", "loans"] as const) await queues.get(q).obliterate({ force: true });
  await queues.close();
  await Promise.all([workerConn.quit(), queues.connection.quit()]);
  await files.cleanup();
  await t.drop();
});

/** An uploaded repayments file recorded as an import, created `ageMs` ago. */
async function upload(rows: (string | number)[][], ageMs: number): Promise<number> {
  const content = csv([REPAYMENTS_HEADER, ...rows]);
  const storedPath = await files.write("upload.csv", content);
  const id = await createImport(t.db, { kind: "repayments", fileName: "还款.csv", fileBytes: Buffer.byteLength(content), storedPath, encoding: "auto", dryRun: false, userId: null });
  await t.db.update(imports).set({ createdAt: new Date(Date.now() - ageMs) }).where(eq(imports.id, id));
  return id;
}

const statusOf = async (id: number) => (await t.db.select({ s: imports.status }).from(imports).where(eq(imports.id, id)))[0]?.s;

describe("imports.reconcile", () => {
  let lost: number;
  let young: number;

  it("leaves imports alone while their job is in Redis, and young ones regardless", async () => {
    lost = await upload([["L001", "2026-04-15", "255,000.00", "TX-R1"]], 120_000);
    young = await upload([["L003", "2026-04-01", "5,200.00", "TX-R2"]], 0);
    await enqueueImport(queues, lost);
    expect(await reconcileImports(t.db, queues, { olderThanMs: 60_000 })).toEqual({ checked: 1, requeued: [] });
  });

  it("re-queues an import whose job Redis lost, once", async () => {
    // Redis loses everything queued so far (a FLUSHALL, for this test's prefix).
    await queues.get("imports").obliterate({ force: true });
    await queues.get("imports").resume(); // obliterate leaves the queue paused; a real flush does not
    expect(await queues.get("imports").getJob(importJobId(lost))).toBeUndefined();

    expect(await reconcileImports(t.db, queues, { olderThanMs: 60_000 })).toEqual({ checked: 1, requeued: [lost] });
    const job = await queues.get("imports").getJob(importJobId(lost));
    expect(job?.name).toBe("imports.run");
    expect(job?.data).toEqual({ importId: lost });
    // The job is there again: a second sweep does nothing.
    expect(await reconcileImports(t.db, queues, { olderThanMs: 60_000 })).toEqual({ checked: 1, requeued: [] });
    // The young import's job was lost too, but it is not yet a minute old.
    expect(await queues.get("imports").getJob(importJobId(young))).toBeUndefined();
  });

  it("the worker then runs the re-queued import, and the loan's state follows through the nudged outbox", async () => {
    const [l001] = await t.db.select({ id: loans.id }).from(loans).where(eq(loans.contractNo, "L001"));
    expect(await t.db.select().from(loanState).where(eq(loanState.loanId, l001!.id))).toEqual([]);

    // No schedulers run in this test: only the handler's nudge can move the outbox.
    workers = startWorkers({ connection: workerConn, prefix, db: t.db, log: pino({ level: "silent" }), concurrency: 2, queues });
    await expect.poll(() => statusOf(lost), { timeout: 15_000 }).toBe("succeeded");
    const job = await queues.get("imports").getJob(importJobId(lost));
    await expect.poll(() => job!.getState(), { timeout: 10_000 }).toBe("completed");
    // Read again: the job object fetched above may predate its completion (the import's row says "succeeded"
    // a moment before BullMQ stores the return value).
    const done = await queues.get("imports").getJob(importJobId(lost));
    expect(done!.returnvalue).toMatchObject({ status: "succeeded", written: 1, loansQueued: 1 });

    await expect.poll(async () => (await t.db.select().from(outbox).where(isNull(outbox.dispatchedAt))).length, { timeout: 10_000 }).toBe(0);
    await expect.poll(async () => (await t.db.select().from(loanState).where(eq(loanState.loanId, l001!.id))).length, { timeout: 10_000 }).toBe(1);

    // Finished imports are not looked at again; the young one is still waiting for its turn.
    expect(await reconcileImports(t.db, queues, { olderThanMs: 0 })).toEqual({ checked: 1, requeued: [young] });
    await expect.poll(() => statusOf(young), { timeout: 15_000 }).toBe("succeeded");
    expect(await reconcileImports(t.db, queues, { olderThanMs: 0 })).toEqual({ checked: 0, requeued: [] });
  });
});

// Security issue 11, finding 12: BullMQ must not retry it with backoff, inflating the bomb five times.
describe("an XLSX zip bomb uploaded for import", () => {
  it("is rejected with a localised message, and its job fails once without retries", async () => {
    const header = { r: 1, cells: ["合同编号", "还款日期", "还款金额"] };
    // 200 MB of padding deflates to ~200 KB: ExcelJS would buffer and parse all of it.
    const bomb = zip(xlsxEntries(sheetXml([header, { r: 2, cells: ["L1", "2026-01-01", "1.00"] }], " ".repeat(200 * 1024 * 1024))));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const storedPath = await files.write("bomb.xlsx", bomb);
    const id = await createImport(t.db, { kind: "repayments", fileName: "还款.xlsx", fileBytes: bomb.length, storedPath, encoding: "auto", dryRun: false, userId: null });

    workers ??= startWorkers({ connection: workerConn, prefix, db: t.db, log: pino({ level: "silent" }), concurrency: 2, queues });
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
