"use client";
// HR's staff list: relationship managers and supervisors, filtered in the browser (a branch network's staff
// list is hundreds of rows, not millions).
import { Badge, Input, Select, Space, Table } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { formatDateTime } from "@/lib/format";
import { StatusTag } from "@/components/shell/StatusTag";

export type StaffRow = {
  id: number;
  username: string;
  displayName: string;
  role: "rm" | "supervisor" | "hr" | "admin";
  branchId: number | null;
  active: boolean;
  customerCount: number;
  lastLoginAt: string | null;
};

export function StaffTable({ staff, branches }: { staff: StaffRow[]; branches: { id: number; name: string }[] }) {
  const t = useTranslations("hrHome");
  const tc = useTranslations("common");
  const te = useTranslations("enums");
  const [q, setQ] = useState("");
  const [role, setRole] = useState<StaffRow["role"]>();
  const [branchId, setBranchId] = useState<number>();
  const [active, setActive] = useState<boolean>();
  const branchName = useMemo(() => new Map(branches.map((b) => [b.id, b.name])), [branches]);

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return staff.filter(
      (s) =>
        (!needle || s.username.toLowerCase().includes(needle) || s.displayName.toLowerCase().includes(needle)) &&
        (!role || s.role === role) &&
        (!branchId || s.branchId === branchId) &&
        (active === undefined || s.active === active),
    );
  }, [staff, q, role, branchId, active]);

  const columns: TableProps<StaffRow>["columns"] = [
    { key: "displayName", title: t("columns.name"), dataIndex: "displayName", sorter: (a, b) => a.displayName.localeCompare(b.displayName, "zh-CN") },
    { key: "username", title: t("columns.username"), dataIndex: "username", sorter: (a, b) => a.username.localeCompare(b.username) },
    {
      key: "branch",
      title: t("columns.branch"),
      dataIndex: "branchId",
      render: (v: number | null) => (v ? (branchName.get(v) ?? v) : tc("none")),
    },
    { key: "role", title: t("columns.role"), dataIndex: "role", render: (v: StaffRow["role"]) => <StatusTag kind="role" value={v} /> },
    {
      key: "active",
      title: t("columns.active"),
      dataIndex: "active",
      render: (v: boolean) => <Badge status={v ? "success" : "default"} text={v ? tc("active") : tc("inactive")} />,
    },
    {
      key: "customerCount",
      title: t("columns.customers"),
      dataIndex: "customerCount",
      align: "right",
      sorter: (a, b) => a.customerCount - b.customerCount,
      render: (v: number, r) => (r.role === "rm" ? <span className="cw-num">{v}</span> : tc("none")),
    },
    {
      key: "lastLoginAt",
      title: t("columns.lastLogin"),
      dataIndex: "lastLoginAt",
      sorter: (a, b) => (a.lastLoginAt ?? "").localeCompare(b.lastLoginAt ?? ""),
      render: (v: string | null) => (v ? <span className="cw-num">{formatDateTime(v)}</span> : t("neverSignedIn")),
    },
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search aria-label={t("searchLabel")} placeholder={t("searchPlaceholder")} allowClear value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 260 }} />
        <Select
          aria-label={t("filters.role")}
          placeholder={t("filters.allRoles")}
          allowClear
          value={role}
          onChange={(v) => setRole(v ?? undefined)}
          options={(["rm", "supervisor"] as const).map((r) => ({ value: r, label: te(`role.${r}`) }))}
          style={{ width: 160 }}
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
        <Select<"yes" | "no">
          aria-label={t("filters.active")}
          placeholder={t("filters.allStates")}
          allowClear
          value={active === undefined ? undefined : active ? "yes" : "no"}
          onChange={(v) => setActive(v === undefined ? undefined : v === "yes")}
          options={[
            { value: "yes", label: tc("active") },
            { value: "no", label: tc("inactive") },
          ]}
          style={{ width: 130 }}
        />
      </Space>
      <Table<StaffRow>
        rowKey="id"
        size="middle"
        aria-label={t("tableLabel")}
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 20, showTotal: (total) => tc("total", { total }) }}
        locale={{ emptyText: staff.length ? t("emptyFiltered") : t("empty") }}
      />
    </>
  );
}
