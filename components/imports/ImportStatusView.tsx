"use client";
// One import as it runs and once it is done: what it is, its steps and progress (polled until it finishes), then
// its result.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Card, Descriptions, Progress, Space, Steps, Tag, Typography } from "antd";
import type { DescriptionsProps } from "antd";
import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { getJson } from "@/components/shell/api";
import { Hint } from "@/components/shell/PageTitle";
import { QueryError } from "@/components/shell/QueryError";
import { InlineTag } from "@/components/shell/StatusTag";
import { formatDateTime } from "@/lib/format";
import {
  detectedEncodingLabel,
  formatBytes,
  isFinished,
  pollInterval,
  progressPercent,
  STEP_KEYS,
  stepState,
  UPLOAD_ENCODINGS,
  type ImportDetail,
  type ImportStatus,
  type UploadEncoding,
} from "@/lib/imports/view";
import { ImportResult } from "./ImportResult";

const STATUS_COLOUR: Record<ImportStatus, string> = {
  queued: "default",
  parsing: "processing",
  validating: "processing",
  writing: "processing",
  succeeded: "success",
  rejected: "warning",
  failed: "error",
};

export function ImportStatusTag({ status }: { status: ImportStatus }) {
  const t = useTranslations("imports");
  return <InlineTag colour={STATUS_COLOUR[status]}>{t(`status.${status}`)}</InlineTag>;
}

/** One import as it runs and once it is done: steps, progress bar, then counts or errors. Polls until finished. */
export function ImportStatusView({ id, withFacts = false }: { id: number; withFacts?: boolean }) {
  const t = useTranslations("imports");
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ["import", id],
    queryFn: () => getJson<ImportDetail>(`/api/imports/${id}`),
    refetchInterval: (q) => pollInterval(q.state.data?.status),
    staleTime: 0,
  });
  const d = query.data;
  const finished = d ? isFinished(d.status) : false;
  useEffect(() => {
    // The history's row for this import changes with it.
    if (d?.status) void queryClient.invalidateQueries({ queryKey: ["imports"] });
  }, [d?.status, queryClient]);

  if (query.isError && !d) return <QueryError error={query.error} title={t("current.loadFailed")} onRetry={() => void query.refetch()} />;
  if (!d) return <Card loading variant="borderless" />;

  const step = stepState(d);
  const pct = progressPercent(d);
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      {withFacts ? (
        <Facts d={d} />
      ) : (
        <Space size={8} wrap>
          <Typography.Text strong style={{ wordBreak: "break-all" }}>
            {d.fileName}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t(`kinds.${d.kind}`)} · {formatBytes(d.fileBytes)}
          </Typography.Text>
          {d.dryRun && <Tag>{t("history.dryRun")}</Tag>}
          <ImportStatusTag status={d.status} />
        </Space>
      )}
      <Steps
        size="small"
        current={step.current}
        status={step.status}
        aria-label={t("steps.label")}
        items={STEP_KEYS.map((k) => ({
          key: k,
          title: t(`steps.${k}`),
          content: k === "writing" && d.dryRun ? t("steps.dryRunWriting") : undefined,
        }))}
      />
      <div>
        <Progress
          percent={pct}
          status={d.status === "succeeded" ? "success" : d.status === "rejected" || d.status === "failed" ? "exception" : "active"}
          aria-label={t("progress.label")}
        />
        <Typography.Text type="secondary" data-testid="import-counts">
          {t("progress.counts", { parsed: d.rowsParsed, validated: d.rowsValidated, written: d.rowsWritten })}
        </Typography.Text>
        {d.status === "queued" && <Hint style={{ margin: "4px 0 0" }}>{t("progress.queued")}</Hint>}
      </div>
      {finished || d.status === "failed" ? <ImportResult d={d} /> : null}
    </Space>
  );
}

function Facts({ d }: { d: ImportDetail }) {
  const t = useTranslations("imports");
  const tc = useTranslations("common");
  const none = tc("none");
  const items: DescriptionsProps["items"] = [
    { key: "file", label: t("facts.file"), children: <span style={{ wordBreak: "break-all" }}>{d.fileName}</span>, span: 2 },
    { key: "kind", label: t("facts.kind"), children: t(`kinds.${d.kind}`) },
    { key: "status", label: t("facts.status"), children: <ImportStatusTag status={d.status} /> },
    { key: "size", label: t("facts.size"), children: formatBytes(d.fileBytes) },
    {
      key: "encoding",
      label: t("facts.encoding"),
      children: d.detectedEncoding ? t("facts.detected", { chosen: encodingLabel(t, d.encoding), detected: detectedEncodingLabel(d.detectedEncoding) }) : encodingLabel(t, d.encoding),
    },
    { key: "dryRun", label: t("facts.dryRun"), children: d.dryRun ? t("facts.yes") : t("facts.no") },
    { key: "user", label: t("facts.user"), children: d.user ? d.user.displayName : t("history.system") },
    { key: "createdAt", label: t("facts.createdAt"), children: formatDateTime(d.createdAt) },
    { key: "finishedAt", label: t("facts.finishedAt"), children: d.finishedAt ? formatDateTime(d.finishedAt) : none },
  ];
  return <Descriptions size="small" bordered column={2} items={items} />;
}

function encodingLabel(t: ReturnType<typeof useTranslations<"imports">>, e: string): string {
  return (UPLOAD_ENCODINGS as readonly string[]).includes(e) ? t(`encodings.${e as UploadEncoding}`) : e;
}
