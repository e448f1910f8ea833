import { getTableColumns } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { installmentState, loanState, loanStateHistory, repaymentAllocations } from "../db/schema";
import { computeDelinquency } from "./delinquency";
import { DERIVED, derivedRows } from "./recompute";
import { buildSchedule } from "./schedule";

const LOAN = { principalFen: 300_000, annualRate: "0.120000", disbursedOn: "2026-01-15", maturityOn: "2026-04-15" };
const SCHEDULE = buildSchedule({ ...LOAN, termMonths: 3, method: "equal_principal" });
const AS_OF = "2026-06-30";
// #1 paid on time, #2 partly and late, a prepayment: rows in every derived table, nulls and dates among them.
const RESULT = computeDelinquency({
  loan: LOAN,
  installments: SCHEDULE,
  repayments: [
    { id: 1, paidOn: "2026-02-15", amountFen: 103_000, externalId: "T1" },
    { id: 2, paidOn: "2026-03-20", amountFen: 60_000, externalId: "T2" },
  ],
  asOf: AS_OF,
});
const ROWS = derivedRows(42, AS_OF, RESULT);
const TABLES = [loanState, installmentState, repaymentAllocations, loanStateHistory];

const JS_TYPE: Record<string, string> = { integer: "number", smallint: "number", bigint: "number", text: "string", date: "string", boolean: "boolean", jsonb: "object" };

describe("the derived tables, from lib/db/schema.ts", () => {
  it("write every column of the schema but those the database fills in", () => {
    expect(DERIVED.map((d) => d.name)).toEqual(["loan_state", "installment_state", "repayment_allocations", "loan_state_history"]);
    DERIVED.forEach((d, t) => {
      const schemaColumns = Object.values(getTableColumns(TABLES[t]!)).map((c) => c.name);
      expect(d.columns).toEqual(schemaColumns.filter((c) => c !== "computed_at"));
    });
  });

  it("get from the engine one value per column, of the column's type, in its place", () => {
    ROWS.forEach((rows, t) => {
      expect(rows.length).toBeGreaterThan(0);
      const cols = Object.values(getTableColumns(TABLES[t]!));
      for (const row of rows) {
        expect(row).toHaveLength(DERIVED[t]!.columns.length);
        DERIVED[t]!.columns.forEach((name, i) => {
          const c = cols.find((x) => x.name === name)!;
          if (row[i] === null) expect(c.notNull, `${name} is null`).toBe(false);
          else expect([name, typeof row[i]]).toEqual([name, JS_TYPE[c.getSQLType()] ?? "string"]);
        });
      }
    });
  });

  it("compare every column but the loan id and loan_state's as-of date: changing one changes the rendering", () => {
    DERIVED.forEach((d, t) => {
      const row = ROWS[t]![0]!;
      d.columns.forEach((name, i) => {
        const other = [...row];
        const v = row[i];
        other[i] = typeof v === "number" ? v + 1 : typeof v === "boolean" ? !v : v === null ? "2026-01-01" : typeof v === "object" ? { ...v, dpd: 999 } : `${String(v)}x`;
        const same = d.keyOf(other) + "\u001f" + d.render(other) === d.keyOf(row) + "\u001f" + d.render(row);
        expect([d.name, name, same]).toEqual([d.name, name, name === "loan_id" || (d.name === "loan_state" && name === "as_of")]);
      });
    });
  });
});
