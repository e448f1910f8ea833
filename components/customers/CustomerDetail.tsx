"use client";
// One customer: basic information, applications, and loans with each loan's schedule and repayments.
import { Breadcrumb, Card, Descriptions, Space, Tabs, Typography } from "antd";
import type { DescriptionsProps, TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useMemo, type ReactNode } from "react";
import type { CustomerDetail as Customer, LoanSummary } from "@/lib/customers/queries";
import { formatCount, formatDate, formatRate, formatWan, formatYuan } from "@/lib/format";
import { CLASSIFICATION_HEX } from "@/lib/loans/view";
import { industryName, parseIndustryCode } from "@/lib/reference/industries";
import type { ApplicationStatus, RepaymentSource } from "@/lib/vocabulary";
import { num } from "@/components/shell/num";
import { DataTable } from "@/components/shell/DataTable";
import { StatusTag } from "@/components/shell/StatusTag";

export type ApplicationRow = {
  id: number;
  applicationNo: string;
  product: string;
  amountFen: number;
  submittedOn: string;
  decidedOn: string | null;
  status: ApplicationStatus;
};
export type InstallmentRow = { loanId: number; installmentNo: number; dueOn: string; principalDueFen: number; interestDueFen: number };
export type RepaymentRow = { id: number; loanId: number; paidOn: string; amountFen: number; source: RepaymentSource; externalId: string };

