"use client";
// An administrator sets a new password for someone (their sessions end; they change it after signing in).
import { App, Form, Input, Typography } from "antd";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormModal } from "@/components/shell/FormDialogs";
import { applyIssues, issuesOf, sameNames, useAction } from "@/components/shell/useAction";
import { useUserIssueText } from "./CreateUserDrawer";
import type { Person } from "./person";
import { resetPasswordAction } from "./actions";

export function ResetPasswordModal({ user, onClose, passwordMin }: { user: Person | undefined; onClose: () => void; passwordMin: number }) {
  const t = useTranslations("adminUsers");
  const { message } = App.useApp();
  const router = useRouter();
  const [form] = Form.useForm<{ password: string }>();
  const [error, setError] = useState<string>();
  const issueText = useUserIssueText(passwordMin);
  const reset = useAction(resetPasswordAction, {
    onSuccess: () => {
      void message.success(t("passwordReset", { username: user?.username ?? "" }));
      router.refresh();
      onClose();
      form.resetFields();
    },
    onError: (e) => {
      const issues = issuesOf(e);
      if (!issues.length || applyIssues(form, issues, sameNames(["password"]), issueText).length) setError(e.message);
    },
  });
  const close = () => {
    form.resetFields();
    setError(undefined);
    onClose();
  };
  return (
    <FormModal
      title={user ? t("resetTitle", { username: user.username }) : ""}
      open={Boolean(user)}
      onClose={close}
      onSubmit={() => form.submit()}
      submitText={t("resetSubmit")}
      busy={reset.isPending}
      error={error}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("resetBody")}</Typography.Paragraph>
      <Form
        form={form}
        name="resetPassword"
        layout="vertical"
        onFinish={(v: { password: string }) => {
          if (!user) return;
          setError(undefined);
          reset.mutate({ userId: user.id, password: v.password });
        }}
      >
        <Form.Item
          name="password"
          label={t("fields.newPassword")}
          rules={[
            { required: true, message: t("validation.password", { min: passwordMin }) },
            { min: passwordMin, max: 200, message: t("validation.password", { min: passwordMin }) },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
