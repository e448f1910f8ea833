"use client";
// Churn detection's parameters (docs/churn.md): the windows, the large-prepayment share, the LPR margin of the rate
// inference and the evidence window. Saved (and audited) through a server action; detection reads them on its next run.
import { SaveOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, InputNumber, Typography } from "antd";
import { useTranslations } from "next-intl";
import { sameNames, useSettingsForm } from "@/components/shell/useAction";
import type { ChurnParams } from "@/lib/churn/settings";
import { saveChurnParamsAction } from "./actions";

const FIELDS: { key: keyof ChurnParams; min: number; max: number; step: number }[] = [
  { key: "approvedNotDrawnDays", min: 1, max: 365, step: 1 },
  { key: "maturedNotRenewedDays", min: 1, max: 365, step: 1 },
  { key: "largePrepaymentShare", min: 0.01, max: 1, step: 0.05 },
  { key: "lprMarginBp", min: 0, max: 2000, step: 10 },
  { key: "evidenceDays", min: 0, max: 730, step: 30 },
];

export function ChurnSettingsForm({ initial }: { initial: ChurnParams }) {
  const t = useTranslations("churnSettings");
  const [form] = Form.useForm<ChurnParams>();
  const { save, submit, formError } = useSettingsForm(form, saveChurnParamsAction, {
    saved: t("saved"),
    fieldOf: sameNames(FIELDS.map((f) => f.key)),
    text: () => t("invalid"),
    toInput: (v: ChurnParams) => ({ input: v }),
  });
  return (
    <Card title={t("detection")} size="small">
      <Typography.Paragraph type="secondary">{t("hint")}</Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form<ChurnParams>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        style={{ maxWidth: 520 }}
      >
        {FIELDS.map((f) => (
          <Form.Item key={f.key} name={f.key} label={t(`fields.${f.key}`)} extra={t(`help.${f.key}`)} rules={[{ required: true, type: "number", min: f.min, max: f.max, message: t("invalid") }]}>
            <InputNumber min={f.min} max={f.max} step={f.step} style={{ width: 180 }} aria-label={t(`fields.${f.key}`)} />
          </Form.Item>
        ))}
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending}>
          {t("save")}
        </Button>
      </Form>
    </Card>
  );
}
