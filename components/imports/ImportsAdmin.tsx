"use client";
// The imports page: upload a file (kind, encoding, dry run), watch the import run (steps, progress bar polled every
// second), read the result (counts, or the errors with their CSV report), download templates, and browse the history.
import { DownloadOutlined, FileExcelOutlined, InboxOutlined, ReloadOutlined, UploadOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, Descriptions, Drawer, Empty, Form, Progress, Row, Select, Space, Statistic, Steps, Switch, Table, Tag, Typography, Upload } from "antd";
import type { DescriptionsProps, TableProps, UploadFile } from "antd";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { Hint, PageTitle } from "@/components/shell/PageTitle";
import { formatCount, formatDateTime } from "@/lib/format";
import { COLUMNS, columnHeader, IMPORT_KINDS, type ImportKind } from "@/lib/imports/columns";
import {
  detectedEncodingLabel,
  formatBytes,
  isFinished,
  MAX_UPLOAD_BYTES,
  pollInterval,
  progressPercent,
  STEP_KEYS,
  stepState,
  UPLOAD_ACCEPT,
  UPLOAD_ENCODINGS,
  type ImportDetail,
  type ImportErrorView,
  type ImportList,
  type ImportListRow,
  type ImportStatus,
  type UploadEncoding,
} from "@/lib/imports/view";

type UploadValues = { kind?: ImportKind; encoding: UploadEncoding; dryRun: boolean };
type ApiError = { error?: { message?: string; issues?: { message: string }[] } };

const STATUS_COLOUR: Record<ImportStatus, string> = {
  queued: "default",
  parsing: "processing",
  validating: "processing",
  writing: "processing",
  succeeded: "success",
  rejected: "warning",
  failed: "error",
};

function errorText(body: ApiError | null, fallback: string): string {
  const issues = body?.error?.issues?.map((i) => i.message).filter(Boolean) ?? [];
  return issues.length ? issues.join(" ") : (body?.error?.message ?? fallback);
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => null)) as (T & ApiError) | null;
  if (!res.ok || !body) throw new Error(errorText(body, res.statusText));
  return body;
}

/** POSTs the form with XMLHttpRequest: fetch cannot report upload progress. */
function sendUpload(form: FormData, onProgress: (percent: number) => void, networkError: string): Promise<{ id: number }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/imports");
    xhr.responseType = "json";
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.floor((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      const body = xhr.response as ({ id?: number } & ApiError) | null;
      if (xhr.status === 201 && typeof body?.id === "number") resolve({ id: body.id });
      else reject(new Error(errorText(body, `${xhr.status} ${xhr.statusText}`)));
    };
    xhr.onerror = () => reject(new Error(networkError));
    xhr.send(form);
  });
}

export function ImportsAdmin({ initialId }: { initialId: number | null }) {
  const t = useTranslations("imports");
  const [watched, setWatched] = useState<number | null>(initialId);
  const [drawerId, setDrawerId] = useState<number | null>(null);

  const watch = (id: number) => {
    setWatched(id);
    window.history.replaceState(null, "", `/admin/imports?id=${id}`);
  };

  return (
    <>
      <PageTitle>{t("title")}</PageTitle>
      <Hint>{t("subtitle")}</Hint>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={15}>
          <UploadCard onStarted={watch} />
        </Col>
        <Col xs={24} xl={9}>
          <TemplatesCard />
        </Col>
      </Row>
      {watched !== null && (
        <Card size="small" title={t("current.title", { id: watched })} style={{ marginBottom: 16 }} role="region" aria-label={t("current.label")}>
          <ImportStatusView id={watched} />
        </Card>
      )}
      <HistoryCard onOpen={setDrawerId} />
      <Drawer open={drawerId !== null} onClose={() => setDrawerId(null)} size={720} title={drawerId !== null ? t("drawer.title", { id: drawerId }) : ""}>
        {drawerId !== null && <ImportStatusView id={drawerId} withFacts />}
      </Drawer>
    </>
  );
}

