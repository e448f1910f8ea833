"use client";
// The supervisor dashboard: intervention, churn, portfolio quality and the pre-loan funnel for a period and a branch.
// Every figure links to the list behind it (the task board, the churn list, the warnings list, the customers list, the
// applications list) filtered the way the figure counts. The first view is rendered on the server; a new period or branch is read from the API.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Card, Col, Empty, Row, Space, Statistic, Table, Typography } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { boardHref } from "@/components/board/boardLink";
import { HBarChart } from "@/components/charts/HBarChart";
import { TrendChart } from "@/components/charts/TrendChart";
import { getJson } from "@/components/shell/api";
import { QueryError } from "@/components/shell/QueryError";
import { StatCards } from "@/components/shell/StatCards";
import { ChurnSection, churnHref } from "./ChurnSection";
import type { Dashboard as Data } from "@/lib/dashboard/queries";
import { fenToScale, formatCount, formatDateTime, formatPercent, moneyScale, ratio } from "@/lib/format";
import { SEVERITIES_DESC, TASK_OUTCOMES, type Classification, type Severity } from "@/lib/vocabulary";
import { PeriodPicker, type Branch, type PeriodParams } from "./PeriodPicker";

export type DashboardParams = PeriodParams;

const CLASS_COLOUR: Record<Classification, string> = { normal: "#52c41a", special_mention: "#faad14", substandard: "#fa8c16", doubtful: "#f5222d", loss: "#820014" };
const OUTCOME_COLOUR = { retained: "#389e0d", restructured: "#13a8a8", recovered: "#1d4ed8", churned: "#cf1322", false_alarm: "#8c8c8c" } as const;
const SEVERITY_HEX: Record<Severity, string> = { critical: "#cf1322", high: "#d46b08", medium: "#d4b106", low: "#1d4ed8" };

