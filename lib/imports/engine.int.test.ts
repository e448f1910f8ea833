// The engine writing real data: encodings, XLSX, idempotent re-imports, changed rows, content-hash ids, dry runs,
// the outbox, concurrent imports, the job wrapper and the CLI command.
import { copyFile, stat } from "node:fs/promises";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import {
  AS_OF,
  BASE_REPAYMENTS,
  CUSTOMERS_HEADER,
  REPAYMENTS_HEADER,
  creditCode,
  csv,
  importContent,
  seedBase,
  snapshot,
  tempFiles,
  type Files,
} from "../../test/fixtures/imports/kit";
import { importFile, UsageError } from "../cli/commands";
import { repaymentContentHash, runImport, type ImportProgress } from "./engine";
import { createImport, processImport } from "./job";

let t: TestDb;
let files: Files;
let loanId: Record<string, number>;

beforeAll(async () => {
  t = await freshDb();
  files = await tempFiles();
  await seedBase(t.db, files);
  const loans = await t.db.$client<{ id: number; contract_no: string }[]>`select id, contract_no from loans`;
  loanId = Object.fromEntries(loans.map((l) => [l.contract_no, l.id]));
});
afterAll(async () => {
  await files.cleanup();
  await t.drop();
});

const sql = () => t.db.$client;
const lastOutbox = async () => (await sql()<{ id: number; topic: string; payload: unknown }[]>`select id, topic, payload from outbox order by id desc limit 1`)[0];

describe("what the base imports wrote", () => {
  it("stores customers with fen amounts, ISO dates, upper-case codes and the RM's branch unless one is given", async () => {
    const rows = await sql()`
      select c.customer_no, c.registered_capital_fen::int, c.onboarded_on::text, b.code as branch, u.username as rm
      from customers c join branches b on b.id = c.branch_id join users u on u.id = c.rm_id order by c.customer_no`;
    expect(rows).toEqual([
      { customer_no: "C001", registered_capital_fen: 500_000_000, onboarded_on: "2021-04-15", branch: "HZ01", rm: "rm_a" },
      { customer_no: "C002", registered_capital_fen: 100_000_000, onboarded_on: "2022-01-05", branch: "NB01", rm: "rm_b" },
      { customer_no: "C003", registered_capital_fen: 80_000_000, onboarded_on: "2023-03-10", branch: "NB01", rm: "rm_a" },
    ]);
  });

  it("stores loans with exact rates and methods from Chinese names", async () => {
    const rows = await sql()`select contract_no, principal_fen::int, annual_rate, method from loans order by contract_no`;
    expect(rows).toEqual([
      { contract_no: "L001", principal_fen: 300_000_000, annual_rate: "0.043500", method: "equal_installment" },
      { contract_no: "L002", principal_fen: 50_000_000, annual_rate: "0.038500", method: "equal_principal" },
      { contract_no: "L003", principal_fen: 120_000_000, annual_rate: "0.052000", method: "interest_only" },
    ]);
  });

  it("gives a repayment without a transaction id its content hash", async () => {
    const [r] = await sql()`select external_id, source from repayments where loan_id = ${loanId.L002 ?? 0} and paid_on = '2026-02-01'`;
    expect(r).toEqual({ external_id: repaymentContentHash("L002", "2026-02-01", 8_467_014, 1), source: "file" });
  });
});

