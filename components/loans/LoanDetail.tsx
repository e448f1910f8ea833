"use client";
// One loan: header, state cards, terms, the DPD / classification history, the schedule with a status per
// installment, and the repayments. Until the engine has computed the loan's state, an Alert says so instead of zeros.
import { Alert, Breadcrumb, Card, Col, Collapse, Descriptions, Empty, Row, Space, Statistic, Table, Tag, Typography } from "antd";
import type { DescriptionsProps, TableProps } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useMemo, type ReactNode } from "react";
import type { getLoanDetail } from "@/lib/loans/detail";
import { bucketKey, CLASSIFICATION_HEX, installmentStatuses, type InstallmentStatus } from "@/lib/loans/view";
import { formatCount, formatDate, formatRate, formatYuan } from "@/lib/format";
import { DpdHistoryChart } from "./DpdHistoryChart";
import { StatusTag } from "@/components/shell/StatusTag";

type Detail = Awaited<ReturnType<typeof getLoanDetail>>;
type ScheduleRow = Detail["schedule"][number];
type RepaymentRow = Detail["repayments"][number];
type HistoryRow = Detail["history"][number];
type State = NonNullable<Detail["state"]>;

const num = (s: string) => (
  <span className="cw-num" style={{ whiteSpace: "nowrap" }}>
    {s}
  </span>
);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

// Prepaid is orange as on the loan's status tag: paying ahead is a churn signal here, not a virtue.
const STATUS_COLOUR: Record<InstallmentStatus["status"], string> = { paid: "green", prepaid: "orange", paidLate: "gold", overdue: "red", due: "blue", upcoming: "default" };

export function LoanDetail({ detail }: { detail: Detail }) {
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

      {state ? <StateCards state={state} /> : <Alert type="info" showIcon title={t("notComputed.title")} description={t("notComputed.body")} />}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Card title={t("terms.title")} size="small" style={{ height: "100%" }}>
            <Descriptions size="small" bordered column={1} items={terms} />
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card title={t("chart.title")} size="small" style={{ height: "100%" }} role="region" aria-label={t("chart.title")}>
            <HistorySection loan={loan} state={state} history={history} />
          </Card>
        </Col>
      </Row>

      <ScheduleCard contractNo={loan.contractNo} schedule={schedule} state={state} />
      <RepaymentsCard contractNo={loan.contractNo} repayments={repayments} />
    </Space>
  );
}

function StateCards({ state }: { state: State }) {
  const t = useTranslations("loanDetail");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const withYuan = (label: string) => tc("withUnit", { label, unit: t("yuan") });
  const classColour = CLASSIFICATION_HEX[state.classification];
  const danger = CLASSIFICATION_HEX.doubtful;
  const cards: { key: string; title: string; value: string; colour?: string; extra?: ReactNode }[] = [
    { key: "outstanding", title: withYuan(t("stats.outstanding")), value: formatYuan(state.outstandingPrincipalFen) },
    {
      key: "overdue",
      title: withYuan(t("stats.overdue")),
      value: formatYuan(state.overduePrincipalFen + state.overdueInterestFen),
      colour: state.overduePrincipalFen + state.overdueInterestFen > 0 ? danger : undefined,
      extra: t("stats.overdueDetail", { principal: formatYuan(state.overduePrincipalFen), interest: formatYuan(state.overdueInterestFen) }),
    },
    { key: "penalty", title: withYuan(t("stats.penalty")), value: formatYuan(state.penaltyFen), colour: state.penaltyFen > 0 ? danger : undefined },
    { key: "dpd", title: t("stats.dpd"), value: formatCount(state.dpd), colour: state.dpd > 0 ? classColour : undefined },
    { key: "bucket", title: t("stats.bucket"), value: state.bucket, colour: state.dpd > 0 ? classColour : undefined, extra: te(`bucket.${bucketKey(state.bucket)}`) },
    { key: "classification", title: t("stats.classification"), value: te(`classification.${state.classification}`), colour: classColour },
    { key: "prepaid", title: withYuan(t("stats.prepaid")), value: formatYuan(state.prepaidPrincipalFen) },
  ];
  return (
    <Row gutter={[12, 12]} role="group" aria-label={t("stats.label")}>
      {cards.map((c) => (
        <Col key={c.key} flex="1 1 170px" data-testid={`loan-stat-${c.key}`}>
          <Card size="small" style={{ height: "100%" }}>
            <Statistic
              title={c.title}
              value={c.value}
              suffix={c.key === "dpd" ? t("stats.days") : undefined}
              styles={{ content: { fontVariantNumeric: "tabular-nums", fontSize: 22, ...(c.colour ? { color: c.colour } : {}) } }}
            />
            {c.extra && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {c.extra}
              </Typography.Text>
            )}
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function HistorySection({ loan, state, history }: { loan: Detail["loan"]; state: State | null; history: HistoryRow[] }) {
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
              <Table
                rowKey="seq"
                size="small"
                aria-label={t("changesLabel", { contractNo: loan.contractNo })}
                columns={columns}
                dataSource={history.map((h, i) => ({ ...h, seq: i + 1 }))}
                pagination={history.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
              />
            ),
          },
        ]}
      />
    </>
  );
}

