"use client";
// Status labels and colours for the domain's enums, in one place so every screen agrees.
// Red = lost or in default, orange = churn-like exit, gold = needs attention, blue = in progress, green = done well.
import { Tag } from "antd";
import { useTranslations } from "next-intl";
import { CLASSIFICATION_COLOUR } from "@/lib/loans/view";
import type { ApplicationStatus, CustomerStatus, LoanStatus, RepaymentSource, Role } from "@/lib/vocabulary";

const COLOURS = {
  customerStatus: { active: "green", dormant: "gold", churned: "red" } satisfies Record<CustomerStatus, string>,
  loanStatus: { active: "blue", matured: "green", prepaid: "orange", defaulted: "red", written_off: "red", terminated: "orange" } satisfies Record<LoanStatus, string>,
  applicationStatus: { submitted: "blue", approved: "cyan", drawn: "green", rejected: "red", withdrawn: "gold" } satisfies Record<ApplicationStatus, string>,
  repaymentSource: { file: "default", api: "default", seed: "default", manual: "purple" } satisfies Record<RepaymentSource, string>,
  role: { rm: "blue", supervisor: "geekblue", hr: "purple", admin: "magenta", integration: "cyan" } satisfies Record<Role, string>,
  // Five-category loan classification by severity: 损失/可疑 red, 次级 orange, 关注 gold, 正常 green.
  classification: CLASSIFICATION_COLOUR,
} as const;

export type EnumKind = keyof typeof COLOURS;

export function StatusTag<K extends EnumKind>({ kind, value }: { kind: K; value: keyof (typeof COLOURS)[K] & string }) {
  const t = useTranslations("enums");
  const colour = (COLOURS[kind] as Record<string, string>)[value] ?? "default";
  const key: string = `${kind}.${value}`;
  return (
    <Tag color={colour} style={{ marginInlineEnd: 0 }}>
      {t(key)}
    </Tag>
  );
}
