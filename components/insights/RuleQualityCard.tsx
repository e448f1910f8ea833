"use client";
// The rule editor's view of its own warnings' quality (docs/telemetry.md), shown beside the backtest: what the rule's
// versions actually raised over the last year and how right they were.
import { Card, Typography } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import type { RulesInsights } from "@/lib/insights/queries";
import { RuleQualityTable } from "./RuleQualityTable";

export function RuleQualityCard({ data }: { data: RulesInsights }) {
  const t = useTranslations("rules.quality");
  const q = new URLSearchParams({ from: data.period.from, to: data.period.to, horizon: String(data.horizon) });
  return (
    <Card size="small" title={t("title")} extra={<Link href={`/insights?${q.toString()}`}>{t("open")}</Link>} style={{ marginBottom: 16 }} data-testid="rule-quality">
      <Typography.Paragraph type="secondary">{t("hint", { h: data.horizon })}</Typography.Paragraph>
      <RuleQualityTable data={data} showRule={false} />
    </Card>
  );
}
