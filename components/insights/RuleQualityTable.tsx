"use client";
// Warning quality per rule version (docs/telemetry.md): raised, precision, false alarms, pending, recall and lead
// time, each figure a link to the warnings or churn events it counts. Used by /insights and the rule editor.
import { Tooltip, Typography } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { DataTable } from "@/components/shell/DataTable";
import { formatCount, formatPercent } from "@/lib/format";
import type { RuleQuality, RulesInsights } from "@/lib/insights/queries";
import { eventsHref, warningsHref } from "./links";

export function RuleQualityTable({ data, showRule = true }: { data: RulesInsights; showRule?: boolean }) {
  const t = useTranslations("insights");
  const en = useLocale() === "en";
  const ctx = { period: data.period, horizon: data.horizon, branchId: data.branchId };
  const days = (d: number | null) => (d == null ? "—" : t("days", { d: d.toFixed(0) }));
  const columns: TableProps<RuleQuality>["columns"] = [
    ...(showRule
      ? [
          {
            key: "rule",
            title: t("rules.rule"),
            ellipsis: true,
            render: (_: unknown, r: RuleQuality) => <Link href={`/admin/rules/${r.ruleId}`}>{en ? r.nameEn : r.nameZh}</Link>,
          },
        ]
      : []),
    { key: "version", title: t("rules.version"), width: 70, render: (_, r) => `v${r.version}` },
    {
      key: "raised",
      title: t("rules.raised"),
      align: "right",
      width: 90,
      render: (_, r) => <Link href={warningsHref(ctx, { ruleId: r.ruleId, ruleVersionId: r.ruleVersionId })}>{formatCount(r.raised)}</Link>,
    },
    {
      key: "precision",
      title: <Tooltip title={t("rules.precisionHint", { h: data.horizon })}>{t("rules.precision")}</Tooltip>,
      align: "right",
      width: 110,
      render: (_, r) => (
        <Link href={warningsHref(ctx, { ruleId: r.ruleId, ruleVersionId: r.ruleVersionId, quality: "hit" })} aria-label={t("rules.precisionOf", { rule: en ? r.nameEn : r.nameZh, v: r.version })}>
          {formatPercent(r.precision)} <Typography.Text type="secondary">({formatCount(r.hits)})</Typography.Text>
        </Link>
      ),
    },
    {
      key: "falseAlarm",
      title: t("rules.falseAlarm"),
      align: "right",
      width: 110,
      render: (_, r) => (
        <Link href={warningsHref(ctx, { ruleId: r.ruleId, ruleVersionId: r.ruleVersionId, quality: "false_alarm" })}>
          {formatPercent(r.falseAlarmShare)} <Typography.Text type="secondary">({formatCount(r.falseAlarms)})</Typography.Text>
        </Link>
      ),
    },
    {
      key: "pending",
      title: t("rules.pending"),
      align: "right",
      width: 80,
      render: (_, r) => <Link href={warningsHref(ctx, { ruleId: r.ruleId, ruleVersionId: r.ruleVersionId, quality: "pending" })}>{formatCount(r.pending)}</Link>,
    },
    {
      key: "recall",
      title: <Tooltip title={t("rules.recallHint")}>{t("rules.recall")}</Tooltip>,
      align: "right",
      width: 120,
      render: (_, r) => (
        <Link href={eventsHref(ctx, { stage: r.stage, ruleVersionId: r.ruleVersionId })} aria-label={t("rules.recallOf", { rule: en ? r.nameEn : r.nameZh, v: r.version })}>
          {formatPercent(r.recall)} <Typography.Text type="secondary">({r.caught}/{r.events})</Typography.Text>
        </Link>
      ),
    },
    {
      key: "lead",
      title: t("rules.lead"),
      align: "right",
      width: 150,
      render: (_, r) => (
        <span className="cw-num">
          {days(r.leadDays.median)}
          {r.leadDays.p25 != null && <Typography.Text type="secondary"> ({r.leadDays.p25.toFixed(0)}–{r.leadDays.p75!.toFixed(0)})</Typography.Text>}
        </span>
      ),
    },
  ];
  return (
    <DataTable<RuleQuality>
      rowKey="ruleVersionId"
      label={t("rules.table")}
      rows={data.rows}
      columns={columns}
      empty={t("rules.empty")}
      pager={{ size: 20 }}
      scroll={{ x: showRule ? 980 : 760 }}
    />
  );
}