export function CustomerDetail({
  customer: c,
  showContact,
  applications,
  loans,
  schedule,
  repayments,
  children,
}: {
  /** Cards shown after the basic information (the churn card and the contact log). */
  children?: ReactNode;
  customer: Customer;
  showContact: boolean;
  applications: ApplicationRow[];
  loans: LoanSummary[];
  schedule: InstallmentRow[];
  repayments: RepaymentRow[];
}) {
  const t = useTranslations("customerDetail");
  const ts = useTranslations("shell");
  const te = useTranslations("enums");
  const locale = useLocale();

  const byLoan = useMemo(() => {
    const s = new Map<number, InstallmentRow[]>();
    const r = new Map<number, RepaymentRow[]>();
    for (const i of schedule) s.set(i.loanId, [...(s.get(i.loanId) ?? []), i]);
    for (const p of repayments) r.set(p.loanId, [...(r.get(p.loanId) ?? []), p]);
    return { s, r };
  }, [schedule, repayments]);

  const section = parseIndustryCode(c.industryCode)?.section;
  const info: DescriptionsProps["items"] = [
    { key: "customerNo", label: t("fields.customerNo"), children: num(c.customerNo) },
    { key: "creditCode", label: t("fields.creditCode"), children: num(c.creditCode) },
    { key: "legalRep", label: t("fields.legalRep"), children: c.legalRep },
    { key: "registeredCapital", label: t("fields.registeredCapital"), children: num(t("wanValue", { value: formatWan(c.registeredCapitalFen) })) },
    {
      key: "industry",
      label: t("fields.industry"),
      children: (
        <span>
          {c.industryCode} {industryName(c.industryCode, locale)}
          {section && (
            <Typography.Text type="secondary">
              {" "}
              · {section.letter} {locale.startsWith("zh") ? section.zh : section.en}
            </Typography.Text>
          )}
        </span>
      ),
    },
    { key: "region", label: t("fields.region"), children: c.region },
    { key: "branch", label: t("fields.branch"), children: locale === "en" ? c.branchNameEn : c.branchName },
    { key: "rm", label: t("fields.rm"), children: c.rmName },
    { key: "onboardedOn", label: t("fields.onboardedOn"), children: num(formatDate(c.onboardedOn)) },
    { key: "status", label: t("fields.status"), children: <StatusTag kind="customerStatus" value={c.status} /> },
  ];
  // Contact data exists only for readers whose scope allows it; for the others the fields are not shown at all.
  if (showContact) {
    info.push(
      { key: "contactPerson", label: t("fields.contactPerson"), children: c.contactPerson || t("none") },
      { key: "contactPhone", label: t("fields.contactPhone"), children: c.contactPhone ? num(c.contactPhone) : t("none") },
    );
  }

  const appColumns: TableProps<ApplicationRow>["columns"] = [
    { key: "applicationNo", title: t("applications.no"), dataIndex: "applicationNo", render: (v: string) => num(v) },
    { key: "product", title: t("applications.product"), dataIndex: "product" },
    { key: "amount", title: t("applications.amount"), dataIndex: "amountFen", align: "right", render: (v: number) => num(formatYuan(v)) },
    { key: "submittedOn", title: t("applications.submittedOn"), dataIndex: "submittedOn", render: (v: string) => num(formatDate(v)) },
    { key: "decidedOn", title: t("applications.decidedOn"), dataIndex: "decidedOn", render: (v: string | null) => (v ? num(formatDate(v)) : t("none")) },
    { key: "status", title: t("applications.status"), dataIndex: "status", render: (v: ApplicationRow["status"]) => <StatusTag kind="applicationStatus" value={v} /> },
  ];

  const notComputed = (
    <Typography.Text type="secondary" title={t("loans.notComputedHint")}>
      {t("loans.notComputed")}
    </Typography.Text>
  );
  const loanColumns: TableProps<LoanSummary>["columns"] = [
    {
      key: "contractNo",
      width: 115,
      fixed: "left",
      title: t("loans.contractNo"),
      dataIndex: "contractNo",
      render: (v: string, l) => <Link href={`/loans/${l.id}`}>{num(v)}</Link>,
    },
    { key: "product", width: 120, title: t("loans.product"), dataIndex: "product" },
    { key: "principal", width: 135, title: t("loans.principal"), dataIndex: "principalFen", align: "right", render: (v: number) => num(formatYuan(v)) },
    {
      key: "outstanding",
      width: 135,
      title: t("loans.outstanding"),
      align: "right",
      render: (_: unknown, l) => (l.state ? num(formatYuan(l.state.outstandingPrincipalFen)) : notComputed),
    },
    {
      key: "dpd",
      width: 85,
      title: t("loans.dpd"),
      align: "right",
      render: (_: unknown, l) =>
        l.state ? (
          <span className="cw-num" style={{ color: l.state.dpd > 0 ? CLASSIFICATION_HEX[l.state.classification] : undefined, fontWeight: l.state.dpd > 0 ? 600 : undefined }}>
            {formatCount(l.state.dpd)}
          </span>
        ) : (
          notComputed
        ),
    },
    {
      key: "classification",
      width: 125,
      title: t("loans.classification"),
      render: (_: unknown, l) => (l.state ? <StatusTag kind="classification" value={l.state.classification} /> : notComputed),
    },
    { key: "status", width: 95, title: t("loans.status"), dataIndex: "status", render: (v: LoanSummary["status"]) => <StatusTag kind="loanStatus" value={v} /> },
    { key: "rate", width: 85, title: t("loans.rate"), dataIndex: "annualRate", align: "right", render: (v: string) => num(formatRate(v)) },
    { key: "term", width: 95, title: t("loans.term"), dataIndex: "termMonths", align: "right", render: (v: number) => t("loans.months", { n: v }) },
    { key: "method", width: 150, title: t("loans.method"), dataIndex: "method", render: (v: LoanSummary["method"]) => te(`repaymentMethod.${v}`) },
    { key: "disbursedOn", width: 110, title: t("loans.disbursedOn"), dataIndex: "disbursedOn", render: (v: string) => num(formatDate(v)) },
    { key: "maturityOn", width: 110, title: t("loans.maturityOn"), dataIndex: "maturityOn", render: (v: string) => num(formatDate(v)) },
    { key: "paid", width: 145, title: t("loans.paid"), dataIndex: "paidFen", align: "right", render: (v: number) => num(formatYuan(v)) },
  ];

  const firstLoan = loans.find((l) => l.status === "active") ?? loans[0];

  return (
    <Space orientation="vertical" size={16} style={{ width: "100%" }}>
      <Breadcrumb items={[{ title: <Link href="/customers">{ts("nav.customers")}</Link> }, { title: c.name }]} />
      <Space align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {c.name}
        </Typography.Title>
        <StatusTag kind="customerStatus" value={c.status} />
      </Space>
      <Card title={t("basicInfo")} size="small">
        <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2, lg: 3 }} items={info} />
      </Card>
      {children}
      <Card title={t("applications.title")} size="small">
        <DataTable<ApplicationRow> label={t("applications.title")} columns={appColumns} rows={applications} pager={{ size: 10 }} empty={t("applications.empty")} scroll={{ x: 800 }} />
      </Card>
      <Card title={t("loans.title")} size="small">
        <DataTable<LoanSummary>
          label={t("loans.title")}
          columns={loanColumns}
          rows={loans}
          empty={t("loans.empty")}
          scroll={{ x: 1510 }}
          expandable={{
            defaultExpandedRowKeys: firstLoan ? [firstLoan.id] : [],
            expandedRowRender: (loan) => <LoanDetail loan={loan} schedule={byLoan.s.get(loan.id) ?? []} repayments={byLoan.r.get(loan.id) ?? []} />,
          }}
        />
      </Card>
    </Space>
  );
}

