"use client";
import { KeyOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App, Badge, Button, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from "antd";
import type { FormInstance, TableProps } from "antd";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { StatusTag } from "@/components/shell/StatusTag";
import type { Role } from "@/lib/auth/roles";
import type { FieldIssue } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import type { ActionResult } from "@/lib/http/action";
import { createUserAction, resetPasswordAction, setUserActiveAction } from "./actions";

const ROLES: Role[] = ["rm", "supervisor", "hr", "admin"];
const USERNAME_RE = /^[a-zA-Z0-9._-]+$/;

type UserRow = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  branchId: number | null;
  active: boolean;
  customerCount: number;
  lastLoginAt: string | null;
};
type Branch = { id: number; name: string };
type CreateValues = { username: string; displayName: string; role: Role; branchId?: number; email?: string; password: string };

/** Puts the server's field issues on the named fields, worded in the user's language; false if some had no field. */
function showIssues<T>(form: FormInstance<T>, fields: readonly string[], issues: FieldIssue[] | undefined, message: (i: FieldIssue) => string): boolean {
  if (!issues?.length) return false;
  const onFields = issues.filter((i) => fields.includes(i.field));
  form.setFields(onFields.map((i) => ({ name: i.field as never, errors: [message(i)] })));
  return onFields.length === issues.length;
}

const CREATE_FIELDS = ["username", "displayName", "role", "branchId", "email", "password"] as const;

