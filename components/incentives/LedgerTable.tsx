"use client";
// Ledger entries with their evidence: the rule, points and status, the task (linked), the customer, the follow-ups,
// the churn event or adjustment, and for a pending retention share whether it still awaits verification.
import { Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { DataTable } from "@/components/shell/DataTable";
import type { LedgerRow } from "@/lib/incentives/queries";
import { EntryStatus, Points, Settlement } from "./labels";

export function LedgerTable({ rows, label, showRm = false, showPeriod = false }: { rows: LedgerRow[]; label: string; showRm?: boolean; showPeriod?: boolean }) {
  const t = useTranslations("incentives");
  const tk = useTranslations("enums");
  const columns: ColumnsType<LedgerRow> = [
    ...(showPeriod ? [{ title: t("col.period"), dataIndex: "period" }] : []),
    { title: t("col.eventOn"), dataIndex: "eventOn", width: 110 },
    ...(showRm ? [{ title: t("col.rm"), dataIndex: "rmName" }] : []),
    { title: t("col.rule"), dataIndex: "rule", render: (r: string) => t(`rule.${r}`) },
    { title: t("col.points"), dataIndex: "points", align: "right", render: (v: number) => <Points value={v} /> },
    { title: t("col.status"), dataIndex: "status", render: (s: string, r) => (
      <>
        <EntryStatus value={s} /> <Settlement value={r.settlement} />
        {r.settlement === "awaiting" && r.verifyOn && <Typography.Text type="secondary"> {t("verifyOn", { day: r.verifyOn })}</Typography.Text>}
      </>
    ) },
    {
      title: t("col.evidence"),
      key: "evidence",
      render: (_v, r) => {
        // The evidence's parts, joined with a dot: task (linked), customer, follow-ups, churn event, adjustment, basis.
        const parts = [
          r.taskId && <Link key="task" href={`/tasks/${r.taskId}`}>{t("taskRef", { id: r.taskId })}</Link>,
          r.customerName,
          r.followUpIds.length > 0 && t("followUpRefs", { ids: r.followUpIds.join(", ") }),
          r.churnEventId && t("churnRef", { id: r.churnEventId, kind: r.churnKind ? tk(`churnKind.${r.churnKind}`) : "" }),
          r.adjustmentId && t("adjustmentRef", { id: r.adjustmentId, reason: String(r.basis.reason ?? "") }),
          r.rule === "retained" && typeof r.basis.balanceFen === "number" && (
            <Typography.Text key="basis" type="secondary">{t("basisRetained", { wan: (r.basis.balanceFen / 1_000_000).toFixed(1), of: Number(r.basis.shareOf ?? 1) })}</Typography.Text>
          ),
        ].filter(Boolean);
        return (
          <span data-testid={`evidence-${r.id}`}>
            {parts.map((p, i) => (
              <span key={i}>
                {i > 0 && " · "}
                {p}
              </span>
            ))}
          </span>
        );
      },
    },
  ];
  return <DataTable<LedgerRow> rows={rows} columns={columns} label={label} empty={t("noEntries")} pager={{ size: 20, total: true }} />;
}
