"use client";
// The loan's repayments with their source and total.
import { Card } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import { DataTable } from "@/components/shell/DataTable";
import { num } from "@/components/shell/num";
import { StatusTag } from "@/components/shell/StatusTag";
import { formatCount, formatDate, formatYuan } from "@/lib/format";
import { sum, type RepaymentRow } from "./types";

export function LoanRepayments({ contractNo, repayments }: { contractNo: string; repayments: RepaymentRow[] }) {
  const t = useTranslations("loanDetail.repayments");
  const columns: TableProps<RepaymentRow>["columns"] = [
    { key: "paidOn", title: t("paidOn"), dataIndex: "paidOn", render: (v: string) => num(formatDate(v)) },
    { key: "amount", title: t("amount"), dataIndex: "amountFen", align: "right", render: (v: number) => num(formatYuan(v)) },
    { key: "source", title: t("source"), dataIndex: "source", render: (v: RepaymentRow["source"]) => <StatusTag kind="repaymentSource" value={v} /> },
    { key: "externalId", title: t("externalId"), dataIndex: "externalId", render: (v: string) => num(v) },
  ];
  return (
    <Card title={t("title", { n: formatCount(repayments.length) })} size="small">
      <DataTable<RepaymentRow>
        label={t("tableLabel", { contractNo })}
        columns={columns}
        rows={repayments}
        pager={{ size: 12, sizeChanger: false }}
        empty={t("empty")}
        totals={{ label: t("total"), figures: [num(formatYuan(sum(repayments.map((r) => r.amountFen))))], rest: 2 }}
      />
    </Card>
  );
}
