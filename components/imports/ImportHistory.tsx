"use client";
// Every import, newest first (polled while one in view still runs); "detail" opens it in the drawer.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, Card, Empty, Space, Tag, Typography } from "antd";
import type { TableProps } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { getJson } from "@/components/shell/api";
import { QueryError } from "@/components/shell/QueryError";
import { useServerPagination } from "@/components/shell/pagination";
import { formatCount, formatDateTime } from "@/lib/format";
import type { ImportKind } from "@/lib/imports/columns";
import { formatBytes, isFinished, type ImportList, type ImportListRow, type ImportStatus } from "@/lib/imports/view";
import { ImportStatusTag } from "./ImportStatusView";

export function ImportHistory({ onOpen }: { onOpen: (id: number) => void }) {
  const t = useTranslations("imports");
  const tc = useTranslations("common");
  const pagination = useServerPagination();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const query = useQuery({
    queryKey: ["imports", page.page, page.pageSize],
    queryFn: () => getJson<ImportList>("/api/imports", page),
    placeholderData: keepPreviousData,
    // While something in view is still running, its row keeps moving.
    refetchInterval: (q) => (q.state.data?.rows.some((r) => !isFinished(r.status)) ? 3_000 : false),
  });
  const n = (v: number) => formatCount(v);
  const columns: TableProps<ImportListRow>["columns"] = [
    { key: "id", title: "#", dataIndex: "id", width: 56 },
    { key: "createdAt", title: t("history.columns.createdAt"), dataIndex: "createdAt", width: 140, render: (v: string) => formatDateTime(v) },
    { key: "user", title: t("history.columns.user"), dataIndex: "user", width: 110, render: (u: ImportListRow["user"]) => u?.displayName ?? t("history.system") },
    {
      key: "file",
      title: t("history.columns.file"),
      dataIndex: "fileName",
      render: (name: string, r) => (
        <Space size={4} wrap>
          <span style={{ wordBreak: "break-all" }}>{name}</span>
          <Typography.Text type="secondary">{formatBytes(r.fileBytes)}</Typography.Text>
          {r.dryRun && <Tag>{t("history.dryRun")}</Tag>}
        </Space>
      ),
    },
    { key: "kind", title: t("history.columns.kind"), dataIndex: "kind", width: 110, render: (k: ImportKind) => t(`kinds.${k}`) },
    { key: "status", title: t("history.columns.status"), dataIndex: "status", width: 110, render: (s: ImportStatus) => <ImportStatusTag status={s} /> },
    { key: "rows", title: t("history.columns.rows"), dataIndex: "rowsParsed", width: 90, align: "right", render: n },
    {
      key: "outcome",
      title: t("history.columns.outcome"),
      width: 150,
      align: "right",
      render: (_: unknown, r) => (r.status === "succeeded" ? `${n(r.rowsNew)} / ${n(r.rowsChanged)} / ${n(r.rowsUnchanged)}` : tc("none")),
    },
    {
      key: "errors",
      title: t("history.columns.errors"),
      dataIndex: "errorCount",
      width: 80,
      align: "right",
      render: (v: number) => (v > 0 ? <Typography.Text type="danger">{n(v)}</Typography.Text> : n(v)),
    },
    {
      key: "actions",
      title: tc("actions"),
      width: 80,
      fixed: "right",
      render: (_: unknown, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onOpen(r.id)} aria-label={t("history.detailOf", { id: r.id })}>
          {t("history.detail")}
        </Button>
      ),
    },
  ];
  return (
    <Card
      size="small"
      title={t("history.title")}
      extra={
        <Button size="small" icon={<ReloadOutlined />} onClick={() => void query.refetch()} loading={query.isFetching}>
          {t("history.refresh")}
        </Button>
      }
    >
      <QueryError error={query.error} title={t("history.loadFailed")} style={{ marginBottom: 12 }} />
      <DataTable<ImportListRow>
        size="middle"
        label={t("history.tableLabel")}
        columns={columns}
        rows={query.data?.rows ?? []}
        loading={query.isPending}
        scroll={{ x: 1080 }}
        pagination={pagination({ ...page, total: query.data?.total, onChange: (p, s) => setPage({ page: s !== page.pageSize ? 1 : p, pageSize: s }) })}
        empty={query.isPending ? " " : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("history.empty")} />}
      />
    </Card>
  );
}
