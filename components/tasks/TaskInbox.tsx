"use client";
// The RM's inbox: their intervention tasks from GET /api/v1/tasks (scoped on the server), with counts by state as
// tabs, filters, search, sort and paging kept in the URL, a self-refreshing list and bulk acknowledge.
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Badge, Empty, Space, Tabs, Typography } from "antd";
import type { TableProps } from "antd";
import type { SorterResult } from "antd/es/table/interface";
import { useTranslations } from "next-intl";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { getJson } from "@/components/shell/api";
import { useAction } from "@/components/shell/useAction";
import { QueryError } from "@/components/shell/QueryError";
import { useServerPagination } from "@/components/shell/pagination";
import type { TaskRow } from "@/lib/tasks/queries";
import type { TaskStatus } from "@/lib/vocabulary";
import { acknowledgeTasksAction } from "./actions";
import { useServerNow } from "./common";
import { useInboxColumns } from "./inboxColumns";
import { apiParams, COLUMN_SORT, DEFAULT_PAGE_SIZE, isFiltered, readFilters, toQuery, VIEWS, type Filters, type View } from "./inboxFilters";
import { InboxToolbar } from "./InboxToolbar";

type Counts = Record<TaskStatus, number> & { overdue: number; escalated: number };
type ListResponse = { rows: TaskRow[]; total: number; counts: Counts; page: number; pageSize: number; now: string };

export function TaskInbox() {
  const t = useTranslations("tasks");
  const pagination = useServerPagination();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const filters = useMemo(() => readFilters(new URLSearchParams(search.toString())), [search]);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<number[]>([]);

  const query = useQuery({
    queryKey: ["tasks", "inbox", apiParams(filters)],
    queryFn: () => getJson<ListResponse>("/api/v1/tasks", apiParams(filters)),
    placeholderData: keepPreviousData,
    // New tasks arrive from the worker at any time: poll, and refresh when the user comes back to the tab.
    refetchInterval: 15_000,
    refetchOnWindowFocus: true,
  });
  const now = useServerNow(query.data?.now);

  const go = (patch: Partial<Filters>, resetPage = true) => {
    const next = { ...filters, ...(resetPage ? { page: 1 } : {}), ...patch };
    const qs = toQuery(next);
    setSelected([]);
    router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  const acknowledge = useAction((ids: number[]) => acknowledgeTasksAction({ ids }), {
    onSuccess: (r) => {
      message.success(t("inbox.bulkAcknowledged", { n: r.acknowledged.length }));
      setSelected([]);
    },
    onError: (e: Error) => message.error(e.message),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["tasks"] }),
  });

  const counts = query.data?.counts;
  const countOf = (v: View): number | undefined => {
    if (!counts) return undefined;
    if (v === "active") return counts.open + counts.acknowledged + counts.in_progress;
    if (v === "all") return counts.open + counts.acknowledged + counts.in_progress + counts.resolved + counts.cancelled;
    return counts[v];
  };
  const filtered = isFiltered(filters);
  const columns = useInboxColumns(filters, now);

  const onTableChange: TableProps<TaskRow>["onChange"] = (pagination, _f, sorter, extra) => {
    if (extra.action === "sort") {
      const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<TaskRow> | undefined;
      const sort = s?.order && s.columnKey ? COLUMN_SORT[String(s.columnKey)] : undefined;
      go({ sort: sort ?? "urgency", order: sort ? (s!.order === "ascend" ? "asc" : "desc") : undefined });
    } else if (extra.action === "paginate") {
      go({ page: pagination.current ?? 1, pageSize: pagination.pageSize ?? DEFAULT_PAGE_SIZE }, pagination.pageSize !== filters.pageSize);
    }
  };

  const rows = query.data?.rows ?? [];
  const openSelected = selected.filter((id) => rows.some((r) => r.id === id && r.status === "open"));

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="task-inbox">
      <Tabs
        activeKey={filters.status}
        onChange={(k) => go({ status: k as View })}
        style={{ marginBottom: -8 }}
        items={VIEWS.map((v) => ({
          key: v,
          label: (
            <span data-testid={`inbox-tab-${v}`}>
              {t(`inbox.views.${v}`)}{" "}
              <Badge count={countOf(v) ?? 0} showZero overflowCount={9999} color={v === "open" ? "#d4380d" : v === "active" ? "#1d4ed8" : "#8c8c8c"} />
            </span>
          ),
        }))}
      />
      <InboxToolbar
        filters={filters}
        counts={counts}
        go={go}
        selectedOpen={openSelected.length}
        acknowledging={acknowledge.isPending}
        onAcknowledge={() => acknowledge.mutate(openSelected)}
      />
      <QueryError error={query.error} title={t("inbox.loadFailed")} />
      <DataTable<TaskRow>
        label={t("inbox.tableLabel")}
        columns={columns}
        rows={rows}
        loading={query.isPending}
        tableLayout="fixed"
        scroll={{ x: 1000 }}
        onChange={onTableChange}
        onRow={(r) => ({
          onClick: (e) => {
            // Clicks on the selection checkbox or on a link do their own thing.
            if ((e.target as HTMLElement).closest(".ant-table-selection-column, a, button, label")) return;
            router.push(`/tasks/${r.id}`);
          },
          style: { cursor: "pointer" },
          "data-testid": `task-row-${r.id}`,
          "data-status": r.status,
        })}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys.map(Number)),
          getCheckboxProps: (r) => ({ disabled: r.status !== "open", "aria-label": t("inbox.select", { name: r.customerName }) }),
        }}
        empty={
          <Empty
            description={
              filtered ? t("inbox.emptyFiltered") : filters.status === "active" || filters.status === "open" ? t("inbox.emptyActive") : t("inbox.emptyOther")
            }
          />
        }
        pagination={pagination({ page: filters.page, pageSize: filters.pageSize, total: query.data?.total })}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("inbox.autoRefresh")}
      </Typography.Text>
    </Space>
  );
}
