"use client";
// What admin's user management and HR's staff list share: the filters (in the browser: a branch network's staff is
// hundreds of rows, not millions) and the columns. Each screen words them from its own catalogue namespace.
import { Badge, Input, Space } from "antd";
import type { TableColumnType } from "antd";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { DataTable, type DataTableProps } from "@/components/shell/DataTable";
import { FilterSelect } from "@/components/shell/FilterSelect";
import { StatusTag } from "@/components/shell/StatusTag";
import type { Role } from "@/lib/vocabulary";
import { formatDateTime } from "@/lib/format";
import type { Person } from "./person";

type Ns = "adminUsers" | "hrHome";
type Branch = { id: number; name: string };
type Initial = { role?: Role; branchId?: number };

export function usePeopleFilter(people: Person[], initial: Initial = {}) {
  const [q, setQ] = useState("");
  const [role, setRole] = useState<Role | undefined>(initial.role);
  const [branchId, setBranchId] = useState<number | undefined>(initial.branchId);
  const [active, setActive] = useState<boolean>();
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return people.filter(
      (p) =>
        (!needle || p.username.toLowerCase().includes(needle) || p.displayName.toLowerCase().includes(needle)) &&
        (!role || p.role === role) &&
        (!branchId || p.branchId === branchId) &&
        (active === undefined || p.active === active),
    );
  }, [people, q, role, branchId, active]);
  return { q, setQ, role, setRole, branchId, setBranchId, active, setActive, rows };
}

export function PeopleFilterBar({
  ns,
  filter,
  roles,
  branches,
  widths,
  withActive = false,
}: {
  ns: Ns;
  filter: ReturnType<typeof usePeopleFilter>;
  roles: readonly Role[];
  branches: Branch[];
  widths: { role: number; branch: number };
  withActive?: boolean;
}) {
  const t = useTranslations(ns);
  const tc = useTranslations("common");
  const te = useTranslations("enums");
  const f = filter;
  return (
    <Space wrap style={{ marginBottom: 12 }}>
      <Input.Search aria-label={t("searchLabel")} placeholder={t("searchPlaceholder")} allowClear value={f.q} onChange={(e) => f.setQ(e.target.value)} style={{ width: 260 }} />
      <FilterSelect<Role>
        label={t("filters.role")}
        placeholder={t("filters.allRoles")}
        value={f.role}
        onChange={f.setRole}
        options={roles.map((r) => ({ value: r, label: te(`role.${r}`) }))}
        width={widths.role}
      />
      <FilterSelect<number>
        label={t("filters.branch")}
        placeholder={t("filters.allBranches")}
        searchable
        value={f.branchId}
        onChange={f.setBranchId}
        options={branches.map((b) => ({ value: b.id, label: b.name }))}
        width={widths.branch}
      />
      {withActive && (
        <FilterSelect<"yes" | "no">
          label={t("filters.active")}
          placeholder={t("filters.allStates")}
          value={f.active === undefined ? undefined : f.active ? "yes" : "no"}
          onChange={(v) => f.setActive(v === undefined ? undefined : v === "yes")}
          options={[
            { value: "yes", label: tc("active") },
            { value: "no", label: tc("inactive") },
          ]}
          width={130}
        />
      )}
    </Space>
  );
}

/** The columns both screens show; each picks its order and adds its own sorters. */
export function usePersonColumns(ns: Ns, branches: Branch[]): Record<"username" | "displayName" | "role" | "branch" | "active" | "customers" | "lastLogin", TableColumnType<Person>> {
  const t = useTranslations(ns);
  const tc = useTranslations("common");
  const branchName = useMemo(() => new Map(branches.map((b) => [b.id, b.name])), [branches]);
  return {
    username: { key: "username", title: t("columns.username"), dataIndex: "username" },
    displayName: { key: "displayName", title: t(ns === "hrHome" ? "columns.name" : "columns.displayName"), dataIndex: "displayName" },
    role: { key: "role", title: t("columns.role"), dataIndex: "role", render: (v: Role) => <StatusTag kind="role" value={v} /> },
    branch: { key: "branch", title: t("columns.branch"), dataIndex: "branchId", render: (v: number | null) => (v ? (branchName.get(v) ?? v) : tc("none")) },
    active: {
      key: "active",
      title: t("columns.active"),
      dataIndex: "active",
      render: (v: boolean) => <Badge status={v ? "success" : "default"} text={v ? tc("active") : tc("inactive")} />,
    },
    customers: {
      key: "customers",
      title: t("columns.customers"),
      dataIndex: "customerCount",
      align: "right",
      render: (v: number, r) => (r.role === "rm" ? <span className="cw-num">{v}</span> : tc("none")),
    },
    lastLogin: {
      key: "lastLogin",
      title: t("columns.lastLogin"),
      dataIndex: "lastLoginAt",
      render: (v: string | null) => (v ? <span className="cw-num">{formatDateTime(v)}</span> : t("neverSignedIn")),
    },
  };
}

/** The people list itself: every person on pages of 20 with the count, and an empty text that says whether the filters hid them. */
export function PeopleTable({ ns, filter, all, columns, scroll }: { ns: Ns; filter: ReturnType<typeof usePeopleFilter>; all: Person[] } & Pick<DataTableProps<Person>, "columns" | "scroll">) {
  const t = useTranslations(ns);
  const empty = all.length ? t("emptyFiltered") : t("empty");
  return <DataTable<Person> size="middle" label={t("tableLabel")} columns={columns} rows={filter.rows} scroll={scroll} pager={{ size: 20, total: true, always: true }} empty={empty} />;
}
