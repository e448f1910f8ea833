// Request bodies of the /api/v1 writes. Field values follow the same rules as file imports (lib/imports/values.ts),
// so "1,234.56", "¥1,234.56" and 1234.56 are the same amount everywhere and a bad value has the same error code.
import { z } from "zod";
import { parseAmountFen, parseCreditCode, parseDate, parseId, parseIndustryCode, parseInteger, parseRate, parseText, parseUsername, type Parsed, type RawCell } from "../imports/values";
import { repaymentMethodEnum } from "../db/schema";

// Amounts and counts may come as JSON numbers or strings; dates, codes and text only as strings.
function field<T>(parse: (raw: RawCell) => Parsed<T>, example: string | number, input: "string" | "stringOrNumber" = "string") {
  const base = input === "string" ? z.string() : z.union([z.string(), z.number()]);
  return base
    .meta({ examples: [example] })
    .transform((v, ctx): T => {
      const r = parse(v);
      if (r.ok) return r.value;
      ctx.addIssue({ code: "custom", message: r.code, params: r.params ?? {} });
      return z.NEVER;
    });
}

const id = (example: string) => field((v) => parseId(v, 64), example);
const text = (max: number, example: string) => field((v) => parseText(v, max), example);
const date = field(parseDate, "2026-03-01");
const amount = (example: string) => field((v) => parseAmountFen(v, { allowZero: false }), example, "stringOrNumber");

export const repaymentIn = z
  .object({
    contract_no: id("L00000001"),
    paid_on: date,
    amount: amount("12500.00").describe("yuan, at most two decimals"),
    external_id: id("CBS-20260301-000123").describe("the core system's transaction id; re-sending it is a no-op"),
  })
  .strict();

const repaymentBatch = z.object({ items: z.array(repaymentIn).min(1).max(1000) }).strict();
/** What the route accepts: one repayment, or {items: [...]}. Documented as that union (see openapi.ts). */
export const repaymentsBodyDoc = z.union([repaymentIn, repaymentBatch]);
// A single repayment is parsed as a batch of one, so every problem is reported as items.N.field (a union would
// report only "no variant matched").
export const repaymentsBody = z.preprocess((v) => (v !== null && typeof v === "object" && !Array.isArray(v) && "items" in v ? v : { items: [v] }), repaymentBatch);
export type RepaymentIn = z.output<typeof repaymentIn>;

export const customerIn = z
  .object({
    customer_no: id("C100001"),
    name: text(120, "杭州示例科技有限公司"),
    credit_code: field(parseCreditCode, "91330106MA2H0XXXX1"),
    legal_rep: text(40, "张伟"),
    registered_capital: amount("10000000.00").describe("yuan"),
    industry_code: field(parseIndustryCode, "C36"),
    region: text(60, "杭州市西湖区"),
    rm_username: field(parseUsername, "rm1"),
    onboarded_on: date,
    branch_code: id("HZ01").optional().describe("defaults to the relationship manager's branch"),
    contact_person: text(40, "李娜").optional(),
    contact_phone: text(30, "13800000000").optional(),
  })
  .strict();
export type CustomerIn = z.output<typeof customerIn>;

export const installmentIn = z
  .object({
    installment_no: field((v) => parseInteger(v, 1, 600), 1, "stringOrNumber"),
    due_on: date,
    principal_due: field((v) => parseAmountFen(v, { allowZero: true }), "8333.33", "stringOrNumber"),
    interest_due: field((v) => parseAmountFen(v, { allowZero: true }), "362.50", "stringOrNumber"),
  })
  .strict();

export const loanIn = z
  .object({
    contract_no: id("L20260001"),
    customer_no: id("C100001"),
    product: text(60, "流动资金贷款"),
    principal: amount("1000000.00"),
    annual_rate: field(parseRate, "0.0435", "stringOrNumber").describe("a fraction (0.0435) or a percentage (4.35%)"),
    term_months: field((v) => parseInteger(v, 1, 360), 12, "stringOrNumber"),
    method: z.enum(repaymentMethodEnum.enumValues),
    disbursed_on: date,
    maturity_on: date.optional().describe("defaults to disbursement + term"),
    schedule: z.array(installmentIn).min(1).max(600).optional().describe("defaults to the schedule the repayment method implies"),
  })
  .strict();
export type LoanIn = z.output<typeof loanIn>;
