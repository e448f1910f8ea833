"use client";
// The repayment schedule with what was paid of each installment and its status as of the state's date, and totals.
import { Card, Space, Tag, Typography } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { num } from "@/components/shell/num";
import { formatCount, formatDate, formatYuan } from "@/lib/format";
import { installmentStatuses, type InstallmentStatus } from "@/lib/loans/view";
import { sum, type LoanState, type ScheduleRow } from "./types";

// Prepaid is orange as on the loan's status tag: paying ahead is a churn signal here, not a virtue.
const STATUS_COLOUR: Record<InstallmentStatus["status"], string> = { paid: "green", prepaid: "orange", paidLate: "gold", overdue: "red", due: "blue", upcoming: "default" };

export function LoanSchedule({ contractNo, schedule, state }: { contractNo: string; schedule: ScheduleRow[]; state: LoanState | null }) {
  const t = useTranslations("loanDetail.schedule");
  const none = useTranslations("loanDetail")("none");
  const statuses = useMemo(() => (state ? installmentStatuses(schedule, state.asOf) : null), [schedule, state]);
  type Row = ScheduleRow & { st: InstallmentStatus | null };
  const rows: Row[] = schedule.map((s, i) => ({ ...s, st: statuses?.[i] ?? null }));
  const money = (v: number) => num(formatYuan(v));

  const columns: TableProps<Row>["columns"] = [
    { key: "no", title: t("no"), dataIndex: "installmentNo", align: "right", width: 110, fixed: "left" },
    { key: "dueOn", title: t("dueOn"), dataIndex: "dueOn", width: 110, render: (v: string) => num(formatDate(v)) },
    { key: "principalDue", title: t("principalDue"), dataIndex: "principalDueFen", align: "right", render: money },
    { key: "interestDue", title: t("interestDue"), dataIndex: "interestDueFen", align: "right", render: money },
  ];
  // Without a computed state the paid columns would read as zeros; they are left out until it exists.
  if (state) {
    columns.push(
      { key: "paidPrincipal", title: t("paidPrincipal"), dataIndex: "paidPrincipalFen", align: "right", render: money },
      {
        key: "paidInterest",
        title: t("paidInterest"),
        dataIndex: "paidInterestFen",
        align: "right",
        // Settled with less interest than scheduled: the rest was waived (the loan's principal was repaid early).
        render: (v: number, r) =>
          r.settledOn && v < r.interestDueFen ? (
            <span>
              {money(v)}
              <br />
              <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: "nowrap" }}>
                {t("waived", { amount: formatYuan(r.interestDueFen - v) })}
              </Typography.Text>
            </span>
          ) : (
            money(v)
          ),
      },
      {
        key: "penalty",
        title: t("penalty"),
        align: "right",
        render: (_: unknown, r) => (r.penaltyAccruedFen > 0 ? num(`${formatYuan(r.paidPenaltyFen)} / ${formatYuan(r.penaltyAccruedFen)}`) : none),
      },
      { key: "settledOn", title: t("settledOn"), dataIndex: "settledOn", width: 110, render: (v: string | null) => (v ? num(formatDate(v)) : none) },
      {
        key: "status",
        title: t("status"),
        width: 150,
        render: (_: unknown, r) =>
          r.st ? (
            <Space size={4} wrap>
              <Tag color={STATUS_COLOUR[r.st.status]} style={{ marginInlineEnd: 0 }}>
                {r.st.status === "overdue" ? t("statusLabels.overdue", { days: r.st.daysOverdue }) : t(`statusLabels.${r.st.status}`)}
              </Tag>
              {r.st.partial && (
                <Tag color="purple" style={{ marginInlineEnd: 0 }}>
                  {t("statusLabels.partial")}
                </Tag>
              )}
            </Space>
          ) : (
            none
          ),
      },
    );
  }

  const firstOpen = rows.findIndex((r) => r.st && r.st.status !== "paid" && r.st.status !== "paidLate");
  const pageSize = 12;
  return (
    <Card title={t("title", { n: formatCount(schedule.length) })} size="small">
      <DataTable<Row>
        rowKey="installmentNo"
        label={t("tableLabel", { contractNo })}
        columns={columns}
        rows={rows}
        scroll={{ x: state ? 1100 : 600 }}
        // Open on the page holding the oldest installment still owed: that is where the reader looks first.
        pager={{ size: pageSize, sizeChanger: false, defaultCurrent: firstOpen > 0 ? Math.floor(firstOpen / pageSize) + 1 : 1 }}
        empty={t("empty")}
        totals={{
          label: t("total"),
          span: 2,
          figures: [
            money(sum(rows.map((r) => r.principalDueFen))),
            money(sum(rows.map((r) => r.interestDueFen))),
            ...(state
              ? [
                  money(sum(rows.map((r) => r.paidPrincipalFen))),
                  money(sum(rows.map((r) => r.paidInterestFen))),
                  num(`${formatYuan(sum(rows.map((r) => r.paidPenaltyFen)))} / ${formatYuan(sum(rows.map((r) => r.penaltyAccruedFen)))}`),
                ]
              : []),
          ],
          rest: state ? 2 : 0,
        }}
      />
    </Card>
  );
}
