"use client";
// The churn model page: versions with training progress (polled every second while one trains), a training form
// and activation for admins (another admin than the trainer), and the chosen version's validation metrics,
// calibration by decile and scorecard bin by bin. Supervisors read.
import { CheckCircleOutlined, ExperimentOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Descriptions, Empty, Form, InputNumber, Progress, Select, Space, Tag, Tooltip, Typography } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { getJson } from "@/components/shell/api";
import { QueryError } from "@/components/shell/QueryError";
import { useAction } from "@/components/shell/useAction";
import { formatCount, formatDate, formatDateTime } from "@/lib/format";
import type { ModelVersionDetailView, ModelVersionView } from "@/lib/model/versions";
import type { RunStatus } from "@/lib/vocabulary";
import { activateModelAction, trainModelAction } from "./actions";
import type { ReasonLabel } from "./reasonText";

const STATUS_COLOUR: Record<RunStatus, string> = { queued: "default", running: "processing", succeeded: "success", failed: "error" };
const LABELS = ["any", "default", "voluntary", "pre_loan"] as const;

type BinRule = { kind: "range"; lo: number | null; hi: number | null } | { kind: "categories"; values: string[] } | { kind: "missing" };
type BinRow = { id: string; feature: string; first: boolean; span: number; rule: BinRule; count: number; events: number; woe: number; points: number; iv: number; coefficient: number };

const fetchVersions = async () => (await getJson<{ rows: ModelVersionView[] }>("/api/model/versions")).rows;
const fetchVersion = (id: number) => getJson<ModelVersionDetailView>(`/api/model/versions/${id}`);
const fixed = (v: number | null | undefined, d = 3) => (v === null || v === undefined || Number.isNaN(v) ? "—" : v.toFixed(d));

