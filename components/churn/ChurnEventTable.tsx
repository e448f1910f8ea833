"use client";
// The churn event list behind /churn. Data comes from GET /api/v1/churn-events, which applies the caller's scope; this
// component holds the filters (stage, kind, status, will, reason family, industry, branch, effective period) and
// paging, kept in the address bar so the dashboard's figures can link here; it opens the confirm / dismiss dialog for
// a detected event (RMs, supervisors and admins; HR only reads).
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Empty, Form, Input, Modal, Radio, Select, Space, Tag, Tooltip, Typography } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useState } from "react";
import { getJson } from "@/components/shell/api";
import { DataTable } from "@/components/shell/DataTable";
import { BranchFilter, DateRangeFilter, FilterSelect } from "@/components/shell/FilterSelect";
import { QueryError } from "@/components/shell/QueryError";
import { useServerPagination } from "@/components/shell/pagination";
import { useAction } from "@/components/shell/useAction";
import type { ChurnEventRow } from "@/lib/churn/queries";
import { formatDate, formatYuan } from "@/lib/format";
import { DEFAULT_HORIZON_DAYS } from "@/lib/insights/params";
import { SECTIONS } from "@/lib/reference/industries";
import { CHURN_EVENT_STATUSES, CHURN_KINDS, REASON_FAMILIES, STAGES, WILLS, type ChurnEventStatus, type ChurnKind, type ReasonFamily, type Stage, type Will } from "@/lib/vocabulary";
import { decideChurnEventAction } from "./actions";

type StatusFilter = ChurnEventStatus | "standing";
type ReasonFilter = ReasonFamily | "undetermined";
export type ChurnFilters = {
  stage?: Stage;
  kind?: ChurnKind;
  status?: StatusFilter;
  will?: Will;
  reasonFamily?: ReasonFilter;
  industry?: string;
  branchId?: number;
  from?: string;
  to?: string;
  /** The telemetry's drill-down (no control of their own here): counted events only, a rule version's catches. */
  counted?: "1";
  ruleVersionId?: number;
  horizon?: number;
};
type Filters = ChurnFilters & { page: number; pageSize: number };
type ListResponse = { rows: ChurnEventRow[]; total: number; byStatus: Record<ChurnEventStatus, number> };

export const CHURN_STATUS_COLOUR: Record<ChurnEventStatus, string> = { detected: "gold", confirmed: "red", dismissed: "default" };

/** The reason family as shown: undetermined when none, "(inferred)" when detection inferred it. */
export function ReasonCell({ row }: { row: Pick<ChurnEventRow, "reasonFamily" | "reasonInferred"> }) {
  const te = useTranslations("enums");
  const t = useTranslations("churn");
  if (!row.reasonFamily) return <Typography.Text type="secondary">{t("reasonUndetermined")}</Typography.Text>;
  return (
    <span>
      {te(`reasonFamily.${row.reasonFamily}`)}
      {row.reasonInferred ? (
        <Tooltip title={t("inferredHint")}>
          <Tag style={{ marginInlineStart: 6 }}>{t("inferred")}</Tag>
        </Tooltip>
      ) : null}
    </span>
  );
}

