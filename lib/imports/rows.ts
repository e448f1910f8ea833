// Row validation with zod: each canonical column's cell parser, then the rules that span columns. A failed row
// yields one issue per bad cell, keyed by canonical column, with a stable code and its parameters.
import { z } from "zod";
import { COLUMNS, type ColumnDef, type ImportKind } from "./columns";
import {
  isBlank,
  parseAmountFen,
  parseCreditCode,
  parseDate,
  parseEnum,
  parseId,
  parseIndustryCode,
  parseInteger,
  parseRate,
  parseText,
  parseUsername,
  type Params,
  type Parsed,
  type RawCell,
} from "./values";

export type RowValue = string | number | null;
export type RowValues = Record<string, RowValue>;
export type RowIssue = { key: string; code: string; params: Params };

export function parseCell(col: ColumnDef, raw: RawCell): Parsed<string | number> {
  const t = col.type;
  switch (t.t) {
    case "id":
      return parseId(raw);
    case "text":
      return parseText(raw, t.max);
    case "username":
      return parseUsername(raw);
    case "date":
      return parseDate(raw);
    case "amount":
      return parseAmountFen(raw, { allowZero: t.allowZero });
    case "rate":
      return parseRate(raw);
    case "int":
      return parseInteger(raw, t.min, t.max);
    case "creditCode":
      return parseCreditCode(raw);
    case "industryCode":
      return parseIndustryCode(raw);
    case "enum":
      return parseEnum(raw, t.options);
  }
}

// Hot path (every cell of every row): no closures created per call, and a bare transform rather than a pipe.
function fail(ctx: z.core.$RefinementCtx<unknown>, code: string, params: Params = {}): never {
  ctx.addIssue({ code: "custom", message: code, params: { code, params } });
  return z.NEVER;
}

function field(col: ColumnDef, asOf: string) {
  const notAfter = col.type.t === "date" && col.type.notAfterAsOf ? asOf : null;
  return z.transform((input: unknown, ctx): RowValue => {
    const raw = (input ?? null) as RawCell;
    if (isBlank(raw)) return col.required ? fail(ctx, "required") : null;
    const r = parseCell(col, raw);
    if (!r.ok) return fail(ctx, r.code, r.params);
    // ISO dates compare as text.
    if (notAfter !== null && String(r.value) > notAfter) return fail(ctx, "date.afterAsOf", { asOf: notAfter });
    return r.value;
  });
}

type Ctx = z.core.$RefinementCtx<RowValues>;

function issue(ctx: Ctx, key: string, code: string, params: Params) {
  ctx.addIssue({ code: "custom", path: [key], message: code, params: { code, params } });
}

// Cross-column rules; `other` names the column by its canonical key, the engine swaps in the file's header.
const RULES: Partial<Record<ImportKind, (v: RowValues, ctx: Ctx) => void>> = {
  applications: (v, ctx) => {
    if (v.decided_on !== null && String(v.decided_on) < String(v.submitted_on)) issue(ctx, "decided_on", "date.beforeOther", { other: "submitted_on" });
  },
  loans: (v, ctx) => {
    if (String(v.maturity_on) <= String(v.disbursed_on)) issue(ctx, "maturity_on", "date.notAfterOther", { other: "disbursed_on" });
  },
};

export type RowSchema = z.ZodType<RowValues, Record<string, RawCell>>;

/** The zod schema of one row of `kind`; `asOf` bounds the dates that cannot lie in the future (repayments). */
export function rowSchema(kind: ImportKind, asOf: string): RowSchema {
  const shape = Object.fromEntries(COLUMNS[kind].map((c) => [c.key, field(c, asOf)]));
  const rule = RULES[kind];
  const obj = z.object(shape) as unknown as z.ZodType<RowValues, Record<string, RawCell>>;
  return rule ? obj.superRefine(rule) : obj;
}

/** Validates one row: its typed values, or the issues found (one per bad cell, or per broken cross-column rule). */
export function validateRow(schema: RowSchema, raw: Record<string, RawCell>): { ok: true; values: RowValues } | { ok: false; issues: RowIssue[] } {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, values: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => {
      const p = (i as { params?: { code?: string; params?: Params } }).params;
      return { key: String(i.path[0] ?? ""), code: p?.code ?? i.code, params: p?.params ?? {} };
    }),
  };
}
