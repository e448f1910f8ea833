"use client";
// Runs list with live progress: polls GET /api/cob-runs every second while a run is queued or running.
import { PlayCircleOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Empty, Progress, Space, Tag, Tooltip, Typography } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import { DataTable } from "@/components/shell/DataTable";
import { getJson } from "@/components/shell/api";
import { QueryError } from "@/components/shell/QueryError";
import { useAction } from "@/components/shell/useAction";
import { formatCount, formatDate, formatDateTime } from "@/lib/format";
import type { CobRunRow } from "@/lib/rules/runs";
import type { RunStatus } from "@/lib/vocabulary";
import { startCobAction } from "./actions";

const STATUS_COLOUR: Record<RunStatus, string> = { queued: "default", running: "processing", succeeded: "success", failed: "error" };

async function fetchRuns(): Promise<CobRunRow[]> {
  return (await getJson<{ rows: CobRunRow[] }>("/api/cob-runs")).rows;
}

export function CobRuns({ canStart, time }: { canStart: boolean; time: string }) {
  const t = useTranslations("cob");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const { message } = App.useApp();
  const qc = useQueryClient();
  const query = useQuery({
    queryKey: ["cob-runs"],
    queryFn: fetchRuns,
    // Poll every second while something is in flight; otherwise every 10 s to pick up the scheduled run.
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === "queued" || r.status === "running") ? 1000 : 10_000),
  });

  const start = useAction(startCobAction, {
    onSuccess: async (r) => {
      message.success(r.created ? t("started", { id: r.id }) : t("alreadyRunning", { id: r.id }));
      await qc.invalidateQueries({ queryKey: ["cob-runs"] });
    },
    onError: (e) => message.error(e.message),
  });

  const num = (v: number) => <span className="cw-num">{formatCount(v)}</span>;
  const columns: NonNullable<TableProps<CobRunRow>["columns"]> = [
    { key: "id", title: t("columns.id"), dataIndex: "id", width: 70, render: (v: number) => `#${v}` },
    { key: "asOf", title: t("columns.asOf"), dataIndex: "asOf", width: 110, render: (v: string) => <span className="cw-num">{formatDate(v)}</span> },
    { key: "trigger", title: t("columns.trigger"), dataIndex: "trigger", width: 170, render: (v: string, r) => {
        const key: string = `triggers.${v}`;
        const label = t.has(key) ? t(key) : v;
        return r.requestedBy ? `${label} · ${r.requestedBy}` : label;
      },
    },
    {
      key: "status",
      title: t("columns.status"),
      dataIndex: "status",
      width: 100,
      render: (v: CobRunRow["status"], r) => {
        const key: string = `runStatus.${v}`;
        const tag = (
          <Tag color={STATUS_COLOUR[v]} data-testid={`cob-status-${r.id}`}>
            {te(key)}
          </Tag>
        );
        return r.failure ? <Tooltip title={r.failure}>{tag}</Tooltip> : tag;
      },
    },
    {
      key: "progress",
      title: t("columns.progress"),
      width: 220,
      render: (_: unknown, r) => {
        const pct = r.partitionsTotal > 0 ? Math.round((r.partitionsDone / r.partitionsTotal) * 100) : r.status === "succeeded" ? 100 : 0;
        return (
          <Space orientation="vertical" size={0} style={{ width: "100%" }}>
            <Progress
              percent={pct}
              size="small"
              status={r.status === "failed" ? "exception" : r.status === "running" || r.status === "queued" ? "active" : "success"}
              aria-label={t("partitions", { done: r.partitionsDone, total: r.partitionsTotal })}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("partitions", { done: r.partitionsDone, total: r.partitionsTotal })}
            </Typography.Text>
          </Space>
        );
      },
    },
    { key: "loans", title: t("columns.loans"), dataIndex: "loansEvaluated", align: "right", width: 110, render: num },
    { key: "opened", title: t("columns.opened"), dataIndex: "warningsOpened", align: "right", width: 100, render: num },
    { key: "closed", title: t("columns.closed"), dataIndex: "warningsClosed", align: "right", width: 100, render: num },
    { key: "startedAt", title: t("columns.startedAt"), dataIndex: "startedAt", width: 160, render: (v: string | null) => <span className="cw-num">{v ? formatDateTime(v) : tc("none")}</span> },
    { key: "finishedAt", title: t("columns.finishedAt"), dataIndex: "finishedAt", width: 160, render: (v: string | null) => <span className="cw-num">{v ? formatDateTime(v) : tc("none")}</span> },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      {canStart ? (
        <Button type="primary" icon={<PlayCircleOutlined />} loading={start.isPending} onClick={() => start.mutate()}>
          {t("runNow")}
        </Button>
      ) : (
        <Typography.Text type="secondary">{t("adminOnly")}</Typography.Text>
      )}
      <QueryError error={query.error} title={t("loadFailed")} />
      <DataTable<CobRunRow>
        columns={columns}
        rows={query.data ?? []}
        loading={query.isLoading}
        scroll={{ x: 1200 }}
        empty={<Empty description={t("empty", { time })} />}
      />
    </Space>
  );
}
