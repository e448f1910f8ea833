import { describe, expect, it } from "vitest";
import { canonicalJson, DEFINITION_FIELDS, definitionChanges, pickDefinition } from "./definition";
import { BUILTIN_RULES, definitionFingerprint, type RuleDefinition } from "./library";

const definitionOf = ({ code: _code, ...d }: (typeof BUILTIN_RULES)[number]): RuleDefinition => d;

describe("canonical JSON", () => {
  it("does not depend on key order, at any depth; arrays keep theirs; undefined keys are left out", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: "x" } })).toBe(canonicalJson({ a: { c: "x", d: [2, 1] }, b: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });
});

describe("a built-in rule's fingerprint", () => {
  it("is the same for the definition read back with its keys reordered (as jsonb stores them)", () => {
    for (const r of BUILTIN_RULES) {
      const d = definitionOf(r);
      const reordered = Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(d)) as Record<string, unknown>).reverse()) as RuleDefinition;
      expect(definitionFingerprint(reordered)).toBe(definitionFingerprint(d));
    }
  });

  it("differs between the built-ins, and with any field of the definition", () => {
    expect(new Set(BUILTIN_RULES.map((r) => definitionFingerprint(definitionOf(r)))).size).toBe(BUILTIN_RULES.length);
    const d = definitionOf(BUILTIN_RULES.find((r) => r.code === "price_sensitive_good_payer")!);
    const fp = definitionFingerprint(d);
    expect(definitionFingerprint({ ...d, cooldownDays: d.cooldownDays + 1 })).not.toBe(fp);
    expect(definitionFingerprint({ ...d, enabled: !d.enabled })).not.toBe(fp);
    expect(definitionFingerprint({ ...d, descriptionEn: `${d.descriptionEn} ` })).not.toBe(fp);
    expect(definitionFingerprint({ ...d, condition: { all: [{ feature: "max_dpd_180d", op: "eq", value: 0 }, { feature: "rate_spread_bp", op: "ge", value: 100 }] } })).not.toBe(fp);
  });
});

describe("what a version changes", () => {
  const d = definitionOf(BUILTIN_RULES.find((r) => r.code === "dpd_30")!);

  it("lists the fields that differ, in the editor's order, and nothing for an equal definition", () => {
    expect(definitionChanges(d, structuredClone(d))).toEqual([]);
    expect(definitionChanges(d, { ...d, severity: "critical", condition: { feature: "dpd", op: "ge", value: 45 }, enabled: false })).toEqual([
      { field: "condition", from: { feature: "dpd", op: "between", value: [30, 89] }, to: { feature: "dpd", op: "ge", value: 45 } },
      { field: "severity", from: "high", to: "critical" },
      { field: "enabled", from: true, to: false },
    ]);
  });

  it("covers every field of a built-in's definition, and picks exactly those out of a version row", () => {
    expect([...DEFINITION_FIELDS].sort()).toEqual(Object.keys(d).sort());
    expect(pickDefinition({ ...d, id: 7, version: 2, status: "active" })).toEqual(d);
  });
});
