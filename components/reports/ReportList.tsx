"use client";
// The churn reports the reader may see (supervisor: their branch; admin: all), with live progress, and the form that
// generates one: a supervisor for their branch, an admin for the bank or any branch, for a month, quarter or year.
import { FileAddOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { App, Button, Form, Input, Progress, Select, Space, Tag } from "antd";
import type { TableProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { DataTable } from "@/components/shell/DataTable";
import { FormModal } from "@/components/shell/FormDialogs";
import { PageHeader, Hint } from "@/components/shell/PageTitle";
import { getJson } from "@/components/shell/api";
import { applyIssues, issuesOf, useKeyedAction } from "@/components/shell/useAction";
import { formatDateTime } from "@/lib/format";
import type { ReportHead } from "@/lib/reports/service";
import { generateReportAction } from "./actions";

export type BranchOption = { code: string; name: string; nameEn: string };
const BANK = "__bank__";
const PERIOD = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/;

export const STATUS_COLOUR = { queued: "default", running: "processing", ready: "success", failed: "error" } as const;

export function ReportList({ initial, branches, isAdmin, defaultPeriod }: { initial: ReportHead[]; branches: BranchOption[]; isAdmin: boolean; defaultPeriod: string }) {
  const t = useTranslations("reports");
  const locale = useLocale();
  const router = useRouter();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [form] = Form.useForm<{ scope: string; period: string }>();
  const query = useQuery({
    queryKey: ["reports"],
    queryFn: async () => (await getJson<{ rows: ReportHead[] }>("/api/v1/reports")).rows,
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === "queued" || r.status === "running") ? 1000 : false),
  });
  const generate = useKeyedAction(generateReportAction, {
    onSuccess: (r) => {
      message.success(t("requested"));
      setOpen(false);
      router.push(`/reports/${r.id}`);
    },
    onError: (e) => {
      const rest = applyIssues(form, issuesOf(e), (f) => (f === "period" ? ["period"] : f === "branch" ? ["scope"] : null));
      setError(rest.length || !issuesOf(e).length ? e.message : undefined);
    },
  });
  const branchName = (b: { branchId: number | null; branchName: string | null; branchNameEn: string | null }) =>
    b.branchId == null ? t("bank") : ((locale.startsWith("zh") ? b.branchName : b.branchNameEn) ?? "");

  const columns: NonNullable<TableProps<ReportHead>["columns"]> = [
    { key: "scope", title: t("columns.scope"), render: (_, r) => <Link href={`/reports/${r.id}`}>{branchName(r)}</Link> },
    { key: "period", title: t("columns.period"), dataIndex: "period", width: 100 },
    {
      key: "status",
      title: t("columns.status"),
      width: 200,
      render: (_, r) =>
        r.status === "queued" || r.status === "running" ? (
          <Progress percent={r.progress} size="small" status="active" style={{ width: 160, margin: 0 }} />
        ) : (
          <Space size={4}>
            <Tag color={STATUS_COLOUR[r.status]}>{t(`status.${r.status}`)}</Tag>
            {r.finalisedAt ? <Tag color="blue">{t("final")}</Tag> : r.status === "ready" ? <Tag>{t("draft")}</Tag> : null}
          </Space>
        ),
    },
    { key: "trigger", title: t("columns.trigger"), width: 110, render: (_, r) => t(`trigger.${r.trigger}`) },
    { key: "requestedBy", title: t("columns.requestedBy"), width: 140, render: (_, r) => r.requestedByName ?? "—" },
    { key: "createdAt", title: t("columns.createdAt"), width: 150, render: (_, r) => <span className="cw-num">{formatDateTime(r.createdAt)}</span> },
    { key: "finalisedAt", title: t("columns.finalisedAt"), width: 150, render: (_, r) => <span className="cw-num">{formatDateTime(r.finalisedAt)}</span> },
    { key: "open", title: "", width: 80, render: (_, r) => <Link href={`/reports/${r.id}`} aria-label={`${t("open")} ${branchName(r)} ${r.period}`}>{t("open")}</Link> },
  ];

  const openForm = () => {
    setError(undefined);
    form.setFieldsValue({ scope: isAdmin ? BANK : branches[0]?.code, period: defaultPeriod });
    setOpen(true);
  };
  const submit = (v: { scope: string; period: string }) => generate.mutate({ branch: v.scope === BANK ? null : v.scope, period: v.period.trim() });

  return (
    <>
      <PageHeader
        title={t("listTitle")}
        extra={
          <Button type="primary" icon={<FileAddOutlined />} onClick={openForm}>
            {t("generate")}
          </Button>
        }
      />
      <Hint>{t("hint")}</Hint>
      <DataTable<ReportHead> rows={query.data} columns={columns} label={t("listTitle")} empty={t("empty")} pager={{ size: 20 }} />
      <FormModal title={t("generateTitle")} open={open} onClose={() => setOpen(false)} onSubmit={() => form.submit()} submitText={t("generate")} busy={generate.isPending} error={error} forceRender>
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="scope" label={t("scope")} rules={[{ required: true, message: t("branchRequired") }]}>
            <Select
              aria-label={t("scope")}
              disabled={!isAdmin}
              options={[...(isAdmin ? [{ value: BANK, label: t("bank") }] : []), ...branches.map((b) => ({ value: b.code, label: `${locale.startsWith("zh") ? b.name : b.nameEn} · ${b.code}` }))]}
            />
          </Form.Item>
          <Form.Item name="period" label={t("period")} extra={t("periodHint")} rules={[{ required: true, pattern: PERIOD, message: t("periodInvalid") }]}>
            <Input aria-label={t("period")} placeholder="2026-11" maxLength={7} />
          </Form.Item>
        </Form>
      </FormModal>
    </>
  );
}