describe("encodings and formats", () => {
  const chinese = ["C100", "杭州·鑫源（集团）股份有限公司", creditCode(100), "欧阳娜娜", "1,000,000", "C36", "浙江省杭州市余杭区良渚街道", "rm_a", "2025-05-20", ""];

  it("round-trips Chinese text exactly from a GBK file", async () => {
    const r = await importContent(t.db, files, "customers", "gbk.csv", iconv.encode(csv([CUSTOMERS_HEADER, chinese]), "gbk"));
    expect(r).toMatchObject({ status: "succeeded", detectedEncoding: "gb18030", rowsNew: 1 });
    const [c] = await sql()`select name, legal_rep, region from customers where customer_no = 'C100'`;
    expect(c).toEqual({ name: chinese[1], legal_rep: chinese[3], region: chinese[6] });
  });

  it("round-trips Chinese text exactly from a UTF-8 file with a BOM", async () => {
    const row = [...chinese];
    row[0] = "C101";
    row[1] = "宁波·甬江（控股）有限公司";
    row[2] = creditCode(101);
    const r = await importContent(t.db, files, "customers", "bom.csv", `\uFEFF${csv([CUSTOMERS_HEADER, row])}`);
    expect(r).toMatchObject({ status: "succeeded", detectedEncoding: "utf8-bom", rowsNew: 1 });
    const [c] = await sql()`select name from customers where customer_no = 'C101'`;
    expect(c?.name).toBe("宁波·甬江（控股）有限公司");
  });

  it("imports XLSX: date cells, serial dates, numbers and percentages as Excel stores them", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("贷款");
    ws.addRow(["合同编号", "客户编号", "产品", "本金", "年利率", "期限（月）", "还款方式", "放款日期", "到期日期", "经办人"]);
    ws.addRow(["L100", "C100", "科技贷", 2_500_000.5, 0.0435, 36, "等额本金", new Date(Date.UTC(2026, 0, 20)), 47138, "张三"]);
    ws.getCell("E2").numFmt = "0.00%";
    ws.getCell("H2").numFmt = "yyyy-mm-dd";
    const r = await importContent(t.db, files, "loans", "loans.xlsx", Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r).toMatchObject({ status: "succeeded", detectedEncoding: null, rowsNew: 1, warnings: [{ code: "column.ignored", params: { column: "经办人" } }] });
    const [l] = await sql()`select principal_fen::int, annual_rate, term_months, method, disbursed_on::text, maturity_on::text from loans where contract_no = 'L100'`;
    expect(l).toEqual({ principal_fen: 250_000_050, annual_rate: "0.043500", term_months: 36, method: "equal_principal", disbursed_on: "2026-01-20", maturity_on: "2029-01-20" });
  });
});

describe("re-imports", () => {
  it("are idempotent: the same file again is all unchanged and queues nothing", async () => {
    const before = await snapshot(t.db);
    const outboxBefore = await lastOutbox();
    const r = await importContent(t.db, files, "repayments", "again.csv", csv([REPAYMENTS_HEADER, ...BASE_REPAYMENTS]));
    expect(r).toMatchObject({ status: "succeeded", rowsWritten: 4, rowsNew: 0, rowsChanged: 0, rowsUnchanged: 4, loansQueued: 0 });
    const after = await snapshot(t.db);
    expect({ ...after, audit_log: "" }).toEqual({ ...before, audit_log: "" });
    expect(await lastOutbox()).toEqual(outboxBefore);
  });

  it("count a changed row as changed and queue its loan for recomputation", async () => {
    const rows = BASE_REPAYMENTS.map((r) => (r[3] === "TX002" ? ["L001", "2026-03-16", "255,000.00", "TX002"] : r));
    const r = await importContent(t.db, files, "repayments", "changed.csv", csv([REPAYMENTS_HEADER, ...rows]));
    expect(r).toMatchObject({ status: "succeeded", rowsNew: 0, rowsChanged: 1, rowsUnchanged: 3, loansQueued: 1 });
    const [p] = await sql()`select paid_on::text, amount_fen::int from repayments where external_id = 'TX002'`;
    expect(p).toEqual({ paid_on: "2026-03-16", amount_fen: 25_500_000 });
    expect(await lastOutbox()).toMatchObject({ topic: "loans.recompute", payload: { loanIds: [loanId.L001], asOf: AS_OF } });
  });

  it("count changed customers, schedules and loans too", async () => {
    const customers = await importContent(
      t.db,
      files,
      "customers",
      "c.csv",
      csv([CUSTOMERS_HEADER, ["C002", "宁波乙贸易有限公司", creditCode(2), "李娜", "1,000,000", "F51", "浙江省宁波市鄞州区", "rm_a", "2022/1/5", ""]]),
    );
    expect(customers).toMatchObject({ rowsChanged: 1, rowsUnchanged: 0 });
    const [c] = await sql()`select u.username, b.code from customers c join users u on u.id = c.rm_id join branches b on b.id = c.branch_id where customer_no = 'C002'`;
    expect(c).toEqual({ username: "rm_a", code: "HZ01" });

    const schedules = await importContent(t.db, files, "schedules", "s.csv", csv([["contract_no", "installment_no", "due_on", "principal_due", "interest_due"], ["L002", 2, "2026-02-01", "83,333.33", "1,336.82"], ["L002", 3, "2026-03-01", "83,333.34", "1,069.45"]]));
    expect(schedules).toMatchObject({ rowsNew: 1, rowsChanged: 1, rowsUnchanged: 0, loansQueued: 1 });
  });

  it("keep identical repayments without a transaction id apart by their occurrence in the file", async () => {
    const same = ["L003", "2026-04-01", "5,200.00", ""];
    const first = await importContent(t.db, files, "repayments", "twins.csv", csv([REPAYMENTS_HEADER, same, same]));
    expect(first).toMatchObject({ status: "succeeded", rowsNew: 2 });
    const again = await importContent(t.db, files, "repayments", "twins.csv", csv([REPAYMENTS_HEADER, same, same]));
    expect(again).toMatchObject({ rowsNew: 0, rowsUnchanged: 2 });
    const ids = (await sql()`select external_id from repayments where loan_id = ${loanId.L003 ?? 0} order by external_id`).map((r) => r.external_id);
    expect(ids).toEqual([repaymentContentHash("L003", "2026-04-01", 520_000, 1), repaymentContentHash("L003", "2026-04-01", 520_000, 2)].sort());
  });
});

