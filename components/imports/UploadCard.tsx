"use client";
// The upload form: kind, encoding and dry run, the file (held until "start import"), and the upload's progress.
import { InboxOutlined, UploadOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, Form, Progress, Row, Select, Space, Switch, Typography, Upload } from "antd";
import type { UploadFile } from "antd";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { IMPORT_KINDS, type ImportKind } from "@/lib/imports/columns";
import { formatBytes, MAX_UPLOAD_BYTES, UPLOAD_ACCEPT, UPLOAD_ENCODINGS, type UploadEncoding } from "@/lib/imports/view";
import { sendUpload } from "./upload";

type UploadValues = { kind?: ImportKind; encoding: UploadEncoding; dryRun: boolean };

export function UploadCard({ onStarted }: { onStarted: (id: number) => void }) {
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
