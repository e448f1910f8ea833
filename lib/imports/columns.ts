// The canonical columns of each import kind: headers in English and Chinese (either is accepted, in any order),
// whether the column is required, how its cells are parsed, and what templates and error messages say about it.
import { IMPORT_KINDS, type ImportKind } from "../vocabulary";
import type { EnumOption } from "./values";

export { IMPORT_KINDS, type ImportKind };

export function isImportKind(s: string): s is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(s);
}

export type ColumnType =
  | { t: "id" }
  | { t: "text"; max: number }
  | { t: "username" }
  /** notAfterAsOf: the date cannot lie after the import's as-of date (a repayment cannot be in the future). */
  | { t: "date"; notAfterAsOf?: true }
  | { t: "amount"; allowZero: boolean }
  | { t: "rate" }
  | { t: "int"; min: number; max: number }
  | { t: "creditCode" }
  | { t: "industryCode" }
  | { t: "enum"; options: readonly EnumOption[] };

export type ColumnDef = {
  key: string;
  en: string;
  zh: string;
  required: boolean;
  type: ColumnType;
  zhDesc: string;
  enDesc: string;
  example: string;
};

const APPLICATION_STATUSES: readonly EnumOption[] = [
  { value: "submitted", labels: ["已提交", "审批中"] },
  { value: "approved", labels: ["已批准", "审批通过"] },
  { value: "rejected", labels: ["已拒绝", "审批拒绝"] },
  { value: "withdrawn", labels: ["已撤回", "客户撤回"] },
  { value: "drawn", labels: ["已放款"] },
];

const REPAYMENT_METHODS: readonly EnumOption[] = [
  { value: "equal_installment", labels: ["等额本息"] },
  { value: "equal_principal", labels: ["等额本金"] },
  { value: "interest_only", labels: ["先息后本", "按月付息到期还本"] },
  { value: "bullet", labels: ["到期一次还本付息", "一次性还本付息"] },
];

const id = (key: string, en: string, zh: string, zhDesc: string, enDesc: string, example: string, required = true): ColumnDef => ({
  key,
  en,
  zh,
  required,
  type: { t: "id" },
  zhDesc,
  enDesc,
  example,
});

const AMOUNT_NOTE_ZH = "单位：元，最多两位小数，可带千分位和 ¥";
const AMOUNT_NOTE_EN = "in yuan, at most 2 decimals; thousands separators and ¥ allowed";
const DATE_NOTE_ZH = "格式 2026-03-01、2026/3/1 或 20260301";
const DATE_NOTE_EN = "as 2026-03-01, 2026/3/1 or 20260301";

