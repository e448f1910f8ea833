import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { REASON_FAMILIES, STAGES, WILLS, type Subject } from "../vocabulary";
import { ConditionError, parseCondition, referencedFeatures } from "./ast";
import { buildRuleQuery, compileCondition } from "./compile";
import { FEATURES, featureCatalogue, featureSql } from "./features";
import { BUILTIN_RULES } from "./library";
import { LIMITS, type Cond } from "./operators";

const dialect = new PgDialect();
const render = (c: Cond) => dialect.sqlToQuery(compileCondition(c));
const errorOf = (input: unknown, subject?: Subject): string => {
  try {
    parseCondition(input, subject);
  } catch (e) {
    expect(e).toBeInstanceOf(ConditionError);
    return (e as Error).message;
  }
  throw new Error("expected the condition to be rejected");
};

describe("compileCondition: operators", () => {
  it.each([
    ["eq", "="],
    ["ne", "<>"],
    ["lt", "<"],
    ["le", "<="],
    ["gt", ">"],
    ["ge", ">="],
  ] as const)("%s compiles to %s with the value bound", (op, symbol) => {
    const q = render({ feature: "dpd", op, value: 30 });
    expect(q.sql).toBe(`coalesce(("f"."dpd" ${symbol} $1::numeric), false)`);
    expect(q.params).toEqual([30]);
  });

  it("between binds both ends", () => {
    const q = render({ feature: "days_to_maturity", op: "between", value: [0, 60] });
    expect(q.sql).toBe(`coalesce(("f"."days_to_maturity" between $1::numeric and $2::numeric), false)`);
    expect(q.params).toEqual([0, 60]);
  });

  it("in binds one array parameter", () => {
    const q = render({ feature: "classification", op: "in", value: ["substandard", "doubtful", "loss"] });
    expect(q.sql).toBe(`coalesce(("f"."classification" = any($1::text[])), false)`);
    expect(q.params).toEqual([["substandard", "doubtful", "loss"]]);
  });

  it("in over numbers casts to numeric[]", () => {
    const q = render({ feature: "missed_installments_3m", op: "in", value: [1, 2] });
    expect(q.sql).toBe(`coalesce(("f"."missed_installments_3m" = any($1::numeric[])), false)`);
    expect(q.params).toEqual([[1, 2]]);
  });

  it("booleans travel as text and are cast", () => {
    const q = render({ feature: "renewal_applied", op: "eq", value: false });
    expect(q.sql).toBe(`coalesce(("f"."renewal_applied" = $1::text::boolean), false)`);
    expect(q.params).toEqual(["false"]);
  });

  it("text compares with a bound text", () => {
    const q = render({ feature: "application_status", op: "ne", value: "drawn" });
    expect(q.sql).toBe(`coalesce(("f"."application_status" <> $1::text), false)`);
    expect(q.params).toEqual(["drawn"]);
  });
});

describe("compileCondition: nesting, not and nulls", () => {
  it("nests all / any / not with parentheses", () => {
    const q = render({
      all: [{ feature: "dpd", op: "gt", value: 0 }, { any: [{ feature: "industry_watchlisted", op: "eq", value: true }, { not: { feature: "max_dpd_180d", op: "lt", value: 10 } }] }],
    });
    expect(q.sql).toBe(
      `coalesce((("f"."dpd" > $1::numeric) and (("f"."industry_watchlisted" = $2::text::boolean) or (not ("f"."max_dpd_180d" < $3::numeric)))), false)`,
    );
    expect(q.params).toEqual([0, "true", 10]);
  });

  it("coalesces only the whole tree: a null comparison stays unknown under not (so not(null) is false)", () => {
    const q = render({ not: { feature: "days_since_last_contact", op: "lt", value: 90 } });
    // No per-leaf coalesce: NOT(unknown) is unknown, and the outer coalesce makes it false.
    expect(q.sql).toBe(`coalesce((not ("f"."days_since_last_contact" < $1::numeric)), false)`);
    expect(q.sql.match(/coalesce/g)).toHaveLength(1);
  });

  it("single-element groups are fine", () => {
    expect(render({ any: [{ feature: "dpd", op: "ge", value: 1 }] }).sql).toBe(`coalesce((("f"."dpd" >= $1::numeric)), false)`);
  });
});

