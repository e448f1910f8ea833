"use client";
// User management: everyone with their role, branch, state and last sign-in, filtered in the browser; new user,
// password reset and (de)activation. Deactivating an RM hands their tasks on (server side).
import { KeyOutlined, PlusOutlined } from "@ant-design/icons";
import { App, Button, Popconfirm, Space } from "antd";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PageHeader } from "@/components/shell/PageTitle";
import { useAction } from "@/components/shell/useAction";
import { ROLES, type Role } from "@/lib/vocabulary";
import { setUserActiveAction } from "./actions";
import { CreateUserDrawer } from "./CreateUserDrawer";
import type { Person } from "./person";
import { PeopleFilterBar, PeopleTable, usePeopleFilter, usePersonColumns } from "./people";
import { ResetPasswordModal } from "./ResetPasswordModal";

type Branch = { id: number; name: string };

export function UsersAdmin({
  users,
  branches,
  selfId,
  passwordMin,
  initialFilters,
}: {
  users: Person[];
  branches: Branch[];
  selfId: number;
  passwordMin: number;
  initialFilters: { role?: Role; branchId?: number };
}) {
  const t = useTranslations("adminUsers");
  const tc = useTranslations("common");
  const { message } = App.useApp();
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const [resetFor, setResetFor] = useState<Person>();
  const filter = usePeopleFilter(users, initialFilters);
  const c = usePersonColumns("adminUsers", branches);

  const setActive = useAction(setUserActiveAction, {
    onSuccess: (_r, v) => {
      const u = users.find((x) => x.id === v.userId);
      void message.success(t(v.active ? "reactivated" : "deactivated", { username: u?.username ?? "" }));
      router.refresh();
    },
    onError: (e) => void message.error(e.message),
  });
  const toggle = (u: Person) => setActive.mutate({ userId: u.id, active: !u.active });
  const pending = setActive.isPending;

  const columns = [
    { ...c.username, sorter: (a: Person, b: Person) => a.username.localeCompare(b.username) },
    c.displayName,
    c.role,
    c.branch,
    c.active,
    c.customers,
    c.lastLogin,
    {
      key: "actions",
      title: tc("actions"),
      width: 220,
      render: (_: unknown, u: Person) => (
        <Space size={4}>
          <Button size="small" icon={<KeyOutlined />} aria-label={t("resetPasswordFor", { username: u.username })} onClick={() => setResetFor(u)}>
            {t("resetPassword")}
          </Button>
          {u.active ? (
            <Popconfirm
              title={t("confirmDeactivate", { username: u.username })}
              description={t("confirmDeactivateBody")}
              okText={t("deactivate")}
              okButtonProps={{ danger: true }}
              cancelText={tc("cancel")}
              onConfirm={() => toggle(u)}
              disabled={u.id === selfId}
            >
              <Button size="small" danger disabled={u.id === selfId || pending} aria-label={t("deactivateUser", { username: u.username })}>
                {t("deactivate")}
              </Button>
            </Popconfirm>
          ) : (
            <Popconfirm title={t("confirmReactivate", { username: u.username })} okText={t("reactivate")} cancelText={tc("cancel")} onConfirm={() => toggle(u)}>
              <Button size="small" disabled={pending} aria-label={t("reactivateUser", { username: u.username })}>
                {t("reactivate")}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t("title")}
        style={{ marginBottom: 8 }}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("create")}
          </Button>
        }
      />
      <PeopleFilterBar ns="adminUsers" filter={filter} roles={ROLES} branches={branches} widths={{ role: 170, branch: 180 }} />
      <PeopleTable ns="adminUsers" filter={filter} all={users} columns={columns} scroll={{ x: 1000 }} />
      <CreateUserDrawer open={creating} onClose={() => setCreating(false)} branches={branches} passwordMin={passwordMin} />
      <ResetPasswordModal user={resetFor} onClose={() => setResetFor(undefined)} passwordMin={passwordMin} />
    </>
  );
}
