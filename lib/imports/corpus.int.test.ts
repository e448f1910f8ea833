// The corpus of malformed import files: each one is rejected with exactly the expected errors (row, column, code,
// parameters) and leaves every table as it was.
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDb, type TestDb } from "../../test/int-db";
import {
  AS_OF,
  LOANS_HEADER,
  REPAYMENTS_HEADER,
  SCHEDULES_HEADER,
  creditCode,
  csv,
  importContent,
  seedBase,
  snapshot,
  tempFiles,
  type Files,
} from "../../test/fixtures/imports/kit";
import type { ImportKind } from "./columns";
import type { Encoding } from "./read";
import type { Params } from "./values";

let t: TestDb;
let files: Files;

beforeAll(async () => {
  t = await freshDb();
  files = await tempFiles();
  await seedBase(t.db, files);
});
afterAll(async () => {
  await files.cleanup();
  await t.drop();
});

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("data");
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const CUSTOMERS_EN = ["customer_no", "name", "credit_code", "legal_rep", "registered_capital", "industry_code", "region", "rm_username", "onboarded_on"];
const customer = (no: string, over: Partial<Record<string, string>> = {}) => {
  const base: Record<string, string> = {
    customer_no: no,
    name: `${no}有限公司`,
    credit_code: creditCode(100 + Number(no.replace(/\D/g, ""))),
    legal_rep: "赵六",
    registered_capital: "1000000",
    industry_code: "C36",
    region: "浙江省杭州市",
    rm_username: "rm_a",
    onboarded_on: "2024-01-01",
  };
  return CUSTOMERS_EN.map((k) => over[k] ?? base[k] ?? "");
};
const REPAY = (...rows: string[][]) => csv([REPAYMENTS_HEADER, ...rows]);

type Expected = [row: number | null, column: string | null, code: string, params?: Params];
type Case = {
  name: string;
  kind: ImportKind;
  file: string;
  content: string | Buffer | (() => Promise<Buffer>);
  encoding?: Encoding;
  errors: Expected[];
  errorCount?: number;
};