describe("parseCondition: rejected trees name the path", () => {
  it("unknown feature", () => {
    expect(errorOf({ feature: "salary", op: "eq", value: 1 })).toBe(`feature: unknown feature "salary"`);
  });

  it("wrong value type", () => {
    expect(errorOf({ all: [{ feature: "dpd", op: "gt", value: 0 }, { feature: "dpd", op: "ge", value: "30" }] })).toBe("all.1.value: expected a number for feature dpd");
    expect(errorOf({ feature: "renewal_applied", op: "eq", value: "false" })).toBe("value: expected true or false for feature renewal_applied");
    expect(errorOf({ feature: "dpd", op: "ge", value: Number.NaN })).toBe("value: expected a number for feature dpd");
  });

  it("text values outside the allowed set", () => {
    expect(errorOf({ feature: "classification", op: "in", value: ["normal", "bad"] })).toBe(
      "value.1: expected one of normal, special_mention, substandard, doubtful, loss for feature classification",
    );
  });

  it("wrong operator for the type, unknown operator", () => {
    expect(errorOf({ feature: "renewal_applied", op: "gt", value: true })).toBe("op: operator gt does not apply to boolean feature renewal_applied (use eq, ne)");
    expect(errorOf({ feature: "classification", op: "between", value: ["normal", "loss"] })).toContain("op: operator between does not apply to text feature");
    expect(errorOf({ feature: "dpd", op: ">=", value: 1 })).toBe("op: expected one of eq, ne, lt, le, gt, ge, between, in");
  });

  it("malformed between / in / groups / extra keys", () => {
    expect(errorOf({ feature: "dpd", op: "between", value: [1] })).toBe("value: expected [low, high]");
    expect(errorOf({ feature: "dpd", op: "between", value: [9, 1] })).toBe("value: between needs low ≤ high");
    expect(errorOf({ feature: "dpd", op: "in", value: [] })).toBe(`value: expected a list of 1 to ${LIMITS.inValues} values`);
    expect(errorOf({ all: [] })).toBe("all: expected a non-empty list of conditions");
    expect(errorOf({ any: [{ feature: "dpd", op: "gt", value: 1, sql: "x" }] })).toBe(`any.0: unexpected key "sql"`);
    expect(errorOf({ all: [{ feature: "dpd", op: "gt", value: 1 }], any: [] })).toBe(`"all" must be the only key of its object`);
    expect(errorOf("dpd > 1")).toContain("expected a condition object");
    expect(errorOf({ not: null })).toContain("not: expected a condition object");
  });

  it("too deep and too large", () => {
    let deep: Cond = { feature: "dpd", op: "gt", value: 0 };
    for (let i = 0; i < LIMITS.depth; i++) deep = { not: deep };
    expect(errorOf(deep)).toContain(`conditions may nest at most ${LIMITS.depth} levels deep`);
    const wide = { any: Array.from({ length: LIMITS.nodes }, () => ({ feature: "dpd", op: "gt", value: 0 })) };
    expect(errorOf(wide)).toBe(`a condition may have at most ${LIMITS.nodes} nodes (has ${LIMITS.nodes + 1})`);
  });

  it("features of another subject", () => {
    expect(errorOf({ feature: "application_withdrawn", op: "eq", value: true }, "loan")).toBe(
      "feature: feature application_withdrawn is a application feature; this rule is about a loan",
    );
  });

  it("reports every problem at once", () => {
    const msg = errorOf({ all: [{ feature: "nope", op: "eq", value: 1 }, { feature: "dpd", op: "eq", value: true }] });
    expect(msg).toBe(`all.0.feature: unknown feature "nope"; all.1.value: expected a number for feature dpd`);
  });
});

