"use client";
// The customer list's columns; the branch and RM columns only for readers who see more than one of them.
import { Typography } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { StatusTag } from "@/components/shell/StatusTag";
import type { CustomerRow } from "@/lib/customers/queries";
import { formatDate, formatWan, formatYuan } from "@/lib/format";
import { industryName } from "@/lib/reference/industries";
import type { CustomerStatus } from "@/lib/vocabulary";

export type CustomerSortKey = "customerNo" | "name" | "registeredCapital" | "onboardedOn" | "outstanding";
type Columns = NonNullable<TableProps<CustomerRow>["columns"]>;

export function useCustomerColumns({
  sortOrder,
  showBranch,
  showRm,
}: {
  sortOrder: (key: CustomerSortKey) => "ascend" | "descend" | null;
  showBranch: boolean;
  showRm: boolean;
}): Columns {
  const t = useTranslations("customers");
  const locale = useLocale();
  const columns: Columns = [
    {
      key: "customerNo",
      title: t("columns.customerNo"),
      dataIndex: "customerNo",
      sorter: true,
      sortOrder: sortOrder("customerNo"),
      width: 105,
      fixed: "left",
      render: (v: string, r) => <Link href={`/customers/${r.id}`}>{v}</Link>,
    },
    {
      key: "name",
      title: t("columns.name"),
      dataIndex: "name",
      sorter: true,
      sortOrder: sortOrder("name"),
      width: 200,
      ellipsis: true,
      render: (v: string, r) => <Link href={`/customers/${r.id}`}>{v}</Link>,
    },
    {
      key: "industry",
      title: t("columns.industry"),
      dataIndex: "industryCode",
      width: 170,
      ellipsis: true,
      render: (v: string) => (
        <span title={`${v} ${industryName(v, locale)}`}>
          <Typography.Text type="secondary" className="cw-num">
            {v}
          </Typography.Text>{" "}
          {industryName(v, locale)}
        </span>
      ),
    },
    { key: "region", title: t("columns.region"), dataIndex: "region", width: 100, ellipsis: true },
  ];
  if (showBranch) {
    columns.push({
      key: "branch",
      title: t("columns.branch"),
      dataIndex: locale === "en" ? "branchNameEn" : "branchName",
      width: 120,
      ellipsis: true,
    });
  }
  if (showRm) columns.push({ key: "rm", title: t("columns.rm"), dataIndex: "rmName", width: 100 });
  columns.push(
    {
      key: "registeredCapital",
      title: t("columns.registeredCapitalWan"),
      dataIndex: "registeredCapitalFen",
      sorter: true,
      sortOrder: sortOrder("registeredCapital"),
      align: "right",
      width: 150,
      render: (v: number) => <span className="cw-num">{formatWan(v)}</span>,
    },
    {
      key: "onboardedOn",
      title: t("columns.onboardedOn"),
      dataIndex: "onboardedOn",
      sorter: true,
      sortOrder: sortOrder("onboardedOn"),
      width: 125,
      render: (v: string) => <span className="cw-num">{formatDate(v)}</span>,
    },
    {
      key: "status",
      title: t("columns.status"),
      dataIndex: "status",
      width: 80,
      render: (v: CustomerStatus) => <StatusTag kind="customerStatus" value={v} />,
    },
    { key: "activeLoans", title: t("columns.activeLoans"), dataIndex: "activeLoans", align: "right", width: 80 },
    {
      key: "outstanding",
      title: t("columns.activePrincipal"),
      dataIndex: "principalFen",
      sorter: true,
      sortOrder: sortOrder("outstanding"),
      align: "right",
      width: 145,
      // The money column stays in view when the table scrolls sideways.
      fixed: "right",
      render: (v: number) => <span className="cw-num">{formatYuan(v)}</span>,
    },
  );
  return columns;
}
