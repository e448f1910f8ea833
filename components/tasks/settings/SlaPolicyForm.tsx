"use client";
// The SLA policy: per priority, business days to first contact and to resolution. Saved through a server action;
// server-side field issues land on their cells.
import { SaveOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, InputNumber, Typography } from "antd";
import { useTranslations } from "next-intl";
import { DataTable } from "@/components/shell/DataTable";
import { useSettingsForm } from "@/components/shell/useAction";
import { SeverityTag } from "@/components/warnings/SeverityTag";
import type { Priority, SlaPolicy } from "@/lib/tasks/calendar";
import { SEVERITIES_DESC } from "@/lib/vocabulary";
import { saveSlaAction } from "./actions";

const ORDER: readonly Priority[] = SEVERITIES_DESC;

export function SlaPolicyForm({ initial }: { initial: SlaPolicy }) {
  const t = useTranslations("taskSettings");
  const te = useTranslations("enums");
  const [form] = Form.useForm<SlaPolicy>();
  const { save, submit, formError } = useSettingsForm(form, saveSlaAction, {
    saved: t("slaSaved"),
    fieldOf: (f) => (/^(low|medium|high|critical)\.(contactDays|resolveDays)$/.test(f) ? f.split(".") : null),
    text: (i) => (i.code === "custom" ? t("contactAfterResolve") : t("daysInvalid")),
    toInput: (v: SlaPolicy) => v,
  });

  const days = (p: Priority, field: "contactDays" | "resolveDays") => (
    <Form.Item
      name={[p, field]}
      style={{ margin: 0 }}
      dependencies={field === "contactDays" ? [[p, "resolveDays"]] : []}
      rules={[
        { required: true, type: "number", min: 0.5, max: 365, message: t("daysInvalid") },
        ...(field === "contactDays"
          ? [
              ({ getFieldValue }: { getFieldValue: (n: (string | number)[]) => unknown }) => ({
                validator: (_: unknown, v: number | null) => {
                  const resolve = getFieldValue([p, "resolveDays"]);
                  return v == null || typeof resolve !== "number" || v <= resolve ? Promise.resolve() : Promise.reject(new Error(t("contactAfterResolve")));
                },
              }),
            ]
          : []),
      ]}
    >
      <InputNumber
        min={0.5}
        max={365}
        step={1}
        style={{ width: 140 }}
        aria-label={t(field === "contactDays" ? "contactDaysOf" : "resolveDaysOf", { priority: te(`severity.${p}`) })}
      />
    </Form.Item>
  );

  return (
    <Card title={t("slaTitle")} size="small" style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">{t("slaHint")}</Typography.Paragraph>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form<SlaPolicy> form={form} name="slaPolicy" initialValues={initial} onFinish={submit} aria-label={t("slaTitle")}>
        <DataTable<{ p: Priority }>
          rowKey="p"
          label={t("slaTableLabel")}
          rows={ORDER.map((p) => ({ p }))}
          style={{ maxWidth: 640, marginBottom: 12 }}
          columns={[
            { key: "priority", title: t("priority"), width: 120, render: (_: unknown, r) => <SeverityTag value={r.p} /> },
            { key: "contact", title: t("contactDays"), render: (_: unknown, r) => days(r.p, "contactDays") },
            { key: "resolve", title: t("resolveDays"), render: (_: unknown, r) => days(r.p, "resolveDays") },
          ]}
        />
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending}>
          {t("slaSave")}
        </Button>
      </Form>
    </Card>
  );
}
