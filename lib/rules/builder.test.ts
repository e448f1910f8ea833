import { describe, expect, it, vi } from "vitest";
import { SUBJECTS } from "../vocabulary";
import { conditionSchema } from "./ast";
import { conditionFits, defaultCondition, switchSubject, type Feature, type Node } from "./builder";
import { featureCatalogue } from "./features";

const features: Feature[] = featureCatalogue().map((f) => ({ key: f.key, label: f.labelEn, unit: f.unit.en, type: f.type, subject: f.subject, values: f.values ? [...f.values] : undefined }));
const of = (s: string) => features.filter((f) => f.subject === s);
const text = { title: "t", content: "c", ok: "ok", cancel: "cancel" };

describe("the condition builder's defaults", () => {
  it.each(SUBJECTS)("the default condition of a %s rule is one the server accepts for that subject", (subject) => {
    const c = defaultCondition(of(subject));
    expect(conditionSchema(subject).safeParse(c).success).toBe(true);
    for (const other of SUBJECTS.filter((s) => s !== subject)) expect(conditionSchema(other).safeParse(c).success).toBe(false);
  });
});

describe("changing a rule's subject", () => {
  const run = (from: string, to: string, cond: Node) => {
    const apply = vi.fn();
    const revert = vi.fn();
    const confirm = vi.fn();
    switchSubject({ from, to, cond, features, confirm, text, apply, revert });
    return { apply, revert, confirm };
  };

  it("replaces an untouched default condition with the new subject's default, without asking", () => {
    const { apply, confirm } = run("loan", "customer", defaultCondition(of("loan")));
    expect(confirm).not.toHaveBeenCalled();
    expect(apply).toHaveBeenCalledWith(defaultCondition(of("customer")));
    expect(conditionFits(apply.mock.calls[0]![0], of("customer"))).toBe(true);
  });

  it("asks before discarding an edited condition; OK resets it, cancel puts the old subject back", () => {
    const edited: Node = { all: [{ feature: "dpd", op: "ge", value: 30 }, { feature: "renewal_applied", op: "eq", value: false }] };
    const { apply, revert, confirm } = run("loan", "application", edited);
    expect(apply).not.toHaveBeenCalled();
    expect(confirm).toHaveBeenCalledTimes(1);
    const cfg = confirm.mock.calls[0]![0] as { onOk: () => void; onCancel: () => void };
    cfg.onCancel();
    expect(revert).toHaveBeenCalledTimes(1);
    cfg.onOk();
    expect(apply).toHaveBeenCalledWith(defaultCondition(of("application")));
    expect(conditionSchema("application").safeParse(apply.mock.calls[0]![0]).success).toBe(true);
  });

  it("keeps a condition whose features all belong to the new subject", () => {
    const { apply, confirm } = run("loan", "customer", { feature: of("customer")[0]!.key, op: "eq", value: 0 });
    expect(confirm).not.toHaveBeenCalled();
    expect(apply).toHaveBeenCalledWith(null);
  });
});
