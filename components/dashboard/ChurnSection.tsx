"use client";
// The dashboard's churn section: churn events (not dismissed) of the period against the same window a year earlier —
// totals, month by month, by stage and will, reason family, industry section and branch. Each figure opens the churn
// list (/churn) filtered the way it counts; a bar of the year-earlier series opens that window's list.
import { Card, Col, Empty, Row, Segmented, Table, Typography } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { CompareChart } from "@/components/charts/CompareChart";
import { StatCards } from "@/components/shell/StatCards";
import { yearEarlier, type Period } from "@/lib/dashboard/period";
import type { ChurnCompare, ChurnFigures, ChurnSection as Data } from "@/lib/dashboard/queries";
import { fenToScale, formatCount, formatPercent, moneyScale } from "@/lib/format";
import { SECTIONS } from "@/lib/reference/industries";
import { REASON_FAMILIES, STAGES, WILLS } from "@/lib/vocabulary";

type Metric = "customers" | "balance";
type ListFilter = { stage?: string; will?: string; reasonFamily?: string; industry?: string; branchId?: number };

const CURRENT = "#cf1322";
const PREVIOUS = "#8c8c8c";

/** The churn list's address for a window and a breakdown: events that stand (not dismissed), as the figures count. */
export function churnHref(w: Period, f: ListFilter, branchId?: number): string {
  const q = new URLSearchParams({ status: "standing", from: w.from, to: w.to });
  for (const [k, v] of Object.entries({ ...f, branchId: f.branchId ?? branchId })) if (v !== undefined && v !== null) q.set(k, String(v));
  return `/churn?${q.toString()}`;
}

