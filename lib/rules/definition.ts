// A rule version's definition as data: its canonical text (what the built-in library fingerprints) and what one
// version changes against another (what a checker sees before deciding). Pure: the rule editor uses it too.
import type { ReasonFamily, Severity, Stage, Subject, Will } from "../vocabulary";

/** The fields a version defines, in the order the editor shows them. */
export const DEFINITION_FIELDS = ["nameZh", "nameEn", "descriptionZh", "descriptionEn", "subject", "condition", "severity", "stage", "will", "reasonFamily", "cooldownDays", "enabled"] as const;
export type DefinitionField = (typeof DEFINITION_FIELDS)[number];

/** A version's definition; `C` is its condition: a parsed Cond in the library, unknown as the editor holds it. */
export type Definition<C = unknown> = {
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  subject: Subject;
  condition: C;
  severity: Severity;
  stage: Stage;
  will: Will;
  reasonFamily: ReasonFamily;
  cooldownDays: number;
  enabled: boolean;
};

// JSON with object keys sorted at every level: the same definition gives the same text wherever it comes from
// (the library's source, or a version read back from jsonb, which reorders keys).
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** A version's definition out of any row that carries one (a version row, a form's input). */
export function pickDefinition<T extends Record<DefinitionField, unknown>>(v: T): Pick<T, DefinitionField> {
  return Object.fromEntries(DEFINITION_FIELDS.map((f) => [f, v[f]])) as Pick<T, DefinitionField>;
}

export type FieldChange = { field: DefinitionField; from: unknown; to: unknown };

/** The fields `to` defines differently from `from`, in DEFINITION_FIELDS order. */
export function definitionChanges(from: Record<DefinitionField, unknown>, to: Record<DefinitionField, unknown>): FieldChange[] {
  return DEFINITION_FIELDS.filter((f) => canonicalJson(from[f]) !== canonicalJson(to[f])).map((f) => ({ field: f, from: from[f], to: to[f] }));
}