function UploadCard({ onStarted }: { onStarted: (id: number) => void }) {
  const t = useTranslations("imports");
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UploadValues>();
  const [file, setFile] = useState<File | null>(null);
  const [entry, setEntry] = useState<UploadFile | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(0);
  const [error, setError] = useState<string>();
  const max = formatBytes(MAX_UPLOAD_BYTES);

  const submit = async () => {
    setError(undefined);
    const values = await form.validateFields().catch(() => null);
    if (!values?.kind) return;
    if (!file || !entry) {
      setError(t("upload.chooseFirst"));
      return;
    }
    const body = new FormData();
    body.set("kind", values.kind);
    body.set("encoding", values.encoding);
    body.set("dryRun", String(values.dryRun));
    body.set("file", file, file.name);
    setBusy(true);
    setSent(0);
    try {
      const { id } = await sendUpload(body, setSent, t("upload.networkError"));
      setEntry(null);
      setFile(null);
      message.success(t("upload.started", { id }));
      onStarted(id);
      await queryClient.invalidateQueries({ queryKey: ["imports"] });
    } catch (e) {
      setEntry((x) => (x ? { ...x, status: "error" } : x));
      setError(t("upload.failed", { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t("upload.title")} style={{ height: "100%" }}>
      <Form<UploadValues> form={form} layout="vertical" initialValues={{ encoding: "auto", dryRun: false }} disabled={busy}>
        <Row gutter={16}>
          <Col xs={24} md={9}>
            <Form.Item name="kind" label={t("upload.kind")} rules={[{ required: true, message: t("upload.kindRequired") }]}>
              <Select<ImportKind> placeholder={t("upload.kindPlaceholder")} options={IMPORT_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={9}>
            <Form.Item name="encoding" label={t("upload.encoding")} tooltip={t("upload.encodingHint")}>
              <Select<UploadEncoding> options={UPLOAD_ENCODINGS.map((e) => ({ value: e, label: t(`encodings.${e}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="dryRun" label={t("upload.dryRun")} valuePropName="checked" tooltip={t("upload.dryRunHint")}>
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Upload.Dragger
          accept={UPLOAD_ACCEPT}
          multiple={false}
          maxCount={1}
          disabled={busy}
          fileList={entry ? [entry] : []}
          showUploadList={{ showRemoveIcon: !busy }}
          beforeUpload={(f) => {
            setError(undefined);
            if (f.size > MAX_UPLOAD_BYTES) {
              setError(t("upload.tooLarge", { max, size: formatBytes(f.size) }));
              return Upload.LIST_IGNORE;
            }
            setFile(f);
            setEntry({ uid: f.uid, name: `${f.name}（${formatBytes(f.size)}）`, size: f.size, status: "done" });
            // Held until "start import": the form's choices go with it.
            return false;
          }}
          onRemove={() => {
            setFile(null);
            setEntry(null);
            return true;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined aria-hidden />
          </p>
          <p className="ant-upload-text">{t("upload.dropTitle")}</p>
          <p className="ant-upload-hint">{t("upload.dropHint", { max })}</p>
        </Upload.Dragger>
        {busy && <Progress percent={sent} size="small" aria-label={t("upload.progressLabel")} style={{ marginTop: 8 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
        <Space style={{ marginTop: 16 }} wrap>
          <Button type="primary" icon={<UploadOutlined />} loading={busy} onClick={() => void submit()}>
            {busy ? t("upload.uploading", { percent: sent }) : t("upload.submit")}
          </Button>
          <Typography.Text type="secondary">{t("upload.allOrNothing")}</Typography.Text>
        </Space>
      </Form>
    </Card>
  );
}

function TemplatesCard() {
  const t = useTranslations("imports");
  const locale = useLocale();
  return (
    <Card size="small" title={t("templates.title")} style={{ height: "100%" }}>
      <Hint style={{ marginBottom: 8 }}>{t("templates.hint")}</Hint>
      <ul style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("templates.title")}>
        {IMPORT_KINDS.map((k) => (
          <li key={k} style={{ padding: "6px 0", borderTop: "1px solid #f0f0f0" }}>
            <a href={`/api/imports/templates/${k}`} download>
              <FileExcelOutlined aria-hidden style={{ marginRight: 6 }} />
              {t("templates.link", { kind: t(`kinds.${k}`) })}
            </a>
            <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }}>
              {COLUMNS[k].map((c) => (c.required ? columnHeader(c, locale) : t("templates.optional", { column: columnHeader(c, locale) }))).join(locale.startsWith("zh") ? "、" : ", ")}
            </Typography.Text>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function ImportStatusTag({ status }: { status: ImportStatus }) {
  const t = useTranslations("imports");
  return (
    <Tag color={STATUS_COLOUR[status]} style={{ marginInlineEnd: 0 }}>
      {t(`status.${status}`)}
    </Tag>
  );
}

/** One import as it runs and once it is done: steps, progress bar, then counts or errors. Polls until finished. */
function ImportStatusView({ id, withFacts = false }: { id: number; withFacts?: boolean }) {
  const t = useTranslations("imports");
  const tc = useTranslations("common");
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

  if (query.isError && !d) {
    return (
      <Alert
        type="error"
        showIcon
        title={t("current.loadFailed")}
        description={query.error.message}
        action={
          <Button size="small" icon={<ReloadOutlined />} onClick={() => void query.refetch()}>
            {tc("retry")}
          </Button>
        }
      />
    );
  }
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
      {finished || d.status === "failed" ? <Result d={d} /> : null}
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

function Result({ d }: { d: ImportDetail }) {
  const t = useTranslations("imports");
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      {d.status === "succeeded" && (
        <>
          <Alert
            type="success"
            showIcon
            title={d.dryRun ? t("result.dryRunSucceeded", { rows: d.rowsValidated }) : t("result.succeeded", { rows: d.rowsWritten })}
          />
          <Row gutter={[12, 12]} role="group" aria-label={t("result.countsLabel")}>
            {(
              [
                ["new", d.rowsNew],
                ["changed", d.rowsChanged],
                ["unchanged", d.rowsUnchanged],
              ] as const
            ).map(([k, v]) => (
              <Col key={k} flex="1 1 160px" data-testid={`import-${k}`}>
                <Card size="small">
                  <Statistic title={d.dryRun ? t(`result.wouldBe.${k}`) : t(`result.${k}`)} value={v} groupSeparator="," />
                </Card>
              </Col>
            ))}
          </Row>
        </>
      )}
      {d.status === "rejected" && <Rejected d={d} />}
      {d.status === "failed" && <Alert type="error" showIcon title={t("result.failed")} description={d.failure ?? undefined} />}
      {d.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t("result.warnings")}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {d.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          }
        />
      )}
    </Space>
  );
}

function Rejected({ d }: { d: ImportDetail }) {
  const t = useTranslations("imports");
  const columns: TableProps<ImportErrorView>["columns"] = [
    { key: "row", title: t("result.columns.row"), dataIndex: "row", width: 90, render: (v: number | null) => (v === null ? t("result.wholeFile") : formatCount(v)) },
    { key: "column", title: t("result.columns.column"), dataIndex: "column", width: 180, render: (v: string | null) => v ?? t("result.wholeFile") },
    { key: "message", title: t("result.columns.message"), dataIndex: "message" },
  ];
  const capped = d.errorCount > d.errors.length;
  return (
    <>
      <Alert
        type="error"
        showIcon
        title={t("result.rejected", { count: d.errorCount })}
        description={capped ? t("result.errorsCapped", { shown: d.errors.length }) : t("result.fixAndRetry")}
        action={
          <Button href={`/api/imports/${d.id}/errors.csv`} download icon={<DownloadOutlined />}>
            {t("result.downloadErrors")}
          </Button>
        }
      />
      <Table<ImportErrorView>
        size="small"
        rowKey={(r) => `${r.row ?? "file"}-${r.column ?? ""}-${r.code}-${r.message}`}
        aria-label={t("result.errorsTable")}
        columns={columns}
        dataSource={d.errors}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      />
    </>
  );
}

function HistoryCard({ onOpen }: { onOpen: (id: number) => void }) {
  const t = useTranslations("imports");
  const tc = useTranslations("common");
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const query = useQuery({
    queryKey: ["imports", page.page, page.pageSize],
    queryFn: () => getJson<ImportList>(`/api/imports?page=${page.page}&pageSize=${page.pageSize}`),
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
      {query.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t("history.loadFailed")} description={query.error.message} />}
      <Table<ImportListRow>
        rowKey="id"
        size="middle"
        aria-label={t("history.tableLabel")}
        columns={columns}
        dataSource={query.data?.rows ?? []}
        loading={query.isPending}
        scroll={{ x: 1080 }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: query.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => tc("total", { total: formatCount(total) }),
          onChange: (p, s) => setPage({ page: s !== page.pageSize ? 1 : p, pageSize: s }),
        }}
        locale={{ emptyText: query.isPending ? " " : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("history.empty")} /> }}
      />
    </Card>
  );
}