export function ChurnSection({ data, period, branchId }: { data: Data; period: Period; branchId?: number }) {
  const t = useTranslations("dashboard.churn");
  const tc = useTranslations("common");
  const te = useTranslations("enums");
  const tch = useTranslations("churn");
  const locale = useLocale();
  const en = locale === "en";
  const router = useRouter();
  const [metric, setMetric] = useState<Metric>("balance");
  const scale = moneyScale(locale);
  const unit = tc(scale.unit);
  const prev = data.previous;
  const money = useCallback((fen: number) => fenToScale(fen, locale).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }), [locale]);
  const valueOf = useCallback((f: ChurnFigures) => (metric === "customers" ? f.customers : fenToScale(f.balanceFen, locale)), [metric, locale]);
  const fmt = useCallback((v: number) => (metric === "customers" ? formatCount(v) : v.toLocaleString("en-US", { maximumFractionDigits: 2 })), [metric]);
  const series = useCallback(
    (rows: ChurnCompare[]) => ({
      current: { name: t("current", { from: period.from, to: period.to }), colour: CURRENT, values: rows.map((r) => valueOf(r.current)) },
      previous: { name: t("previous", { from: prev.from, to: prev.to }), colour: PREVIOUS, values: rows.map((r) => valueOf(r.previous)) },
    }),
    [t, period, prev, valueOf],
  );
  const windowOf = (which: 0 | 1) => (which === 0 ? period : prev);
  const metricName = metric === "customers" ? t("customers") : tc("withUnit", { label: t("balance"), unit });

  // Month k's own window inside the period (the first and last months may be partial), or a year earlier.
  const monthWindow = (month: string, which: 0 | 1): Period => {
    const y = Number(month.slice(0, 4));
    const m = Number(month.slice(5, 7));
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    const w = { from: `${month}-01` < period.from ? period.from : `${month}-01`, to: last > period.to ? period.to : last };
    return which === 0 ? w : yearEarlier(w);
  };
  const months = data.months;
  const monthSeries = useMemo(() => series(months), [series, months]);

  const ALL_REASONS = [...REASON_FAMILIES, null] as const;
  const reasons = useMemo(
    () => ALL_REASONS.map((k) => data.byReason.find((r) => r.reasonFamily === k) ?? { reasonFamily: k, current: ZERO, previous: ZERO }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data.byReason],
  );
  const reasonSeries = useMemo(() => series(reasons), [series, reasons]);
  const reasonLabels = useMemo(() => reasons.map((r) => (r.reasonFamily ? te(`reasonFamily.${r.reasonFamily}`) : tch("reasonUndetermined"))), [reasons, te, tch]);

  // The ten industry sections with the most lost balance (either window).
  const industries = useMemo(() => data.byIndustry.slice(0, 10), [data.byIndustry]);
  const industrySeries = useMemo(() => series(industries), [series, industries]);
  const industryLabels = useMemo(
    () => industries.map((r) => {
      const s = SECTIONS.find((x) => x.letter === r.industry);
      return s ? `${s.letter} ${en ? s.en : s.zh}` : r.industry;
    }),
    [industries, en],
  );
  const branchSeries = useMemo(() => series(data.byBranch), [series, data.byBranch]);
  const branchLabels = useMemo(() => data.byBranch.map((b) => (en ? b.branchNameEn : b.branchName)), [data.byBranch, en]);

  type Row = { key: string; label: string; filter: ListFilter } & ChurnCompare;
  const dimRows: Row[] = [
    ...STAGES.map((s) => ({ key: `stage:${s}`, label: te(`churnStage.${s}`), filter: { stage: s }, ...(data.byStage.find((r) => r.stage === s) ?? { current: ZERO, previous: ZERO }) })),
    ...WILLS.map((w) => ({ key: `will:${w}`, label: te(`churnWill.${w}`), filter: { will: w }, ...(data.byWill.find((r) => r.will === w) ?? { current: ZERO, previous: ZERO }) })),
  ];
  const change = (cur: number, before: number) => (before > 0 ? formatPercent((cur - before) / before) : "—");
  const dimColumns: TableProps<Row>["columns"] = [
    { key: "label", title: t("dimension"), render: (_, r) => <span style={{ whiteSpace: "nowrap" }}>{r.label}</span> },
    {
      key: "customers",
      title: t("customers"),
      align: "right",
      render: (_, r) => (r.current.events ? <Link href={churnHref(period, r.filter, branchId)}>{formatCount(r.current.customers)}</Link> : 0),
    },
    { key: "balance", title: tc("withUnit", { label: t("balance"), unit }), align: "right", render: (_, r) => money(r.current.balanceFen) },
    {
      key: "prevCustomers",
      title: t("customersBefore"),
      align: "right",
      render: (_, r) => (r.previous.events ? <Link href={churnHref(prev, r.filter, branchId)}>{formatCount(r.previous.customers)}</Link> : 0),
    },
    { key: "prevBalance", title: tc("withUnit", { label: t("balanceBefore"), unit }), align: "right", render: (_, r) => money(r.previous.balanceFen) },
    { key: "change", title: t("change"), align: "right", render: (_, r) => change(r.current.balanceFen, r.previous.balanceFen) },
  ];

  const tot = data.total;
  const any = tot.current.events + tot.previous.events > 0;
  return (
    <>
      <Typography.Title level={4} style={{ margin: "8px 0 0" }}>
        {t("title")}
      </Typography.Title>
      <StatCards
        items={[
          { key: "churnCustomers", label: t("customers"), value: tot.current.customers, tone: "danger", href: churnHref(period, {}, branchId) },
          { key: "churnEvents", label: t("events"), value: tot.current.events, href: churnHref(period, {}, branchId) },
          { key: "churnBalance", label: tc("withUnit", { label: t("balance"), unit }), value: fenToScale(tot.current.balanceFen, locale), precision: 2, href: churnHref(period, {}, branchId) },
          { key: "churnLoss", label: tc("withUnit", { label: t("loss"), unit }), value: fenToScale(tot.current.lossFen, locale), precision: 2, tone: "danger", href: churnHref(period, {}, branchId) },
          { key: "churnBefore", label: t("customersBeforeCard", { from: prev.from, to: prev.to }), value: tot.previous.customers, href: churnHref(prev, {}, branchId) },
        ]}
      />
      {any ? (
        <>
          <Segmented<Metric>
            aria-label={t("metric")}
            value={metric}
            onChange={setMetric}
            options={[
              { value: "balance", label: tc("withUnit", { label: t("balance"), unit }) },
              { value: "customers", label: t("customers") },
            ]}
          />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <Card size="small" title={t("byMonth", { metric: metricName })} style={{ height: "100%" }}>
                <CompareChart
                  vertical
                  label={t("byMonthLabel", { metric: metricName })}
                  categories={months.map((m) => m.month)}
                  {...monthSeries}
                  format={fmt}
                  onSelect={(k, which) => router.push(churnHref(monthWindow(months[k]!.month, which), {}, branchId))}
                />
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t("byReason", { metric: metricName })} style={{ height: "100%" }}>
                <CompareChart
                  label={t("byReasonLabel", { metric: metricName })}
                  categories={reasonLabels}
                  {...reasonSeries}
                  format={fmt}
                  onSelect={(k, which) => router.push(churnHref(windowOf(which), { reasonFamily: reasons[k]!.reasonFamily ?? "undetermined" }, branchId))}
                />
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t("byStageWill")} style={{ height: "100%" }}>
                <Table size="small" rowKey="key" columns={dimColumns} dataSource={dimRows} pagination={false} aria-label={t("byStageWill")} scroll={{ x: true }} />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t("byIndustry", { metric: metricName })} style={{ height: "100%" }}>
                <CompareChart
                  label={t("byIndustryLabel", { metric: metricName })}
                  categories={industryLabels}
                  {...industrySeries}
                  format={fmt}
                  onSelect={(k, which) => router.push(churnHref(windowOf(which), { industry: industries[k]!.industry }, branchId))}
                />
              </Card>
            </Col>
          </Row>
          {data.byBranch.length > 1 ? (
            <Card size="small" title={t("byBranch", { metric: metricName })}>
              <CompareChart
                label={t("byBranchLabel", { metric: metricName })}
                categories={branchLabels}
                {...branchSeries}
                format={fmt}
                onSelect={(k, which) => router.push(churnHref(windowOf(which), { branchId: data.byBranch[k]!.branchId }))}
              />
            </Card>
          ) : null}
        </>
      ) : (
        <Card size="small">
          <Empty description={t("empty")} />
        </Card>
      )}
    </>
  );
}

const ZERO: ChurnFigures = { customers: 0, events: 0, balanceFen: 0, lossFen: 0 };
