import { PgDialect } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST_LOAN_CHURN_KINDS, PRE_LOAN_CHURN_KINDS } from "../vocabulary";
import { inferReason, KIND_REASON, KIND_WILL, kindReasonSql, willSql } from "./inference";

const base = { spreadBp: null, marginBp: 100 } as const;

describe("the reason and will of a churn event", () => {
  it("default, termination, write-off and rejection are credit risk, involuntary, inferred", () => {
    for (const kind of ["default", "terminated", "written_off", "application_rejected"] as const) {
      expect(inferReason({ ...base, kind }), kind).toEqual({ reasonFamily: "credit_risk", inferred: true, will: "involuntary", from: "kind" });
    }
  });

  it("a prepayment well above the LPR is service and competition; at the margin too; below it or without an LPR it is not", () => {
    expect(inferReason({ kind: "prepaid_in_full", spreadBp: 135, marginBp: 100 })).toMatchObject({ reasonFamily: "service_competition", inferred: true, will: "voluntary" });
    expect(inferReason({ kind: "large_partial_prepayment", spreadBp: 100, marginBp: 100 }).reasonFamily).toBe("service_competition");
    expect(inferReason({ kind: "prepaid_in_full", spreadBp: 99, marginBp: 100 })).toEqual({ reasonFamily: null, inferred: true, will: "voluntary", from: null });
    expect(inferReason({ kind: "prepaid_in_full", spreadBp: null, marginBp: 0 }).reasonFamily).toBeNull();
  });

  it("otherwise the family written down on a worked task, still marked inferred", () => {
    expect(inferReason({ ...base, kind: "matured_not_renewed", evidence: "market_demand" })).toEqual({ reasonFamily: "market_demand", inferred: true, will: "voluntary", from: "follow_up" });
    expect(inferReason({ kind: "prepaid_in_full", spreadBp: 20, marginBp: 100, evidence: "funding_chain" }).from).toBe("follow_up");
    // The kind's own reason comes before written-down evidence.
    expect(inferReason({ ...base, kind: "default", evidence: "market_demand" }).reasonFamily).toBe("credit_risk");
  });

  it("the RM's confirmed task outcome wins over everything, with its will, and is not inferred", () => {
    expect(inferReason({ ...base, kind: "default", confirmed: { reasonFamily: "funding_chain", will: "voluntary" }, evidence: "market_demand" })).toEqual({
      reasonFamily: "funding_chain",
      inferred: false,
      will: "voluntary",
      from: "task_outcome",
    });
    expect(inferReason({ ...base, kind: "approved_not_drawn", confirmed: { reasonFamily: "service_competition", will: null } }).will).toBe("voluntary");
  });

  it("covers every detected kind, and the SQL the detection runs is built from the same tables", () => {
    const kinds = [...PRE_LOAN_CHURN_KINDS, ...POST_LOAN_CHURN_KINDS].sort();
    expect(Object.keys(KIND_WILL).sort()).toEqual(kinds);
    expect(Object.keys(KIND_REASON).sort()).toEqual(kinds);
    const d = new PgDialect();
    const will = d.sqlToQuery(willSql(sql`c.kind`));
    expect(will.params).toEqual(Object.entries(KIND_WILL).flat());
    const reason = d.sqlToQuery(kindReasonSql(sql`c.kind`, sql`sp.bp`, 150));
    expect(reason.sql).toContain(">= $");
    expect(reason.params).toContain(150);
    expect(reason.params).not.toContain("matured_not_renewed");
  });
});
