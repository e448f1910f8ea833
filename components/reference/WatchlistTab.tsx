"use client";
import { PlusOutlined } from "@ant-design/icons";
import { Alert, App, AutoComplete, Badge, Button, Empty, Form, Input, Modal, Popconfirm, Space, Switch, Table, Typography } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import type { FieldIssue } from "@/lib/errors";
import { formatCount, formatDate } from "@/lib/format";
import { DIVISIONS, SECTIONS } from "@/lib/reference/industries";
import { addWatchAction, deleteWatchAction, updateWatchAction } from "./actions";
import { showIssues } from "./issues";

export type WatchItem = {
  id: number;
  industryCode: string;
  name: string;
  reason: string;
  active: boolean;
  addedByName: string | null;
  createdAt: string;
  updatedAt: string;
  customers: number;
};
type Values = { industryCode: string; reason: string; active: boolean };
const FIELDS = ["industryCode", "reason", "active"] as const;

export function WatchlistTab({ entries }: { entries: WatchItem[] }) {
  const t = useTranslations("reference");
  const tc = useTranslations("common");
  const zh = useLocale() !== "en";
  const { message } = App.useApp();
  const router = useRouter();
  const [busy, start] = useTransition();
  const [editing, setEditing] = useState<WatchItem | "new" | null>(null);
  const [formIssues, setFormIssues] = useState<FieldIssue[]>([]);
  const [form] = Form.useForm<Values>();
  const code = Form.useWatch("industryCode", form);

  // Sections (letters) and the divisions the reference names; any finer valid GB/T 4754 code can be typed.
  const industries = useMemo(
    () => [
      ...SECTIONS.map((s) => ({ code: s.letter, name: zh ? s.zh : s.en })),
      ...Object.entries(DIVISIONS).map(([c, n]) => ({ code: c, name: zh ? n.zh : n.en })),
    ].sort((a, b) => a.code.localeCompare(b.code)),
    [zh],
  );
  const nameOf = (c: string | undefined) => {
    const v = c?.trim().toUpperCase();
    if (!v) return null;
    return industries.find((i) => i.code === v)?.name ?? industries.find((i) => i.code === v.slice(0, 3))?.name ?? null;
  };

  const open = (row: WatchItem | "new") => {
    setFormIssues([]);
    setEditing(row);
    form.resetFields();
    form.setFieldsValue(row === "new" ? { industryCode: "", reason: "", active: true } : { industryCode: row.industryCode, reason: row.reason, active: row.active });
  };

  const fail = (r: { code: string; message: string; issues?: FieldIssue[] }) => {
    const rest = showIssues(form, t, r.issues ?? [], FIELDS);
    if (rest.length || !r.issues?.length) setFormIssues(rest.length ? rest : [{ field: "", code: r.code, message: r.message }]);
  };

  const submit = (v: Values) =>
    start(async () => {
      setFormIssues([]);
      const isNew = editing === "new";
      const r = isNew || !editing ? await addWatchAction(v) : await updateWatchAction(editing.id, { reason: v.reason, active: v.active });
      if (r.ok) {
        message.success(t(isNew ? "watchAdded" : "watchUpdated", { code: v.industryCode.trim().toUpperCase() }));
        setEditing(null);
        router.refresh();
      } else fail(r.error);
    });

  const toggle = (row: WatchItem, active: boolean) =>
    start(async () => {
      const r = await updateWatchAction(row.id, { active });
      if (r.ok) {
        message.success(t(active ? "watchActivated" : "watchDeactivated", { code: row.industryCode }));
        router.refresh();
      } else message.error(r.error.message);
    });

  const remove = (row: WatchItem) =>
    start(async () => {
      const r = await deleteWatchAction(row.id);
      if (r.ok) {
        message.success(t("watchDeleted", { code: row.industryCode }));
        router.refresh();
      } else message.error(r.error.message);
    });

  const columns: TableProps<WatchItem>["columns"] = [
    { key: "code", title: t("columns.industryCode"), dataIndex: "industryCode", width: 130, sorter: (a, b) => a.industryCode.localeCompare(b.industryCode), render: (v: string) => <span className="cw-num">{v}</span> },
    { key: "name", title: t("columns.industry"), dataIndex: "name", width: 170 },
    // The reason is what the next reader needs: it wraps rather than being cut off.
    { key: "reason", title: t("columns.reason"), dataIndex: "reason", render: (v: string) => <span style={{ whiteSpace: "pre-wrap" }}>{v}</span> },
    {
      key: "active",
      title: t("columns.status"),
      dataIndex: "active",
      width: 150,
      filters: [
        { text: tc("active"), value: true },
        { text: tc("inactive"), value: false },
      ],
      onFilter: (v, r) => r.active === v,
      render: (v: boolean, r) => (
        <Space size="small">
          <Switch size="small" checked={v} disabled={busy} onChange={(on) => toggle(r, on)} aria-label={t("activeOf", { code: r.industryCode })} />
          <Badge status={v ? "success" : "default"} text={v ? t("watching") : t("paused")} />
        </Space>
      ),
    },
    {
      key: "customers",
      title: t("columns.customers"),
      dataIndex: "customers",
      align: "right",
      width: 140,
      sorter: (a, b) => a.customers - b.customers,
      render: (v: number) => <span className="cw-num">{formatCount(v)}</span>,
    },
    { key: "addedBy", title: t("columns.addedBy"), dataIndex: "addedByName", width: 180, render: (v: string | null, r) => `${v ?? t("system")} · ${formatDate(r.createdAt)}` },
    {
      key: "actions",
      title: tc("actions"),
      width: 130,
      render: (_: unknown, r) => (
        <Space size="small">
          <Button size="small" type="link" onClick={() => open(r)} aria-label={t("editWatchOf", { code: r.industryCode })}>
            {t("edit")}
          </Button>
          <Popconfirm title={t("deleteWatchConfirm", { code: r.industryCode })} okText={t("delete")} cancelText={tc("cancel")} onConfirm={() => remove(r)}>
            <Button size="small" type="link" danger aria-label={t("deleteWatchOf", { code: r.industryCode })}>
              {t("delete")}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const preview = nameOf(code);
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <Typography.Text type="secondary">
          {t("watchHint")} <Link href="/admin/rules">{t("watchRulesLink")}</Link>
        </Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open("new")}>
          {t("addWatch")}
        </Button>
      </Space>
      <Table<WatchItem>
        rowKey="id"
        size="small"
        aria-label={t("watchTable")}
        columns={columns}
        dataSource={entries}
        pagination={false}
        scroll={{ x: 960 }}
        locale={{ emptyText: <Empty description={t("watchEmpty")} /> }}
      />
      <Modal
        title={editing === "new" ? t("addWatch") : t("editWatch")}
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t("save")}
        cancelText={tc("cancel")}
        confirmLoading={busy}
        forceRender
      >
        {formIssues.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={formIssues.map((i) => i.message).join("; ")} />}
        <Form<Values> form={form} layout="vertical" name="watch" onFinish={submit} aria-label={t("watchForm")}>
          <Form.Item
            name="industryCode"
            label={t("columns.industryCode")}
            extra={preview ? t("industryIs", { name: preview }) : t("industryCodeHint")}
            rules={[{ required: true, whitespace: true, message: t("errors.watchCode") }]}
          >
            <AutoComplete
              disabled={editing !== "new"}
              options={industries.map((i) => ({ value: i.code, label: `${i.code} ${i.name}` }))}
              filterOption={(input, o) => !!o && String(o.label).toLowerCase().includes(input.trim().toLowerCase())}
            >
              <Input autoComplete="off" />
            </AutoComplete>
          </Form.Item>
          <Form.Item name="reason" label={t("columns.reason")} rules={[{ required: true, whitespace: true, max: 500, message: t("errors.watchReason") }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount />
          </Form.Item>
          <Form.Item name="active" label={t("activeField")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
