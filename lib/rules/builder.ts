// The browser's condition builder, without React: defaults, and the subject-change rule. Client-safe; the
// operators and feature types are the compiler's own (operators.ts), so the builder offers exactly what it accepts.
import { OPS_BY_TYPE, usedFeatures, type FeatureType } from "./operators";

/** A catalogue feature as the builder shows it (label and unit already in the reader's language). */
export type Feature = { key: string; label: string; unit: string; type: FeatureType; subject: string; values?: string[] };
/** A condition being edited: like Cond, but an operator or value may not fit yet (the server validates). */
export type Node = { all: Node[] } | { any: Node[] } | { not: Node } | { feature: string; op: string; value: unknown };

export function defaultValue(f: Feature | undefined, op: string): unknown {
  if (!f) return 0;
  const one = f.type === "number" ? 0 : f.type === "boolean" ? true : (f.values?.[0] ?? "");
  return op === "between" ? [0, 0] : op === "in" ? [one] : one;
}

/** One comparison on the first of the given features, with a value its type accepts. */
export function defaultLeaf(features: Feature[]): Node {
  const f = features[0];
  const op = f ? OPS_BY_TYPE[f.type][0]! : "eq";
  return { feature: f?.key ?? "", op, value: defaultValue(f, op) };
}

/** What a rule about this subject starts from: one condition on the subject's first feature. */
export function defaultCondition(features: Feature[]): Node {
  return { all: [defaultLeaf(features)] };
}

/** Whether every feature the condition uses is one of `features` (i.e. belongs to the rule's subject). */
export function conditionFits(node: unknown, features: Feature[]): boolean {
  const keys = new Set(features.map((f) => f.key));
  return usedFeatures(node).every((k) => keys.has(k));
}

type Confirm = (config: { title: string; content: string; okText: string; cancelText: string; onOk: () => void; onCancel: () => void }) => unknown;

/**
 * A rule's subject changed from `from` to `to`: features belong to one subject, so a condition that uses the old
 * subject's features cannot stay. An untouched default is replaced silently; real work is replaced only after the
 * user confirms (cancel puts the old subject back).
 */
export function switchSubject(o: {
  from: string;
  to: string;
  cond: Node;
  features: Feature[];
  confirm: Confirm;
  text: { title: string; content: string; ok: string; cancel: string };
  apply: (cond: Node | null) => void;
  revert: () => void;
}): void {
  const fromFeatures = o.features.filter((f) => f.subject === o.from);
  const toFeatures = o.features.filter((f) => f.subject === o.to);
  if (conditionFits(o.cond, toFeatures)) return o.apply(null);
  const fresh = defaultCondition(toFeatures);
  if (JSON.stringify(o.cond) === JSON.stringify(defaultCondition(fromFeatures))) return o.apply(fresh);
  o.confirm({ title: o.text.title, content: o.text.content, okText: o.text.ok, cancelText: o.text.cancel, onOk: () => o.apply(fresh), onCancel: o.revert });
}
