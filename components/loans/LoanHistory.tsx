"use client";
// The DPD / classification history: the chart, and the list of changes folded away beneath it.
import { Collapse, Empty } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import { DataTable } from "@/components/shell/DataTable";
import { num } from "@/components/shell/num";
import { StatusTag } from "@/components/shell/StatusTag";
import { formatCount, formatDate } from "@/lib/format";
import { bucketKey } from "@/lib/loans/view";
import { DpdHistoryChart } from "./DpdHistoryChart";
import type { HistoryRow, LoanDetailData, LoanState } from "./types";

export function LoanHistory({ loan, state, history }: { loan: LoanDetailData["loan"]; state: LoanState | null; history: HistoryRow[] }) {
  const t = useTranslations("loanDetail.chart");
  const te = useTranslations("enums");
  if (!state) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("emptyNotComputed")} />;
  if (!history.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("empty")} />;
  const columns: TableProps<HistoryRow & { seq: number }>["columns"] = [
    { key: "changedOn", title: t("changedOn"), dataIndex: "changedOn", render: (v: string) => num(formatDate(v)) },
    { key: "cause", title: t("cause"), dataIndex: "cause", render: (v: string) => (v === "due" || v === "repayment" ? te(`historyCause.${v}`) : v) },
    { key: "dpd", title: t("dpd"), dataIndex: "dpd", align: "right", render: (v: number) => num(formatCount(v)) },
    { key: "bucket", title: t("bucket"), dataIndex: "bucket", render: (v: string) => `${v} · ${te(`bucket.${bucketKey(v)}`)}` },
    { key: "classification", title: t("classification"), dataIndex: "classification", render: (v: HistoryRow["classification"]) => <StatusTag kind="classification" value={v} /> },
  ];
  return (
    <>
      <DpdHistoryChart
        contractNo={loan.contractNo}
        disbursedOn={loan.disbursedOn}
        asOf={state.asOf}
        history={history}
        current={{ dpd: state.dpd, classification: state.classification }}
        settledOn={state.settledOn}
      />
      <Collapse
        size="small"
        ghost
        style={{ marginTop: 8 }}
        items={[
          {
            key: "changes",
            label: t("changes", { n: history.length }),
            children: (
              <DataTable
                rowKey="seq"
                label={t("changesLabel", { contractNo: loan.contractNo })}
                columns={columns}
                rows={history.map((h, i) => ({ ...h, seq: i + 1 }))}
                pager={{ size: 10, sizeChanger: false }}
              />
            ),
          },
        ]}
      />
    </>
  );
}
