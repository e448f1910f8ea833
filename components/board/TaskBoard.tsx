"use client";
// The supervisor board: the branch's tasks as a matrix RM × state (click a number to list those tasks), the RMs'
// workload chart, and the task list with reassign in place. Admins pick a branch (or see all of them).
import { useQuery } from "@tanstack/react-query";
import { Button, Card, Col, Empty, Row, Select, Space, Typography } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { getJson } from "@/components/shell/api";
import { QueryError } from "@/components/shell/QueryError";
import type { BoardRow } from "@/lib/tasks/queries";
import { ACTIVE_TASK_STATUSES, type ActiveTaskStatus } from "@/lib/vocabulary";
import { BoardTaskList, type ListFilter, type ListResponse } from "./BoardTaskList";
import { WorkloadChart } from "./WorkloadChart";

const STATES = [...ACTIVE_TASK_STATUSES, "overdue", "escalated", "resolved30d"] as const;
type State = (typeof STATES)[number];
type Branch = { id: number; name: string; nameEn: string };
export type Cell = { assigneeId?: number | "none"; state?: State | "resolved" };
/** Filters a link may add to the list (the dashboard's drill-downs): an outcome and the period's dates. */
export type ExtraFilter = Pick<ListFilter, "outcome" | "openedFrom" | "openedTo" | "closedFrom" | "closedTo">;

const CHART_COLOURS: Record<ActiveTaskStatus, string> = { open: "#1d4ed8", acknowledged: "#13a8a8", in_progress: "#7c3aed" };
const ALERT_STATES = new Set<State>(["overdue", "escalated"]);

function toFilter(cell: Cell): ListFilter {
  const base: ListFilter = cell.assigneeId !== undefined ? { assigneeId: cell.assigneeId } : {};
  switch (cell.state) {
    case undefined:
      return { ...base, status: "active" };
    case "overdue":
      return { ...base, status: "active", overdue: true };
    case "escalated":
      return { ...base, status: "active", escalated: true };
    case "resolved30d":
    case "resolved":
      return { ...base, status: "resolved" };
    default:
      return { ...base, status: cell.state };
  }
}

