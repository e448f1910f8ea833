"use client";
// The rules list: each rule with its version in force and any pending proposal; "new rule" opens the form.
import { Badge, Space, Tag } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { DataTable } from "@/components/shell/DataTable";
import { PageTitle, Hint } from "@/components/shell/PageTitle";
import { SeverityTag } from "@/components/warnings/SeverityTag";
import { SEVERITIES_DESC, type Severity } from "@/lib/vocabulary";
import type { Feature } from "./ConditionBuilder";
import { NewRuleButton } from "./NewRuleButton";

type Row = {
  id: number;
  code: string;
  name: string;
  severity: Severity | null;
  stage: string | null;
  will: string | null;
  reasonFamily: string | null;
  subject: string | null;
  enabled: boolean;
  version: number | null;
  pending: number | null;
  pendingFromLibrary: boolean;
};

export function RulesTable({ rules, features }: { rules: Row[]; features: Feature[] }) {
  const t = useTranslations("rules");
  const te = useTranslations("enums");
  const columns: TableProps<Row>["columns"] = [
    { title: t("code"), dataIndex: "code", sorter: (a, b) => a.code.localeCompare(b.code), render: (c: string, r) => <Link href={`/admin/rules/${r.id}`}>{c}</Link> },
    { title: t("name"), dataIndex: "name", render: (n: string, r) => <Link href={`/admin/rules/${r.id}`}>{n}</Link> },
    {
      title: t("severity"),
      dataIndex: "severity",
      filters: SEVERITIES_DESC.map((s) => ({ text: te(`severity.${s}`), value: s })),
      onFilter: (v, r) => r.severity === v,
      render: (s: Severity | null) => (s ? <SeverityTag value={s} /> : null),
    },
    { title: t("stage"), dataIndex: "stage", render: (s: string | null) => (s ? te(`churnStage.${s}`) : null) },
    { title: t("will"), dataIndex: "will", render: (s: string | null) => (s ? te(`churnWill.${s}`) : null) },
    { title: t("reasonFamily"), dataIndex: "reasonFamily", render: (s: string | null) => (s ? te(`reasonFamily.${s}`) : null) },
    { title: t("subject"), dataIndex: "subject", render: (s: string | null) => (s ? t(`subjects.${s}`) : null) },
    { title: t("enabled"), dataIndex: "enabled", render: (e: boolean) => <Badge status={e ? "success" : "default"} text={e ? t("on") : t("off")} /> },
    { title: t("version"), dataIndex: "version", render: (v: number | null) => (v ? `v${v}` : t("noActive")) },
    { title: t("pending"), dataIndex: "pending", render: (p: number | null, r) => (p ? <Tag color="processing">{t(r.pendingFromLibrary ? "pendingLibraryVersion" : "pendingVersion", { version: p })}</Tag> : null) },
  ];
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", alignItems: "baseline" }} wrap>
        <PageTitle>{t("title")}</PageTitle>
        <NewRuleButton features={features} />
      </Space>
      <Hint>{t("hint")}</Hint>
      <DataTable<Row> columns={columns} rows={rules} empty={t("empty")} />
    </>
  );
}