export function Dashboard({ initial, initialParams, branches }: { initial: Data; initialParams: DashboardParams; branches: Branch[] | null }) {
  const t = useTranslations("dashboard");
  const tc = useTranslations("common");
  const te = useTranslations("enums");
  const tt = useTranslations("tasks");
  const locale = useLocale();
  const en = locale === "en";
  const router = useRouter();
  const [params, setParams] = useState<DashboardParams>(initialParams);
  const query = useQuery({
    queryKey: ["dashboard", params],
    queryFn: () => getJson<Data>("/api/v1/dashboard", params),
    initialData: params === initialParams ? initial : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 5 * 60_000,
  });
  const data = query.data ?? initial;

  // A shared link or a reload keeps the period and branch.
  useEffect(() => {
    const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== "") as [string, string][]).toString();
    window.history.replaceState(null, "", q ? `?${q}` : window.location.pathname);
  }, [params]);

  const { from, to } = data.period;
  const i = data.intervention;
  const scale = moneyScale(locale);
  const unit = tc(scale.unit);
  const money = useCallback((fen: number) => fenToScale(fen, locale).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }), [locale]);
  const board = (p: Parameters<typeof boardHref>[0]) => boardHref({ branchId: params.branchId, ...p });
  const closedInPeriod = { closedFrom: from, closedTo: to };
  const openedInPeriod = { openedFrom: from, openedTo: to };
  const contactRate = ratio(i.contactSla.met, i.contactSla.decided);
  const resolveRate = ratio(i.resolveSla.met, i.resolveSla.decided);
  const retention = ratio(i.retention.retained, i.retention.intervened);
  const retentionByEvents = ratio(i.retentionByEvents.retained, i.retentionByEvents.intervened);
  const hours = (h: number | null) => (h == null ? "—" : t("hours", { h: h.toFixed(1) }));

  const picker = <PeriodPicker params={params} setParams={setParams} shown={data.period} branches={branches} testId="dashboard-period" />;

  // ---- intervention ----
  const rmColumns: TableProps<Data["intervention"]["firstContact"][number]>["columns"] = [
    {
      key: "rm",
      title: t("firstContact.rm"),
      render: (_, r) => <Link href={board({ assigneeId: r.assigneeId ?? "none", ...openedInPeriod })}>{r.assigneeName ?? t("unassigned")}</Link>,
    },
    { key: "tasks", title: t("firstContact.tasks"), dataIndex: "tasks", align: "right", width: 90 },
    { key: "median", title: t("firstContact.median"), align: "right", width: 120, render: (_, r) => hours(r.medianHours) },
    { key: "p90", title: t("firstContact.p90"), align: "right", width: 120, render: (_, r) => hours(r.p90Hours) },
  ];
  const outcomeValues = TASK_OUTCOMES.map((o) => i.outcomes[o]);
  const outcomeLabels = useMemo(() => TASK_OUTCOMES.map((o) => tt(`outcome.${o}`)), [tt]);
  const outcomeColours = useMemo(() => TASK_OUTCOMES.map((o) => OUTCOME_COLOUR[o]), []);
  const countFormat = useCallback((v: number) => formatCount(v), []);

  // ---- portfolio ----
  const p = data.portfolio;
  const totalBalance = p.mix.reduce((s, m) => s + m.balanceFen, 0);
  const mixColumns: TableProps<Data["portfolio"]["mix"][number]>["columns"] = [
    { key: "class", title: t("quality.class"), render: (_, m) => <span style={{ borderLeft: `4px solid ${CLASS_COLOUR[m.classification]}`, paddingLeft: 8, whiteSpace: "nowrap" }}>{te(`classification.${m.classification}`)}</span> },
    { key: "loans", title: t("quality.loans"), dataIndex: "loans", align: "right" },
    {
      key: "customers",
      title: t("quality.customers"),
      align: "right",
      render: (_, m) => (m.customers ? <Link href={`/customers?classification=${m.classification}${params.branchId ? `&branchId=${params.branchId}` : ""}`}>{formatCount(m.customers)}</Link> : 0),
    },
    { key: "balance", title: tc("withUnit", { label: t("quality.balance"), unit }), align: "right", render: (_, m) => money(m.balanceFen) },
    { key: "share", title: t("quality.share"), align: "right", render: (_, m) => formatPercent(ratio(m.balanceFen, totalBalance)) },
  ];
  const months = useMemo(() => p.trend.map((x) => x.monthEnd.slice(0, 7)), [p.trend]);
  const trendBars = useMemo(
    () => (["substandard", "doubtful", "loss"] as const).map((k) => ({ name: te(`classification.${k}`), colour: CLASS_COLOUR[k], values: p.trend.map((x) => fenToScale(x.byClass[k], locale)) })),
    [p.trend, te, locale],
  );
  const trendLine = useMemo(() => ({ name: t("quality.nplRatio"), colour: "#1d4ed8", values: p.trend.map((x) => (x.nplRatio == null ? null : Math.round(x.nplRatio * 10000) / 100)) }), [p.trend, t]);
  const lastNpl = p.trend.at(-1)?.nplRatio ?? null;

  type RuleRow = { ruleId: number; name: string } & Partial<Record<Severity, number>>;
  const ruleRows = useMemo(() => {
    const m = new Map<number, RuleRow>();
    for (const w of p.warnings) {
      const r = m.get(w.ruleId) ?? { ruleId: w.ruleId, name: en ? w.ruleNameEn : w.ruleNameZh };
      r[w.severity] = w.count;
      m.set(w.ruleId, r);
    }
    return [...m.values()];
  }, [p.warnings, en]);
  const warningHref = (ruleId: number, severity: Severity) =>
    `/warnings?ruleId=${ruleId}&severity=${severity}&openedFrom=${from}&openedTo=${to}${params.branchId ? `&branchId=${params.branchId}` : ""}`;
  const ruleColumns: TableProps<RuleRow>["columns"] = [
    { key: "rule", title: t("warnings.rule"), dataIndex: "name", ellipsis: true },
    ...SEVERITIES_DESC.map((s) => ({
      key: s,
      title: te(`severity.${s}`),
      align: "right" as const,
      width: 84,
      render: (_: unknown, r: RuleRow) => (r[s] ? <Link href={warningHref(r.ruleId, s)} style={{ color: SEVERITY_HEX[s] }}>{r[s]}</Link> : <Typography.Text type="secondary">0</Typography.Text>),
    })),
  ];

  // ---- funnel ----
  const f = data.funnel;
  const funnelCats = [t("funnel.applied"), t("funnel.approved"), t("funnel.drawn")];
  const funnelValues = [f.applied, f.approved, f.drawn];
  const FUNNEL_STEPS = ["applied", "approved", "drawn"] as const;
  const appsHref = (step: string) => `/applications?step=${step}&submittedFrom=${from}&submittedTo=${to}${params.branchId ? `&branchId=${params.branchId}` : ""}`;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="dashboard">
      {picker}
      {/* A kept answer can be a few minutes old (lib/dashboard/queries.ts): a reader must know when the figures were read. */}
      <Typography.Text type="secondary" data-testid="dashboard-computed-at">
        {t("computedAt", { at: formatDateTime(data.computedAt) })}
      </Typography.Text>
      <QueryError error={query.error} title={t("loadError")} onRetry={() => void query.refetch()} />

      <Typography.Title level={4} style={{ margin: 0 }}>
        {t("intervention.title")}
      </Typography.Title>
      <StatCards
        items={[
          { key: "open", label: t("intervention.open"), value: i.open, href: board({ state: "open" }) },
          { key: "acknowledged", label: t("intervention.acknowledged"), value: i.acknowledged, href: board({ state: "acknowledged" }) },
          { key: "inProgress", label: t("intervention.inProgress"), value: i.inProgress, href: board({ state: "in_progress" }) },
          { key: "escalated", label: t("intervention.escalated"), value: i.escalated, tone: "warning", href: board({ state: "escalated" }) },
          { key: "overdue", label: t("intervention.overdue"), value: i.overdue, tone: "danger", href: board({ state: "overdue" }) },
          { key: "resolved", label: t("intervention.resolved"), value: i.resolved, href: board({ state: "resolved", ...closedInPeriod }) },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12} xl={6}>
          <Card size="small" style={{ height: "100%" }}>
            <Link href={board({ state: "open", ...openedInPeriod })} style={{ color: "inherit" }} data-testid="stat-contactSla">
              <Statistic title={t("intervention.contactSla")} value={formatPercent(contactRate)} />
              <Typography.Text type="secondary">{t("intervention.slaOf", { met: i.contactSla.met, decided: i.contactSla.decided })}</Typography.Text>
            </Link>
          </Card>
        </Col>
        <Col xs={24} md={12} xl={6}>
          <Card size="small" style={{ height: "100%" }}>
            <Link href={board({ state: "resolved", ...openedInPeriod })} style={{ color: "inherit" }} data-testid="stat-resolveSla">
              <Statistic title={t("intervention.resolveSla")} value={formatPercent(resolveRate)} />
              <Typography.Text type="secondary">{t("intervention.slaOf", { met: i.resolveSla.met, decided: i.resolveSla.decided })}</Typography.Text>
            </Link>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" style={{ height: "100%" }}>
            <Row gutter={8}>
              <Col span={12}>
                <Link href={board({ state: "resolved", ...closedInPeriod })} style={{ color: "inherit" }} data-testid="stat-retention">
                  <Statistic title={t("intervention.retention")} value={formatPercent(retention)} />
                  <Typography.Text type="secondary">{t("intervention.retentionOf", { retained: i.retention.retained, intervened: i.retention.intervened })}</Typography.Text>
                </Link>
              </Col>
              <Col span={12}>
                <Link href={churnHref({ from, to }, {}, params.branchId)} style={{ color: "inherit" }} data-testid="stat-retentionByEvents">
                  <Statistic title={t("intervention.retentionByEvents")} value={formatPercent(retentionByEvents)} />
                  <Typography.Text type="secondary">
                    {t("intervention.retentionByEventsOf", { retained: i.retentionByEvents.retained, intervened: i.retentionByEvents.intervened })}
                  </Typography.Text>
                </Link>
              </Col>
            </Row>
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t("intervention.outcomes")} style={{ height: "100%" }}>
            {i.resolved ? (
              <HBarChart
                label={t("intervention.outcomesLabel")}
                categories={outcomeLabels}
                values={outcomeValues}
                colours={outcomeColours}
                format={countFormat}
                onSelect={(k) => router.push(board({ state: "resolved", outcome: TASK_OUTCOMES[k], ...closedInPeriod }))}
              />
            ) : (
              <Empty description={t("intervention.outcomesEmpty")} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            title={t("firstContact.title")}
            style={{ height: "100%" }}
            extra={<Typography.Text type="secondary">{t("firstContact.all", { median: hours(i.firstContactAll.medianHours), p90: hours(i.firstContactAll.p90Hours) })}</Typography.Text>}
          >
            <Table
              size="small"
              rowKey={(r) => String(r.assigneeId)}
              columns={rmColumns}
              dataSource={i.firstContact}
              pagination={false}
              aria-label={t("firstContact.title")}
              locale={{ emptyText: <Empty description={t("firstContact.empty")} /> }}
            />
          </Card>
        </Col>
      </Row>

      <ChurnSection data={data.churn} period={data.period} branchId={params.branchId} />

      <Typography.Title level={4} style={{ margin: "8px 0 0" }}>
        {t("quality.title")}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t("quality.mix", { date: p.asOf ?? "—" })} style={{ height: "100%" }}>
            <Table size="small" rowKey="classification" columns={mixColumns} dataSource={p.mix} pagination={false} aria-label={t("quality.mixLabel")} />
            <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
              {t("quality.nplNow")} <Typography.Text strong data-testid="npl-ratio">{formatPercent(lastNpl, 2)}</Typography.Text>
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t("quality.trend")} style={{ height: "100%" }}>
            {p.trend.some((x) => x.totalFen > 0) ? (
              <TrendChart months={months} bars={trendBars} line={trendLine} unit={unit} label={t("quality.trendLabel", { unit })} />
            ) : (
              <Empty description={t("quality.trendEmpty")} />
            )}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t("warnings.title")}>
        <Table
          size="small"
          rowKey="ruleId"
          columns={ruleColumns}
          dataSource={ruleRows}
          pagination={ruleRows.length > 10 ? { pageSize: 10, size: "small" } : false}
          aria-label={t("warnings.title")}
          locale={{ emptyText: <Empty description={t("warnings.empty")} /> }}
        />
      </Card>

      <Typography.Title level={4} style={{ margin: "8px 0 0" }}>
        {t("funnel.title")}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t("funnel.chart")} style={{ height: "100%" }}>
            {f.applied ? (
              <>
                <HBarChart
                  label={t("funnel.chartLabel")}
                  categories={funnelCats}
                  values={funnelValues}
                  colours={["#1d4ed8", "#13a8a8", "#389e0d"]}
                  format={countFormat}
                  onSelect={(k) => router.push(appsHref(FUNNEL_STEPS[k]!))}
                />
                <Space wrap size="middle" style={{ marginBottom: 4 }}>
                  {FUNNEL_STEPS.map((s, k) => (
                    <Link key={s} href={appsHref(s)} data-testid={`funnel-${s}`}>
                      {t("funnel.listOf", { step: funnelCats[k]!, n: funnelValues[k]! })}
                    </Link>
                  ))}
                </Space>
                <br />
                <Typography.Text type="secondary">
                  {t("funnel.amounts", { applied: money(f.appliedFen), approved: money(f.approvedFen), drawn: money(f.drawnFen), unit })}
                </Typography.Text>
              </>
            ) : (
              <Empty description={t("funnel.empty")} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t("funnel.cycle")} style={{ height: "100%" }}>
            <Row gutter={16}>
              <Col span={8}>
                <Statistic title={t("funnel.median")} value={f.cycle.medianDays ?? "—"} suffix={f.cycle.medianDays == null ? undefined : t("days")} />
              </Col>
              <Col span={8}>
                <Statistic title={t("funnel.p90")} value={f.cycle.p90Days ?? "—"} suffix={f.cycle.p90Days == null ? undefined : t("days")} />
              </Col>
              <Col span={8}>
                <Statistic title={t("funnel.avg")} value={f.cycle.avgDays ?? "—"} suffix={f.cycle.avgDays == null ? undefined : t("days")} />
              </Col>
            </Row>
            <Space wrap size="middle" style={{ marginTop: 12 }}>
              <Link href={appsHref("decided")}>{t("funnel.decidedN", { n: f.cycle.decided })}</Link>
              <Link href={appsHref("rejected")}>{t("funnel.rejectedN", { n: f.rejected })}</Link>
              <Link href={appsHref("withdrawn")}>{t("funnel.withdrawnN", { n: f.withdrawn })}</Link>
              <Link href={appsHref("pending")}>{t("funnel.pendingN", { n: f.pending })}</Link>
            </Space>
          </Card>
        </Col>
      </Row>
      <Typography.Text type="secondary">{t("definitions")}</Typography.Text>
    </Space>
  );
}
