// The two catalogues must stay in step: same keys, no blanks, same placeholders; and every value of the domain's
// vocabulary has its words in both.
import { describe, expect, it } from "vitest";
import { GROUPS, OPS } from "../lib/rules/operators";
import * as vocabulary from "../lib/vocabulary";
import en from "./en.json";
import zh from "./zh-CN.json";

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** ICU argument names used in a message: "{name}", "{n, plural, ...}". */
function args(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1]!))].sort();
}

const zhKeys = flatten(zh as Tree);
const enKeys = flatten(en as Tree);

describe("message catalogues", () => {
  it("have identical key sets", () => {
    const onlyZh = [...zhKeys.keys()].filter((k) => !enKeys.has(k));
    const onlyEn = [...enKeys.keys()].filter((k) => !zhKeys.has(k));
    expect({ onlyZh, onlyEn }).toEqual({ onlyZh: [], onlyEn: [] });
  });

  it("have no empty messages", () => {
    const empty = [...zhKeys, ...enKeys].filter(([, v]) => v.trim() === "").map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it("use the same placeholders in both languages", () => {
    const mismatched = [...zhKeys]
      .filter(([k, v]) => enKeys.has(k) && args(v).join() !== args(enKeys.get(k)!).join())
      .map(([k]) => k);
    expect(mismatched).toEqual([]);
  });
});

describe("the vocabulary", () => {
  // Where each value list of lib/vocabulary.ts (and the rule operators) is worded.
  const WORDED_IN: Record<string, { values: readonly string[]; at: string }> = {
    ROLES: { values: vocabulary.ROLES, at: "enums.role" },
    STAFF_ROLES: { values: vocabulary.STAFF_ROLES, at: "enums.role" },
    CUSTOMER_STATUSES: { values: vocabulary.CUSTOMER_STATUSES, at: "enums.customerStatus" },
    APPLICATION_STATUSES: { values: vocabulary.APPLICATION_STATUSES, at: "enums.applicationStatus" },
    REPAYMENT_METHODS: { values: vocabulary.REPAYMENT_METHODS, at: "enums.repaymentMethod" },
    LOAN_STATUSES: { values: vocabulary.LOAN_STATUSES, at: "enums.loanStatus" },
    REPAYMENT_SOURCES: { values: vocabulary.REPAYMENT_SOURCES, at: "enums.repaymentSource" },
    CLASSIFICATIONS: { values: vocabulary.CLASSIFICATIONS, at: "enums.classification" },
    STAGES: { values: vocabulary.STAGES, at: "enums.churnStage" },
    WILLS: { values: vocabulary.WILLS, at: "enums.churnWill" },
    REASON_FAMILIES: { values: vocabulary.REASON_FAMILIES, at: "enums.reasonFamily" },
    SEVERITIES: { values: vocabulary.SEVERITIES, at: "enums.severity" },
    SEVERITIES_DESC: { values: vocabulary.SEVERITIES_DESC, at: "enums.severity" },
    SUBJECTS: { values: vocabulary.SUBJECTS, at: "rules.subjects" },
    RULE_VERSION_STATUSES: { values: vocabulary.RULE_VERSION_STATUSES, at: "rules.statuses" },
    WARNING_STATUSES: { values: vocabulary.WARNING_STATUSES, at: "enums.warningStatus" },
    RUN_STATUSES: { values: vocabulary.RUN_STATUSES, at: "enums.runStatus" },
    IMPORT_KINDS: { values: vocabulary.IMPORT_KINDS, at: "imports.kinds" },
    IMPORT_STATUSES: { values: vocabulary.IMPORT_STATUSES, at: "imports.status" },
    TASK_STATUSES: { values: vocabulary.TASK_STATUSES, at: "tasks.status" },
    ACTIVE_TASK_STATUSES: { values: vocabulary.ACTIVE_TASK_STATUSES, at: "tasks.status" },
    TASK_OUTCOMES: { values: vocabulary.TASK_OUTCOMES, at: "tasks.outcome" },
    FOLLOW_UP_TYPES: { values: vocabulary.FOLLOW_UP_TYPES, at: "tasks.followUps.type" },
    PROMISE_STATUSES: { values: vocabulary.PROMISE_STATUSES, at: "tasks.promiseStatus" },
    PRE_LOAN_CHURN_KINDS: { values: vocabulary.PRE_LOAN_CHURN_KINDS, at: "enums.churnKind" },
    POST_LOAN_CHURN_KINDS: { values: vocabulary.POST_LOAN_CHURN_KINDS, at: "enums.churnKind" },
    CHURN_KINDS: { values: vocabulary.CHURN_KINDS, at: "enums.churnKind" },
    CHURN_SOURCES: { values: vocabulary.CHURN_SOURCES, at: "enums.churnSource" },
    CHURN_EVENT_STATUSES: { values: vocabulary.CHURN_EVENT_STATUSES, at: "enums.churnEventStatus" },
    REPORT_STATUSES: { values: vocabulary.REPORT_STATUSES, at: "reports.status" },
    REPORT_TRIGGERS: { values: vocabulary.REPORT_TRIGGERS, at: "reports.trigger" },
    RISK_BANDS: { values: vocabulary.RISK_BANDS, at: "enums.riskBand" },
    OPS: { values: OPS, at: "rules.ops" },
    GROUPS: { values: GROUPS, at: "rules.groups" },
  };

  it("says for every value list where it is worded", () => {
    const lists = Object.entries(vocabulary)
      .filter(([, v]) => Array.isArray(v))
      .map(([k]) => k);
    expect(lists.filter((k) => !(k in WORDED_IN))).toEqual([]);
  });

  it("has every value in both languages", () => {
    const missing = Object.values(WORDED_IN).flatMap(({ values, at }) =>
      values.flatMap((v) => [zhKeys, enKeys].filter((keys) => !keys.has(`${at}.${v}`)).map((keys) => `${keys === zhKeys ? "zh-CN" : "en"} ${at}.${v}`)),
    );
    expect(missing).toEqual([]);
  });
});
