"use client";
// The backtest of a draft condition: how many subjects it flags today, a bar per day of the last 90, and a sample.
import { Card, Statistic, Typography } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { BarChart } from "@/components/charts/BarChart";
import type { BacktestResult } from "@/lib/rules/backtest";
import { DataTable } from "@/components/shell/DataTable";

export function BacktestCard({ result }: { result: BacktestResult }) {
  const t = useTranslations("rules");
  return (
    <Card size="small" title={t("backtestTitle")} style={{ marginBottom: 16 }}>
      <Statistic title={t("today")} value={result.today} valueRender={(n) => <span data-testid="backtest-today">{n}</span>} />
      {result.step > 1 && <Typography.Paragraph type="secondary">{t("weekly", { step: result.step })}</Typography.Paragraph>}
      <BarChart categories={result.series.map((p) => p.date)} values={result.series.map((p) => p.count)} seriesName={t("flagged")} unit="" label={t("backtestTitle")} height={240} />
      <DataTable
        rowKey="subjectKey"
        rows={result.sample}
        empty={t("noMatches")}
        columns={[
          { title: t("subjectKey"), dataIndex: "subjectKey" },
          { title: t("customerNo"), dataIndex: "customerNo", render: (v: string | null, r) => (r.customerId ? <Link href={`/customers/${r.customerId}`}>{v}</Link> : v) },
          { title: t("customerName"), dataIndex: "customerName" },
          { title: t("contractNo"), dataIndex: "contractNo" },
        ]}
      />
    </Card>
  );
}