export function UsersAdmin({
  users,
  branches,
  selfId,
  passwordMin,
  initialFilters,
}: {
  users: UserRow[];
  branches: Branch[];
  selfId: number;
  passwordMin: number;
  initialFilters: { role?: Role; branchId?: number };
}) {
  const t = useTranslations("adminUsers");
  const tc = useTranslations("common");
  const te = useTranslations("enums");
  const terr = useTranslations("errors");
  const { message } = App.useApp();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [q, setQ] = useState("");
  const [role, setRole] = useState<Role | undefined>(initialFilters.role);
  const [branchId, setBranchId] = useState<number | undefined>(initialFilters.branchId);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string>();
  const [resetFor, setResetFor] = useState<UserRow>();
  const [resetError, setResetError] = useState<string>();
  const [createForm] = Form.useForm<CreateValues>();
  const [resetForm] = Form.useForm<{ password: string }>();
  const chosenRole = Form.useWatch("role", createForm);
  const branchName = useMemo(() => new Map(branches.map((b) => [b.id, b.name])), [branches]);

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return users.filter(
      (u) =>
        (!needle || u.username.toLowerCase().includes(needle) || u.displayName.toLowerCase().includes(needle)) &&
        (!role || u.role === role) &&
        (!branchId || u.branchId === branchId),
    );
  }, [users, q, role, branchId]);

  const issueMessage = (i: FieldIssue): string => {
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

  const after = (r: ActionResult<unknown>, ok: string, onError: (r: Extract<ActionResult<unknown>, { ok: false }>) => void) => {
    if (r.ok) {
      void message.success(ok);
      router.refresh();
    } else onError(r);
  };

  const submitCreate = (v: CreateValues) =>
    start(async () => {
      setCreateError(undefined);
      const r = await createUserAction({
        username: v.username,
        displayName: v.displayName,
        role: v.role,
        branchId: v.branchId ?? null,
        email: v.email?.trim() ? v.email.trim() : null,
        password: v.password,
      });
      after(r, t("created", { username: v.username }), (e) => {
        if (!showIssues(createForm, CREATE_FIELDS, e.error.issues, issueMessage)) setCreateError(e.error.message);
      });
      if (r.ok) {
        setCreating(false);
        createForm.resetFields();
      }
    });

  const toggleActive = (u: UserRow) =>
    start(async () => {
      const r = await setUserActiveAction({ userId: u.id, active: !u.active });
      after(r, u.active ? t("deactivated", { username: u.username }) : t("reactivated", { username: u.username }), (e) => void message.error(e.error.message));
    });

  const submitReset = (v: { password: string }) =>
    start(async () => {
      if (!resetFor) return;
      setResetError(undefined);
      const r = await resetPasswordAction({ userId: resetFor.id, password: v.password });
      after(r, t("passwordReset", { username: resetFor.username }), (e) => {
        if (!showIssues(resetForm, ["password"], e.error.issues, issueMessage)) setResetError(e.error.message);
      });
      if (r.ok) {
        setResetFor(undefined);
        resetForm.resetFields();
      }
    });

  const columns: TableProps<UserRow>["columns"] = [
    { key: "username", title: t("columns.username"), dataIndex: "username", sorter: (a, b) => a.username.localeCompare(b.username) },
    { key: "displayName", title: t("columns.displayName"), dataIndex: "displayName" },
    { key: "role", title: t("columns.role"), dataIndex: "role", render: (v: Role) => <StatusTag kind="role" value={v} /> },
    { key: "branch", title: t("columns.branch"), dataIndex: "branchId", render: (v: number | null) => (v ? (branchName.get(v) ?? v) : tc("none")) },
    {
      key: "active",
      title: t("columns.active"),
      dataIndex: "active",
      render: (v: boolean) => <Badge status={v ? "success" : "default"} text={v ? tc("active") : tc("inactive")} />,
    },
    {
      key: "customers",
      title: t("columns.customers"),
      dataIndex: "customerCount",
      align: "right",
      render: (v: number, r) => (r.role === "rm" ? <span className="cw-num">{v}</span> : tc("none")),
    },
    {
      key: "lastLogin",
      title: t("columns.lastLogin"),
      dataIndex: "lastLoginAt",
      render: (v: string | null) => (v ? <span className="cw-num">{formatDateTime(v)}</span> : t("neverSignedIn")),
    },
    {
      key: "actions",
      title: tc("actions"),
      width: 220,
      render: (_: unknown, u) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<KeyOutlined />}
            aria-label={t("resetPasswordFor", { username: u.username })}
            onClick={() => {
              setResetError(undefined);
              setResetFor(u);
            }}
          >
            {t("resetPassword")}
          </Button>
          {u.active ? (
            <Popconfirm
              title={t("confirmDeactivate", { username: u.username })}
              description={t("confirmDeactivateBody")}
              okText={t("deactivate")}
              okButtonProps={{ danger: true }}
              cancelText={tc("cancel")}
              onConfirm={() => toggleActive(u)}
              disabled={u.id === selfId}
            >
              <Button size="small" danger disabled={u.id === selfId || pending} aria-label={t("deactivateUser", { username: u.username })}>
                {t("deactivate")}
              </Button>
            </Popconfirm>
          ) : (
            <Popconfirm
              title={t("confirmReactivate", { username: u.username })}
              okText={t("reactivate")}
              cancelText={tc("cancel")}
              onConfirm={() => toggleActive(u)}
            >
              <Button size="small" disabled={pending} aria-label={t("reactivateUser", { username: u.username })}>
                {t("reactivate")}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  const needsBranch = chosenRole === "rm" || chosenRole === "supervisor";

  return (
    <>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("title")}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            setCreateError(undefined);
            setCreating(true);
          }}
        >
          {t("create")}
        </Button>
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search aria-label={t("searchLabel")} placeholder={t("searchPlaceholder")} allowClear value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 260 }} />
        <Select<Role>
          aria-label={t("filters.role")}
          placeholder={t("filters.allRoles")}
          allowClear
          value={role}
          onChange={(v) => setRole(v ?? undefined)}
          options={ROLES.map((r) => ({ value: r, label: te(`role.${r}`) }))}
          style={{ width: 170 }}
        />
        <Select<number>
          aria-label={t("filters.branch")}
          placeholder={t("filters.allBranches")}
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          value={branchId}
          onChange={(v) => setBranchId(v ?? undefined)}
          options={branches.map((b) => ({ value: b.id, label: b.name }))}
          style={{ width: 180 }}
        />
      </Space>
      <Table<UserRow>
        rowKey="id"
        size="middle"
        aria-label={t("tableLabel")}
        columns={columns}
        dataSource={rows}
        scroll={{ x: 1000 }}
        pagination={{ pageSize: 20, showTotal: (total) => tc("total", { total }) }}
        locale={{ emptyText: users.length ? t("emptyFiltered") : t("empty") }}
      />

      <Drawer
        title={t("createTitle")}
        open={creating}
        onClose={() => setCreating(false)}
        size={440}
        destroyOnHidden={false}
        footer={
          <Space style={{ width: "100%", justifyContent: "flex-end" }}>
            <Button onClick={() => setCreating(false)}>{tc("cancel")}</Button>
            <Button type="primary" loading={pending} onClick={() => createForm.submit()}>
              {t("createSubmit")}
            </Button>
          </Space>
        }
      >
        {createError && <Alert type="error" showIcon title={createError} style={{ marginBottom: 16 }} />}
        <Form<CreateValues> form={createForm} name="createUser" layout="vertical" onFinish={submitCreate} requiredMark initialValues={{ role: "rm" }} aria-label={t("createTitle")}>
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
          <Form.Item
            name="password"
            label={t("fields.password")}
            extra={t("hints.password", { min: passwordMin })}
            rules={[
              { required: true, message: t("validation.password", { min: passwordMin }) },
              { min: passwordMin, max: 200, message: t("validation.password", { min: passwordMin }) },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Drawer>

      <Modal
        title={resetFor ? t("resetTitle", { username: resetFor.username }) : ""}
        open={Boolean(resetFor)}
        onCancel={() => {
          resetForm.resetFields();
          setResetFor(undefined);
        }}
        okText={t("resetSubmit")}
        cancelText={tc("cancel")}
        confirmLoading={pending}
        onOk={() => resetForm.submit()}
        destroyOnHidden
      >
        {resetError && <Alert type="error" showIcon title={resetError} style={{ marginBottom: 16 }} />}
        <Typography.Paragraph type="secondary">{t("resetBody")}</Typography.Paragraph>
        <Form form={resetForm} name="resetPassword" layout="vertical" onFinish={submitReset}>
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
      </Modal>
    </>
  );
}