const cases: Case[] = [
  { name: "an empty file", kind: "repayments", file: "empty.csv", content: "", errors: [[null, null, "file.empty"]] },
  { name: "a header without rows", kind: "repayments", file: "header.csv", content: REPAY(), errors: [[null, null, "file.noRows"]] },
  { name: "a 0-byte XLSX", kind: "repayments", file: "empty.xlsx", content: Buffer.alloc(0), errors: [[null, null, "file.empty"]] },
  { name: "a damaged XLSX", kind: "repayments", file: "broken.xlsx", content: "this is not a zip", errors: [[null, null, "file.unreadable", { format: "XLSX" }]] },
  {
    name: "a legacy .xls workbook",
    kind: "repayments",
    file: "old.xls",
    content: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    errors: [[null, null, "file.unsupportedFormat", { format: ".xls" }]],
  },
  {
    name: "missing required columns",
    kind: "repayments",
    file: "missing.csv",
    content: csv([["合同编号", "还款日期", "备注"], ["L001", "2026-04-15", "x"]]),
    errors: [[null, null, "file.missingColumns", { columns: "amount (还款金额)" }]],
  },
  {
    name: "a column given twice",
    kind: "repayments",
    file: "twice.csv",
    content: csv([["合同编号", "还款日期", "还款金额", "amount"], ["L001", "2026-04-15", "1", "1"]]),
    errors: [[null, null, "file.duplicateColumn", { column: "amount" }]],
  },
  {
    name: "UTF-16 text",
    kind: "repayments",
    file: "utf16.csv",
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(REPAY(["L001", "2026-04-15", "1", "U1"]), "utf16le")]),
    errors: [[null, null, "file.encoding", { encoding: "UTF-16" }]],
  },
  {
    name: "the wrong encoding: a GBK file read as UTF-8",
    kind: "customers",
    file: "gbk.csv",
    content: iconv.encode(csv([CUSTOMERS_EN, customer("C010")]), "gbk"),
    encoding: "utf8",
    errors: [
      [1, "name", "encoding"],
      [1, "legal_rep", "encoding"],
      [1, "region", "encoding"],
    ],
  },
  {
    name: "bad dates",
    kind: "repayments",
    file: "dates.csv",
    content: REPAY(["L001", "2026-02-30", "100", "D1"], ["L001", "03/01/2026", "100", "D2"], ["L001", "46082", "100", "D3"], ["L001", "", "100", "D4"]),
    errors: [
      [1, "还款日期", "date.invalid", { value: "2026-02-30" }],
      [2, "还款日期", "date.invalid", { value: "03/01/2026" }],
      [3, "还款日期", "date.invalid", { value: "46082" }],
      [4, "还款日期", "required"],
    ],
  },
  {
    name: "negative amounts",
    kind: "repayments",
    file: "negative.csv",
    content: REPAY(["L001", "2026-04-15", "-100.00", "N1"], ["L001", "2026-04-15", "(1,000.00)", "N2"], ["L001", "2026-04-15", "0", "N3"]),
    errors: [
      [1, "还款金额", "amount.negative"],
      [2, "还款金额", "amount.negative"],
      [3, "还款金额", "amount.zero"],
    ],
  },
  {
    name: "non-numeric amounts",
    kind: "repayments",
    file: "nan.csv",
    content: REPAY(["L001", "2026-04-15", "abc", "A1"], ["L001", "2026-04-15", "一百元", "A2"], ["L001", "2026-04-15", "1.2.3", "A3"]),
    errors: [
      [1, "还款金额", "amount.invalid", { value: "abc" }],
      [2, "还款金额", "amount.invalid", { value: "一百元" }],
      [3, "还款金额", "amount.invalid", { value: "1.2.3" }],
    ],
  },
  {
    name: "amounts with fractions of a fen",
    kind: "repayments",
    file: "precision.csv",
    content: REPAY(["L001", "2026-04-15", "100.005", "P1"]),
    errors: [[1, "还款金额", "amount.precision", { value: "100.005" }]],
  },
  {
    name: "an unquoted thousands separator that shifts the row",
    kind: "repayments",
    file: "shifted.csv",
    content: `${REPAYMENTS_HEADER.join(",")}\nL001,2026-04-15,100.00,S1\nL001,2026-04-15,1,234.56,S2\n`,
    errors: [[2, null, "fieldCount", { expected: 4, actual: 5 }]],
  },
  {
    name: "truncated rows",
    kind: "repayments",
    file: "truncated.csv",
    content: `${REPAYMENTS_HEADER.join(",")}\nL001,2026-04-15\nL001,2026-04-15,100.00,T2\nL001,2026-04`,
    errors: [
      [1, null, "fieldCount", { expected: 4, actual: 2 }],
      [3, null, "fieldCount", { expected: 4, actual: 2 }],
    ],
  },
  {
    name: "an unclosed quote",
    kind: "repayments",
    file: "quote.csv",
    content: `${REPAYMENTS_HEADER.join(",")}\nL001,2026-04-15,100.00,Q1\nL001,"2026-04-15,100.00,Q2\nL001,2026-04-16,100.00,Q3\n`,
    errors: [[2, null, "file.csvSyntax", { reason: "quote not closed" }]],
  },
  {
    name: "unknown loans",
    kind: "repayments",
    file: "unknown-loan.csv",
    content: REPAY(["L001", "2026-04-15", "100", "K1"], ["L999", "2026-04-15", "100", "K2"]),
    errors: [[2, "合同编号", "ref.unknownLoan", { value: "L999" }]],
  },
  {
    name: "the same transaction id twice in the file",
    kind: "repayments",
    file: "dup-in-file.csv",
    content: REPAY(["L001", "2026-04-15", "100", "DUP1"], ["L001", "2026-04-16", "100", "OTHER"], ["L001", "2026-04-17", "200", "DUP1"]),
    errors: [[3, "流水号", "duplicate.inFile", { firstRow: 1 }]],
  },
  {
    name: "a transaction id already recorded for another contract",
    kind: "repayments",
    file: "dup-in-db.csv",
    content: REPAY(["L002", "2026-04-01", "100", "TX001"]),
    errors: [[1, "流水号", "conflict.externalId", { value: "L001" }]],
  },
  {
    name: "a repayment after the as-of date",
    kind: "repayments",
    file: "future.csv",
    content: REPAY(["L001", "2026-07-01", "100", "F1"]),
    errors: [[1, "还款日期", "date.afterAsOf", { asOf: AS_OF }]],
  },
  {
    name: "a repayment before the loan was disbursed",
    kind: "repayments",
    file: "early.csv",
    content: REPAY(["L003", "2026-02-01", "100", "E1"]),
    errors: [[1, "还款日期", "date.beforeDisbursement", { disbursedOn: "2026-03-01" }]],
  },
  {
    name: "formula injection (=HYPERLINK) in a name",
    kind: "customers",
    file: "formula.csv",
    content: csv([CUSTOMERS_EN, customer("C011", { name: '=HYPERLINK("http://evil.example","点击领取")' }), customer("C012", { legal_rep: "@SUM(1+1)" })]),
    errors: [
      [1, "name", "formula"],
      [2, "legal_rep", "formula"],
    ],
  },
  {
    name: "a formula cell in an XLSX name",
    kind: "customers",
    file: "formula.xlsx",
    content: () => xlsx([CUSTOMERS_EN, customer("C013").map((v, i) => (i === 1 ? { formula: 'HYPERLINK("http://evil.example","x")', result: "x" } : v))]),
    errors: [[1, "name", "formula"]],
  },
  {
    name: "bad credit codes",
    kind: "customers",
    file: "credit.csv",
    content: csv([
      CUSTOMERS_EN,
      customer("C014", { credit_code: creditCode(14).slice(0, 17) + (creditCode(14).endsWith("0") ? "1" : "0") }),
      customer("C015", { credit_code: "91330100MA123" }),
    ]),
    errors: [
      [1, "credit_code", "creditCode.checkDigit"],
      [2, "credit_code", "creditCode.length", { value: "91330100MA123" }],
    ],
  },
  {
    name: "a credit code that belongs to another customer",
    kind: "customers",
    file: "credit-taken.csv",
    content: csv([CUSTOMERS_EN, customer("C016", { credit_code: creditCode(1) })]),
    errors: [[1, "credit_code", "conflict.creditCode", { value: "C001" }]],
  },
  {
    name: "a bad industry code",
    kind: "customers",
    file: "industry.csv",
    content: csv([CUSTOMERS_EN, customer("C017", { industry_code: "C99" }), customer("C018", { industry_code: "制造业" })]),
    errors: [
      [1, "industry_code", "industryCode.invalid", { value: "C99" }],
      [2, "industry_code", "industryCode.invalid", { value: "制造业" }],
    ],
  },
  {
    name: "unknown, inactive and non-RM users as relationship manager",
    kind: "customers",
    file: "rm.csv",
    content: csv([CUSTOMERS_EN, customer("C019", { rm_username: "rm_x" }), customer("C020", { rm_username: "rm_gone" }), customer("C021", { rm_username: "sup1" })]),
    errors: [
      [1, "rm_username", "ref.unknownRm", { value: "rm_x" }],
      [2, "rm_username", "ref.unknownRm", { value: "rm_gone" }],
      [3, "rm_username", "ref.unknownRm", { value: "sup1" }],
    ],
  },
  {
    name: "a relationship manager without a branch, and no branch code",
    kind: "customers",
    file: "rm-float.csv",
    content: csv([CUSTOMERS_EN, customer("C022", { rm_username: "rm_float" })]),
    errors: [[1, "rm_username", "ref.rmNoBranch", { value: "rm_float" }]],
  },
  {
    name: "an unknown branch code",
    kind: "customers",
    file: "branch.csv",
    content: csv([[...CUSTOMERS_EN, "branch_code"], [...customer("C023"), "XX99"]]),
    errors: [[1, "branch_code", "ref.unknownBranch", { value: "XX99" }]],
  },
  {
    name: "the same customer twice in the file",
    kind: "customers",
    file: "dup-customer.csv",
    content: csv([CUSTOMERS_EN, customer("C024"), customer("C025"), customer("C024", { credit_code: creditCode(999) })]),
    errors: [[3, "customer_no", "duplicate.inFile", { firstRow: 1 }]],
  },
  {
    name: "rates out of bounds",
    kind: "loans",
    file: "rates.csv",
    content: csv([
      LOANS_HEADER,
      ["L010", "C001", "经营贷", "100000", "4.35", "12", "bullet", "2026-01-01", "2027-01-01"],
      ["L011", "C001", "经营贷", "100000", "40%", "12", "bullet", "2026-01-01", "2027-01-01"],
      ["L012", "C001", "经营贷", "100000", "0", "12", "bullet", "2026-01-01", "2027-01-01"],
    ]),
    errors: [
      [1, "annual_rate", "rate.outOfRange", { value: "4.35", max: "36%" }],
      [2, "annual_rate", "rate.outOfRange", { value: "40%" }],
      [3, "annual_rate", "rate.outOfRange", { value: "0" }],
    ],
  },
  {
    name: "maturity before disbursement, an unknown method and a term of 0",
    kind: "loans",
    file: "loan-dates.csv",
    content: csv([
      LOANS_HEADER,
      ["L013", "C001", "经营贷", "100000", "4%", "12", "bullet", "2026-01-01", "2025-12-31"],
      ["L014", "C001", "经营贷", "100000", "4%", "0", "每月随便还", "2026-01-01", "2027-01-01"],
    ]),
    errors: [
      [1, "maturity_on", "date.notAfterOther", { other: "disbursed_on" }],
      [2, "term_months", "integer.outOfRange", { min: 1, max: 600 }],
      [2, "method", "enum.invalid", { value: "每月随便还" }],
    ],
  },
  {
    name: "loans of unknown customers",
    kind: "loans",
    file: "loan-customer.csv",
    content: csv([LOANS_HEADER, ["L015", "C404", "经营贷", "100000", "4%", "12", "bullet", "2026-01-01", "2027-01-01"]]),
    errors: [[1, "customer_no", "ref.unknownCustomer", { value: "C404" }]],
  },
  {
    name: "an existing loan moved to another customer",
    kind: "loans",
    file: "loan-moved.csv",
    content: csv([LOANS_HEADER, ["L001", "C002", "流动资金贷款", "3,000,000.00", "4.35%", "12", "等额本息", "2026-01-15", "2027-01-15"]]),
    errors: [[1, "customer_no", "conflict.customer", { value: "C001" }]],
  },
  {
    name: "schedules: an installment twice, installment 0, a due date before disbursement",
    kind: "schedules",
    file: "schedule.csv",
    content: csv([SCHEDULES_HEADER, ["L003", 1, "2026-04-01", "0", "5,200"], ["L003", 0, "2026-05-01", "0", "5,200"], ["L003", 1, "2026-05-01", "0", "5,200"], ["L003", 2, "2026-02-01", "0", "5,200"]]),
    errors: [
      [2, "期次", "integer.outOfRange"],
      [3, "期次", "duplicate.inFile", { firstRow: 1 }],
      [4, "应还日期", "date.beforeDisbursement", { disbursedOn: "2026-03-01" }],
    ],
  },
  {
    name: "applications: an unknown status, a decision before the submission",
    kind: "applications",
    file: "applications.csv",
    content: csv([
      ["申请编号", "客户编号", "产品", "申请金额", "申请日期", "状态", "审批日期"],
      ["A001", "C001", "经营贷", "100000", "2026-01-10", "pending", ""],
      ["A002", "C001", "经营贷", "100000", "2026-01-10", "已批准", "2026-01-09"],
    ]),
    errors: [
      [1, "状态", "enum.invalid", { value: "pending", allowed: "submitted, approved, rejected, withdrawn, drawn" }],
      [2, "审批日期", "date.beforeOther", { other: "申请日期" }],
    ],
  },
  {
    name: "one bad row among valid ones",
    kind: "repayments",
    file: "one-bad.csv",
    content: REPAY(["L001", "2026-04-15", "100", "G1"], ["L002", "2026-04-15", "100", "G2"], ["L003", "2026-04-15", "-1", "G3"], ["L003", "2026-05-15", "100", "G4"]),
    errors: [[3, "还款金额", "amount.negative"]],
  },
];

