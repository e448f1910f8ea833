"use client";
// The supervisor's per-RM table: portfolio size and trouble per relationship manager.
import { Tag } from "antd";
import type { TableProps } from "antd";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { formatWan } from "@/lib/format";
import { DataTable } from "@/components/shell/DataTable";

export type RmOverviewRow = {
  rmId: number;
  rmName: string;
  username: string;
  active: boolean;
  customers: number;
  activeLoans: number;
  principalFen: number;
  defaulted: number;
};

export function RmOverviewTable({ rows }: { rows: RmOverviewRow[] }) {
  const t = useTranslations("supervisorHome");
  const tc = useTranslations("common");
  const columns: TableProps<RmOverviewRow>["columns"] = [
    {
      key: "rm",
      title: t("columns.rm"),
      dataIndex: "rmName",
      sorter: (a, b) => a.rmName.localeCompare(b.rmName, "zh-CN"),
      render: (v: string, r) => (
        <span>
          <Link href={`/customers?rmId=${r.rmId}`} aria-label={t("viewCustomersOf", { name: v })}>
            {v}
          </Link>{" "}
          {!r.active && <Tag>{tc("inactive")}</Tag>}
        </span>
      ),
    },
    { key: "username", title: t("columns.username"), dataIndex: "username" },
    { key: "customers", title: t("columns.customers"), dataIndex: "customers", align: "right", sorter: (a, b) => a.customers - b.customers },
    { key: "activeLoans", title: t("columns.activeLoans"), dataIndex: "activeLoans", align: "right", sorter: (a, b) => a.activeLoans - b.activeLoans },
    {
      key: "principal",
      title: t("columns.activePrincipalWan"),
      dataIndex: "principalFen",
      align: "right",
      defaultSortOrder: "descend",
      sorter: (a, b) => a.principalFen - b.principalFen,
      render: (v: number) => <span className="cw-num">{formatWan(v)}</span>,
    },
    {
      key: "defaulted",
      title: t("columns.defaulted"),
      dataIndex: "defaulted",
      align: "right",
      sorter: (a, b) => a.defaulted - b.defaulted,
      render: (v: number) => (v > 0 ? <Tag color="red">{v}</Tag> : <span className="cw-num">0</span>),
    },
  ];
  return (
    <DataTable<RmOverviewRow> rowKey="rmId" label={t("byRm")} columns={columns} rows={rows} pager={{ size: 15 }} empty={t("byRmEmpty")} />
  );
}
