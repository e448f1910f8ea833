"use client";
// The lowest severity that opens an intervention task (setting tasks.openThreshold); below it warnings join the
// customer's next task and the RM's weekly digest. Saved through a server action, audited like the SLA policy.
import { SaveOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Select, Typography } from "antd";
import { useTranslations } from "next-intl";
import { sameNames, useSettingsForm } from "@/components/shell/useAction";
import { SEVERITIES, type Severity } from "@/lib/vocabulary";
import { saveOpenThresholdAction } from "./actions";

export function OpenThresholdForm({ initial }: { initial: Severity }) {
  const t = useTranslations("taskSettings");
  const te = useTranslations("enums");
  const [form] = Form.useForm<{ minSeverity: Severity }>();
  const { save, submit, formError } = useSettingsForm(form, saveOpenThresholdAction, {
    saved: t("thresholdSaved"),
    fieldOf: sameNames(["minSeverity"]),
    text: (i) => i.message,
    toInput: (v: { minSeverity: Severity }) => v,
  });
  return (
    <Card title={t("thresholdTitle")} size="small" style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">{t("thresholdHint")}</Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form<{ minSeverity: Severity }>
        form={form}
        layout="inline"
        name="openThreshold"
        initialValues={{ minSeverity: initial }}
        aria-label={t("thresholdTitle")}
        onFinish={submit}
      >
        <Form.Item name="minSeverity" label={t("thresholdLabel")} rules={[{ required: true }]}>
          <Select<Severity> style={{ width: 140 }} aria-label={t("thresholdLabel")} options={SEVERITIES.map((s) => ({ value: s, label: te(`severity.${s}`) }))} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending}>
            {t("thresholdSave")}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
