"use client";
// One intervention task: header with SLA clocks and the actions the user may take, the warnings and their
// evidence, the customer at a glance, the playbook, follow-ups with a quick form, and the event history.
// The server renders the first view; react-query refetches after each write (and when the tab regains focus).
import { RiskScoreCard } from "@/components/model/RiskScoreCard";
import type { CustomerRisk } from "@/lib/model/queries";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Breadcrumb, Card, Col, Collapse, Descriptions, Row, Space, Typography } from "antd";
import type { DescriptionsProps } from "antd";
import { useLocale, useTranslations } from "next-intl";
import Link from "next/link";
import { useCallback } from "react";
import type { Role } from "@/lib/auth/roles";
import { formatDateTime } from "@/lib/format";
import type { TaskDetail } from "@/lib/tasks/queries";
import type { FeatureLabel } from "@/components/warnings/WarningDetail";
import { getJson } from "@/components/shell/api";
import { EscalatedTag, PriorityTag, TaskStatusTag, useServerNow } from "./common";
import { CustomerGlance } from "./CustomerGlance";
import { EventHistory } from "./EventHistory";
import { FollowUps } from "./FollowUps";
import { Playbook } from "./Playbook";
import { SlaClock } from "./SlaClock";
import { TaskActions } from "./TaskActions";
import { TaskWarnings } from "./TaskWarnings";

const HOME: Record<Role, string> = { rm: "/rm", supervisor: "/supervisor", admin: "/admin", hr: "/hr", integration: "/" };

