"use client";
// The incentive periods (months), newest first: status, entries, points, what awaits verification and HR's decisions.
import { Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { DataTable } from "@/components/shell/DataTable";
import type { PeriodRow } from "@/lib/incentives/queries";
import { PeriodStatus, Points } from "./labels";

export function PeriodsList({ rows }: { rows: PeriodRow[] }) {
  const t = useTranslations("incentives");
  const columns: ColumnsType<PeriodRow> = [
    { title: t("col.period"), dataIndex: "period", render: (p: string) => <Link href={`/incentives/${p}`}>{p}</Link> },
    { title: t("col.periodStatus"), dataIndex: "status", render: (s: string, r) => (
      <>
        <PeriodStatus value={s} />
        {r.lockedBy && <Typography.Text type="secondary"> {t("lockedBy", { name: r.lockedBy, at: r.lockedAt ?? "" })}</Typography.Text>}
      </>
    ) },
    { title: t("col.rms"), dataIndex: "rms", align: "right" },
    { title: t("col.entries"), dataIndex: "entries", align: "right" },
    { title: t("col.points"), dataIndex: "points", align: "right", render: (v: number) => <Points value={v} /> },
    { title: t("col.pending"), dataIndex: "pending", align: "right" },
    { title: t("col.adjustmentsPending"), dataIndex: "adjustmentsPending", align: "right" },
  ];
  return <DataTable<PeriodRow> rowKey="period" rows={rows} columns={columns} label={t("periodsLabel")} empty={t("noPeriods")} pager={{ size: 24 }} />;
}
