// A rule's condition: a JSON tree of all / any / not over comparisons of catalogue features with typed literals.
// Validated as a whole by one zod schema whose errors name the path ("all.1.value: expected a number for feature
// dpd"); only valid trees reach the compiler.
import { z } from "zod";
import type { Subject } from "../vocabulary";
import { FEATURE_BY_KEY } from "./features";
import { LIMITS, OPS, OPS_BY_TYPE, usedFeatures, type Cond, type Op } from "./operators";

type Issue = { path: (string | number)[]; message: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Walks the tree, reporting every problem with its path; returns the number of nodes seen. */
function check(v: unknown, path: (string | number)[], depth: number, subject: Subject | undefined, issues: Issue[]): number {
  if (depth > LIMITS.depth) {
    issues.push({ path, message: `conditions may nest at most ${LIMITS.depth} levels deep` });
    return 1;
  }
  if (!isObject(v)) {
    issues.push({ path, message: "expected a condition object ({all}, {any}, {not} or {feature, op, value})" });
    return 1;
  }
  const keys = Object.keys(v);
  for (const group of ["all", "any"] as const) {
    if (group in v) {
      if (keys.length !== 1) issues.push({ path, message: `"${group}" must be the only key of its object` });
      const list = v[group];
      if (!Array.isArray(list) || list.length === 0) {
        issues.push({ path: [...path, group], message: "expected a non-empty list of conditions" });
        return 1;
      }
      return list.reduce<number>((n, c, i) => n + check(c, [...path, group, i], depth + 1, subject, issues), 1);
    }
  }
  if ("not" in v) {
    if (keys.length !== 1) issues.push({ path, message: `"not" must be the only key of its object` });
    return 1 + check(v.not, [...path, "not"], depth + 1, subject, issues);
  }
  checkLeaf(v, path, subject, issues);
  return 1;
}

function checkLeaf(v: Record<string, unknown>, path: (string | number)[], subject: Subject | undefined, issues: Issue[]): void {
  const extra = Object.keys(v).filter((k) => k !== "feature" && k !== "op" && k !== "value");
  if (extra.length) issues.push({ path, message: `unexpected key${extra.length > 1 ? "s" : ""} ${extra.map((k) => `"${k}"`).join(", ")}` });
  const { feature: key, op, value } = v;
  if (typeof key !== "string") {
    issues.push({ path: [...path, "feature"], message: "expected a feature key" });
    return;
  }
  const feature = FEATURE_BY_KEY.get(key);
  if (!feature) {
    issues.push({ path: [...path, "feature"], message: `unknown feature "${key.slice(0, LIMITS.textLength)}"` });
    return;
  }
  if (subject && feature.subject !== subject) {
    issues.push({ path: [...path, "feature"], message: `feature ${key} is a ${feature.subject} feature; this rule is about a ${subject}` });
    return;
  }
  if (typeof op !== "string" || !(OPS as readonly string[]).includes(op)) {
    issues.push({ path: [...path, "op"], message: `expected one of ${OPS.join(", ")}` });
    return;
  }
  if (!OPS_BY_TYPE[feature.type].includes(op as Op)) {
    issues.push({ path: [...path, "op"], message: `operator ${op} does not apply to ${feature.type} feature ${key} (use ${OPS_BY_TYPE[feature.type].join(", ")})` });
    return;
  }
  const literal = (x: unknown, at: (string | number)[]): void => {
    const bad = (what: string) => issues.push({ path: at, message: `expected ${what} for feature ${key}` });
    if (feature.type === "number") {
      if (typeof x !== "number" || !Number.isFinite(x)) bad("a number");
    } else if (feature.type === "boolean") {
      if (typeof x !== "boolean") bad("true or false");
    } else if (typeof x !== "string" || !feature.values?.includes(x)) {
      bad(`one of ${feature.values?.join(", ")}`);
    }
  };
  if (op === "between" || op === "in") {
    const max = op === "between" ? 2 : LIMITS.inValues;
    if (!Array.isArray(value) || value.length === 0 || value.length > max || (op === "between" && value.length !== 2)) {
      issues.push({ path: [...path, "value"], message: op === "between" ? "expected [low, high]" : `expected a list of 1 to ${max} values` });
      return;
    }
    value.forEach((x, i) => literal(x, [...path, "value", i]));
    if (op === "between" && typeof value[0] === "number" && typeof value[1] === "number" && value[0] > value[1]) {
      issues.push({ path: [...path, "value"], message: "between needs low ≤ high" });
    }
    return;
  }
  literal(value, [...path, "value"]);
}

/** The condition schema; with a subject, every feature must belong to it. */
export function conditionSchema(subject?: Subject) {
  return z.unknown().transform((v, ctx): Cond => {
    const issues: Issue[] = [];
    const nodes = check(v, [], 1, subject, issues);
    if (nodes > LIMITS.nodes) issues.push({ path: [], message: `a condition may have at most ${LIMITS.nodes} nodes (has ${nodes})` });
    for (const i of issues) ctx.addIssue({ code: "custom", path: i.path, message: i.message });
    return v as Cond;
  });
}

export class ConditionError extends Error {
  constructor(public readonly issues: { path: string; message: string }[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "));
    this.name = "ConditionError";
  }
}

/** Parses a condition or throws ConditionError listing every problem as "path: message". */
export function parseCondition(input: unknown, subject?: Subject): Cond {
  const r = conditionSchema(subject).safeParse(input);
  if (r.success) return r.data;
  throw new ConditionError(r.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })));
}

/** The feature keys a condition tests, in first-seen order. */
export function referencedFeatures(cond: Cond): string[] {
  return [...new Set(usedFeatures(cond))];
}
