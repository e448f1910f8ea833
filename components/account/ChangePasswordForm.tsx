"use client";
// The signed-in user changes their own password (the current one first); their other sessions end.
import { App, Button, Card, Form, Input } from "antd";
import { useTranslations } from "next-intl";
import { issuesOf, useAction } from "@/components/shell/useAction";
import { changePasswordAction } from "./actions";

type Values = { current: string; next: string; confirm: string };

export function ChangePasswordForm({ passwordMin }: { passwordMin: number }) {
  const t = useTranslations("account");
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useAction(changePasswordAction, {
    onSuccess: () => {
      form.resetFields();
      void message.success(t("changed"));
    },
    onError: (e) => {
      const fields = issuesOf(e).filter((i) => i.field === "current" || i.field === "next");
      if (fields.length) form.setFields(fields.map((i) => ({ name: i.field as "current" | "next", errors: [t(`errors.${i.code === "wrongPassword" || i.code === "samePassword" ? i.code : "tooShort"}`, { min: passwordMin })] })));
      else void message.error(e.message);
    },
  });
  const submit = (v: Values) => change.mutate({ current: v.current, next: v.next });
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
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t("submit")}
        </Button>
      </Form>
    </Card>
  );
}
