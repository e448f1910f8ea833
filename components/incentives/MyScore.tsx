"use client";
// An RM's own score: each period's payable and pending points, what still awaits verification, and every entry with
// what earned or cost it (linked to the task).
import { Card, Select, Space } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { StatCards } from "@/components/shell/StatCards";
import type { LedgerRow } from "@/lib/incentives/queries";
import { PeriodStatus, Points } from "./labels";
import { LedgerTable } from "./LedgerTable";

export type ScoreLine = { period: string; status: string; payable: number; pending: number; gains: number; capped: number; losses: number; adjustments: number };

export function MyScore({ lines, entries, current }: { lines: ScoreLine[]; entries: LedgerRow[]; current: string }) {
  const t = useTranslations("incentives");
  const [period, setPeriod] = useState<string | undefined>(undefined);
  const awaiting = entries.filter((e) => e.settlement === "awaiting");
  const now = lines.find((l) => l.period === current);
  const lastLocked = lines.find((l) => l.status === "locked");
  const columns: ColumnsType<ScoreLine> = [
    { title: t("col.period"), dataIndex: "period" },
    { title: t("col.periodStatus"), dataIndex: "status", render: (s: string) => <PeriodStatus value={s} /> },
    { title: t("col.gains"), dataIndex: "gains", align: "right", render: (v: number) => <Points value={v} /> },
    { title: t("col.capped"), dataIndex: "capped", align: "right", render: (v: number) => <Points value={v} /> },
    { title: t("col.losses"), dataIndex: "losses", align: "right", render: (v: number) => <Points value={v} /> },
    { title: t("rule.adjustment"), dataIndex: "adjustments", align: "right", render: (v: number) => <Points value={v} /> },
    { title: t("col.pending"), dataIndex: "pending", align: "right" },
    { title: t("col.payable"), dataIndex: "payable", align: "right", render: (v: number) => <strong><Points value={v} /></strong> },
  ];
  return (
    <>
      <StatCards
        items={[
          { key: "current", label: t("currentPayable", { period: current }), value: now?.payable ?? 0 },
          { key: "awaiting", label: t("awaitingTotal"), value: awaiting.reduce((s, e) => s + e.points, 0) },
          { key: "locked", label: t("lastLockedPayable", { period: lastLocked?.period ?? "—" }), value: lastLocked?.payable ?? 0 },
        ]}
      />
      <Card size="small" title={t("byPeriod")} style={{ marginBottom: 16 }}>
        <DataTable<ScoreLine> rowKey="period" rows={lines} columns={columns} label={t("byPeriod")} empty={t("noEntries")} pager={{ size: 12 }} />
      </Card>
      <Card size="small" title={t("awaitingTitle")} style={{ marginBottom: 16 }}>
        <LedgerTable rows={awaiting} label={t("awaitingTitle")} showPeriod />
      </Card>
      <Card
        size="small"
        title={t("entriesTitle")}
        extra={
          <Space>
            <Select allowClear placeholder={t("allPeriods")} aria-label={t("col.period")} style={{ width: 140 }} value={period} onChange={setPeriod} options={lines.map((l) => ({ value: l.period, label: l.period }))} />
          </Space>
        }
      >
        <LedgerTable rows={period ? entries.filter((e) => e.period === period) : entries} label={t("entriesTitle")} showPeriod />
      </Card>
    </>
  );
}