describe("dry runs, progress, audit", () => {
  it("a dry run validates and counts but writes nothing", async () => {
    const before = await snapshot(t.db);
    const r = await importContent(t.db, files, "repayments", "dry.csv", csv([REPAYMENTS_HEADER, ["L003", "2026-05-01", "5,200.00", "DRY1"], ...BASE_REPAYMENTS]), { dryRun: true });
    expect(r).toMatchObject({ status: "succeeded", dryRun: true, rowsWritten: 0, rowsNew: 1, rowsUnchanged: 3, rowsChanged: 1, loansQueued: 0 });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("reports progress by phase and records the import in the audit log", async () => {
    const seen: ImportProgress[] = [];
    const path = await files.write("progress.csv", csv([REPAYMENTS_HEADER, ["L003", "2026-05-01", "5,200.00", "PROG1"]]));
    const r = await runImport(t.db, { kind: "repayments", filePath: path, fileName: "progress.csv", encoding: "auto", dryRun: false, asOf: AS_OF, actor: { kind: "user", userId: 1 }, importId: 4242 }, (p) =>
      seen.push(p),
    );
    expect(r.status).toBe("succeeded");
    expect([...new Set(seen.map((p) => p.phase))]).toEqual(["parsing", "validating", "writing"]);
    expect(seen.at(-1)).toEqual({ phase: "writing", rowsParsed: 1, rowsValidated: 1, rowsWritten: 1 });
    const [a] = await sql()`select actor_id, actor_kind, action, after from audit_log where entity = 'imports' and entity_id = '4242'`;
    expect(a).toMatchObject({ actor_id: 1, actor_kind: "user", action: "import.write", after: { kind: "repayments", rows: 1, new: 1, changed: 0 } });
  });
});

describe("two imports at once", () => {
  it("both succeed, and the same rows sent twice are written once", async () => {
    const a = csv([REPAYMENTS_HEADER, ...Array.from({ length: 200 }, (_, i) => ["L001", "2026-05-02", "100", `PA${i}`])]);
    const b = csv([REPAYMENTS_HEADER, ...Array.from({ length: 200 }, (_, i) => ["L002", "2026-05-02", "100", `PB${i}`])]);
    const [ra, rb, ra2] = await Promise.all([
      importContent(t.db, files, "repayments", "a.csv", a),
      importContent(t.db, files, "repayments", "b.csv", b),
      importContent(t.db, files, "repayments", "a-again.csv", a),
    ]);
    expect([ra?.status, rb?.status, ra2?.status]).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(rb?.rowsNew).toBe(200);
    expect((ra?.rowsNew ?? 0) + (ra2?.rowsNew ?? 0)).toBe(200);
    expect((ra?.rowsUnchanged ?? 0) + (ra2?.rowsUnchanged ?? 0)).toBe(200);
    const [n] = await sql()`select count(*)::int as n from repayments where external_id like 'PA%' or external_id like 'PB%'`;
    expect(n?.n).toBe(400);
  });
});

describe("the imports row (job and CLI)", () => {
  const file = csv([REPAYMENTS_HEADER, ["L003", "2026-05-03", "5,200.00", "JOB1"]]);

  it("runs a stored upload, records the result and progress, and deletes the upload", async () => {
    const src = await files.write("job.csv", file);
    const stored = `${src}.stored`;
    await copyFile(src, stored);
    const id = await createImport(t.db, { kind: "repayments", fileName: "还款.csv", fileBytes: 1, storedPath: stored, encoding: "auto", dryRun: false, userId: 1 });
    const r = await processImport(t.db, id, { asOf: AS_OF });
    expect(r?.status).toBe("succeeded");
    const [row] = await sql()`select status, rows_parsed, rows_validated, rows_written, rows_new, error_count, stored_path, detected_encoding, finished_at is not null as finished from imports where id = ${id}`;
    expect(row).toEqual({ status: "succeeded", rows_parsed: 1, rows_validated: 1, rows_written: 1, rows_new: 1, error_count: 0, stored_path: null, detected_encoding: "utf8", finished: true });
    await expect(stat(stored)).rejects.toThrow();
    expect(await processImport(t.db, id)).toBeNull();
  });

  it("keeps the errors of a rejected upload on its row", async () => {
    const stored = await files.write("bad.csv", csv([REPAYMENTS_HEADER, ["L404", "2026-05-03", "1", "JOB2"]]));
    const id = await createImport(t.db, { kind: "repayments", fileName: "bad.csv", fileBytes: 1, storedPath: stored, encoding: "auto", dryRun: false, userId: null });
    await processImport(t.db, id, { asOf: AS_OF });
    const [row] = await sql()`select status, error_count, errors from imports where id = ${id}`;
    expect(row).toEqual({ status: "rejected", error_count: 1, errors: [{ row: 1, column: "合同编号", code: "ref.unknownLoan", params: { value: "L404" } }] });
  });

  it("marks an import whose upload is gone as failed, for good", async () => {
    const id = await createImport(t.db, { kind: "repayments", fileName: "gone.csv", fileBytes: 1, storedPath: "/nonexistent/gone.csv", encoding: "auto", dryRun: false, userId: null });
    await expect(processImport(t.db, id)).rejects.toThrow(/no readable file/);
    const [row] = await sql()`select status, failure from imports where id = ${id}`;
    expect(row).toEqual({ status: "failed", failure: "the uploaded file is missing" });
  });

  it("CLI: exit 0 when written, 1 with `row N, column C: message` lines when rejected, JSON on request", async () => {
    const good = await files.write("cli.csv", csv([REPAYMENTS_HEADER, ["L003", "2026-05-04", "5,200.00", "CLI1"]]));
    const ok = await importFile(t.db, { kind: "repayments", file: good, asOf: AS_OF });
    expect(ok.code).toBe(0);
    expect(ok.stdout[0]).toMatch(/^import \d+: 1 repayments rows written \(1 new, 0 changed, 0 unchanged\); 1 loans queued/);

    const bad = await files.write("cli-bad.csv", csv([REPAYMENTS_HEADER, ["L003", "2026-05-04", "-5", "CLI2"], ["L003", "2026-07-04", "5", "CLI3"]]));
    const no = await importFile(t.db, { kind: "repayments", file: bad, asOf: AS_OF });
    expect(no.code).toBe(1);
    expect(no.stderr.slice(0, 2)).toEqual(["row 1, column 还款金额: Must not be negative.", `row 2, column 还款日期: Dated after the as-of date ${AS_OF}.`]);
    expect(no.stderr[2]).toMatch(/^import \d+ rejected: 2 error\(s\); nothing was written$/);

    const json = await importFile(t.db, { kind: "repayments", file: bad, asOf: AS_OF, json: true, dryRun: true });
    expect(JSON.parse(json.stdout[0] ?? "")).toMatchObject({ status: "rejected", errorCount: 2, errors: [{ row: 1, message: "Must not be negative." }, { row: 2 }] });
    const [row] = await sql()`select user_id, dry_run, status from imports order by id desc limit 1`;
    expect(row).toEqual({ user_id: null, dry_run: true, status: "rejected" });
  });

  it("CLI: usage errors for a bad kind, encoding, date or file", async () => {
    const good = await files.write("cli.csv", file);
    await expect(importFile(t.db, { kind: "payments", file: good })).rejects.toThrow(UsageError);
    await expect(importFile(t.db, { kind: "repayments", file: good, encoding: "big5" })).rejects.toThrow(UsageError);
    await expect(importFile(t.db, { kind: "repayments", file: good, asOf: "2026-02-30" })).rejects.toThrow(UsageError);
    await expect(importFile(t.db, { kind: "repayments", file: "/nonexistent.csv" })).rejects.toThrow(UsageError);
    await expect(importFile(t.db, { kind: "repayments" })).rejects.toThrow(UsageError);
  });
});