export function TaskBoard({
  branches,
  fixedBranch,
  initialBoard,
  initialList,
  initialBranchId,
  initialCell,
  initialExtra,
}: {
  branches: Branch[];
  fixedBranch: boolean;
  /** From the address bar (a dashboard link): the branch, the cell and the extra filters to open the list with. */
  initialBranchId?: number;
  initialCell?: Cell;
  initialExtra?: ExtraFilter;
  /** The default view (no branch picked, no filter), rendered on the server. */
  initialBoard: BoardRow[];
  initialList: ListResponse;
}) {
  const t = useTranslations("board");
  const en = useLocale() === "en";
  const tt = useTranslations("tasks");
  const [branchId, setBranchId] = useState<number | undefined>(initialBranchId);
  const [cell, setCell] = useState<Cell | null>(initialCell ?? null);
  const [extra, setExtra] = useState<ExtraFilter>(initialExtra ?? {});
  const [status, setStatus] = useState<ListFilter["status"]>();
  const board = useQuery({
    queryKey: ["board", "matrix", branchId ?? 0],
    queryFn: () => getJson<{ rows: BoardRow[] }>("/api/v1/tasks/board", { branchId }),
    initialData: branchId === undefined ? { rows: initialBoard } : undefined,
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
  });
  const rows = useMemo(() => board.data?.rows ?? [], [board.data]);
  const rmName = (r: Pick<BoardRow, "assigneeId" | "assigneeName">) => (r.assigneeId == null ? t("unassigned") : (r.assigneeName ?? String(r.assigneeId)));

  const totals = useMemo(() => {
    const z = { open: 0, acknowledged: 0, in_progress: 0, overdue: 0, escalated: 0, resolved30d: 0 };
    for (const r of rows) for (const s of STATES) z[s] += r[s];
    return z;
  }, [rows]);

  const filter: ListFilter = { ...(cell ? { ...toFilter(cell), ...(status && !cell.state ? { status } : {}) } : { status: status ?? "active" }), ...extra };
  const extraLabel = [
    extra.outcome ? tt(`outcome.${extra.outcome}`) : null,
    extra.openedFrom || extra.openedTo ? t("openedBetween", { from: extra.openedFrom ?? "…", to: extra.openedTo ?? "…" }) : null,
    extra.closedFrom || extra.closedTo ? t("closedBetween", { from: extra.closedFrom ?? "…", to: extra.closedTo ?? "…" }) : null,
  ];
  const filterLabel =
    cell || extraLabel.some(Boolean)
      ? [
          cell?.assigneeId !== undefined ? rmName(rows.find((r) => (r.assigneeId ?? "none") === cell.assigneeId) ?? { assigneeId: cell.assigneeId === "none" ? null : cell.assigneeId, assigneeName: null }) : cell ? t("total") : null,
          cell?.state ? t(`states.${cell.state}`) : null,
          ...extraLabel,
        ]
          .filter(Boolean)
          .join(" · ")
      : undefined;

  const select = (c: Cell) => {
    setStatus(undefined);
    setExtra({});
    setCell(c);
    document.getElementById("board-task-list")?.scrollIntoView({ behavior: "smooth", block: "start" });
  };
  const same = (a: Cell | null, b: Cell) => a !== null && a.assigneeId === b.assigneeId && a.state === b.state;

  const countCell = (n: number, c: Cell, name: string, state: State) => {
    const alert = ALERT_STATES.has(state) && n > 0;
    return (
      <Button
        type={same(cell, c) ? "primary" : "link"}
        size="small"
        danger={alert}
        disabled={n === 0}
        aria-label={t("cellLabel", { rm: name, state: t(`states.${state}`), count: n })}
        onClick={() => select(c)}
        className="cw-num"
        style={{ minWidth: 40, fontWeight: alert ? 600 : undefined }}
      >
        {n}
      </Button>
    );
  };

  type MatrixRow = BoardRow & { key: string; isTotal?: boolean };
  const data: MatrixRow[] = [
    ...rows.map((r) => ({ ...r, key: String(r.assigneeId ?? "none") })),
    ...(rows.length > 1 ? [{ key: "total", isTotal: true, assigneeId: null, assigneeName: null, active: true, ...totals }] : []),
  ];
  const columns: TableProps<MatrixRow>["columns"] = [
    {
      key: "rm",
      title: t("rm"),
      render: (_: unknown, r) =>
        r.isTotal ? (
          <Typography.Text strong>{t("total")}</Typography.Text>
        ) : (
          <Space size={4}>
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => select({ assigneeId: r.assigneeId ?? "none" })}>
              {rmName(r)}
            </Button>
            {r.assigneeId != null && !r.active && <Typography.Text type="secondary">({t("inactive")})</Typography.Text>}
          </Space>
        ),
    },
    ...STATES.map((s) => ({
      key: s,
      title: t(`states.${s}`),
      align: "center" as const,
      width: s === "resolved30d" ? 140 : 100,
      render: (_: unknown, r: MatrixRow) => {
        const c: Cell = r.isTotal ? { state: s } : { assigneeId: r.assigneeId ?? "none", state: s };
        return countCell(r[s], c, r.isTotal ? t("total") : rmName(r), s);
      },
    })),
  ];

  const chartRows = useMemo(() => rows.filter((r) => r.open + r.acknowledged + r.in_progress > 0), [rows]);
  const categories = useMemo(() => chartRows.map((r) => (r.assigneeId == null ? t("unassigned") : (r.assigneeName ?? String(r.assigneeId)))), [chartRows, t]);
  const series = useMemo(
    () => ACTIVE_TASK_STATUSES.map((s) => ({ name: t(`states.${s}`), colour: CHART_COLOURS[s], values: chartRows.map((r) => r[s]) })),
    [chartRows, t],
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      {!fixedBranch && (
        <Space>
          <Typography.Text>{t("branch")}</Typography.Text>
          <Select<number>
            aria-label={t("branch")}
            style={{ width: 240 }}
            value={branchId ?? 0}
            onChange={(v) => {
              setBranchId(v || undefined);
              setCell(null);
              setExtra({});
              setStatus(undefined);
            }}
            options={[{ value: 0, label: t("allBranches") }, ...branches.map((b) => ({ value: b.id, label: en ? b.nameEn : b.name }))]}
          />
        </Space>
      )}
      <QueryError error={board.error} title={t("loadError")} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={14}>
          <Card title={t("matrixTitle")} size="small" style={{ height: "100%" }} extra={<Typography.Text type="secondary">{t("matrixHint")}</Typography.Text>}>
            <DataTable<MatrixRow>
              rowKey="key"
              label={t("matrixLabel")}
              columns={columns}
              rows={data}
              loading={board.isPending}
              onRow={(r) => (r.isTotal ? { style: { background: "#fafafa" } } : {})}
              empty={<Empty description={t("empty")} />}
            />
          </Card>
        </Col>
        <Col xs={24} xxl={10}>
          <Card title={t("chartTitle")} size="small" style={{ height: "100%" }}>
            {chartRows.length ? (
              <WorkloadChart categories={categories} series={series} label={t("chartLabel")} axisName={t("chartAxis")} height={Math.max(260, 40 + rows.length * 8)} />
            ) : (
              <Empty description={t("empty")} />
            )}
          </Card>
        </Col>
      </Row>
      <Card size="small" id="board-task-list">
        <BoardTaskList
          initial={initialList}
          branchId={branchId}
          filter={filter}
          filterLabel={filterLabel}
          onClearFilter={() => {
            setCell(null);
            setExtra({});
            setStatus(undefined);
          }}
          onStatusChange={(s) => {
            // Picking a state keeps the RM of the clicked cell but replaces the cell's state.
            if (cell) setCell({ assigneeId: cell.assigneeId });
            setStatus(s);
          }}
          title={
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t("listTitle")}
              <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 400, marginInlineStart: 12 }}>
                {t("listHint")}
              </Typography.Text>
            </Typography.Title>
          }
        />
      </Card>
    </Space>
  );
}
