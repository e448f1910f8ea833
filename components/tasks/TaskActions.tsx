"use client";
// The task's state changes, offered per allowedActions: acknowledge and start in one click; escalate, cancel,
// reassign and resolve through a small form. Field issues from the server are shown next to their fields.
import { Alert, App, Button, Form, Input, Modal, Radio, Select, Space } from "antd";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ActionError, applyIssues, useKeyedAction } from "@/components/shell/useAction";
import { useHydrated } from "@/components/shell/useHydrated";
import type { Keyed } from "@/lib/http/action";
import type { TaskDetail } from "@/lib/tasks/queries";
import type { TransitionInput } from "@/lib/tasks/service";
import { REASON_FAMILIES, STAGES, TASK_OUTCOMES, WILLS } from "@/lib/vocabulary";
import { transitionTaskAction } from "./actions";

type Dialog = "escalate" | "cancel" | "reassign" | "resolve" | null;

export function TaskActions({ detail, onDone }: { detail: TaskDetail; onDone: () => Promise<void> }) {
  const t = useTranslations("tasks");
  const te = useTranslations("enums");
  const tc = useTranslations("common");
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  // forceRender keeps the dialog's form connected while closed; the server renders no portal, so only once hydrated
  // (as FormModal does), else the first client render would not match the HTML (React error #418).
  const hydrated = useHydrated();
  const [formError, setFormError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const task = detail.task;
  const allowed = new Set(detail.allowedActions);

  const mutation = useKeyedAction((req: Keyed<TransitionInput>) => transitionTaskAction({ key: req.key, input: { ...req.input, taskId: task.id, expectedVersion: task.version } }), {
    onSuccess: async (_r, body) => {
      message.success(t(`actions.done.${body.action}`));
      setDialog(null);
      form.resetFields();
      await onDone();
    },
    onError: async (e: Error) => {
      if (e instanceof ActionError && e.issues.length && dialog) {
        const rest = applyIssues(form, e.issues, (f) => {
          if (f === "churn" || f.startsWith("churn.")) return ["churn", "reasonFamily"];
          return ["outcome", "note", "reason", "assigneeId"].includes(f) ? [f] : null;
        });
        setFormError(rest.length ? rest.map((i) => i.message).join("; ") : null);
        return;
      }
      if (dialog) setFormError(e.message);
      else message.error(e.message);
      // A conflict means someone else changed the task: show the current state.
      if (e instanceof ActionError && e.code === "conflict") await onDone();
    },
  });

  const outcome = Form.useWatch("outcome", form) as string | undefined;
  if (!allowed.size) return null;

  const open = (d: Dialog) => {
    form.resetFields();
    setFormError(null);
    if (d === "resolve") form.setFieldsValue({ churn: { stage: task.stage, will: task.will, reasonFamily: task.reasonFamily } });
    if (d === "cancel") form.setFieldsValue({ reason: t("actions.cancelDefaultReason") });
    setDialog(d);
  };

  const submit = async () => {
    const v = (await form.validateFields()) as Record<string, unknown>;
    setFormError(null);
    if (dialog === "resolve") {
      const body: Record<string, unknown> = { action: "resolve", outcome: v.outcome };
      if (typeof v.note === "string" && v.note.trim()) body.note = v.note.trim();
      if (v.outcome === "churned") body.churn = v.churn;
      // The form's values are checked by the server's schema; field issues come back onto the form.
      mutation.mutate(body as TransitionInput);
    } else if (dialog) {
      mutation.mutate({ action: dialog, reason: v.reason, ...(dialog === "reassign" ? { assigneeId: v.assigneeId } : {}) } as TransitionInput);
    }
  };

  const busy = mutation.isPending;

  return (
    <>
      <Space wrap size={8} data-testid="task-actions">
        {allowed.has("acknowledge") ? (
          <Button type="primary" loading={busy && mutation.variables?.action === "acknowledge"} onClick={() => mutation.mutate({ action: "acknowledge" })}>
            {t("actions.acknowledge")}
          </Button>
        ) : null}
        {allowed.has("start") ? (
          <Button loading={busy && mutation.variables?.action === "start"} onClick={() => mutation.mutate({ action: "start" })}>
            {t("actions.start")}
          </Button>
        ) : null}
        {allowed.has("resolve") ? (
          <Button type={allowed.has("acknowledge") ? "default" : "primary"} onClick={() => open("resolve")}>
            {t("actions.resolve")}
          </Button>
        ) : null}
        {allowed.has("reassign") ? <Button onClick={() => open("reassign")}>{t("actions.reassign")}</Button> : null}
        {allowed.has("escalate") ? (
          <Button danger onClick={() => open("escalate")}>
            {t("actions.escalate")}
          </Button>
        ) : null}
        {allowed.has("cancel") ? <Button onClick={() => open("cancel")}>{t("actions.cancel")}</Button> : null}
      </Space>
      <Modal
        open={dialog !== null}
        title={dialog ? t(`actions.dialog.${dialog}`) : ""}
        okText={dialog ? t(`actions.confirm.${dialog}`) : ""}
        cancelText={tc("cancel")}
        okButtonProps={{ danger: dialog === "escalate" || dialog === "cancel", loading: busy }}
        onOk={() => void submit().catch(() => {})}
        onCancel={() => setDialog(null)}
        destroyOnHidden
        forceRender={hydrated}
      >
        <Form form={form} layout="vertical" requiredMark="optional" preserve={false} style={{ marginTop: 16 }}>
          {dialog === "resolve" ? (
            <>
              <Form.Item name="outcome" label={t("resolve.outcome")} rules={[{ required: true, message: t("resolve.outcomeRequired") }]}>
                <Radio.Group aria-label={t("resolve.outcome")} style={{ display: "flex", flexDirection: "column", gap: 6 }}>
                  {TASK_OUTCOMES.map((o) => (
                    <Radio key={o} value={o}>
                      <span>{t(`outcome.${o}`)}</span>
                      <span style={{ color: "rgba(0,0,0,0.45)", fontSize: 12, marginInlineStart: 6 }}>{t(`outcomeHint.${o}`)}</span>
                    </Radio>
                  ))}
                </Radio.Group>
              </Form.Item>
              {outcome === "churned" ? (
                <Space wrap size={8} style={{ width: "100%" }}>
                  <Form.Item name={["churn", "stage"]} label={t("resolve.stage")} rules={[{ required: true }]}>
                    <Select aria-label={t("resolve.stage")} style={{ width: 140 }} options={STAGES.map((v) => ({ value: v, label: te(`churnStage.${v}`) }))} />
                  </Form.Item>
                  <Form.Item name={["churn", "will"]} label={t("resolve.will")} rules={[{ required: true }]}>
                    <Select aria-label={t("resolve.will")} style={{ width: 140 }} options={WILLS.map((v) => ({ value: v, label: te(`churnWill.${v}`) }))} />
                  </Form.Item>
                  <Form.Item name={["churn", "reasonFamily"]} label={t("resolve.reasonFamily")} rules={[{ required: true }]}>
                    <Select aria-label={t("resolve.reasonFamily")} style={{ width: 160 }} options={REASON_FAMILIES.map((v) => ({ value: v, label: te(`reasonFamily.${v}`) }))} />
                  </Form.Item>
                </Space>
              ) : null}
              <Form.Item name="note" label={t("resolve.note")} rules={[{ max: 2000 }]}>
                <Input.TextArea rows={3} placeholder={t("resolve.notePlaceholder")} />
              </Form.Item>
            </>
          ) : null}
          {dialog === "reassign" ? (
            <Form.Item name="assigneeId" label={t("reassign.assignee")} rules={[{ required: true, message: t("reassign.assigneeRequired") }]}>
              <Select
                aria-label={t("reassign.assignee")}
                showSearch
                optionFilterProp="label"
                options={detail.assignees.map((a) => ({
                  value: a.id,
                  disabled: a.id === task.assigneeId,
                  label: t("reassign.option", { name: a.name, n: a.activeTasks }),
                }))}
              />
            </Form.Item>
          ) : null}
          {dialog === "escalate" || dialog === "cancel" || dialog === "reassign" ? (
            <Form.Item
              name="reason"
              label={t(`actions.reasonLabel.${dialog}`)}
              rules={[{ required: true, whitespace: true, message: t("actions.reasonRequired") }, { min: 2, message: t("actions.reasonRequired") }, { max: 500 }]}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
          ) : null}
          {formError ? <Alert type="error" showIcon title={formError} /> : null}
        </Form>
      </Modal>
    </>
  );
}
