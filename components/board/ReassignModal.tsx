"use client";
// Reassign in place: a modal with the branch's active RMs (with their active-task counts, from the task's own
// GET /api/v1/tasks/{id}) and a reason, recording the "reassign" transition (keyed: a double click reassigns once).
import { useQuery } from "@tanstack/react-query";
import { Alert, Form, Input, Modal, Select, Spin, Typography } from "antd";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { transitionTaskAction } from "@/components/tasks/actions";
import { getJson } from "@/components/shell/api";
import { applyIssues, issuesOf, useKeyedAction } from "@/components/shell/useAction";
import type { TaskDetail, TaskRow } from "@/lib/tasks/queries";

type Values = { assigneeId: number; reason: string };

export function ReassignModal({ task, onClose, onDone }: { task: TaskRow | null; onClose: () => void; onDone: (assigneeName: string) => void }) {
  const t = useTranslations("board");
  const tc = useTranslations("common");
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const detail = useQuery({
    queryKey: ["task", task?.id],
    queryFn: () => getJson<Pick<TaskDetail, "task" | "assignees">>(`/api/v1/tasks/${task!.id}`),
    enabled: Boolean(task),
    staleTime: 0,
  });
  const others = (detail.data?.assignees ?? []).filter((a) => a.id !== task?.assigneeId);

  const reassign = useKeyedAction(transitionTaskAction, {
    onSuccess: (_r, v) => onDone(others.find((a) => "assigneeId" in v && a.id === v.assigneeId)?.name ?? ""),
    onError: (e) => {
      const issues = issuesOf(e);
      const rest = applyIssues(form, issues, (f) => (f === "reason" || f === "assigneeId" ? [f] : null), (i) => (i.field === "reason" ? t("reasonRequired") : i.message));
      if (!issues.length || rest.length) setError(e.message);
      // A conflict (the task changed meanwhile) needs the task's current version for the next try.
      void detail.refetch();
    },
  });

  const submit = (v: Values) => {
    if (!task || !detail.data) return;
    setError(undefined);
    reassign.mutate({ taskId: task.id, action: "reassign", assigneeId: v.assigneeId, reason: v.reason.trim(), expectedVersion: detail.data.task.version });
  };

  return (
    <Modal
      open={Boolean(task)}
      title={task ? t("reassignTitle", { customer: task.customerName }) : ""}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("reassignSubmit")}
      cancelText={tc("cancel")}
      okButtonProps={{ loading: reassign.isPending, disabled: !detail.data || others.length === 0 }}
      destroyOnHidden
      width={520}
    >
      {task?.assigneeName && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
          {t("currentAssignee", { name: task.assigneeName })}
        </Typography.Paragraph>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {detail.isError ? (
        <Alert type="error" showIcon title={t("loadError")} description={detail.error.message} />
      ) : detail.isPending ? (
        <Spin tip={t("loadingAssignees")}>
          <div style={{ height: 80 }} />
        </Spin>
      ) : others.length === 0 ? (
        <Alert type="warning" showIcon title={t("noOtherRm")} />
      ) : (
        <Form<Values> form={form} layout="vertical" name="reassign" onFinish={submit} aria-label={t("reassignTitle", { customer: task?.customerName ?? "" })}>
          <Form.Item name="assigneeId" label={t("reassignTo")} rules={[{ required: true, message: t("assigneeRequired") }]}>
            <Select<number>
              placeholder={t("reassignToPlaceholder")}
              showSearch={{ optionFilterProp: "label" }}
              options={[...others].sort((a, b) => a.activeTasks - b.activeTasks).map((a) => ({ value: a.id, label: t("rmOption", { name: a.name, count: a.activeTasks }) }))}
            />
          </Form.Item>
          <Form.Item name="reason" label={t("reason")} rules={[{ required: true, whitespace: true, min: 2, max: 500, message: t("reasonRequired") }]}>
            <Input.TextArea rows={3} maxLength={500} showCount placeholder={t("reasonPlaceholder")} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
