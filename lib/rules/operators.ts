// A rule condition's vocabulary: feature types, comparison operators and which operators apply to which type, and the
// tree's shape. The compiler (ast.ts, compile.ts) and the browser's condition builder (builder.ts) both read this
// module, so it stays pure and client-safe: no drizzle, no catalogue SQL.

export const FEATURE_TYPES = ["number", "boolean", "text"] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];

export const OPS = ["eq", "ne", "lt", "le", "gt", "ge", "between", "in"] as const;
export type Op = (typeof OPS)[number];

/** The operators a feature of each type may use; the first is what a new comparison starts with. */
export const OPS_BY_TYPE: Record<FeatureType, readonly Op[]> = {
  number: OPS,
  boolean: ["eq", "ne"],
  text: ["eq", "ne", "in"],
};

/** The group kinds: all / any over a list of conditions, not over one. */
export const GROUPS = ["all", "any", "not"] as const;

export type Literal = number | boolean | string;
export type Leaf = { feature: string; op: Op; value: Literal | Literal[] };
export type Cond = { all: Cond[] } | { any: Cond[] } | { not: Cond } | Leaf;

export const LIMITS = { depth: 8, nodes: 64, inValues: 100, textLength: 64 } as const;

/** The feature keys a condition tests, in first-seen order with repeats; shapes that are not conditions add none. */
export function usedFeatures(node: unknown): string[] {
  if (typeof node !== "object" || node === null) return [];
  const n = node as Record<string, unknown>;
  if (Array.isArray(n.all)) return n.all.flatMap(usedFeatures);
  if (Array.isArray(n.any)) return n.any.flatMap(usedFeatures);
  if ("not" in n) return usedFeatures(n.not);
  return typeof n.feature === "string" ? [n.feature] : [];
}