describe("injection attempts", () => {
  it("are rejected where the type forbids strings", () => {
    expect(errorOf({ feature: "dpd", op: "ge", value: "1; drop table loans" })).toBe("value: expected a number for feature dpd");
    expect(errorOf({ feature: "classification", op: "eq", value: "' OR 1=1 --" })).toContain("value: expected one of normal");
  });

  it("cannot reach identifiers: feature names come from the catalogue only", () => {
    expect(errorOf({ feature: `dpd" or 1=1 --`, op: "ge", value: 1 })).toContain("unknown feature");
    expect(errorOf({ feature: "dpd", op: "ge; drop table loans", value: 1 })).toContain("op: expected one of");
  });

  it("compiled values are parameters, never inlined, and the compiler re-validates what it is given", () => {
    const q = render({ any: [{ feature: "application_status", op: "in", value: ["approved", "withdrawn"] }, { feature: "application_amount", op: "gt", value: 1e6 }] });
    // No literal of any kind in the compiled text: only column names, operators and $n placeholders.
    expect(q.sql).not.toMatch(/'|--|;|\d{2,}/);
    expect(q.params).toEqual([["approved", "withdrawn"], 1e6]);
    expect(() => compileCondition({ feature: "dpd", op: "ge", value: "1; drop table loans" } as unknown as Cond)).toThrow(ConditionError);
    expect(() => compileCondition({ feature: "loan_status", op: "eq", value: "' OR 1=1 --" })).toThrow("expected one of active");
  });
});

describe("buildRuleQuery", () => {
  it("selects the subject columns and evidence of the referenced features only", () => {
    const q = dialect.sqlToQuery(
      buildRuleQuery(
        { subject: "loan", condition: { all: [{ feature: "dpd", op: "ge", value: 30 }, { feature: "classification", op: "ne", value: "normal" }] } },
        { kind: "loans", ids: [3, 5] },
        "2026-06-30",
      ),
    );
    expect(q.sql).toContain(`jsonb_build_object('as_of', $1::text, $2::text, "f"."dpd", $3::text, "f"."classification")`);
    expect(q.sql).toContain(`"src_installments"`);
    expect(q.sql).toContain(`"src_history"`);
    expect(q.sql).not.toContain(`"src_prepayments"`);
    expect(q.sql).toMatch(/l\.id = any\(\$\d+::int\[\]\)/);
    expect(q.params).toContainEqual([3, 5]);
    expect(q.params.slice(0, 3)).toEqual(["2026-06-30", "dpd", "classification"]);
  });

  it("rejects a malformed rule before building anything", () => {
    expect(() => buildRuleQuery({ subject: "loan", condition: { feature: "dpd", op: "eq", value: "x" } }, { kind: "all" }, "2026-06-30")).toThrow(ConditionError);
    expect(() => buildRuleQuery({ subject: "loan", condition: { feature: "dpd", op: "eq", value: 1 } }, { kind: "all" }, "2026-02-30")).toThrow(RangeError);
  });

  it("range targets bind their bounds", () => {
    const q = dialect.sqlToQuery(featureSql("customer", { kind: "range", from: 10, to: 20 }, "2026-06-30"));
    expect(q.sql).toContain("c.id between $");
    expect(q.params).toEqual(expect.arrayContaining([10, 20]));
  });
});

describe("catalogue and library", () => {
  it("every feature has labels, a unit, a description and compiles for its subject", () => {
    for (const f of FEATURES) {
      expect(f.labelZh && f.labelEn && f.description, f.key).toBeTruthy();
      expect(() => dialect.sqlToQuery(featureSql(f.subject, { kind: "all" }, "2026-06-30", [f.key]))).not.toThrow();
    }
  });

  it("the catalogue without SQL is plain data, and unknown keys are refused by featureSql", () => {
    const info = featureCatalogue("application");
    expect(info.map((f) => f.key)).toContain("approved_not_drawn_days");
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
    expect(info.find((f) => f.key === "application_status")?.values).toEqual(["submitted", "approved", "rejected", "withdrawn", "drawn"]);
    expect(() => featureSql("loan", { kind: "all" }, "2026-06-30", ["application_status"])).toThrow(`unknown loan feature "application_status"`);
  });

  it("the built-in library covers every stage, will and reason family", () => {
    expect(BUILTIN_RULES.length).toBeGreaterThanOrEqual(12);
    expect(new Set(BUILTIN_RULES.map((r) => r.code)).size).toBe(BUILTIN_RULES.length);
    expect(new Set(BUILTIN_RULES.map((r) => r.stage))).toEqual(new Set(STAGES));
    expect(new Set(BUILTIN_RULES.map((r) => r.will))).toEqual(new Set(WILLS));
    expect(new Set(BUILTIN_RULES.map((r) => r.reasonFamily))).toEqual(new Set(REASON_FAMILIES));
    for (const r of BUILTIN_RULES) expect(referencedFeatures(parseCondition(r.condition, r.subject)).length).toBeGreaterThan(0);
  });
});