export function ModelAdmin({ initial, selfId, canEdit, labels }: { initial: ModelVersionView[]; selfId: number; canEdit: boolean; labels: Record<string, ReasonLabel> }) {
  const t = useTranslations("model");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const en = useLocale() === "en";
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const versions = useQuery({
    queryKey: ["model-versions"],
    queryFn: fetchVersions,
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.some((v) => v.status === "queued" || v.status === "running") ? 1000 : 15_000),
  });
  const rows = versions.data ?? [];
  const [picked, setPicked] = useState<number | null>(null);
  const shown = picked ?? rows.find((v) => v.active)?.id ?? rows.find((v) => v.status === "succeeded")?.id ?? null;
  const shownRow = rows.find((v) => v.id === shown);
  const detail = useQuery({
    queryKey: ["model-version", shown, shownRow?.status],
    queryFn: () => fetchVersion(shown!),
    enabled: shown !== null && shownRow?.status === "succeeded",
  });

  const refresh = () => qc.invalidateQueries({ queryKey: ["model-versions"] });
  const train = useAction(trainModelAction, {
    onSuccess: async (r) => {
      message.success(t("trainStarted", { version: r.version }));
      setPicked(r.id);
      await refresh();
    },
    onError: (e) => message.error(e.message),
  });
  const activate = useAction(activateModelAction, {
    onSuccess: async () => {
      message.success(t("activated"));
      await refresh();
    },
    onError: (e) => message.error(e.message),
  });

  const featureName = (key: string) => (labels[key] ? (en ? labels[key].labelEn : labels[key].labelZh) : key);
  const binText = (rule: BinRule) => {
    if (rule.kind === "missing") return t("bin.missing");
    if (rule.kind === "categories") return rule.values.map((v) => (v === "yes" ? t("bin.yes") : v === "no" ? t("bin.no") : v)).join(en ? ", " : "、");
    if (rule.lo === null && rule.hi === null) return t("bin.any");
    if (rule.lo === null) return `≤ ${rule.hi}`;
    if (rule.hi === null) return `> ${rule.lo}`;
    return `(${rule.lo}, ${rule.hi}]`;
  };

  const training = rows.some((v) => v.status === "queued" || v.status === "running");
  const columns: NonNullable<TableProps<ModelVersionView>["columns"]> = [
    { key: "version", title: t("columns.version"), dataIndex: "version", width: 70, render: (v: number) => <span className="cw-num">v{v}</span> },
    {
      key: "status",
      title: t("columns.status"),
      width: 220,
      render: (_: unknown, v) => (
        <Space orientation="vertical" size={0} style={{ width: "100%" }}>
          <Space size={4}>
            <Tag color={STATUS_COLOUR[v.status]} data-testid={`model-status-${v.version}`}>
              {te(`runStatus.${v.status}`)}
            </Tag>
            {v.active ? (
              <Tag color="green" icon={<CheckCircleOutlined />} data-testid={`model-active-${v.version}`}>
                {t("active")}
              </Tag>
            ) : null}
          </Space>
          {v.status === "queued" || v.status === "running" ? (
            <Progress percent={v.progress} size="small" status="active" aria-label={t("progress")} data-testid={`model-progress-${v.version}`} />
          ) : null}
          {v.status === "failed" && v.failure ? (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {v.failure}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    { key: "label", title: t("columns.label"), width: 150, render: (_: unknown, v) => `${t(`labels.${v.label}`)} · ${t("horizon", { days: v.horizonDays })}` },
    {
      key: "window",
      title: t("columns.window"),
      width: 200,
      render: (_: unknown, v) => <span className="cw-num">{v.dataFrom ? `${formatDate(v.dataFrom)} – ${formatDate(v.dataTo)}` : t("months", { n: v.months })}</span>,
    },
    { key: "auc", title: "AUC", dataIndex: "auc", width: 80, align: "right", render: (v: number | null) => <span className="cw-num">{fixed(v)}</span> },
    {
      key: "people",
      title: t("columns.people"),
      width: 240,
      render: (_: unknown, v) => (
        <Space orientation="vertical" size={0}>
          <span>{t("trainedBy", { name: v.trainedByName ?? "—", at: formatDateTime(v.requestedAt) })}</span>
          {v.activatedByName ? <Typography.Text type="secondary">{t("activatedBy", { name: v.activatedByName, at: formatDateTime(v.activatedAt) })}</Typography.Text> : null}
        </Space>
      ),
    },
    {
      key: "actions",
      title: t("columns.actions"),
      width: 170,
      render: (_: unknown, v) => (
        <Space size={4} wrap>
          <Button size="small" disabled={v.status !== "succeeded"} onClick={() => setPicked(v.id)} type={v.id === shown ? "primary" : "default"} ghost={v.id === shown}>
            {t("show")}
          </Button>
          {canEdit && v.status === "succeeded" && !v.active ? (
            <Tooltip title={v.trainedBy === selfId ? t("makerChecker") : undefined}>
              <Button size="small" disabled={v.trainedBy === selfId} loading={activate.isPending} onClick={() => activate.mutate(v.id)} data-testid={`model-activate-${v.version}`}>
                {t("activate")}
              </Button>
            </Tooltip>
          ) : null}
        </Space>
      ),
    },
  ];

  const d = detail.data;
  const m = d?.metrics ?? null;
  const binRows: BinRow[] =
    d?.scorecard?.features.flatMap((f) =>
      f.bins.map((b, i) => ({ id: `${f.name}:${i}`, feature: f.name, first: i === 0, span: f.bins.length, rule: b.rule as BinRule, count: b.count, events: b.events, woe: b.woe, points: b.points, iv: f.iv, coefficient: f.coefficient })),
    ) ?? [];
  const binColumns: NonNullable<TableProps<BinRow>["columns"]> = [
    {
      key: "feature",
      title: t("card.feature"),
      width: 220,
      onCell: (r) => ({ rowSpan: r.first ? r.span : 0 }),
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{featureName(r.feature)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} className="cw-num">
            IV {fixed(r.iv)} · β {fixed(r.coefficient)}
          </Typography.Text>
        </Space>
      ),
    },
    { key: "bin", title: t("card.bin"), width: 200, render: (_: unknown, r) => <span className="cw-num">{binText(r.rule)}</span> },
    { key: "count", title: t("card.count"), dataIndex: "count", align: "right", width: 90, render: (v: number) => <span className="cw-num">{formatCount(v)}</span> },
    { key: "events", title: t("card.events"), dataIndex: "events", align: "right", width: 80, render: (v: number) => <span className="cw-num">{formatCount(v)}</span> },
    { key: "rate", title: t("card.rate"), align: "right", width: 90, render: (_: unknown, r) => <span className="cw-num">{r.count ? `${((100 * r.events) / r.count).toFixed(1)}%` : "—"}</span> },
    { key: "woe", title: "WoE", dataIndex: "woe", align: "right", width: 80, render: (v: number) => <span className="cw-num">{fixed(v)}</span> },
    { key: "points", title: t("card.points"), dataIndex: "points", align: "right", width: 80, render: (v: number) => <span className="cw-num">{v}</span> },
  ];
  const calibration = (m?.calibration ?? []).map((c, i) => ({ id: i, ...c }));
  const dropped = (d?.features ?? []).filter((f) => f.status !== "kept");

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      {canEdit ? (
        <Card size="small" title={t("trainTitle")}>
          <Form
            form={form}
            layout="inline"
            initialValues={{ label: "any", horizonDays: 90, months: 12, seed: 1 }}
            onFinish={(v: { label: (typeof LABELS)[number]; horizonDays: number; months: number; seed: number }) => train.mutate(v)}
          >
            <Form.Item name="label" label={t("form.label")}>
              <Select style={{ width: 150 }} options={LABELS.map((l) => ({ value: l, label: t(`labels.${l}`) }))} />
            </Form.Item>
            <Form.Item name="horizonDays" label={t("form.horizon")}>
              <InputNumber min={7} max={365} style={{ width: 90 }} />
            </Form.Item>
            <Form.Item name="months" label={t("form.months")}>
              <InputNumber min={3} max={36} style={{ width: 80 }} />
            </Form.Item>
            <Form.Item name="seed" label={t("form.seed")}>
              <InputNumber min={0} style={{ width: 90 }} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" icon={<ExperimentOutlined />} loading={train.isPending} disabled={training}>
                {t("train")}
              </Button>
            </Form.Item>
          </Form>
        </Card>
      ) : (
        <Typography.Text type="secondary">{t("adminOnly")}</Typography.Text>
      )}
      <QueryError error={versions.error} title={t("loadFailed")} />
      <Card size="small" title={t("versions")}>
        <DataTable<ModelVersionView> label={t("versions")} columns={columns} rows={rows} scroll={{ x: 1150 }} empty={<Empty description={t("empty")} />} />
      </Card>
      {shownRow && m && d?.scorecard ? (
        <>
          <Card size="small" title={t("metricsTitle", { version: shownRow.version })} data-testid="model-metrics">
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2, xl: 4 }}
              items={[
                { key: "auc", label: "AUC", children: <span className="cw-num">{fixed(m.auc)}</span> },
                { key: "ks", label: "KS", children: <span className="cw-num">{fixed(m.ks)}</span> },
                { key: "gini", label: "Gini", children: <span className="cw-num">{fixed(m.gini)}</span> },
                { key: "psi", label: t("metrics.scorePsi"), children: <span className="cw-num">{fixed(m.scorePsi)}</span> },
                { key: "train", label: t("metrics.train"), children: <span className="cw-num">{t("rowsEvents", { rows: formatCount(m.trainRows), events: formatCount(m.trainEvents) })}</span> },
                { key: "validate", label: t("metrics.validate"), children: <span className="cw-num">{t("rowsEvents", { rows: formatCount(m.validateRows), events: formatCount(m.validateEvents) })}</span> },
                { key: "months", label: t("metrics.months"), children: <span className="cw-num">{`${m.trainMonths[0]} – ${m.trainMonths[m.trainMonths.length - 1]} → ${m.validateMonths.join(", ")}`}</span> },
                { key: "bands", label: t("metrics.bands"), children: <span className="cw-num">{t("bandCuts", { medium: m.bands.medium, high: m.bands.high })}</span> },
              ]}
            />
          </Card>
          <Card size="small" title={t("card.title")}>
            <DataTable<BinRow> label={t("card.title")} columns={binColumns} rows={binRows} bordered scroll={{ x: 840 }} />
            {dropped.length ? (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t("dropped")}{" "}
                {dropped.map((f) => (en ? `${featureName(f.name)} (${t(`decision.${f.status}`)})` : `${featureName(f.name)}（${t(`decision.${f.status}`)}）`)).join(en ? "; " : "；")}
              </Typography.Paragraph>
            ) : null}
          </Card>
          <Card size="small" title={t("calibration.title")}>
            <DataTable
              label={t("calibration.title")}
              rows={calibration}
              columns={[
                { key: "group", title: t("calibration.group"), render: (_: unknown, r: (typeof calibration)[number]) => r.id + 1, width: 80 },
                { key: "rows", title: t("calibration.rows"), dataIndex: "count", align: "right", render: (v: number) => <span className="cw-num">{formatCount(v)}</span> },
                { key: "pred", title: t("calibration.predicted"), dataIndex: "meanPredicted", align: "right", render: (v: number) => <span className="cw-num">{(100 * v).toFixed(2)}%</span> },
                { key: "obs", title: t("calibration.observed"), dataIndex: "observedRate", align: "right", render: (v: number) => <span className="cw-num">{(100 * v).toFixed(2)}%</span> },
              ]}
            />
          </Card>
        </>
      ) : detail.isLoading && shown !== null ? (
        <Card size="small" loading />
      ) : (
        <Typography.Text type="secondary">{rows.length ? t("noTrained") : tc("none")}</Typography.Text>
      )}
    </Space>
  );
}
