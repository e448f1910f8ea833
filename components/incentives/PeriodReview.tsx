"use client";
// One period: per-RM totals by rule, the distribution with outliers flagged, drill-down from an RM to every entry and
// its evidence; for HR also adjustments (propose, approve another's), the lock and the XLSX export. Supervisors see
// their branch's RMs ranked, read-only.
import { useQuery } from "@tanstack/react-query";
import { Alert, App, Button, Card, Drawer, Form, Input, InputNumber, Popconfirm, Select, Space, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { getJson } from "@/components/shell/api";
import { DataTable } from "@/components/shell/DataTable";
import { StatCards } from "@/components/shell/StatCards";
import { InlineTag } from "@/components/shell/StatusTag";
import { applyIssues, issuesOf, sameNames, useAction, useKeyedAction } from "@/components/shell/useAction";
import type { AdjustmentRow, LedgerRow, PeriodReview as Review, RmLine } from "@/lib/incentives/queries";
import { approveAdjustmentAction, lockPeriodAction, proposeAdjustmentAction, rejectAdjustmentAction } from "./actions";
import { DistributionChart } from "./DistributionChart";
import { PeriodStatus, Points } from "./labels";
import { LedgerTable } from "./LedgerTable";

const RULE_COLUMNS = ["first_contact", "retention_verified", "clawback", "sla_breach", "churn_no_followup"] as const;
// The clawback column is net of reversed clawbacks (a dismissed churn event); the drawer lists both entries.
const ruleValue = (r: RmLine, rule: (typeof RULE_COLUMNS)[number]) => (r.byRule[rule] ?? 0) + (rule === "clawback" ? (r.byRule.clawback_reversed ?? 0) : 0);

export type RmOption = { username: string; displayName: string; active: boolean };

export function PeriodReview({ review, adjustments, canEdit, selfId, rmOptions }: { review: Review; adjustments: AdjustmentRow[]; canEdit: boolean; selfId: number; rmOptions: RmOption[] }) {
  const t = useTranslations("incentives");
  const [drill, setDrill] = useState<RmLine | null>(null);
  const open = review.status === "open";
  const sum = (f: (r: RmLine) => number) => review.rms.reduce((s, r) => s + f(r), 0);
  const columns: ColumnsType<RmLine> = [
    { title: t("col.rank"), dataIndex: "rank", width: 60, align: "right" },
    {
      title: t("col.rm"),
      dataIndex: "displayName",
      render: (name: string, r) => (
        <Space size={4}>
          <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setDrill(r)} aria-label={t("drillLabel", { name })}>
            {name}
          </Button>
          {!r.active && <InlineTag colour="default">{t("left")}</InlineTag>}
          {r.outlier && <InlineTag colour={r.outlier === "high" ? "red" : "orange"}>{t(`outlier.${r.outlier}`)}</InlineTag>}
        </Space>
      ),
    },
    { title: t("col.branch"), dataIndex: "branchName" },
    ...RULE_COLUMNS.map((rule) => ({ title: t(`rule.${rule}`), key: rule, align: "right" as const, render: (_: unknown, r: RmLine) => <Points value={ruleValue(r, rule)} /> })),
    { title: t("col.capped"), dataIndex: "capped", align: "right", render: (v: number) => <Points value={v} /> },
    { title: t("rule.adjustment"), dataIndex: "adjustments", align: "right", render: (v: number) => <Points value={v} /> },
    { title: t("col.pending"), dataIndex: "pending", align: "right" },
    { title: t("col.payable"), dataIndex: "payable", align: "right", render: (v: number) => <strong data-testid="payable"><Points value={v} /></strong> },
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <PeriodStatus value={review.status} />
        {review.schemeVersion != null && <Typography.Text type="secondary">{t("schemeVersion", { version: review.schemeVersion })}</Typography.Text>}
        {review.lockedAt && <Typography.Text type="secondary">{t("lockedAt", { at: review.lockedAt })}</Typography.Text>}
        {canEdit && <LockButton period={review.period} disabled={!open} />}
        {canEdit && (
          <Button href={`/api/incentives/${review.period}/export`} download>
            {t("export")}
          </Button>
        )}
      </Space>
      <StatCards
        items={[
          { key: "rms", label: t("col.rms"), value: review.rms.length },
          { key: "payable", label: t("totalPayable"), value: sum((r) => r.payable) },
          { key: "pending", label: t("totalPending"), value: sum((r) => r.pending) },
          { key: "outliers", label: t("outliers"), value: review.rms.filter((r) => r.outlier).length, tone: "warning" },
        ]}
      />
      <Card size="small" title={t("distribution")} style={{ marginBottom: 16 }}>
        {review.rms.length ? (
          <DistributionChart bars={review.rms.map((r) => ({ name: r.displayName, value: r.payable, outlier: r.outlier }))} fences={review.fences} label={t("distributionLabel", { period: review.period })} axisName={t("points")} />
        ) : (
          <Typography.Text type="secondary">{t("noEntries")}</Typography.Text>
        )}
        {!review.fences && review.rms.length > 0 && <Typography.Text type="secondary">{t("fewForOutliers")}</Typography.Text>}
      </Card>
      <DataTable<RmLine>
        rowKey="rmId"
        rows={review.rms}
        columns={columns}
        label={t("totalsLabel", { period: review.period })}
        empty={t("noEntries")}
        scroll={{ x: "max-content" }}
        totals={review.rms.length ? { label: t("total"), span: 3, figures: [...RULE_COLUMNS.map((rule) => <Points key={rule} value={sum((r) => ruleValue(r, rule))} />), <Points key="c" value={sum((r) => r.capped)} />, <Points key="a" value={sum((r) => r.adjustments)} />, sum((r) => r.pending), <Points key="p" value={sum((r) => r.payable)} />] } : undefined}
      />
      {canEdit && <Adjustments period={review.period} open={open} rows={adjustments} rms={rmOptions} selfId={selfId} />}
      <Drawer open={!!drill} onClose={() => setDrill(null)} size={960} title={drill ? t("drillTitle", { name: drill.displayName, period: review.period }) : ""} destroyOnHidden>
        {drill && <Drill period={review.period} rm={drill} />}
      </Drawer>
    </>
  );
}

