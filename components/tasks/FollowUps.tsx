"use client";
// Follow-ups: a quick form (type, when, contact person, notes, result, next action date, promise to pay) and the
// timeline of what has been recorded, newest first. Notes are stored exactly as written.
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, InputNumber, Row, Select, Tag, Timeline, Typography, type FormRule } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslations } from "next-intl";
import { useState, type ReactNode } from "react";
import { ActionError, applyIssues, useKeyedAction } from "@/components/shell/useAction";
import { formatDate, formatDateTime, formatYuan } from "@/lib/format";
import type { Keyed } from "@/lib/http/action";
import type { TaskDetail } from "@/lib/tasks/queries";
import type { FollowUpInput } from "@/lib/tasks/service";
import { FOLLOW_UP_TYPES, type FollowUpType, type PromiseStatus } from "@/lib/vocabulary";
import { addFollowUpAction } from "./actions";

type Values = {
  type: FollowUpType;
  occurredAt?: Dayjs | null;
  contactPerson?: string;
  notes: string;
  result?: string;
  nextActionOn?: Dayjs | null;
  promise?: { amount?: number | null; dueOn?: Dayjs | null };
};

const TYPE_COLOUR: Record<FollowUpType, string> = { phone: "blue", visit: "green", meeting: "cyan", message: "gray", email: "gray", restructuring_proposal: "purple" };
const PROMISE_COLOUR: Record<PromiseStatus, string> = { pending: "gold", kept: "green", broken: "red" };