function ScheduleCard({ contractNo, schedule, state }: { contractNo: string; schedule: ScheduleRow[]; state: State | null }) {
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
      <Table<Row>
        rowKey="installmentNo"
        size="small"
        aria-label={t("tableLabel", { contractNo })}
        columns={columns}
        dataSource={rows}
        scroll={{ x: state ? 1100 : 600 }}
        // Open on the page holding the oldest installment still owed: that is where the reader looks first.
        pagination={rows.length > pageSize ? { pageSize, showSizeChanger: false, defaultCurrent: firstOpen > 0 ? Math.floor(firstOpen / pageSize) + 1 : 1 } : false}
        locale={{ emptyText: t("empty") }}
        summary={() =>
          rows.length ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={2}>
                {t("total")}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {money(sum(rows.map((r) => r.principalDueFen)))}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {money(sum(rows.map((r) => r.interestDueFen)))}
              </Table.Summary.Cell>
              {state && (
                <>
                  <Table.Summary.Cell index={4} align="right">
                    {money(sum(rows.map((r) => r.paidPrincipalFen)))}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">
                    {money(sum(rows.map((r) => r.paidInterestFen)))}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={6} align="right">
                    {num(`${formatYuan(sum(rows.map((r) => r.paidPenaltyFen)))} / ${formatYuan(sum(rows.map((r) => r.penaltyAccruedFen)))}`)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={7} colSpan={2} />
                </>
              )}
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}

function RepaymentsCard({ contractNo, repayments }: { contractNo: string; repayments: RepaymentRow[] }) {
  const t = useTranslations("loanDetail.repayments");
  const columns: TableProps<RepaymentRow>["columns"] = [
    { key: "paidOn", title: t("paidOn"), dataIndex: "paidOn", render: (v: string) => num(formatDate(v)) },
    { key: "amount", title: t("amount"), dataIndex: "amountFen", align: "right", render: (v: number) => num(formatYuan(v)) },
    { key: "source", title: t("source"), dataIndex: "source", render: (v: RepaymentRow["source"]) => <StatusTag kind="repaymentSource" value={v} /> },
    { key: "externalId", title: t("externalId"), dataIndex: "externalId", render: (v: string) => num(v) },
  ];
  return (
    <Card title={t("title", { n: formatCount(repayments.length) })} size="small">
      <Table<RepaymentRow>
        rowKey="id"
        size="small"
        aria-label={t("tableLabel", { contractNo })}
        columns={columns}
        dataSource={repayments}
        pagination={repayments.length > 12 ? { pageSize: 12, showSizeChanger: false } : false}
        locale={{ emptyText: t("empty") }}
        summary={() =>
          repayments.length ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t("total")}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {num(formatYuan(sum(repayments.map((r) => r.amountFen))))}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} colSpan={2} />
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}