function Drill({ period, rm }: { period: string; rm: RmLine }) {
  const t = useTranslations("incentives");
  const q = useQuery({ queryKey: ["incentives-ledger", rm.username, period], queryFn: () => getJson<{ entries: LedgerRow[] }>("/api/v1/incentives/ledger", { rm: rm.username, period }) });
  if (q.error) return <Alert type="error" title={q.error.message} />;
  return <LedgerTable rows={q.data?.entries ?? []} label={t("drillTitle", { name: rm.displayName, period })} />;
}

function LockButton({ period, disabled }: { period: string; disabled: boolean }) {
  const t = useTranslations("incentives");
  const { message } = App.useApp();
  const router = useRouter();
  const lock = useAction(lockPeriodAction, {
    onSuccess: () => {
      message.success(t("locked", { period }));
      router.refresh();
    },
    onError: (e) => message.error(e.message),
  });
  return (
    <Popconfirm title={t("lockConfirm", { period })} onConfirm={() => lock.mutate({ period })} okText={t("lock")} cancelText={t("cancel")} disabled={disabled}>
      <Button danger disabled={disabled} loading={lock.isPending}>
        {t("lock")}
      </Button>
    </Popconfirm>
  );
}

type AdjustmentForm = { rm: string; points: number; reason: string };

