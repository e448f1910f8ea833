"use client";
// One report: progress while the worker generates it, then the snapshot as the print document renders it (the same
// HTML as the PDF, built on the server), the measures editor, finalising, and the downloads. Polls the report while
// it is being generated or its PDF rendered; refreshes the server-rendered document when either finishes.
import { DownloadOutlined, EditOutlined, LockOutlined, MinusCircleOutlined, PlusOutlined, PrinterOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, App, Button, Form, Input, Popconfirm, Progress, Space, Tag, Typography } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { FormModal } from "@/components/shell/FormDialogs";
import { getJson } from "@/components/shell/api";
import { useAction } from "@/components/shell/useAction";
import { formatDateTime } from "@/lib/format";
import type { Measure } from "@/lib/reports/sections";
import type { ReportHead } from "@/lib/reports/service";
import { measureText } from "@/lib/reports/text";
import { finaliseReportAction, saveMeasuresAction } from "./actions";
import { STATUS_COLOUR } from "./ReportList";

type Props = { initial: ReportHead; title: string; html: { style: string; body: string } | null; measures: Measure[] };

export function ReportView({ initial, title, html, measures }: Props) {
  const t = useTranslations("reports");
  const tAll = useTranslations();
  const locale = useLocale();
  const router = useRouter();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<{ items: { area: Measure["area"]; text: string }[] }>();
  const query = useQuery({
    queryKey: ["report", initial.id],
    queryFn: () => getJson<ReportHead>(`/api/v1/reports/${initial.id}`),
    initialData: initial,
    refetchInterval: (q) => {
      const r = q.state.data;
      return r && (r.status === "queued" || r.status === "running" || (r.status === "ready" && !r.pdfReady)) ? 1000 : false;
    },
  });
  const r = query.data;
  // The document on the page is the server's rendering: fetch it again when the report is generated or changes.
  const shown = useRef(initial.revision);
  useEffect(() => {
    if (r.revision !== shown.current) {
      shown.current = r.revision;
      router.refresh();
    }
  }, [r.revision, router]);

  const save = useAction(saveMeasuresAction, {
    onSuccess: async () => {
      message.success(t("measures.saved"));
      setEditing(false);
      await query.refetch();
    },
    onError: (e) => message.error(e.message),
  });
  const finalise = useAction(finaliseReportAction, {
    onSuccess: async () => {
      message.success(t("finalised"));
      await query.refetch();
    },
    onError: (e) => message.error(e.message),
  });
  const openEditor = () => {
    form.setFieldsValue({ items: measures.map((m) => ({ area: m.area, text: measureText(m, (k, v) => tAll(k, v)) })) });
    setEditing(true);
  };

  const running = r.status === "queued" || r.status === "running";
  const editable = r.status === "ready" && !r.finalisedAt;
  const lang = locale.startsWith("zh") ? "zh-CN" : "en";
  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 12 }} wrap>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          <Tag color={STATUS_COLOUR[r.status]} data-testid="report-status">
            {t(`status.${r.status}`)}
          </Tag>
          {r.status === "ready" && <Tag color={r.finalisedAt ? "blue" : "default"}>{r.finalisedAt ? `${t("final")} ${formatDateTime(r.finalisedAt)}` : t("draft")}</Tag>}
        </Space>
        <Space wrap>
          <Link href="/reports">{t("back")}</Link>
          {editable && (
            <Button icon={<EditOutlined />} onClick={openEditor}>
              {t("measures.edit")}
            </Button>
          )}
          {editable && (
            <Popconfirm title={t("finaliseConfirm")} onConfirm={() => finalise.mutate({ reportId: r.id })} okText={t("finalise")}>
              <Button type="primary" icon={<LockOutlined />} loading={finalise.isPending}>
                {t("finalise")}
              </Button>
            </Popconfirm>
          )}
          {r.status === "ready" && (
            <>
              <Button icon={<DownloadOutlined />} href={`/api/v1/reports/${r.id}/export?format=xlsx&lang=${lang}`}>
                {t("downloadXlsx")}
              </Button>
              <Button icon={<DownloadOutlined />} href={r.pdfReady ? `/api/v1/reports/${r.id}/export?format=pdf&lang=${lang}` : undefined} disabled={!r.pdfReady} loading={!r.pdfReady}>
                {r.pdfReady ? t("downloadPdf") : t("pdfPending")}
              </Button>
              <Button icon={<PrinterOutlined />} href={`/reports/${r.id}/print`} target="_blank">
                {t("print")}
              </Button>
            </>
          )}
        </Space>
      </Space>
      {running && (
        <Alert
          type="info"
          showIcon
          title={t("progressTitle", { phase: t(`phase.${r.phase ?? "start"}`) })}
          description={<Progress percent={r.progress} status="active" aria-label={t("columns.progress")} />}
          style={{ marginBottom: 16 }}
        />
      )}
      {r.status === "failed" && <Alert type="error" showIcon title={t("failedHint", { reason: r.failure ?? "" })} style={{ marginBottom: 16 }} />}
      {html && r.status === "ready" && (
        <div style={{ background: "#fff", padding: 24, border: "1px solid #e2e8f0" }}>
          <style>{html.style}</style>
          <div dangerouslySetInnerHTML={{ __html: html.body }} />
        </div>
      )}
      <FormModal title={t("measures.edit")} open={editing} onClose={() => setEditing(false)} onSubmit={() => form.submit()} submitText={t("measures.save")} busy={save.isPending} width={760} forceRender>
        <Typography.Paragraph type="secondary">{t("measures.hint")}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate({ reportId: r.id, items: v.items.map((i) => ({ area: i.area, text: i.text })) })}>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Space key={f.key} align="start" style={{ width: "100%" }}>
                    <Form.Item name={[f.name, "area"]} hidden>
                      <Input />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, "text"]}
                      label={`${t("measures.itemLabel", { n: i + 1 })} · ${t(`measures.area.${form.getFieldValue(["items", f.name, "area"]) ?? "custom"}`)}`}
                      rules={[{ required: true, whitespace: true, message: t("measures.textRequired") }]}
                      style={{ width: 640 }}
                    >
                      <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} aria-label={t("measures.itemLabel", { n: i + 1 })} />
                    </Form.Item>
                    {fields.length > 1 && <Button type="text" icon={<MinusCircleOutlined />} aria-label={t("measures.remove", { n: i + 1 })} onClick={() => remove(f.name)} style={{ marginTop: 30 }} />}
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ area: "custom", text: "" })} disabled={fields.length >= 30}>
                  {t("measures.add")}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </FormModal>
    </>
  );
}
