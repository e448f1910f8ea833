"use client";
// "New user" in a drawer: username, name, role, branch (required for RMs and supervisors), e-mail and a first
// password; the server's field issues (a taken username, say) land on their fields.
import { App, Form, Input, Select } from "antd";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormDrawer } from "@/components/shell/FormDialogs";
import { applyIssues, issuesOf, sameNames, useAction, type FieldIssue } from "@/components/shell/useAction";
import { ROLES, type Role } from "@/lib/vocabulary";
import { createUserAction } from "./actions";

const USERNAME_RE = /^[a-zA-Z0-9._-]+$/;
const FIELDS = ["username", "displayName", "role", "branchId", "email", "password"] as const;

type Values = { username: string; displayName: string; role: Role; branchId?: number; email?: string; password: string };

/** A server issue on a user form, worded in the user's language. */
export function useUserIssueText(passwordMin: number): (i: FieldIssue) => string {
  const t = useTranslations("adminUsers");
  const terr = useTranslations("errors");
  return (i) => {
    switch (i.field) {
      case "username":
        return i.code === "taken" ? terr("conflicts.usernameTaken") : t("validation.username");
      case "displayName":
        return t("validation.displayName");
      case "role":
        return t("validation.role");
      case "branchId":
        return i.code === "unknown" ? t("validation.branchUnknown") : t("validation.branchRequired");
      case "email":
        return t("validation.email");
      case "password":
        return t("validation.password", { min: passwordMin });
      default:
        return i.message;
    }
  };
}

export function CreateUserDrawer({ open, onClose, branches, passwordMin }: { open: boolean; onClose: () => void; branches: { id: number; name: string }[]; passwordMin: number }) {
  const t = useTranslations("adminUsers");
  const te = useTranslations("enums");
  const { message } = App.useApp();
  const router = useRouter();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const issueText = useUserIssueText(passwordMin);
  const chosenRole = Form.useWatch("role", form);
  const needsBranch = chosenRole === "rm" || chosenRole === "supervisor";

  const create = useAction(createUserAction, {
    onSuccess: (_r, v) => {
      void message.success(t("created", { username: v.username }));
      router.refresh();
      onClose();
      form.resetFields();
    },
    onError: (e) => {
      const issues = issuesOf(e);
      if (!issues.length || applyIssues(form, issues, sameNames(FIELDS), issueText).length) setError(e.message);
    },
  });
  const submit = (v: Values) => {
    setError(undefined);
    create.mutate({
      username: v.username,
      displayName: v.displayName,
      role: v.role,
      branchId: v.branchId ?? null,
      email: v.email?.trim() ? v.email.trim() : null,
      password: v.password,
    });
  };
  const passwordRules = [
    { required: true, message: t("validation.password", { min: passwordMin }) },
    { min: passwordMin, max: 200, message: t("validation.password", { min: passwordMin }) },
  ];

  return (
    <FormDrawer
      title={t("createTitle")}
      open={open}
      onClose={() => {
        setError(undefined);
        onClose();
      }}
      onSubmit={() => form.submit()}
      submitText={t("createSubmit")}
      busy={create.isPending}
      error={error}
      size={440}
    >
      <Form<Values> form={form} name="createUser" layout="vertical" onFinish={submit} requiredMark initialValues={{ role: "rm" }} aria-label={t("createTitle")}>
        <Form.Item
          name="username"
          label={t("fields.username")}
          extra={t("hints.username")}
          rules={[
            { required: true, message: t("validation.usernameRequired") },
            { min: 2, max: 40, message: t("validation.username") },
            { pattern: USERNAME_RE, message: t("validation.username") },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t("fields.displayName")} rules={[{ required: true, whitespace: true, max: 60, message: t("validation.displayName") }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="role" label={t("fields.role")} rules={[{ required: true, message: t("validation.role") }]}>
          <Select<Role> aria-label={t("fields.role")} options={ROLES.map((r) => ({ value: r, label: te(`role.${r}`) }))} />
        </Form.Item>
        <Form.Item
          name="branchId"
          label={t("fields.branch")}
          extra={needsBranch ? undefined : t("hints.branchOptional")}
          rules={[{ required: needsBranch, message: t("validation.branchRequired") }]}
        >
          <Select<number>
            aria-label={t("fields.branch")}
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            placeholder={t("fields.branchPlaceholder")}
            options={branches.map((b) => ({ value: b.id, label: b.name }))}
          />
        </Form.Item>
        <Form.Item name="email" label={t("fields.email")} rules={[{ type: "email", message: t("validation.email") }]}>
          <Input type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item name="password" label={t("fields.password")} extra={t("hints.password", { min: passwordMin })} rules={passwordRules}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