function LoanDetail({ loan, schedule, repayments }: { loan: LoanSummary; schedule: InstallmentRow[]; repayments: RepaymentRow[] }) {
  const t = useTranslations("customerDetail");
  const scheduleColumns: TableProps<InstallmentRow>["columns"] = [
    { key: "no", title: t("schedule.no"), dataIndex: "installmentNo", align: "right", width: 90 },
    { key: "dueOn", title: t("schedule.dueOn"), dataIndex: "dueOn", render: (v: string) => num(formatDate(v)) },
    { key: "principalDue", title: t("schedule.principalDue"), dataIndex: "principalDueFen", align: "right", render: (v: number) => num(formatYuan(v)) },
    { key: "interestDue", title: t("schedule.interestDue"), dataIndex: "interestDueFen", align: "right", render: (v: number) => num(formatYuan(v)) },
    {
      key: "totalDue",
      title: t("schedule.totalDue"),
      align: "right",
      render: (_: unknown, r) => num(formatYuan(r.principalDueFen + r.interestDueFen)),
    },
  ];
  const repaymentColumns: TableProps<RepaymentRow>["columns"] = [
    { key: "paidOn", title: t("repayments.paidOn"), dataIndex: "paidOn", render: (v: string) => num(formatDate(v)) },
    { key: "amount", title: t("repayments.amount"), dataIndex: "amountFen", align: "right", render: (v: number) => num(formatYuan(v)) },
    { key: "source", title: t("repayments.source"), dataIndex: "source", render: (v: RepaymentRow["source"]) => <StatusTag kind="repaymentSource" value={v} /> },
    { key: "externalId", title: t("repayments.externalId"), dataIndex: "externalId", render: (v: string) => num(v) },
  ];
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return (
    <Tabs
      size="small"
      items={[
        {
          key: "schedule",
          label: t("schedule.title", { n: formatCount(schedule.length) }),
          children: (
            <DataTable<InstallmentRow>
              rowKey="installmentNo"
              label={t("schedule.tableLabel", { contractNo: loan.contractNo })}
              columns={scheduleColumns}
              rows={schedule}
              pager={{ size: 12, sizeChanger: false }}
              empty={t("schedule.empty")}
              totals={{
                label: t("schedule.total"),
                span: 2,
                figures: [
                  num(formatYuan(sum(schedule.map((s) => s.principalDueFen)))),
                  num(formatYuan(sum(schedule.map((s) => s.interestDueFen)))),
                  num(formatYuan(sum(schedule.map((s) => s.principalDueFen + s.interestDueFen)))),
                ],
              }}
            />
          ),
        },
        {
          key: "repayments",
          label: t("repayments.title", { n: formatCount(repayments.length) }),
          children: (
            <DataTable<RepaymentRow>
              label={t("repayments.tableLabel", { contractNo: loan.contractNo })}
              columns={repaymentColumns}
              rows={repayments}
              pager={{ size: 12, sizeChanger: false }}
              empty={t("repayments.empty")}
            />
          ),
        },
      ]}
    />
  );
}