function Adjustments({ period, open, rows, rms, selfId }: { period: string; open: boolean; rows: AdjustmentRow[]; rms: RmOption[]; selfId: number }) {
  const t = useTranslations("incentives");
  const { message } = App.useApp();
  const router = useRouter();
  const [form] = Form.useForm<AdjustmentForm>();
  const [rejecting, setRejecting] = useState<Record<number, string>>({});
  const propose = useKeyedAction(proposeAdjustmentAction, {
    onSuccess: () => {
      message.success(t("adjustmentProposed"));
      form.resetFields();
      router.refresh();
    },
    onError: (e) => {
      applyIssues(form, issuesOf(e), sameNames(["rm", "points", "reason"]));
      message.error(e.message);
    },
  });
  const decide = useAction((d: { id: number; note?: string }) => (d.note === undefined ? approveAdjustmentAction({ id: d.id }) : rejectAdjustmentAction({ id: d.id, note: d.note })), {
    onSuccess: (_r, d) => {
      message.success(t(d.note === undefined ? "adjustmentApproved" : "adjustmentRejected"));
      router.refresh();
    },
    onError: (e) => message.error(e.message),
  });
  const columns: ColumnsType<AdjustmentRow> = [
    { title: t("col.id"), dataIndex: "id", width: 60 },
    { title: t("col.rm"), dataIndex: "rmName" },
    { title: t("col.points"), dataIndex: "points", align: "right", render: (v: number) => <Points value={v} /> },
    { title: t("col.reason"), dataIndex: "reason" },
    { title: t("col.proposedBy"), dataIndex: "proposedByName", render: (n: string, r) => `${n} · ${r.proposedAt}` },
    {
      title: t("col.decision"),
      key: "decision",
      render: (_v, r) =>
        r.status !== "proposed" ? (
          <Space size={4}>
            <InlineTag colour={r.status === "approved" ? "green" : "red"}>{t(`adjustmentStatus.${r.status}`)}</InlineTag>
            <Typography.Text type="secondary">{r.decidedByName} · {r.decidedAt}</Typography.Text>
          </Space>
        ) : r.proposedBy === selfId ? (
          <Typography.Text type="secondary">{t("awaitingOther")}</Typography.Text>
        ) : (
          <Space size={4} wrap>
            <Button size="small" type="primary" disabled={!open} loading={decide.isPending} onClick={() => decide.mutate({ id: r.id })} aria-label={t("approveLabel", { id: r.id })}>
              {t("approve")}
            </Button>
            <Input size="small" style={{ width: 160 }} placeholder={t("rejectNote")} aria-label={t("rejectNote")} value={rejecting[r.id] ?? ""} onChange={(e) => setRejecting({ ...rejecting, [r.id]: e.target.value })} />
            <Button size="small" danger disabled={!open || !(rejecting[r.id] ?? "").trim()} onClick={() => decide.mutate({ id: r.id, note: rejecting[r.id]! })}>
              {t("reject")}
            </Button>
          </Space>
        ),
    },
  ];
  return (
    <Card size="small" title={t("adjustments")} style={{ marginTop: 16 }}>
      {open ? (
        <Form form={form} layout="inline" onFinish={(v) => propose.mutate({ period, rm: v.rm, points: v.points, reason: v.reason })} style={{ marginBottom: 12, rowGap: 8 }}>
          <Form.Item name="rm" label={t("col.rm")} rules={[{ required: true, message: t("required") }]}>
            <Select showSearch style={{ width: 180 }} optionFilterProp="label" options={rms.map((r) => ({ value: r.username, label: `${r.displayName} (${r.username})` }))} aria-label={t("col.rm")} />
          </Form.Item>
          <Form.Item name="points" label={t("col.points")} rules={[{ required: true, message: t("required") }]}>
            <InputNumber precision={0} style={{ width: 110 }} aria-label={t("col.points")} />
          </Form.Item>
          <Form.Item name="reason" label={t("col.reason")} rules={[{ required: true, message: t("required") }]}>
            <Input style={{ width: 280 }} aria-label={t("col.reason")} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={propose.isPending}>
            {t("propose")}
          </Button>
        </Form>
      ) : (
        <Typography.Paragraph type="secondary">{t("lockedNoChanges")}</Typography.Paragraph>
      )}
      <DataTable<AdjustmentRow> rows={rows} columns={columns} label={t("adjustments")} empty={t("noAdjustments")} />
    </Card>
  );
}