export function FollowUps({ taskId, followUps, editable, onDone }: { taskId: number; followUps: TaskDetail["followUps"]; editable: boolean; onDone: () => Promise<void> }) {
  const t = useTranslations("tasks.followUps");
  const tt = useTranslations("tasks");
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [formError, setFormError] = useState<string | null>(null);

  const save = useKeyedAction((req: Keyed<FollowUpInput>) => addFollowUpAction({ key: req.key, input: { ...req.input, taskId } }), {
    onSuccess: async () => {
      message.success(t("saved"));
      form.resetFields();
      setFormError(null);
      await onDone();
    },
    onError: (e: Error) => {
      if (e instanceof ActionError && e.issues.length) {
        const rest = applyIssues(form, e.issues, (f) => {
          if (f === "promise.amount" || f === "promise.dueOn") return f.split(".");
          return ["type", "occurredAt", "contactPerson", "notes", "result", "nextActionOn"].includes(f) ? [f] : null;
        });
        setFormError(rest.length ? rest.map((i) => `${i.field}: ${i.message}`).join("; ") : null);
      } else setFormError(e.message);
    },
  });

  const submit = (v: Values) => {
    setFormError(null);
    const body: FollowUpInput = { type: v.type, notes: v.notes.trim() };
    // Left at its default, "when" is the server's now (whose clock a test run may have moved).
    if (v.occurredAt && form.isFieldTouched("occurredAt")) body.occurredAt = v.occurredAt.toISOString();
    if (v.contactPerson?.trim()) body.contactPerson = v.contactPerson.trim();
    if (v.result?.trim()) body.result = v.result.trim();
    if (v.nextActionOn) body.nextActionOn = v.nextActionOn.format("YYYY-MM-DD");
    if (v.promise?.amount && v.promise.dueOn) body.promise = { amount: v.promise.amount.toFixed(2), dueOn: v.promise.dueOn.format("YYYY-MM-DD") };
    save.mutate(body);
  };

  const beforeToday = (d: Dayjs) => d.isBefore(dayjs().startOf("day"));
  // A promise to pay has both an amount and a date, or neither: each field, when empty, checks the other.
  const promiseField = (field: "amount" | "dueOn", label: string, input: ReactNode) => {
    const other = field === "amount" ? "dueOn" : "amount";
    const needsOther: FormRule = ({ getFieldValue }) => ({
      validator: (_r, v: unknown) => (!v && getFieldValue(["promise", other]) ? Promise.reject(new Error(t("promiseBoth"))) : Promise.resolve()),
    });
    return (
      <Col span={8}>
        <Form.Item name={["promise", field]} label={label} dependencies={[["promise", other]]} rules={[needsOther]}>
          {input}
        </Form.Item>
      </Col>
    );
  };
  const typeLabel = (type: string) => {
    const key: string = `type.${type}`;
    return t.has(key) ? t(key) : type;
  };

  return (
    <Card size="small" title={t("title", { n: followUps.length })}>
      {editable ? (
        <Form<Values>
          form={form}
          layout="vertical"
          size="small"
          initialValues={{ type: "phone", occurredAt: dayjs() }}
          onFinish={submit}
          style={{ marginBottom: 16 }}
          aria-label={t("formLabel")}
          data-testid="follow-up-form"
        >
          <Row gutter={8}>
            <Col span={12}>
              <Form.Item name="type" label={t("fields.type")} rules={[{ required: true }]}>
                <Select aria-label={t("fields.type")} options={FOLLOW_UP_TYPES.map((v) => ({ value: v, label: typeLabel(v) }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="occurredAt" label={t("fields.occurredAt")}>
                <DatePicker
                  aria-label={t("fields.occurredAt")}
                  showTime={{ format: "HH:mm" }}
                  format="YYYY-MM-DD HH:mm"
                  allowClear={false}
                  disabledDate={(d) => d.isAfter(dayjs().endOf("day"))}
                  style={{ width: "100%" }}
                />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={8}>
            <Col span={12}>
              <Form.Item name="contactPerson" label={t("fields.contactPerson")} rules={[{ max: 100 }]}>
                <Input aria-label={t("fields.contactPerson")} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="result" label={t("fields.result")} rules={[{ max: 500 }]}>
                <Input aria-label={t("fields.result")} placeholder={t("resultPlaceholder")} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="notes" label={t("fields.notes")} rules={[{ required: true, whitespace: true, message: t("notesRequired") }, { max: 4000 }]}>
            <Input.TextArea aria-label={t("fields.notes")} rows={3} placeholder={t("notesPlaceholder")} />
          </Form.Item>
          <Row gutter={8}>
            <Col span={8}>
              <Form.Item name="nextActionOn" label={t("fields.nextActionOn")}>
                <DatePicker aria-label={t("fields.nextActionOn")} disabledDate={beforeToday} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
            {promiseField("amount", t("fields.promiseAmount"), <InputNumber aria-label={t("fields.promiseAmount")} min={0.01} precision={2} style={{ width: "100%" }} />)}
            {promiseField("dueOn", t("fields.promiseDueOn"), <DatePicker aria-label={t("fields.promiseDueOn")} disabledDate={beforeToday} style={{ width: "100%" }} />)}
          </Row>
          {formError ? <Alert type="error" showIcon title={formError} style={{ marginBottom: 8 }} /> : null}
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t("submit")}
          </Button>
        </Form>
      ) : null}
      {followUps.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={editable ? t("emptyEditable") : t("empty")} />
      ) : (
        <Timeline
          data-testid="follow-up-timeline"
          items={followUps.map((f) => ({
            key: f.id,
            color: TYPE_COLOUR[f.type] ?? "gray",
            content: (
              <div data-testid="follow-up-item">
                <div>
                  <Typography.Text strong>{typeLabel(f.type)}</Typography.Text>{" "}
                  <span className="cw-num">{formatDateTime(f.occurredAt)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {" · "}
                    {f.authorName}
                    {f.contactPerson ? ` · ${t("contactWith", { name: f.contactPerson })}` : ""}
                  </Typography.Text>
                </div>
                {f.notes !== null ? <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 2 }}>{f.notes}</Typography.Paragraph> : null}
                {f.signals.length > 0 ? <NoteSignals notes={f.notes} signals={f.signals} /> : null}
                {f.result ? (
                  <div>
                    <Typography.Text type="secondary">{t("labelColon", { label: t("fields.result") })}</Typography.Text>
                    {f.result}
                  </div>
                ) : null}
                {f.nextActionOn ? (
                  <div>
                    <Typography.Text type="secondary">{t("labelColon", { label: t("fields.nextActionOn") })}</Typography.Text>
                    <span className="cw-num">{formatDate(f.nextActionOn)}</span>
                  </div>
                ) : null}
                {f.promiseAmountFen !== null && f.promiseDueOn ? (
                  <div>
                    <Typography.Text type="secondary">{t("labelColon", { label: t("promise") })}</Typography.Text>
                    <span className="cw-num">{t("promiseText", { amount: formatYuan(f.promiseAmountFen), date: formatDate(f.promiseDueOn) })}</span>{" "}
                    {f.promiseStatus ? <Tag color={PROMISE_COLOUR[f.promiseStatus]}>{tt(`promiseStatus.${f.promiseStatus}`)}</Tag> : null}
                  </div>
                ) : null}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

const POLARITY_COLOUR = { risk: "volcano", retention: "green" } as const;

/** The text signals of one note: each with the sentence that produced it, the matched words highlighted. */
function NoteSignals({ notes, signals }: { notes: string | null; signals: TaskDetail["followUps"][number]["signals"] }) {
  const t = useTranslations("tasks.followUps");
  const names = useTranslations("signals.names");
  return (
    <div data-testid="note-signals" aria-label={t("signals")} style={{ margin: "2px 0 4px" }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("labelColon", { label: t("signals") })}
      </Typography.Text>
      {signals.map((s) => (
        <div key={s.signal} data-testid="note-signal" style={{ fontSize: 13, lineHeight: "22px" }}>
          <Tag color={POLARITY_COLOUR[s.polarity]}>{names(s.signal)}</Tag>
          {notes !== null && s.span && s.sentence ? (
            <Typography.Text type="secondary">
              “{notes.slice(s.sentence[0], s.span[0])}
              <mark data-testid="signal-evidence">{notes.slice(s.span[0], s.span[1])}</mark>
              {notes.slice(s.span[1], s.sentence[1])}”
            </Typography.Text>
          ) : null}
        </div>
      ))}
    </div>
  );
}