export function ChurnEventTable({ canDecide, initialFilters = {}, branches = null }: { canDecide: boolean; initialFilters?: ChurnFilters; branches?: { id: number; name: string; nameEn: string }[] | null }) {
  const t = useTranslations("churn");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const zh = useLocale() !== "en";
  const pagination = useServerPagination();
  const [filters, setFilters] = useState<Filters>({ ...initialFilters, page: 1, pageSize: 20 });
  // The address bar keeps the filters: a dashboard link, a reload or a shared link shows the same list.
  useEffect(() => {
    const { page: _p, pageSize: _s, ...f } = filters;
    const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)])).toString();
    window.history.replaceState(null, "", q ? `?${q}` : window.location.pathname);
  }, [filters]);
  const [deciding, setDeciding] = useState<ChurnEventRow | null>(null);
  const query = useQuery({ queryKey: ["churn-events", filters], queryFn: () => getJson<ListResponse>("/api/v1/churn-events", filters), placeholderData: keepPreviousData });
  const update = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...patch }));
  const filtered = Boolean(filters.stage || filters.kind || filters.status || filters.will || filters.reasonFamily || filters.industry || filters.branchId || filters.from || filters.to || filters.counted || filters.ruleVersionId);

  const columns: NonNullable<TableProps<ChurnEventRow>["columns"]> = [
    { key: "effectiveOn", title: t("columns.effectiveOn"), dataIndex: "effectiveOn", width: 110, render: (v: string) => <span className="cw-num">{formatDate(v)}</span> },
    {
      key: "customer",
      title: t("columns.customer"),
      width: 220,
      ellipsis: true,
      render: (_: unknown, r) => (
        <Link href={`/customers/${r.customerId}`}>
          {r.customerNo} {r.customerName}
        </Link>
      ),
    },
    {
      key: "subject",
      title: t("columns.subject"),
      width: 150,
      render: (_: unknown, r) => (r.loanId && r.contractNo ? <Link href={`/loans/${r.loanId}`}>{r.contractNo}</Link> : (r.applicationNo ?? tc("none"))),
    },
    { key: "stage", title: t("columns.stage"), dataIndex: "stage", width: 80, render: (v: string) => te(`churnStage.${v}`) },
    { key: "kind", title: t("columns.kind"), dataIndex: "kind", width: 150, render: (v: ChurnKind) => te(`churnKind.${v}`) },
    { key: "will", title: t("columns.will"), dataIndex: "will", width: 100, render: (v: string) => te(`churnWill.${v}`) },
    { key: "reasonFamily", title: t("columns.reasonFamily"), width: 170, render: (_: unknown, r) => <ReasonCell row={r} /> },
    { key: "exposure", title: t("columns.exposure"), dataIndex: "exposureFen", width: 130, align: "right", render: (v: number) => <span className="cw-num">{formatYuan(v)}</span> },
    {
      key: "lost",
      title: t("columns.lost"),
      width: 130,
      align: "right",
      render: (_: unknown, r) => <span className="cw-num">{formatYuan(r.principalLostFen + r.interestLostFen)}</span>,
    },
    { key: "forgone", title: t("columns.forgone"), dataIndex: "interestForgoneFen", width: 130, align: "right", render: (v: number) => <span className="cw-num">{formatYuan(v)}</span> },
    { key: "source", title: t("columns.source"), dataIndex: "source", width: 90, render: (v: string) => te(`churnSource.${v}`) },
    {
      key: "status",
      title: t("columns.status"),
      dataIndex: "status",
      width: 100,
      render: (v: ChurnEventStatus, r) => (
        <Tooltip title={r.status === "dismissed" ? r.dismissReason : r.decidedByName}>
          <Tag color={CHURN_STATUS_COLOUR[v]}>{te(`churnEventStatus.${v}`)}</Tag>
        </Tooltip>
      ),
    },
    ...(canDecide
      ? [
          {
            key: "actions",
            title: tc("actions"),
            width: 100,
            fixed: "right" as const,
            render: (_: unknown, r: ChurnEventRow) =>
              r.status === "detected" ? (
                <Button size="small" onClick={() => setDeciding(r)} aria-label={t("decideFor", { customer: r.customerName, kind: te(`churnKind.${r.kind}`) })}>
                  {t("decide")}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  const counts = query.data?.byStatus;
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("hint")}</Typography.Text>
      <Space wrap>
        <FilterSelect<Stage> label={t("filters.stage")} width={130} value={filters.stage} onChange={(stage) => update({ stage })} options={STAGES.map((v) => ({ value: v, label: te(`churnStage.${v}`) }))} />
        <FilterSelect<ChurnKind> label={t("filters.kind")} width={180} value={filters.kind} onChange={(kind) => update({ kind })} options={CHURN_KINDS.map((v) => ({ value: v, label: te(`churnKind.${v}`) }))} />
        <FilterSelect<StatusFilter>
          label={t("filters.status")}
          width={150}
          value={filters.status}
          onChange={(status) => update({ status })}
          options={[
            ...CHURN_EVENT_STATUSES.map((v) => ({ value: v, label: `${te(`churnEventStatus.${v}`)}${counts ? ` (${counts[v]})` : ""}` })),
            { value: "standing" as const, label: `${t("filters.standing")}${counts ? ` (${counts.detected + counts.confirmed})` : ""}` },
          ]}
        />
        <FilterSelect<Will> label={t("filters.will")} width={130} value={filters.will} onChange={(will) => update({ will })} options={WILLS.map((v) => ({ value: v, label: te(`churnWill.${v}`) }))} />
        <FilterSelect<ReasonFilter>
          label={t("filters.reasonFamily")}
          width={170}
          value={filters.reasonFamily}
          onChange={(reasonFamily) => update({ reasonFamily })}
          options={[...REASON_FAMILIES.map((v) => ({ value: v as ReasonFilter, label: te(`reasonFamily.${v}`) })), { value: "undetermined", label: t("reasonUndetermined") }]}
        />
        <FilterSelect<string>
          label={t("filters.industry")}
          width={200}
          searchable
          popupMatchSelectWidth={false}
          value={filters.industry}
          onChange={(industry) => update({ industry })}
          options={SECTIONS.map((s) => ({ value: s.letter, label: `${s.letter} ${zh ? s.zh : s.en}` }))}
        />
        {branches ? <BranchFilter label={t("filters.branch")} branches={branches} value={filters.branchId} onChange={(branchId) => update({ branchId })} /> : null}
        <DateRangeFilter label={t("filters.period")} placeholder={[t("filters.from"), t("filters.to")]} from={filters.from} to={filters.to} onChange={(from, to) => update({ from, to })} />
        {((!branches && filters.branchId) || filters.counted || filters.ruleVersionId) && (
          <Tag closable onClose={() => update({ branchId: undefined, counted: undefined, ruleVersionId: undefined, horizon: undefined })} data-testid="churn-link-filter">
            {[
              filters.branchId ? t("filters.branchPicked") : null,
              filters.counted ? t("filters.counted") : null,
              filters.ruleVersionId ? t("filters.caughtBy", { id: filters.ruleVersionId, h: filters.horizon ?? DEFAULT_HORIZON_DAYS }) : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </Tag>
        )}
      </Space>
      <QueryError error={query.error} title={t("loadFailed")} />
      <DataTable<ChurnEventRow>
        columns={columns}
        rows={query.data?.rows ?? []}
        loading={query.isFetching}
        scroll={{ x: 1700 }}
        empty={<Empty description={filtered ? t("emptyFiltered") : t("empty")} />}
        pagination={pagination({ page: filters.page, pageSize: filters.pageSize, total: query.data?.total, onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })) })}
      />
      {deciding ? <DecideDialog event={deciding} onClose={() => setDeciding(null)} /> : null}
    </Space>
  );
}

type DecideValues = { decision: "confirm" | "dismiss"; reasonFamily?: ReasonFamily; reason?: string };

function DecideDialog({ event, onClose }: { event: ChurnEventRow; onClose: () => void }) {
  const t = useTranslations("churn");
  const te = useTranslations("enums");
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<DecideValues>();
  const decision = Form.useWatch("decision", form);
  const [error, setError] = useState<string | null>(null);
  const save = useAction(decideChurnEventAction, {
    onSuccess: async (r) => {
      message.success(t(r.status === "confirmed" ? "confirmed" : "dismissed"));
      await client.invalidateQueries({ queryKey: ["churn-events"] });
      onClose();
    },
    onError: (e) => setError(e.message),
  });
  const submit = (v: DecideValues) => {
    setError(null);
    if (v.decision === "confirm") save.mutate({ id: event.id, decision: "confirm", reasonFamily: v.reasonFamily! });
    else save.mutate({ id: event.id, decision: "dismiss", reason: (v.reason ?? "").trim() });
  };
  return (
    <Modal open title={t("decideTitle", { customer: event.customerName, kind: te(`churnKind.${event.kind}`) })} onCancel={onClose} onOk={() => form.submit()} okText={t("save")} confirmLoading={save.isPending} destroyOnHidden>
      <Form<DecideValues> form={form} layout="vertical" initialValues={{ decision: "confirm", reasonFamily: event.reasonFamily ?? undefined }} onFinish={submit}>
        <Form.Item name="decision" label={t("decision")}>
          <Radio.Group
            options={[
              { value: "confirm", label: t("confirm") },
              { value: "dismiss", label: t("dismiss") },
            ]}
          />
        </Form.Item>
        {decision !== "dismiss" ? (
          <Form.Item name="reasonFamily" label={t("columns.reasonFamily")} rules={[{ required: true, message: t("reasonFamilyRequired") }]}>
            <Select aria-label={t("columns.reasonFamily")} options={REASON_FAMILIES.map((v) => ({ value: v, label: te(`reasonFamily.${v}`) }))} />
          </Form.Item>
        ) : (
          <Form.Item name="reason" label={t("dismissReason")} rules={[{ required: true, min: 2, message: t("dismissReasonRequired") }]}>
            <Input.TextArea aria-label={t("dismissReason")} rows={3} maxLength={500} />
          </Form.Item>
        )}
        {event.reasonInferred && event.reasonFamily ? <Typography.Paragraph type="secondary">{t("inferredHint")}</Typography.Paragraph> : null}
        {error ? <Alert type="error" showIcon title={error} /> : null}
      </Form>
    </Modal>
  );
}
