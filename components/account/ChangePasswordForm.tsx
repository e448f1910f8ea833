"use client";
import { App, Button, Card, Form, Input } from "antd";
import { useTranslations } from "next-intl";
import { useTransition } from "react";
import { changePasswordAction } from "./actions";

type Values = { current: string; next: string; confirm: string };

export function ChangePasswordForm({ passwordMin }: { passwordMin: number }) {
  const t = useTranslations("account");
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [pending, start] = useTransition();
  const submit = (v: Values) =>
    start(async () => {
      const r = await changePasswordAction({ current: v.current, next: v.next });
      if (r.ok) {
        form.resetFields();
        void message.success(t("changed"));
        return;
      }
      const fields = (r.error.issues ?? []).filter((i) => i.field === "current" || i.field === "next");
      if (fields.length) form.setFields(fields.map((i) => ({ name: i.field as "current" | "next", errors: [t(`errors.${i.code === "wrongPassword" || i.code === "samePassword" ? i.code : "tooShort"}`, { min: passwordMin })] })));
      else void message.error(r.error.message);
    });
  return (
    <Card title={t("changePassword")} style={{ maxWidth: 480 }}>
      <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="current" label={t("current")} rules={[{ required: true, message: t("errors.required") }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="next" label={t("next")} extra={t("hint", { min: passwordMin })} rules={[{ required: true, message: t("errors.required") }, { min: passwordMin, message: t("errors.tooShort", { min: passwordMin }) }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t("confirm")}
          dependencies={["next"]}
          rules={[
            { required: true, message: t("errors.required") },
            ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue("next") ? Promise.resolve() : Promise.reject(new Error(t("errors.mismatch")))) }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={pending}>
          {t("submit")}
        </Button>
      </Form>
    </Card>
  );
}
