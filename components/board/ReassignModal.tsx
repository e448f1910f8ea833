"use client";
// Reassign in place: a modal with the branch's active RMs (with their active-task counts, from the task's own
// GET /api/v1/tasks/{id}) and a reason, posting the "reassign" transition with an idempotency key.
import { useQuery } from "@tanstack/react-query";
import { Alert, Form, Input, Modal, Select, Spin, Typography } from "antd";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import type { TaskDetail, TaskRow } from "@/lib/tasks/queries";

type Values = { assigneeId: number; reason: string };
type ApiError = { error?: { code: string; message: string; issues?: { field: string; message: string }[] } };

async function fetchTask(id: number): Promise<Pick<TaskDetail, "task" | "assignees">> {
  const res = await fetch(`/api/v1/tasks/${id}`, { headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => null)) as (TaskDetail & ApiError) | null;
  if (!res.ok || !body) throw new Error(body?.error?.message ?? res.statusText);
  return body;
}

export function ReassignModal({ task, onClose, onDone }: { task: TaskRow | null; onClose: () => void; onDone: (assigneeName: string) => void }) {
  const t = useTranslations("board");
  const tc = useTranslations("common");
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  // One key per opened dialog (the list mounts one per task): a double click or a retried request reassigns once.
  const [firstKey] = useState(() => crypto.randomUUID());
  const key = useRef(firstKey);
  const detail = useQuery({ queryKey: ["task", task?.id], queryFn: () => fetchTask(task!.id), enabled: Boolean(task), staleTime: 0 });

  const others = (detail.data?.assignees ?? []).filter((a) => a.id !== task?.assigneeId);

  const submit = async (v: Values) => {
    if (!task || !detail.data) return;
    setSaving(true);
    setError(undefined);
    try {
      const res = await fetch(`/api/v1/tasks/${task.id}/transitions`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", "Idempotency-Key": key.current },
        body: JSON.stringify({ action: "reassign", assigneeId: v.assigneeId, reason: v.reason.trim(), expectedVersion: detail.data.task.version }),
      });
      const body = (await res.json().catch(() => null)) as ApiError | null;
      if (!res.ok) {
        const issues = body?.error?.issues ?? [];
        const reason = issues.find((i) => i.field === "reason");
        if (reason) form.setFields([{ name: "reason", errors: [t("reasonRequired")] }]);
        const assignee = issues.find((i) => i.field === "assigneeId");
        if (assignee) form.setFields([{ name: "assigneeId", errors: [assignee.message] }]);
        if (!reason && !assignee) setError(body?.error?.message ?? res.statusText);
        // A conflict (the task changed meanwhile) needs a fresh key and version for the next try.
        key.current = crypto.randomUUID();
        void detail.refetch();
        return;
      }
      onDone(others.find((a) => a.id === v.assigneeId)?.name ?? "");
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={Boolean(task)}
      title={task ? t("reassignTitle", { customer: task.customerName }) : ""}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("reassignSubmit")}
      cancelText={tc("cancel")}
      okButtonProps={{ loading: saving, disabled: !detail.data || others.length === 0 }}
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