export function TaskPage({ initial, features, role, risk = null }: { initial: TaskDetail; features: Record<string, FeatureLabel>; role: Role; risk?: CustomerRisk | null }) {
  const t = useTranslations("tasks");
  const te = useTranslations("enums");
  const locale = useLocale();
  const queryClient = useQueryClient();
  const id = initial.task.id;
  const query = useQuery({
    queryKey: ["task", id],
    queryFn: () => getJson<TaskDetail>(`/api/v1/tasks/${id}`),
    initialData: initial,
    staleTime: 10_000,
    refetchOnWindowFocus: true,
  });
  const d = query.data;
  const task = d.task;
  const now = useServerNow(d.now);
  const refresh = useCallback(async () => {
    await Promise.all([queryClient.invalidateQueries({ queryKey: ["task", id] }), queryClient.invalidateQueries({ queryKey: ["tasks"] })]);
  }, [queryClient, id]);
  const canWork = d.allowedActions.length > 0;
  const enumLabel = (ns: string, v: string) => {
    const key: string = `${ns}.${v}`;
    return te(key);
  };

  const slaCell = (kind: "contact" | "resolve", dueAt: string, doneAt: string | null) => {
    if (doneAt) {
      const late = Date.parse(doneAt) > Date.parse(dueAt);
      return (
        <Space size={4} wrap>
          <Typography.Text type={late ? "danger" : "success"}>{t(late ? "sla.metLate" : "sla.met", { at: formatDateTime(doneAt) })}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <span className="cw-num">{t("sla.dueShort", { at: formatDateTime(dueAt) })}</span>
          </Typography.Text>
        </Space>
      );
    }
    if (task.closedAt) return <Typography.Text type="secondary">{t("sla.stopped")}</Typography.Text>;
    return <SlaClock kind={kind} startAt={task.openedAt} dueAt={dueAt} now={now} showKind={false} showDue />;
  };

  const items: DescriptionsProps["items"] = [
    { key: "status", label: t("columns.status"), children: <TaskStatusTag value={task.status} /> },
    { key: "priority", label: t("columns.priority"), children: <PriorityTag value={task.priority} /> },
    { key: "reasonFamily", label: t("columns.reasonFamily"), children: enumLabel("reasonFamily", task.reasonFamily) },
    { key: "assignee", label: t("detail.assignee"), children: task.assigneeName ?? t("detail.unassigned") },
    { key: "openedAt", label: t("columns.openedAt"), children: <span className="cw-num" style={{ whiteSpace: "nowrap" }}>{formatDateTime(task.openedAt)}</span> },
    { key: "contact", label: t("sla.kind.contact"), children: slaCell("contact", task.contactDueAt, task.firstContactAt) },
    { key: "resolve", label: t("sla.kind.resolve"), children: slaCell("resolve", task.resolveDueAt, task.status === "resolved" ? task.closedAt : null) },
  ];
  if (task.escalated) {
    items.push({
      key: "escalation",
      label: t("detail.escalation"),
      children: (
        <span>
          <span className="cw-num">{task.escalatedAt ? formatDateTime(task.escalatedAt) : ""}</span>{" "}
          {task.escalationReason ? t.has(`escalationReason.${task.escalationReason}`) ? t(`escalationReason.${task.escalationReason}`) : task.escalationReason : null}
        </span>
      ),
    });
  }
  if (task.outcome) {
    items.push({
      key: "outcome",
      label: t("detail.outcome"),
      children: (
        <span data-testid="task-outcome" style={{ whiteSpace: "nowrap" }}>
          {t(`outcome.${task.outcome}`)}
          {task.outcome === "churned" && task.outcomeStage && task.outcomeWill && task.outcomeReasonFamily
            ? ` · ${enumLabel("churnStage", task.outcomeStage)} · ${enumLabel("churnWill", task.outcomeWill)} · ${enumLabel("reasonFamily", task.outcomeReasonFamily)}`
            : ""}
        </span>
      ),
    });
  }
  if (task.resolutionNote) items.push({ key: "note", label: t("detail.resolutionNote"), children: task.resolutionNote, span: "filled" });
  if (task.cancelReason) items.push({ key: "cancelReason", label: t("detail.cancelReason"), children: task.cancelReason, span: "filled" });
  if (task.closedAt) items.push({ key: "closedAt", label: t("detail.closedAt"), children: <span className="cw-num" style={{ whiteSpace: "nowrap" }}>{formatDateTime(task.closedAt)}</span> });

  return (
    <Space orientation="vertical" size={16} style={{ width: "100%" }}>
      <Breadcrumb items={[{ title: <Link href={HOME[role]}>{t(role === "rm" ? "detail.backRm" : "detail.backHome")}</Link> }, { title: t("detail.title", { id }) }]} />
      <Space align="center" wrap size={[8, 8]} style={{ justifyContent: "space-between", width: "100%" }}>
        <Space align="center" wrap size={8}>
          <PriorityTag value={task.priority} />
          <Typography.Title level={3} style={{ margin: 0 }}>
            {task.customerName}
          </Typography.Title>
          <Typography.Text type="secondary" className="cw-num">
            {task.customerNo} · {t("detail.title", { id })}
          </Typography.Text>
          <span data-testid="task-status">
            <TaskStatusTag value={task.status} />
          </span>
          {task.escalated ? <EscalatedTag /> : null}
        </Space>
        <TaskActions detail={d} onDone={refresh} />
      </Space>
      {query.isError ? <Alert type="warning" showIcon title={t("detail.refreshFailed")} description={query.error.message} /> : null}
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3, xxl: 4 }} items={items} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={16} style={{ width: "100%" }}>
            <TaskWarnings warnings={d.warnings} features={features} locale={locale} />
            <RiskScoreCard risk={risk} />
            <CustomerGlance detail={d} />
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Space orientation="vertical" size={16} style={{ width: "100%" }}>
            <Playbook taskId={id} sections={d.playbook} editable={canWork} onDone={refresh} />
            <FollowUps taskId={id} followUps={d.followUps} editable={canWork} onDone={refresh} />
            <Collapse
              size="small"
              items={[{ key: "events", label: t("events.title", { n: d.events.length }), children: <EventHistory events={d.events} playbook={d.playbook} /> }]}
            />
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
