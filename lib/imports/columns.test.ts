import { describe, expect, it } from "vitest";
import { translator } from "../http/messages";
import { COLUMNS, IMPORT_KINDS, columnDef, matchHeader, normalizeHeader } from "./columns";
import { errorReportCsv, formatImportError } from "./errors";
import { parseCell, rowSchema, validateRow } from "./rows";

describe("canonical columns", () => {
  it("lists the issue's columns, English and Chinese, per kind", () => {
    const headers = Object.fromEntries(IMPORT_KINDS.map((k) => [k, COLUMNS[k].map((c) => `${c.en} ${c.zh}`)]));
    expect(headers).toEqual({
      customers: [
        "customer_no 客户编号",
        "name 企业名称",
        "credit_code 统一社会信用代码",
        "legal_rep 法定代表人",
        "registered_capital 注册资本",
        "industry_code 行业代码",
        "region 地区",
        "rm_username 客户经理",
        "onboarded_on 建立关系日期",
        "branch_code 机构代码",
      ],
      applications: ["application_no 申请编号", "customer_no 客户编号", "product 产品", "amount 申请金额", "submitted_on 申请日期", "status 状态", "decided_on 审批日期"],
      loans: [
        "contract_no 合同编号",
        "customer_no 客户编号",
        "product 产品",
        "principal 本金",
        "annual_rate 年利率",
        "term_months 期限(月)",
        "method 还款方式",
        "disbursed_on 放款日期",
        "maturity_on 到期日期",
      ],
      schedules: ["contract_no 合同编号", "installment_no 期次", "due_on 应还日期", "principal_due 应还本金", "interest_due 应还利息"],
      repayments: ["contract_no 合同编号", "paid_on 还款日期", "amount 还款金额", "external_id 流水号"],
    });
  });

  it("makes only branch_code, decided_on and external_id optional", () => {
    const optional = IMPORT_KINDS.flatMap((k) => COLUMNS[k].filter((c) => !c.required).map((c) => `${k}.${c.key}`));
    expect(optional).toEqual(["customers.branch_code", "applications.decided_on", "repayments.external_id"]);
  });

  it("has unique headers within each kind and a description in both languages", () => {
    for (const k of IMPORT_KINDS) {
      const names = COLUMNS[k].flatMap((c) => [normalizeHeader(c.en), normalizeHeader(c.zh)]);
      expect(new Set(names).size).toBe(names.length);
      for (const c of COLUMNS[k]) expect(c.zhDesc && c.enDesc && c.example).toBeTruthy();
    }
  });

  it("has an example value that parses, and an example row that validates, for every kind", () => {
    for (const k of IMPORT_KINDS) {
      for (const c of COLUMNS[k]) expect(parseCell(c, c.example).ok, `${k}.${c.key} example ${c.example}`).toBe(true);
      const row = Object.fromEntries(COLUMNS[k].map((c) => [c.key, c.example]));
      expect(validateRow(rowSchema(k, "2026-12-31"), row).ok, k).toBe(true);
    }
  });

  it("matches headers whatever their case, width, spacing or required-marker", () => {
    expect(matchHeader("loans", "期限（月）")?.key).toBe("term_months");
    expect(matchHeader("loans", " *合同编号 ")?.key).toBe("contract_no");
    expect(matchHeader("loans", "Contract No")?.key).toBe("contract_no");
    expect(matchHeader("loans", "ANNUAL_RATE")?.key).toBe("annual_rate");
    expect(matchHeader("repayments", "\uFEFF流水号")?.key).toBe("external_id");
    expect(matchHeader("repayments", "备注")).toBeUndefined();
    expect(matchHeader("repayments", "principal")).toBeUndefined();
  });
});

describe("row validation", () => {
  const repayments = rowSchema("repayments", "2026-06-30");

  it("returns typed values: ids trimmed, dates ISO, amounts in fen, optional columns null", () => {
    expect(validateRow(repayments, { contract_no: " L1 ", paid_on: "2026/6/1", amount: "¥1,000.5", external_id: "" })).toEqual({
      ok: true,
      values: { contract_no: "L1", paid_on: "2026-06-01", amount: 100050, external_id: null },
    });
  });

  it("reports one issue per bad cell, with its code and parameters", () => {
    const r = validateRow(repayments, { contract_no: "", paid_on: "2026-07-01", amount: "-1", external_id: "=cmd" });
    expect(r).toEqual({
      ok: false,
      issues: [
        { key: "contract_no", code: "required", params: {} },
        { key: "paid_on", code: "date.afterAsOf", params: { asOf: "2026-06-30" } },
        { key: "amount", code: "amount.negative", params: {} },
        { key: "external_id", code: "formula", params: {} },
      ],
    });
  });

  it("checks dates against each other once both parse", () => {
    const loan = Object.fromEntries((COLUMNS.loans.map((c) => [c.key, c.example]) as [string, string][]).concat([["maturity_on", "2026-01-25"]]));
    expect(validateRow(rowSchema("loans", "2026-06-30"), loan)).toEqual({
      ok: false,
      issues: [{ key: "maturity_on", code: "date.notAfterOther", params: { other: "disbursed_on" } }],
    });
    const app = { ...Object.fromEntries(COLUMNS.applications.map((c) => [c.key, c.example])), decided_on: "2026-01-09" };
    expect(validateRow(rowSchema("applications", "2026-06-30"), app)).toEqual({
      ok: false,
      issues: [{ key: "decided_on", code: "date.beforeOther", params: { other: "submitted_on" } }],
    });
  });

  it("knows every column by key", () => expect(columnDef("schedules", "due_on")?.zh).toBe("应还日期"));
});

describe("error messages", () => {
  const err = { row: 12, column: "还款金额", code: "amount.invalid", params: { value: "abc" } };

  it("renders `row N, column C: message` in English and Chinese", () => {
    expect(formatImportError(err, "en")).toBe('row 12, column 还款金额: "abc" is not an amount (for example 1,234.56).');
    expect(formatImportError(err, "zh-CN")).toBe("第 12 行，还款金额 列：“abc”不是金额（示例：1,234.56）。");
    expect(formatImportError({ row: null, column: null, code: "file.missingColumns", params: { columns: "amount (还款金额)" } }, "en")).toBe(
      "Required columns are missing: amount (还款金额).",
    );
  });

  it("has a message in both languages for every code the engine uses", () => {
    const codes = [
      "file.empty",
      "file.noRows",
      "file.unreadable",
      "file.unsupportedFormat",
      "file.encoding",
      "file.csvSyntax",
      "file.missingColumns",
      "file.duplicateColumn",
      "required",
      "encoding",
      "fieldCount",
      "formula",
      "duplicate.inFile",
      "ref.unknownLoan",
      "ref.unknownCustomer",
      "ref.unknownRm",
      "ref.unknownBranch",
      "ref.rmNoBranch",
      "conflict.creditCode",
      "conflict.externalId",
      "conflict.customer",
      "date.beforeDisbursement",
    ];
    for (const locale of ["en", "zh-CN"]) expect(codes.filter((code) => !translator(locale, "issues").has(code)), locale).toEqual([]);
  });

  it("writes a CSV report that a spreadsheet cannot run as formulas", () => {
    const csv = errorReportCsv([err, { row: 3, column: "=HYPERLINK(1)", code: "formula", params: {} }], "en");
    expect(csv.startsWith("\uFEFFrow,column,code,message\r\n")).toBe(true);
    expect(csv).toContain(`12,还款金额,amount.invalid,"""abc"" is not an amount (for example 1,234.56)."`);
    expect(csv).toContain("3,'=HYPERLINK(1),formula,");
  });
});
