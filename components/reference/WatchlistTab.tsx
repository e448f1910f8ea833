"use client";
// The industry watch list: which GB/T 4754 industries the rules treat as watched, why, and since when; add / edit in
// a modal, pause with the switch, delete with confirmation.
import { App, AutoComplete, Badge, Button, Empty, Form, Input, Popconfirm, Space, Switch } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { FormModal } from "@/components/shell/FormDialogs";
import { ListToolbar } from "@/components/shell/ListToolbar";
import { sameNames, useAction } from "@/components/shell/useAction";
import { useEditDialog } from "@/components/shell/useEditDialog";
import { formatCount, formatDate } from "@/lib/format";
import { DIVISIONS, SECTIONS } from "@/lib/reference/industries";
import type { WatchRow } from "@/lib/reference/watchlist";
import { addWatchAction, deleteWatchAction, updateWatchAction } from "./actions";
import { referenceIssueText } from "./issues";

/** A watch-list entry with the industry's name in the reader's language. */
export type WatchItem = Omit<WatchRow, "nameZh" | "nameEn"> & { name: string };
type Values = { industryCode: string; reason: string; active: boolean };
const FIELDS = ["industryCode", "reason", "active"] as const;

export function WatchlistTab({ entries }: { entries: WatchItem[] }) {
  const t = useTranslations("reference");
  const tc = useTranslations("common");
  const zh = useLocale() !== "en";
  const { message } = App.useApp();
  const router = useRouter();
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

  const issueText = referenceIssueText(t);
  const dialog = useEditDialog<WatchItem, Values>({
    form,
    save: (v, row) => (row ? updateWatchAction(row.id, { reason: v.reason, active: v.active }) : addWatchAction(v)),
    onSaved: (v, isNew) => {
      message.success(t(isNew ? "watchAdded" : "watchUpdated", { code: v.industryCode.trim().toUpperCase() }));
      router.refresh();
    },
    fieldOf: sameNames(FIELDS),
    issueText,
    describeRest: (rest) => rest.map(issueText).join("; "),
  });
  const open = (row: WatchItem | "new") =>
    dialog.open(row, row === "new" ? { industryCode: "", reason: "", active: true } : { industryCode: row.industryCode, reason: row.reason, active: row.active });

  const toggle = useAction(({ row, active }: { row: WatchItem; active: boolean }) => updateWatchAction(row.id, { active }), {
    onSuccess: (_r, { row, active }) => {
      message.success(t(active ? "watchActivated" : "watchDeactivated", { code: row.industryCode }));
      router.refresh();
    },
    onError: (e) => message.error(e.message),
  });

  const remove = useAction((row: WatchItem) => deleteWatchAction(row.id), {
    onSuccess: (_r, row) => {
      message.success(t("watchDeleted", { code: row.industryCode }));
      router.refresh();
    },
    onError: (e) => message.error(e.message),
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
          <Switch size="small" checked={v} disabled={toggle.isPending} onChange={(on) => toggle.mutate({ row: r, active: on })} aria-label={t("activeOf", { code: r.industryCode })} />
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
          <Popconfirm title={t("deleteWatchConfirm", { code: r.industryCode })} okText={t("delete")} cancelText={tc("cancel")} onConfirm={() => remove.mutate(r)}>
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
      <ListToolbar
        hint={
          <>
            {t("watchHint")} <Link href="/admin/rules">{t("watchRulesLink")}</Link>
          </>
        }
        action={t("addWatch")}
        onAction={() => open("new")}
      />
      <DataTable<WatchItem> label={t("watchTable")} columns={columns} rows={entries} scroll={{ x: 960 }} empty={<Empty description={t("watchEmpty")} />} />
      <FormModal {...dialog.modal} title={dialog.editing === "new" ? t("addWatch") : t("editWatch")} submitText={t("save")} forceRender>
        <Form<Values> form={form} layout="vertical" name="watch" onFinish={dialog.submit} aria-label={t("watchForm")}>
          <Form.Item
            name="industryCode"
            label={t("columns.industryCode")}
            extra={preview ? t("industryIs", { name: preview }) : t("industryCodeHint")}
            rules={[{ required: true, whitespace: true, message: t("errors.watchCode") }]}
          >
            <AutoComplete
              disabled={dialog.editing !== "new"}
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
      </FormModal>
    </Space>
  );
}
