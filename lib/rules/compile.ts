// Compiles a validated condition tree to parameterised SQL over the feature subquery (alias `f`). Column names come
// only from the catalogue (quoted identifiers); every value is a bound parameter with an explicit cast.
//
// Nulls: a comparison with an empty (null) feature is unknown, and so is NOT of it — SQL's three-valued logic is
// kept inside the tree and only the whole condition is coalesced to false. A leaf-level coalesce(…, false) would
// turn `not (x < 90)` into true for a missing x, i.e. raise warnings on absent data; here a subject matches only
// when the condition is definitely true. (any: [unknown, true] is still true; all: [unknown, true] is not.)
import { sql, type SQL } from "drizzle-orm";
import type { Subject, Target } from "../vocabulary";
import { parseCondition, referencedFeatures } from "./ast";
import { featureSql, FEATURE_BY_KEY } from "./features";
import type { Cond, Leaf, Literal } from "./operators";

export const FEATURE_ALIAS = "f";

const COMPARATORS = { eq: sql`=`, ne: sql`<>`, lt: sql`<`, le: sql`<=`, gt: sql`>`, ge: sql`>=` } as const;

function column(key: string): { col: SQL; cast: SQL } {
  const feature = FEATURE_BY_KEY.get(key);
  if (!feature) throw new Error(`unknown feature "${key}"`);
  const cast = feature.type === "number" ? sql.raw("numeric") : feature.type === "boolean" ? sql.raw("boolean") : sql.raw("text");
  return { col: sql`${sql.identifier(FEATURE_ALIAS)}.${sql.identifier(feature.key)}`, cast };
}

// Booleans travel as text and are cast in SQL: postgres-js would type a `$1::boolean` parameter as bool and
// serialise anything but the JS value true as false.
const param = (v: Literal, cast: SQL) => (typeof v === "boolean" ? sql`${String(v)}::text::boolean` : sql`${v}::${cast}`);

function leaf(c: Leaf): SQL {
  const { col, cast } = column(c.feature);
  const list = Array.isArray(c.value) ? c.value : [c.value];
  switch (c.op) {
    case "between":
      return sql`(${col} between ${param(list[0] as Literal, cast)} and ${param(list[1] as Literal, cast)})`;
    case "in":
      // One array parameter (drizzle would expand a plain JS array into a row of parameters).
      return sql`(${col} = any(${sql.param(list.map((v) => (typeof v === "boolean" ? String(v) : v)))}::${cast}[]))`;
    default:
      return sql`(${col} ${COMPARATORS[c.op]} ${param(list[0] as Literal, cast)})`;
  }
}

function node(c: Cond): SQL {
  if ("all" in c) return sql`(${sql.join(c.all.map(node), sql` and `)})`;
  if ("any" in c) return sql`(${sql.join(c.any.map(node), sql` or `)})`;
  if ("not" in c) return sql`(not ${node(c.not)})`;
  return leaf(c);
}

/** The condition as a boolean SQL expression over `f.<feature>`; true only where the condition definitely holds. */
export function compileCondition(cond: Cond): SQL {
  return sql`coalesce(${node(parseCondition(cond))}, false)`;
}

export type RuleLike = { subject: Subject; condition: unknown };

/** The features a rule's condition reads (validated against its subject; throws ConditionError when malformed). */
export function ruleFeatureKeys(rule: RuleLike): string[] {
  return referencedFeatures(parseCondition(rule.condition, rule.subject));
}

/**
 * The rule applied to an already computed feature relation `features` (a table name or a parenthesised
 * subquery with one row per subject: subject_key, customer_id, loan_id, application_id and at least the columns
 * of ruleFeatureKeys(rule)). Same rows as buildRuleQuery; this is how one feature pass serves every rule.
 */
export function buildRuleMatch(rule: RuleLike, asOf: string, features: SQL): SQL {
  const cond = parseCondition(rule.condition, rule.subject);
  const keys = referencedFeatures(cond);
  const f = sql.identifier(FEATURE_ALIAS);
  const evidence = sql.join(
    keys.map((k) => sql`${k}::text, ${column(k).col}`),
    sql`, `,
  );
  return sql`select ${f}.subject_key, ${f}.customer_id, ${f}.loan_id, ${f}.application_id,
      jsonb_build_object('as_of', ${asOf}::text, ${evidence}) as evidence
    from ${features} ${f}
    where ${compileCondition(cond)}`;
}

/**
 * The subjects of `target` that match the rule as of `asOf`: rows { subject_key, customer_id, loan_id,
 * application_id, evidence }, where evidence is a jsonb object of the referenced feature values plus `as_of`.
 * Throws ConditionError when the condition is malformed or tests features of another subject.
 */
export function buildRuleQuery(rule: RuleLike, target: Target, asOf: string): SQL {
  return buildRuleMatch(rule, asOf, sql`(${featureSql(rule.subject, target, asOf, ruleFeatureKeys(rule))})`);
}