export const COLUMNS: Readonly<Record<ImportKind, readonly ColumnDef[]>> = {
  customers: [
    id("customer_no", "customer_no", "客户编号", "核心系统中的客户编号，唯一", "The customer's number in the core system; unique", "C000123"),
    { key: "name", en: "name", zh: "企业名称", required: true, type: { t: "text", max: 200 }, zhDesc: "企业全称", enDesc: "Registered company name", example: "杭州示例机械有限公司" },
    {
      key: "credit_code",
      en: "credit_code",
      zh: "统一社会信用代码",
      required: true,
      type: { t: "creditCode" },
      zhDesc: "18 位统一社会信用代码（含校验位）",
      enDesc: "18-character unified social credit code, with a valid check character",
      example: "91330106MA2B3C4D5D",
    },
    { key: "legal_rep", en: "legal_rep", zh: "法定代表人", required: true, type: { t: "text", max: 60 }, zhDesc: "法定代表人姓名", enDesc: "Legal representative's name", example: "张伟" },
    {
      key: "registered_capital",
      en: "registered_capital",
      zh: "注册资本",
      required: true,
      type: { t: "amount", allowZero: true },
      zhDesc: `注册资本，${AMOUNT_NOTE_ZH}`,
      enDesc: `Registered capital, ${AMOUNT_NOTE_EN}`,
      example: "5,000,000.00",
    },
    {
      key: "industry_code",
      en: "industry_code",
      zh: "行业代码",
      required: true,
      type: { t: "industryCode" },
      zhDesc: "国民经济行业分类（GB/T 4754）门类字母加大类代码，如 C36",
      enDesc: "GB/T 4754 industry: section letter and division, e.g. C36",
      example: "C34",
    },
    { key: "region", en: "region", zh: "地区", required: true, type: { t: "text", max: 100 }, zhDesc: "所在地区", enDesc: "Region", example: "浙江省杭州市西湖区" },
    {
      key: "rm_username",
      en: "rm_username",
      zh: "客户经理",
      required: true,
      type: { t: "username" },
      zhDesc: "管户客户经理的登录名",
      enDesc: "Sign-in name of the owning relationship manager",
      example: "rm1",
    },
    { key: "onboarded_on", en: "onboarded_on", zh: "建立关系日期", required: true, type: { t: "date" }, zhDesc: `建立信贷关系的日期，${DATE_NOTE_ZH}`, enDesc: `Relationship start date, ${DATE_NOTE_EN}`, example: "2021-04-15" },
    {
      key: "branch_code",
      en: "branch_code",
      zh: "机构代码",
      required: false,
      type: { t: "id" },
      zhDesc: "所属机构代码；留空则取客户经理所在机构",
      enDesc: "Branch code; empty means the relationship manager's branch",
      example: "HZ01",
    },
  ],
  applications: [
    id("application_no", "application_no", "申请编号", "贷款申请编号，唯一", "Loan application number; unique", "A0000123"),
    id("customer_no", "customer_no", "客户编号", "申请客户的客户编号（须已导入）", "Applicant's customer number (must already be imported)", "C000123"),
    { key: "product", en: "product", zh: "产品", required: true, type: { t: "text", max: 100 }, zhDesc: "贷款产品名称", enDesc: "Loan product", example: "流动资金贷款" },
    { key: "amount", en: "amount", zh: "申请金额", required: true, type: { t: "amount", allowZero: false }, zhDesc: `申请金额，${AMOUNT_NOTE_ZH}`, enDesc: `Amount applied for, ${AMOUNT_NOTE_EN}`, example: "3,000,000.00" },
    { key: "submitted_on", en: "submitted_on", zh: "申请日期", required: true, type: { t: "date" }, zhDesc: `提交申请的日期，${DATE_NOTE_ZH}`, enDesc: `Date submitted, ${DATE_NOTE_EN}`, example: "2026-01-10" },
    {
      key: "status",
      en: "status",
      zh: "状态",
      required: true,
      type: { t: "enum", options: APPLICATION_STATUSES },
      zhDesc: "submitted/已提交、approved/已批准、rejected/已拒绝、withdrawn/已撤回、drawn/已放款",
      enDesc: "submitted, approved, rejected, withdrawn or drawn (or the Chinese label)",
      example: "approved",
    },
    { key: "decided_on", en: "decided_on", zh: "审批日期", required: false, type: { t: "date" }, zhDesc: `审批决定日期，不早于申请日期；${DATE_NOTE_ZH}`, enDesc: `Decision date, not before the submission date; ${DATE_NOTE_EN}`, example: "2026-01-20" },
  ],
  loans: [
    id("contract_no", "contract_no", "合同编号", "借款合同编号，唯一", "Loan contract number; unique", "L00000123"),
    id("customer_no", "customer_no", "客户编号", "借款客户的客户编号（须已导入）", "Borrower's customer number (must already be imported)", "C000123"),
    { key: "product", en: "product", zh: "产品", required: true, type: { t: "text", max: 100 }, zhDesc: "贷款产品名称", enDesc: "Loan product", example: "流动资金贷款" },
    { key: "principal", en: "principal", zh: "本金", required: true, type: { t: "amount", allowZero: false }, zhDesc: `发放本金，${AMOUNT_NOTE_ZH}`, enDesc: `Principal disbursed, ${AMOUNT_NOTE_EN}`, example: "3,000,000.00" },
    {
      key: "annual_rate",
      en: "annual_rate",
      zh: "年利率",
      required: true,
      type: { t: "rate" },
      zhDesc: "年利率，小数（0.0435）或百分数（4.35%），大于 0 且不超过 36%",
      enDesc: "Annual rate as a fraction (0.0435) or a percentage (4.35%); above 0 and at most 36%",
      example: "4.35%",
    },
    { key: "term_months", en: "term_months", zh: "期限(月)", required: true, type: { t: "int", min: 1, max: 600 }, zhDesc: "贷款期限，整月数（1–600）", enDesc: "Term in whole months (1–600)", example: "36" },
    {
      key: "method",
      en: "method",
      zh: "还款方式",
      required: true,
      type: { t: "enum", options: REPAYMENT_METHODS },
      zhDesc: "equal_installment/等额本息、equal_principal/等额本金、interest_only/先息后本、bullet/到期一次还本付息",
      enDesc: "equal_installment, equal_principal, interest_only or bullet (or the Chinese name)",
      example: "等额本息",
    },
    { key: "disbursed_on", en: "disbursed_on", zh: "放款日期", required: true, type: { t: "date" }, zhDesc: `放款日期，${DATE_NOTE_ZH}`, enDesc: `Disbursement date, ${DATE_NOTE_EN}`, example: "2026-01-25" },
    { key: "maturity_on", en: "maturity_on", zh: "到期日期", required: true, type: { t: "date" }, zhDesc: `到期日期，晚于放款日期；${DATE_NOTE_ZH}`, enDesc: `Maturity date, after disbursement; ${DATE_NOTE_EN}`, example: "2029-01-25" },
  ],
  schedules: [
    id("contract_no", "contract_no", "合同编号", "借款合同编号（须已导入）", "Loan contract number (must already be imported)", "L00000123"),
    { key: "installment_no", en: "installment_no", zh: "期次", required: true, type: { t: "int", min: 1, max: 1200 }, zhDesc: "第几期，从 1 开始", enDesc: "Installment number, from 1", example: "1" },
    { key: "due_on", en: "due_on", zh: "应还日期", required: true, type: { t: "date" }, zhDesc: `应还日期，${DATE_NOTE_ZH}`, enDesc: `Due date, ${DATE_NOTE_EN}`, example: "2026-02-25" },
    { key: "principal_due", en: "principal_due", zh: "应还本金", required: true, type: { t: "amount", allowZero: true }, zhDesc: `本期应还本金，${AMOUNT_NOTE_ZH}`, enDesc: `Principal due, ${AMOUNT_NOTE_EN}`, example: "80,000.00" },
    { key: "interest_due", en: "interest_due", zh: "应还利息", required: true, type: { t: "amount", allowZero: true }, zhDesc: `本期应还利息，${AMOUNT_NOTE_ZH}`, enDesc: `Interest due, ${AMOUNT_NOTE_EN}`, example: "10,875.00" },
  ],
  repayments: [
    id("contract_no", "contract_no", "合同编号", "借款合同编号（须已导入）", "Loan contract number (must already be imported)", "L00000123"),
    { key: "paid_on", en: "paid_on", zh: "还款日期", required: true, type: { t: "date", notAfterAsOf: true }, zhDesc: `实际还款日期，不晚于数据日期；${DATE_NOTE_ZH}`, enDesc: `Date paid, not after the as-of date; ${DATE_NOTE_EN}`, example: "2026-02-25" },
    { key: "amount", en: "amount", zh: "还款金额", required: true, type: { t: "amount", allowZero: false }, zhDesc: `实还金额，${AMOUNT_NOTE_ZH}`, enDesc: `Amount paid, ${AMOUNT_NOTE_EN}`, example: "90,875.00" },
    id(
      "external_id",
      "external_id",
      "流水号",
      "核心系统交易流水号，唯一；留空则按合同、日期、金额识别",
      "The core system's transaction id, unique; when empty the row is identified by contract, date and amount",
      "TX20260225000123",
      false,
    ),
  ],
};

// "客户编号 ", "Customer No", "*期限（月）" all name the same column: case, width, spaces, underscores and the
// required-marker asterisk do not matter.
export function normalizeHeader(h: string): string {
  return h
    .normalize("NFKC")
    .replace(/^\uFEFF/, "")
    .trim()
    .replace(/^\*|\*$/g, "")
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "_");
}

const lookup = new Map<ImportKind, Map<string, ColumnDef>>(
  IMPORT_KINDS.map((k) => [k, new Map(COLUMNS[k].flatMap((c) => [[normalizeHeader(c.en), c] as const, [normalizeHeader(c.zh), c] as const]))]),
);

/** The canonical column a file's header cell names, if any. */
export function matchHeader(kind: ImportKind, header: string): ColumnDef | undefined {
  return lookup.get(kind)?.get(normalizeHeader(header));
}

export function columnDef(kind: ImportKind, key: string): ColumnDef | undefined {
  return COLUMNS[kind].find((c) => c.key === key);
}

/** The header a template or a message shows for a column: Chinese for zh, English otherwise. */
export function columnHeader(col: ColumnDef, locale: string): string {
  return locale.startsWith("zh") ? col.zh : col.en;
}
