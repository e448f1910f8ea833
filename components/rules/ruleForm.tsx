"use client";
// What the "new rule" form and the rule editor share: the option lists of a rule's classification, the subject
// switch (a condition uses one subject's features, so changing the subject resets it, after confirmation when it
// was edited), and the list of the server's issues that belong to no form field.
import { Alert, App } from "antd";
import type { FormInstance } from "antd";
import { useTranslations } from "next-intl";
import type { FieldIssue } from "@/lib/errors";
import { REASON_FAMILIES, SEVERITIES, STAGES, SUBJECTS, WILLS, type Subject } from "@/lib/vocabulary";
import { switchSubject, type Feature, type Node } from "./ConditionBuilder";

export function useRuleOptions() {
  const t = useTranslations("rules");
  const te = useTranslations("enums");
  const enumOptions = (kind: string, values: readonly string[]) => values.map((v) => ({ value: v, label: te(`${kind}.${v}`) }));
  return {
    subject: SUBJECTS.map((s) => ({ value: s, label: t(`subjects.${s}`) })),
    severity: enumOptions("severity", SEVERITIES),
    stage: enumOptions("churnStage", STAGES),
    will: enumOptions("churnWill", WILLS),
    reasonFamily: enumOptions("reasonFamily", REASON_FAMILIES),
  };
}

/** The form's onValuesChange: when the subject changes, `onSwitch` gets it and the fresh condition (null: keep). */
export function useSubjectSwitch({
  subject,
  cond,
  features,
  form,
  setSubject,
  setCond,
  onSwitch,
}: {
  subject: Subject;
  cond: Node;
  features: Feature[];
  form: FormInstance;
  setSubject: (to: Subject) => void;
  /** Called with a fresh condition when the old one did not fit the new subject. */
  setCond: (fresh: Node) => void;
  /** Anything else the form resets once the subject has changed. */
  onSwitch?: () => void;
}): (changed: { subject?: Subject }) => void {
  const t = useTranslations("rules");
  const tc = useTranslations("common");
  const { modal } = App.useApp();
  return (changed) => {
    const to = changed.subject;
    if (!to || to === subject) return;
    switchSubject({
      from: subject,
      to,
      cond,
      features,
      confirm: modal.confirm,
      text: { title: t("subjectChange.title"), content: t("subjectChange.content", { from: t(`subjects.${subject}`), to: t(`subjects.${to}`) }), ok: t("subjectChange.ok"), cancel: tc("cancel") },
      apply: (fresh) => {
        setSubject(to);
        if (fresh) setCond(fresh);
        onSwitch?.();
      },
      revert: () => form.setFieldValue("subject", subject),
    });
  };
}

export function RuleIssues({ issues }: { issues: FieldIssue[] }) {
  const t = useTranslations("rules");
  if (!issues.length) return null;
  return (
    <Alert
      type="error"
      style={{ marginTop: 12 }}
      title={t("issues")}
      description={
        <ul style={{ margin: 0 }}>
          {issues.map((i, n) => (
            <li key={n}>
              {i.field ? <code>{i.field}</code> : null} {i.message}
            </li>
          ))}
        </ul>
      }
    />
  );
}
