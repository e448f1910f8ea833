"use client";
// The customer at a glance for the task page: basic information, loans with class and DPD, the DPD history of the
// worst loans, recent repayments and the customer's previous tasks with their outcomes.
import { Card, Descriptions, Empty, Tabs, Typography } from "antd";
import type { DescriptionsProps, TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import type { LoanSummary } from "@/lib/customers/queries";
import { formatCount, formatDate, formatWan, formatYuan } from "@/lib/format";
import { CLASSIFICATION_HEX } from "@/lib/loans/view";
import { industryName } from "@/lib/reference/industries";
import type { TaskDetail } from "@/lib/tasks/queries";
import { DpdHistoryChart } from "@/components/loans/DpdHistoryChart";
import { DataTable } from "@/components/shell/DataTable";
import { num } from "@/components/shell/num";
import { StatusTag } from "@/components/shell/StatusTag";
import { PriorityTag, TaskStatusTag } from "./common";

export function CustomerGlance({ detail }: { detail: TaskDetail }) {
  const t = useTranslations("tasks.customer");
  const tt = useTranslations("tasks");
  const tcd = useTranslations("customerDetail");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const locale = useLocale();
  const c = detail.customer;

  const info: DescriptionsProps["items"] = [
    { key: "customerNo", label: tcd("fields.customerNo"), children: num(c.customerNo) },
    { key: "legalRep", label: tcd("fields.legalRep"), children: c.legalRep },
    { key: "registeredCapital", label: tcd("fields.registeredCapital"), children: num(tcd("wanValue", { value: formatWan(c.registeredCapitalFen) })) },
    { key: "industry", label: tcd("fields.industry"), children: `${c.industryCode} ${industryName(c.industryCode, locale)}` },
    { key: "region", label: tcd("fields.region"), children: c.region },
    { key: "rm", label: tcd("fields.rm"), children: c.rmName },
    { key: "onboardedOn", label: tcd("fields.onboardedOn"), children: num(formatDate(c.onboardedOn)) },
    { key: "status", label: tcd("fields.status"), children: <StatusTag kind="customerStatus" value={c.status} /> },
  ];
  if (c.contactPerson !== null || c.contactPhone !== null) {
    info.push(
      { key: "contactPerson", label: tcd("fields.contactPerson"), children: c.contactPerson || tc("none") },
      { key: "contactPhone", label: tcd("fields.contactPhone"), children: c.contactPhone ? num(c.contactPhone) : tc("none") },
    );
  }

  const loanColumns: TableProps<LoanSummary>["columns"] = [
    { key: "contractNo", title: tcd("loans.contractNo"), dataIndex: "contractNo", width: 120, render: (v: string, l) => <Link href={`/loans/${l.id}`}>{num(v)}</Link> },
    { key: "product", title: tcd("loans.product"), dataIndex: "product", width: 110, ellipsis: true },
    {
      key: "outstanding",
      title: tcd("loans.outstanding"),
      align: "right",
      width: 140,
      render: (_: unknown, l) => (l.state ? num(formatYuan(l.state.outstandingPrincipalFen)) : tc("none")),
    },
    {
      key: "dpd",
      title: tcd("loans.dpd"),
      align: "right",
      width: 80,
      render: (_: unknown, l) =>
        l.state ? (
          <span className="cw-num" style={{ color: l.state.dpd > 0 ? CLASSIFICATION_HEX[l.state.classification] : undefined, fontWeight: l.state.dpd > 0 ? 600 : undefined }}>
            {formatCount(l.state.dpd)}
          </span>
        ) : (
          tc("none")
        ),
    },
    { key: "classification", title: tcd("loans.classification"), width: 125, render: (_: unknown, l) => (l.state ? <StatusTag kind="classification" value={l.state.classification} /> : tc("none")) },
    { key: "status", title: tcd("loans.status"), dataIndex: "status", width: 90, render: (v: LoanSummary["status"]) => <StatusTag kind="loanStatus" value={v} /> },
    { key: "maturityOn", title: tcd("loans.maturityOn"), dataIndex: "maturityOn", width: 110, render: (v: string) => num(formatDate(v)) },
  ];

  const repaymentColumns: TableProps<TaskDetail["repayments"][number]>["columns"] = [
    { key: "paidOn", title: tcd("repayments.paidOn"), dataIndex: "paidOn", render: (v: string) => num(formatDate(v)) },
    { key: "contractNo", title: tcd("loans.contractNo"), dataIndex: "contractNo", render: (v: string) => num(v) },
    { key: "amount", title: tcd("repayments.amount"), dataIndex: "amountFen", align: "right", render: (v: number) => num(formatYuan(v)) },
  ];

  const previousColumns: TableProps<TaskDetail["previousTasks"][number]>["columns"] = [
    { key: "id", title: tt("detail.taskNo"), dataIndex: "id", width: 80, render: (v: number) => <Link href={`/tasks/${v}`}>#{v}</Link> },
    { key: "priority", title: tt("columns.priority"), dataIndex: "priority", width: 80, render: (v: TaskDetail["task"]["priority"]) => <PriorityTag value={v} /> },
    { key: "reasonFamily", title: tt("columns.reasonFamily"), dataIndex: "reasonFamily", render: (v: string) => te(`reasonFamily.${v}`) },
    { key: "status", title: tt("columns.status"), dataIndex: "status", render: (v: TaskDetail["task"]["status"]) => <TaskStatusTag value={v} /> },
    { key: "outcome", title: tt("detail.outcome"), dataIndex: "outcome", render: (v: string | null) => (v && tt.has(`outcome.${v}`) ? tt(`outcome.${v}`) : tc("none")) },
    { key: "openedAt", title: tt("columns.openedAt"), dataIndex: "openedAt", render: (v: string) => num(formatDate(v)) },
    { key: "closedAt", title: tt("detail.closedAt"), dataIndex: "closedAt", render: (v: string | null) => (v ? num(formatDate(v)) : tc("none")) },
  ];

  return (
    <Card
      size="small"
      title={t("title")}
      extra={
        <Link href={`/customers/${c.id}`} aria-label={t("open", { name: c.name })}>
          {t("openShort")}
        </Link>
      }
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2, xxl: 3 }} items={info} style={{ marginBottom: 12 }} />
      <DataTable<LoanSummary>
        label={tcd("loans.title")}
        columns={loanColumns}
        rows={detail.loans}
        tableLayout="fixed"
        scroll={{ x: 780 }}
        empty={tcd("loans.empty")}
      />
      <Tabs
        size="small"
        style={{ marginTop: 8 }}
        items={[
          {
            key: "dpd",
            label: t("dpdTitle"),
            children: detail.dpdHistory.length ? (
              <Tabs
                size="small"
                tabPosition="top"
                type="card"
                items={detail.dpdHistory.map((h) => ({
                  key: String(h.loanId),
                  label: <span className="cw-num">{h.contractNo}</span>,
                  children: (
                    <DpdHistoryChart contractNo={h.contractNo} disbursedOn={h.disbursedOn} asOf={h.asOf} history={h.history} current={h.current} settledOn={h.settledOn} height={300} />
                  ),
                }))}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("dpdEmpty")} />
            ),
          },
          {
            key: "repayments",
            label: t("repaymentsTitle", { n: detail.repayments.length }),
            children: (
              <DataTable label={t("repaymentsTitle", { n: detail.repayments.length })} columns={repaymentColumns} rows={detail.repayments} empty={t("repaymentsEmpty")} />
            ),
          },
          {
            key: "previous",
            label: t("previousTitle", { n: detail.previousTasks.length }),
            children: (
              <DataTable label={t("previousTitle", { n: detail.previousTasks.length })} columns={previousColumns} rows={detail.previousTasks} scroll={{ x: 640 }} empty={t("previousEmpty")} />
            ),
          },
        ]}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("branch", { branch: locale === "en" ? c.branchNameEn : c.branchName })}
      </Typography.Text>
    </Card>
  );
}