describe("malformed import files", () => {
  it("has a corpus of at least 25 files", () => expect(cases.length).toBeGreaterThanOrEqual(25));

  it.each(cases)("rejects $name, writing nothing", async (c) => {
    const before = await snapshot(t.db);
    const content = typeof c.content === "function" ? await c.content() : c.content;
    const r = await importContent(t.db, files, c.kind, c.file, content, { encoding: c.encoding });
    expect(r.status).toBe("rejected");
    expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual(c.errors.map(([row, column, code]) => [row, column, code]));
    c.errors.forEach(([, , , params], i) => params && expect(r.errors[i]?.params).toMatchObject(params));
    expect(r.errorCount).toBe(c.errorCount ?? c.errors.length);
    expect(r).toMatchObject({ rowsWritten: 0, rowsNew: 0, rowsChanged: 0, loansQueued: 0 });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("keeps the first 1,000 errors of a huge bad file and counts them all", async () => {
    const before = await snapshot(t.db);
    const rows = Array.from({ length: 1_500 }, (_, i) => ["L001", "2026-04-15", "-1", `CAP${i}`]);
    const r = await importContent(t.db, files, "repayments", "cap.csv", REPAY(...rows));
    expect(r.errorCount).toBe(1_500);
    expect(r.errors).toHaveLength(1_000);
    expect(r.errors[999]).toEqual({ row: 1_000, column: "还款金额", code: "amount.negative", params: {} });
    expect(await snapshot(t.db)).toEqual(before);
  });
});
