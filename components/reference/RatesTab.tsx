"use client";
// The LPR reference rates: their history as a chart and a table, add / edit in a modal, delete with confirmation.
import { App, Button, Card, DatePicker, Empty, Form, InputNumber, Popconfirm, Select, Space,  Tag } from "antd";
import type { TableProps } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { DataTable } from "@/components/shell/DataTable";
import { FormModal } from "@/components/shell/FormDialogs";
import { ListToolbar } from "@/components/shell/ListToolbar";
import { sameNames, useAction } from "@/components/shell/useAction";
import { useEditDialog } from "@/components/shell/useEditDialog";
import { formatDate } from "@/lib/format";
import type { RateInput, RateKind, RateRow } from "@/lib/reference/rates";
import { addRateAction, deleteRateAction, updateRateAction } from "./actions";
import { referenceIssueText } from "./issues";
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
  const [form] = Form.useForm<Values>();
  const issueText = referenceIssueText(t, { min: bounds.minPct, max: bounds.maxPct });
  const toInput = (v: Values): RateInput => ({ kind: v.kind, effectiveOn: v.effectiveOn.format("YYYY-MM-DD"), ratePct: v.ratePct });
  const dialog = useEditDialog<RateRow, Values>({
    form,
    save: (v, row) => (row ? updateRateAction(row.id, toInput(v)) : addRateAction(toInput(v))),
    onSaved: (v, isNew) => {
      message.success(t(isNew ? "rateAdded" : "rateUpdated", { kind: t(`kinds.${v.kind}`), date: toInput(v).effectiveOn }));
      router.refresh();
    },
    fieldOf: sameNames(FIELDS),
    issueText,
    describeRest: (rest) => rest.map(issueText).join("; "),
  });
  const open = (row: RateRow | "new") =>
    dialog.open(row, row === "new" ? { kind: "LPR1Y", effectiveOn: dayjs(bounds.today), ratePct: undefined } : { kind: row.kind, effectiveOn: dayjs(row.effectiveOn), ratePct: row.ratePct });

  const remove = useAction((row: RateRow) => deleteRateAction(row.id), {
    onSuccess: (_r, row) => {
      message.success(t("rateDeleted", { kind: t(`kinds.${row.kind}`), date: row.effectiveOn }));
      router.refresh();
    },
    onError: (e) => message.error(e.message),
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
          <Popconfirm title={t("deleteRateConfirm", { kind: t(`kinds.${r.kind}`), date: r.effectiveOn })} okText={t("delete")} cancelText={tc("cancel")} onConfirm={() => remove.mutate(r)}>
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
      <ListToolbar hint={t("ratesHint")} action={t("addRate")} onAction={() => open("new")} />
      <DataTable<RateRow>
        label={t("ratesTable")}
        columns={columns}
        rows={rates}
        pager={{ size: 20, total: true, sizeChanger: false }}
        empty={<Empty description={t("ratesEmpty")} />}
      />
      <FormModal {...dialog.modal} title={dialog.editing === "new" ? t("addRate") : t("editRate")} submitText={t("save")} forceRender>
        <Form<Values> form={form} layout="vertical" name="rate" onFinish={dialog.submit} aria-label={t("rateForm")}>
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
      </FormModal>
    </Space>
  );
}
