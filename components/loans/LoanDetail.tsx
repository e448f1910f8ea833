"use client";
// One loan: header, state cards, terms, the DPD / classification history, the schedule with a status per
// installment, and the repayments. Until the engine has computed the loan's state, an Alert says so instead of zeros.
import { Alert, Breadcrumb, Card, Col, Descriptions, Row, Space, Typography } from "antd";
import type { DescriptionsProps } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { num } from "@/components/shell/num";
import { StatusTag } from "@/components/shell/StatusTag";
import { formatDate, formatRate, formatYuan } from "@/lib/format";
import { LoanHistory } from "./LoanHistory";
import { LoanRepayments } from "./LoanRepayments";
import { LoanSchedule } from "./LoanSchedule";
import { LoanStateCards } from "./LoanStateCards";
import type { LoanDetailData } from "./types";

export function LoanDetail({ detail }: { detail: LoanDetailData }) {
  const t = useTranslations("loanDetail");
  const ts = useTranslations("shell");
  const te = useTranslations("enums");
  const { loan, state, schedule, repayments, history } = detail;

  const none = t("none");
  const date = (v: string | null) => (v ? num(formatDate(v)) : none);

  const terms: DescriptionsProps["items"] = [
    { key: "principal", label: t("terms.principal"), children: num(formatYuan(loan.principalFen)) },
    { key: "rate", label: t("terms.rate"), children: num(formatRate(loan.annualRate)) },
    { key: "term", label: t("terms.term"), children: t("terms.months", { n: loan.termMonths }) },
    { key: "method", label: t("terms.method"), children: te(`repaymentMethod.${loan.method}`) },
    { key: "disbursedOn", label: t("terms.disbursedOn"), children: date(loan.disbursedOn) },
    { key: "maturityOn", label: t("terms.maturityOn"), children: date(loan.maturityOn) },
    { key: "status", label: t("terms.status"), children: <StatusTag kind="loanStatus" value={loan.status} /> },
  ];
  if (loan.closedOn) terms.push({ key: "closedOn", label: t("terms.closedOn"), children: date(loan.closedOn) });
  if (state) {
    terms.push(
      { key: "nextDueOn", label: t("terms.nextDueOn"), children: date(state.nextDueOn) },
      { key: "lastPaidOn", label: t("terms.lastPaidOn"), children: date(state.lastPaidOn) },
    );
    if (state.settledOn) terms.push({ key: "settledOn", label: t("terms.settledOn"), children: date(state.settledOn) });
    terms.push(
      { key: "paidPrincipal", label: t("terms.paidPrincipal"), children: num(formatYuan(state.paidPrincipalFen)) },
      { key: "paidInterest", label: t("terms.paidInterest"), children: num(formatYuan(state.paidInterestFen)) },
      { key: "paidPenalty", label: t("terms.paidPenalty"), children: num(formatYuan(state.paidPenaltyFen)) },
    );
  }

  return (
    <Space orientation="vertical" size={16} style={{ width: "100%" }}>
      <Breadcrumb
        items={[
          { title: <Link href="/customers">{ts("nav.customers")}</Link> },
          { title: <Link href={`/customers/${loan.customerId}`}>{loan.customerName}</Link> },
          { title: t("breadcrumb", { contractNo: loan.contractNo }) },
        ]}
      />
      <div>
        <Space align="center" wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t("title", { contractNo: loan.contractNo })}
          </Typography.Title>
          <StatusTag kind="loanStatus" value={loan.status} />
          {state && <StatusTag kind="classification" value={state.classification} />}
        </Space>
        <Space separator={<Typography.Text type="secondary">·</Typography.Text>} wrap style={{ display: "flex", marginTop: 8 }}>
          <span>
            <Typography.Text type="secondary">{t("customer")}</Typography.Text>
            <Link href={`/customers/${loan.customerId}`}>{loan.customerName}</Link> <Typography.Text type="secondary">{num(loan.customerNo)}</Typography.Text>
          </span>
          <span>
            <Typography.Text type="secondary">{t("product")}</Typography.Text>
            {loan.product}
          </span>
          {state && <Typography.Text type="secondary">{t("asOf", { date: formatDate(state.asOf) })}</Typography.Text>}
        </Space>
      </div>

      {state ? <LoanStateCards state={state} /> : <Alert type="info" showIcon title={t("notComputed.title")} description={t("notComputed.body")} />}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Card title={t("terms.title")} size="small" style={{ height: "100%" }}>
            <Descriptions size="small" bordered column={1} items={terms} />
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card title={t("chart.title")} size="small" style={{ height: "100%" }} role="region" aria-label={t("chart.title")}>
            <LoanHistory loan={loan} state={state} history={history} />
          </Card>
        </Col>
      </Row>

      <LoanSchedule contractNo={loan.contractNo} schedule={schedule} state={state} />
      <LoanRepayments contractNo={loan.contractNo} repayments={repayments} />
    </Space>
  );
}
