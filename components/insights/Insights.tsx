"use client";
// Warning quality (/insights): how good each rule's warnings are and how staff act on them, for a period, a branch
// (admins) and a horizon H. Every figure links to the warnings, churn events or tasks it counts. The first view is
// rendered on the server; a new period, branch or horizon is read from GET /api/v1/insights/rules and /staff.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Card, Col, Row, Select, Space, Statistic, Typography } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { boardHref } from "@/components/board/boardLink";
import { HBarChart } from "@/components/charts/HBarChart";
import { PeriodPicker, type Branch, type PeriodParams } from "@/components/dashboard/PeriodPicker";
import { getJson } from "@/components/shell/api";
import { DataTable } from "@/components/shell/DataTable";
import { QueryError } from "@/components/shell/QueryError";
import { formatCount, formatDateTime, formatPercent } from "@/lib/format";
import type { RulesInsights, StaffInsights, StaffRow } from "@/lib/insights/queries";
import { eventsHref, warningsHref } from "./links";
import { RuleQualityTable } from "./RuleQualityTable";

export type InsightsViewParams = PeriodParams & { horizon?: number };
type Data = { rules: RulesInsights; staff: StaffInsights };

const HORIZONS = [90, 180, 365];

function Figure({ label, value, sub, href, testId }: { label: ReactNode; value: ReactNode; sub?: ReactNode; href?: string; testId: string }) {
  const stat = <Statistic title={label} value={value as string} styles={{ content: { fontVariantNumeric: "tabular-nums" } }} />;
  return (
    <Col flex="1 1 170px" data-testid={`insight-${testId}`}>
      <Card size="small" hoverable={Boolean(href)}>
        {href ? (
          <Link href={href} style={{ color: "inherit", display: "block" }}>
            {stat}
          </Link>
        ) : (
          stat
        )}
        {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
      </Card>
    </Col>
  );
}

export function Insights({ initial, initialParams, branches }: { initial: Data; initialParams: InsightsViewParams; branches: Branch[] | null }) {
  const t = useTranslations("insights");
  const te = useTranslations("enums");
  const en = useLocale() === "en";
  const router = useRouter();
  const [params, setParams] = useState<InsightsViewParams>(initialParams);
  const query = useQuery({
    queryKey: ["insights", params],
    queryFn: async (): Promise<Data> => {
      const [rules, staff] = await Promise.all([getJson<RulesInsights>("/api/v1/insights/rules", params), getJson<StaffInsights>("/api/v1/insights/staff", params)]);
      return { rules, staff };
    },
    initialData: params === initialParams ? initial : undefined,
    placeholderData: keepPreviousData,
  });
  const data = query.data ?? initial;
  const { rules, staff } = data;

  // A shared link or a reload keeps the period, branch and horizon.
  useEffect(() => {
    const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)])).toString();
    window.history.replaceState(null, "", q ? `?${q}` : window.location.pathname);
  }, [params]);

  const ctx = { period: rules.period, horizon: rules.horizon, branchId: rules.branchId };
  const opened = { openedFrom: staff.period.from, openedTo: staff.period.to };
  const hours = (h: number | null) => (h == null ? "—" : t("hours", { h: h.toFixed(1) }));
  const days = (d: number | null) => (d == null ? "—" : t("days", { d: d.toFixed(0) }));
  const o = rules.overall;
  const s = staff.overall;

  // One bar per rule version with warnings in the period: precision, and a click opens its hits.
  const chartRows = useMemo(() => rules.rows.filter((r) => r.raised > 0).slice(0, 12), [rules.rows]);
  const ruleLabel = (r: (typeof chartRows)[number]) => `${en ? r.nameEn : r.nameZh} v${r.version}`;

  const staffColumns = <T extends StaffRow>(first: TableProps<T>["columns"]): TableProps<T>["columns"] => [
    ...(first ?? []),
    { key: "tasks", title: t("staff.tasks"), dataIndex: "tasks", align: "right", width: 80 },
    { key: "median", title: t("staff.contactMedian"), align: "right", width: 120, render: (_, r) => hours(r.contact.medianHours) },
    { key: "p90", title: t("staff.contactP90"), align: "right", width: 110, render: (_, r) => hours(r.contact.p90Hours) },
    { key: "contactSla", title: t("staff.contactSla"), align: "right", width: 120, render: (_, r) => `${formatPercent(r.contactSla.rate)} (${r.contactSla.met}/${r.contactSla.decided})` },
    { key: "resolveSla", title: t("staff.resolveSla"), align: "right", width: 120, render: (_, r) => `${formatPercent(r.resolveSla.rate)} (${r.resolveSla.met}/${r.resolveSla.decided})` },
    { key: "retention", title: t("staff.retention"), align: "right", width: 120, render: (_, r) => `${formatPercent(r.retention.rate)} (${r.retention.retained}/${r.retention.treated})` },
    { key: "comparable", title: <span title={t("staff.comparableHint")}>{t("staff.comparable")}</span>, align: "right", width: 110, render: (_, r) => formatPercent(r.retention.comparableRate) },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        <PeriodPicker params={params} setParams={setParams} shown={rules.period} branches={branches} testId="insights-period" />
        <Select<number>
          aria-label={t("horizon")}
          style={{ width: 170 }}
          value={params.horizon ?? rules.horizon}
          onChange={(h) => setParams((p) => ({ ...p, horizon: h }))}
          options={HORIZONS.map((h) => ({ value: h, label: t("horizonDays", { h }) }))}
        />
      </Space>
      <QueryError error={query.error} title={t("loadError")} />
      <Typography.Text type="secondary">{t("hint", { h: rules.horizon })}</Typography.Text>
      <Typography.Text type="secondary" data-testid="insights-computed-at">
        {t("computedAt", { at: formatDateTime(rules.computedAt < staff.computedAt ? rules.computedAt : staff.computedAt) })}
      </Typography.Text>

      <Card title={t("rules.title")} size="small">
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
          <Figure testId="raised" label={t("rules.raisedAll")} value={formatCount(o.raised)} href={warningsHref(ctx, {})} />
          <Figure testId="events" label={t("rules.events")} value={formatCount(o.events)} href={eventsHref(ctx, {})} />
          <Figure testId="recall" label={t("rules.recallAny")} value={formatPercent(o.recall)} sub={t("rules.caughtOf", { caught: o.caught, events: o.events })} />
          <Figure testId="lead" label={t("rules.leadAny")} value={days(o.leadDays.median)} sub={o.leadDays.p25 == null ? undefined : t("rules.iqr", { p25: o.leadDays.p25.toFixed(0), p75: o.leadDays.p75!.toFixed(0) })} />
        </Row>
        {chartRows.length > 0 && (
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Typography.Title level={5}>{t("rules.precisionChart")}</Typography.Title>
              <HBarChart
                label={t("rules.precisionChart")}
                categories={chartRows.map(ruleLabel)}
                values={chartRows.map((r) => Math.round((r.precision ?? 0) * 1000) / 10)}
                colours={chartRows.map(() => "#389e0d")}
                format={(v) => `${v.toFixed(1)}%`}
                onSelect={(i) => router.push(warningsHref(ctx, { ruleId: chartRows[i]!.ruleId, ruleVersionId: chartRows[i]!.ruleVersionId, quality: "hit" }))}
              />
            </Col>
            <Col xs={24} lg={12}>
              <Typography.Title level={5}>{t("rules.falseAlarmChart")}</Typography.Title>
              <HBarChart
                label={t("rules.falseAlarmChart")}
                categories={chartRows.map(ruleLabel)}
                values={chartRows.map((r) => Math.round((r.falseAlarmShare ?? 0) * 1000) / 10)}
                colours={chartRows.map(() => "#8c8c8c")}
                format={(v) => `${v.toFixed(1)}%`}
                onSelect={(i) => router.push(warningsHref(ctx, { ruleId: chartRows[i]!.ruleId, ruleVersionId: chartRows[i]!.ruleVersionId, quality: "false_alarm" }))}
              />
            </Col>
          </Row>
        )}
        <RuleQualityTable data={rules} />
      </Card>

      <Card title={t("staff.title")} size="small">
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
          <Figure testId="tasks" label={t("staff.tasksAll")} value={formatCount(s.tasks)} href={boardHref({ branchId: staff.branchId, ...opened })} />
          <Figure testId="contact" label={t("staff.contactMedian")} value={hours(s.contact.medianHours)} sub={t("staff.p90", { h: hours(s.contact.p90Hours) })} />
          <Figure testId="contact-sla" label={t("staff.contactSla")} value={formatPercent(s.contactSla.rate)} sub={t("staff.of", { met: s.contactSla.met, decided: s.contactSla.decided })} />
          <Figure testId="resolve-sla" label={t("staff.resolveSla")} value={formatPercent(s.resolveSla.rate)} sub={t("staff.of", { met: s.resolveSla.met, decided: s.resolveSla.decided })} />
          <Figure
            testId="retention"
            label={t("staff.retention")}
            value={formatPercent(s.retention.rate)}
            sub={t("staff.against", { rate: formatPercent(s.retention.comparableRate) })}
          />
        </Row>
        <Typography.Title level={5}>{t("staff.byRm")}</Typography.Title>
        <DataTable
          rowKey={(r) => String(r.assigneeId)}
          label={t("staff.byRm")}
          rows={staff.rms}
          empty={t("staff.empty")}
          pager={{ size: 20 }}
          scroll={{ x: 960 }}
          columns={staffColumns<StaffInsights["rms"][number]>([
            {
              key: "rm",
              title: t("staff.rm"),
              ellipsis: true,
              render: (_, r) => <Link href={boardHref({ branchId: staff.branchId, assigneeId: r.assigneeId ?? "none", ...opened })}>{r.assigneeName ?? t("unassigned")}</Link>,
            },
          ])}
        />
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t("staff.byBranch")}
        </Typography.Title>
        <DataTable
          rowKey="branchId"
          label={t("staff.byBranch")}
          rows={staff.branches}
          empty={t("staff.empty")}
          scroll={{ x: 960 }}
          columns={staffColumns<StaffInsights["branches"][number]>([
            { key: "branch", title: t("staff.branch"), ellipsis: true, render: (_, r) => <Link href={boardHref({ branchId: r.branchId, ...opened })}>{en ? r.nameEn : r.nameZh}</Link> },
          ])}
        />
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t("staff.bands")}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t("staff.comparableHint")}</Typography.Paragraph>
        <DataTable
          rowKey="severity"
          label={t("staff.bands")}
          rows={staff.bands}
          empty={t("staff.empty")}
          columns={[
            { key: "band", title: t("staff.band"), render: (_, b) => te(`severity.${b.severity}`) },
            { key: "treated", title: t("staff.treated"), align: "right", render: (_, b) => `${formatPercent(b.treated ? b.retained / b.treated : null)} (${b.retained}/${b.treated})` },
            { key: "control", title: t("staff.control"), align: "right", render: (_, b) => `${formatPercent(b.controlRate)} (${b.controlRetained}/${b.control})` },
          ]}
        />
      </Card>
    </Space>
  );
}
