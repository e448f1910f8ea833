"use client";
import { PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, DatePicker, Empty, Form, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import type { TableProps } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { FieldIssue } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import type { RateKind, RateRow } from "@/lib/reference/rates";
import { addRateAction, deleteRateAction, updateRateAction } from "./actions";
import { showIssues } from "./issues";
import { RatesChart } from "./RatesChart";

type Values = { kind: RateKind; effectiveOn: Dayjs; ratePct: number };
const FIELDS = ["kind", "effectiveOn", "ratePct"] as const;
const KIND_COLOUR: Record<RateKind, string> = { LPR1Y: "blue", LPR5Y: "orange" };

/** 3.1 → "3.10%", 3.125 → "3.125%": two decimals, more only when the rate has them (up to four). */
export function formatPct(v: number): string {
  return `${v.toFixed(4).replace(/0{1,2}$/, "")}%`;
}

export type RateBounds = { minPct: number; maxPct: number; today: string };

export function RatesTab({ rates, bounds }: { rates: RateRow[]; bounds: RateBounds }) {
  const t = useTranslations("reference");
  const tc = useTranslations("common");
  const { message } = App.useApp();
  const router = useRouter();
  const [busy, start] = useTransition();
  const [editing, setEditing] = useState<RateRow | "new" | null>(null);
  const [formIssues, setFormIssues] = useState<FieldIssue[]>([]);
  const [form] = Form.useForm<Values>();

  const open = (row: RateRow | "new") => {
    setFormIssues([]);
    setEditing(row);
    form.resetFields();
    form.setFieldsValue(
      row === "new" ? { kind: "LPR1Y", effectiveOn: dayjs(bounds.today), ratePct: undefined } : { kind: row.kind, effectiveOn: dayjs(row.effectiveOn), ratePct: row.ratePct },
    );
  };

  const submit = (v: Values) =>
    start(async () => {
      setFormIssues([]);
      const input = { kind: v.kind, effectiveOn: v.effectiveOn.format("YYYY-MM-DD"), ratePct: v.ratePct };
      const r = editing && editing !== "new" ? await updateRateAction(editing.id, input) : await addRateAction(input);
      if (r.ok) {
        message.success(t(editing === "new" ? "rateAdded" : "rateUpdated", { kind: t(`kinds.${input.kind}`), date: input.effectiveOn }));
        setEditing(null);
        router.refresh();
        return;
      }
      const rest = showIssues(form, t, r.error.issues ?? [], FIELDS, { min: bounds.minPct, max: bounds.maxPct });
      if (rest.length || !r.error.issues?.length) setFormIssues(rest.length ? rest : [{ field: "", code: r.error.code, message: r.error.message }]);
    });

  const remove = (row: RateRow) =>
    start(async () => {
      const r = await deleteRateAction(row.id);
      if (r.ok) {
        message.success(t("rateDeleted", { kind: t(`kinds.${row.kind}`), date: row.effectiveOn }));
        router.refresh();
      } else message.error(r.error.message);
    });

  const columns: TableProps<RateRow>["columns"] = [
    {
      key: "effectiveOn",
      title: t("columns.effectiveOn"),
      dataIndex: "effectiveOn",
      sorter: (a, b) => a.effectiveOn.localeCompare(b.effectiveOn),
      defaultSortOrder: "descend",
      render: (v: string) => <span className="cw-num">{formatDate(v)}</span>,
    },
    {
      key: "kind",
      title: t("columns.kind"),
      dataIndex: "kind",
      filters: (["LPR1Y", "LPR5Y"] as const).map((k) => ({ text: t(`kinds.${k}`), value: k })),
      onFilter: (v, r) => r.kind === v,
      render: (k: RateKind) => <Tag color={KIND_COLOUR[k]}>{t(`kinds.${k}`)}</Tag>,
    },
    { key: "ratePct", title: t("columns.rate"), dataIndex: "ratePct", align: "right", render: (v: number) => <span className="cw-num">{formatPct(v)}</span> },
    {
      key: "actions",
      title: tc("actions"),
      width: 160,
      render: (_: unknown, r) => (
        <Space size="small">
          <Button size="small" type="link" onClick={() => open(r)} aria-label={t("editRateOf", { kind: t(`kinds.${r.kind}`), date: r.effectiveOn })}>
            {t("edit")}
          </Button>
          <Popconfirm title={t("deleteRateConfirm", { kind: t(`kinds.${r.kind}`), date: r.effectiveOn })} okText={t("delete")} cancelText={tc("cancel")} onConfirm={() => remove(r)}>
            <Button size="small" type="link" danger aria-label={t("deleteRateOf", { kind: t(`kinds.${r.kind}`), date: r.effectiveOn })}>
              {t("delete")}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small" title={t("chartTitle")}>
        {rates.length ? <RatesChart rates={rates} today={bounds.today} /> : <Empty description={t("ratesEmpty")} />}
      </Card>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <Typography.Text type="secondary">{t("ratesHint")}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open("new")}>
          {t("addRate")}
        </Button>
      </Space>
      <Table<RateRow>
        rowKey="id"
        size="small"
        aria-label={t("ratesTable")}
        columns={columns}
        dataSource={rates}
        pagination={rates.length > 20 ? { pageSize: 20, showTotal: (total) => tc("total", { total }), showSizeChanger: false } : false}
        locale={{ emptyText: <Empty description={t("ratesEmpty")} /> }}
      />
      <Modal
        title={editing === "new" ? t("addRate") : t("editRate")}
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t("save")}
        cancelText={tc("cancel")}
        confirmLoading={busy}
        forceRender
      >
        {formIssues.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={formIssues.map((i) => i.message).join("; ")} />}
        <Form<Values> form={form} layout="vertical" name="rate" onFinish={submit} aria-label={t("rateForm")}>
          <Form.Item name="kind" label={t("columns.kind")} rules={[{ required: true, message: t("errors.rateKind") }]}>
            <Select options={(["LPR1Y", "LPR5Y"] as const).map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="effectiveOn" label={t("columns.effectiveOn")} rules={[{ required: true, message: t("errors.rateDate") }]}>
            <DatePicker format="YYYY-MM-DD" style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item
            name="ratePct"
            label={t("ratePct")}
            extra={t("ratePctHint")}
            rules={[
              { required: true, message: t("errors.rateRange", { min: bounds.minPct, max: bounds.maxPct }) },
              { type: "number", min: bounds.minPct, max: bounds.maxPct, message: t("errors.rateRange", { min: bounds.minPct, max: bounds.maxPct }) },
            ]}
          >
            <InputNumber style={{ width: "100%" }} step={0.05} precision={4} suffix="%" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
