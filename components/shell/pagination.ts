"use client";
// A server-paged list's pagination: the page shown, the total the server counted (with thousands separators), and
// the page-size changer (antd's 10 / 20 / 50 / 100).
import type { TablePaginationConfig } from "antd";
import { useTranslations } from "next-intl";
import { formatCount } from "@/lib/format";

type Paging = { page: number; pageSize: number; total: number | undefined; onChange?: (page: number, pageSize: number) => void };

export function useServerPagination(): (p: Paging) => TablePaginationConfig {
  const tc = useTranslations("common");
  return ({ page, pageSize, total, onChange }) => ({
    current: page,
    pageSize,
    total: total ?? 0,
    showSizeChanger: true,
    showTotal: (n) => tc("total", { total: formatCount(n) }),
    onChange,
  });
}
